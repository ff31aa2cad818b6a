"""The question of ``pplx ask``: its words, stdin's text, or both (piped text first, then a
blank line, then the question), at most 1 MB."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from typing import TextIO

from pplx_tui.cli.common import UsageError

MAX_QUESTION_BYTES = 1_000_000


def question_words(words: list[str] | None) -> tuple[str | None, bool]:
    """The question the words make, and whether a ``-`` first or last asked for stdin too
    (``pplx ask - "and this?"``: not a word of the question; ``5 - 3`` keeps its dash)."""
    words = list(words or [])
    dash = len(words) > 1 and "-" in (words[0], words[-1])
    if dash:
        words = words[1:] if words[0] == "-" else words[:-1]
    return (" ".join(words) if words else None), dash


def read_question(args: argparse.Namespace, stdin: TextIO, *, dash: bool = False) -> str:
    """The question: the argument, stdin's text (for ``-`` or none), or both.

    Text piped in beside a question comes first, then a blank line, then the question
    (``cat notes.md | pplx ask "summarise this"``, as ``llm`` does). Beside a question, stdin
    is read only when it is a pipe or a file, or ``dash`` (a ``-`` beside it) asks for it: a
    terminal, /dev/null or a socket that a launcher left open is never waited on otherwise (a
    pipe is read to its end: cron closes its pipe at once).
    """
    question = args.question
    if question in (None, "-"):
        if question is None and stdin.isatty():
            raise UsageError('no question given: pplx ask "QUESTION" (or pipe it on stdin)')
        _prompt(stdin)
        question = _read_text(stdin)
    elif dash or _is_piped(stdin):
        _prompt(stdin)
        question = "\n\n".join(
            part for part in (_read_text(stdin).strip(), question.strip()) if part
        )
    question = question.strip()
    if not question:
        raise UsageError("the question is empty")
    return question


def _prompt(stdin: TextIO) -> None:
    """At a terminal (``pplx ask -``), say what is awaited."""
    if stdin.isatty():
        print(
            "pplx: type the question, then Ctrl-D at the start of a line to send it",
            file=sys.stderr,
        )


def _is_piped(stream: TextIO | None) -> bool:
    """Whether ``stream`` is data piped or redirected in (a FIFO or a regular file)."""
    try:
        mode = os.fstat(stream.fileno()).st_mode  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):  # no stdin (fd 0 closed), or no file behind it
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _read_text(stdin: TextIO) -> str:
    """All of stdin, at most 1 MB, decoded leniently: a stray invalid byte must not crash."""
    raw = getattr(stdin, "buffer", None)
    data = (
        raw.read(MAX_QUESTION_BYTES + 1) if raw is not None else stdin.read(MAX_QUESTION_BYTES + 1)
    )
    if len(data) > MAX_QUESTION_BYTES:
        raise UsageError("the question is over 1 MB; shorten it")
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text.replace("\r\n", "\n")  # a Windows file's line breaks, sent as typed ones
