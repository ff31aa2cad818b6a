"""What ``pplx ask`` prints: the plain answer with its sources, or the ``--json`` object."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.session import Target
    from pplx_tui.values import Image, Source, Usage


class Answer(Protocol):
    """What the printers read of an answer: a saved :class:`~pplx_tui.models.Message`, or
    (plain ``pplx ask``, no pydantic) the :class:`~pplx_tui.client.answer.AnswerBuilder`."""

    @property
    def content(self) -> str: ...

    @property
    def sources(self) -> Sequence[Source]: ...

    @property
    def related_questions(self) -> Sequence[str]: ...

    @property
    def images(self) -> Sequence[Image]: ...


class FinishedAnswer(Answer, Protocol):
    """What ``--json`` prints of an answer: a :class:`~pplx_tui.models.Message`, or a
    :class:`Streamed` one."""

    @property
    def reasoning(self) -> str: ...

    @property
    def usage(self) -> Usage | None: ...

    @property
    def status(self) -> str: ...

    @property
    def error_kind(self) -> str | None: ...

    @property
    def provider(self) -> str | None: ...

    @property
    def model(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Streamed:
    """An answer ``pplx ask --json`` did not save: the builder's parts and how the stream
    ended (the pydantic message is made only to save one)."""

    builder: AnswerBuilder
    status: str
    error_kind: str | None
    provider: str
    model: str

    @property
    def content(self) -> str:
        return self.builder.content

    @property
    def reasoning(self) -> str:
        return self.builder.reasoning

    @property
    def sources(self) -> Sequence[Source]:
        return self.builder.sources

    @property
    def related_questions(self) -> Sequence[str]:
        return self.builder.related_questions

    @property
    def images(self) -> Sequence[Image]:
        return self.builder.images

    @property
    def usage(self) -> Usage | None:
        return self.builder.usage


REASONING_OPEN = "<details>\n<summary>Reasoning</summary>\n\n"
REASONING_CLOSE = "\n\n</details>\n"
"""``--reasoning`` on a pipe folds it as ``pplx chats export --reasoning`` does."""


def add_reasoning_option(parser: argparse.ArgumentParser) -> None:
    """``--reasoning``, for the commands that print an answer (``ask``, ``runs wait``)."""
    parser.add_argument(
        "--reasoning",
        action="store_true",
        help="print a reasoning model's reasoning before the answer (folded in a <details> "
        "block; on a terminal, dimmed as it comes); --json always has it",
    )


class PlainPrinter:
    """Writes answer text as it arrives, then the numbered sources, related questions and
    images (the last two when asked for with ``--related`` / ``--images``); with
    ``reasoning`` (``--reasoning``), the model's reasoning first, in a ``<details>`` block."""

    def __init__(self, out: TextIO, *, reasoning: bool = False) -> None:
        from pplx_tui.redact import StreamRedactor

        self.out = out
        self.reasoning = reasoning
        self._thought: list[str] = []
        self.ends_with_newline = True
        self._tail = ""
        """The last two characters printed ("" before any)."""
        self.redactor = StreamRedactor()
        """Keys are left out of what is printed, even when cut between two pieces."""
        self._blank_start: str | None = ""
        """The answer's text while it is only white space (``None`` once a word came): held,
        printed before its first word, else never (an answer of spaces printed blank lines
        before ``Sources:``; QA)."""
        try:
            self.is_tty = out.isatty()
        except (AttributeError, ValueError):
            self.is_tty = False

    def prepare(self) -> None:
        """Called once the question is sent: load what drawing needs while the server works
        (nothing for plain text)."""

    def think(self, text: str) -> None:
        """A piece of reasoning: kept (when asked for) and printed whole before the answer,
        escaped as the export escapes it (a line may be cut between two pieces)."""
        if self.reasoning:
            self._thought.append(text)

    def _print_thought(self) -> bool:
        """The reasoning kept so far, folded; whether there was any. A block later in the
        answer comes after the text before it, a blank line between them (written mid-line,
        "More <details>", Markdown viewers showed it as text, not folded)."""
        from pplx_tui.markdown_plain import plain_lines
        from pplx_tui.redact import redact_known

        # As the export writes it: shown as written, each line its own (a hard break).
        thought = plain_lines(redact_known("".join(self._thought)))
        self._thought.clear()
        if thought:
            self._print(self.redactor.flush())  # (held back: it came before the block)
            if self._tail and self._tail != "\n\n":
                self._print("\n" if self._tail.endswith("\n") else "\n\n")
            self._print(f"{REASONING_OPEN}{thought}{REASONING_CLOSE}")
        return bool(thought)

    def write(self, text: str) -> None:
        if self._blank_start is not None:
            text = self._blank_start + text
            if not text.strip():
                self._blank_start = text
                return
            self._blank_start = None
        if self._thought and self._print_thought():
            self._print("\n")  # a blank line between the block and the answer
        self._print(self.redactor.feed(text))

    def _print(self, text: str) -> None:
        from pplx_tui.sanitize import clean_text

        text = clean_text(text)
        if text:
            self.out.write(text)
            self.out.flush()
            self.ends_with_newline = text.endswith("\n")
            self._tail = (self._tail + text)[-2:]

    def finish(self, answer: Answer, cut: str = "") -> None:
        """The sources and the rest after the answer; ``cut`` is the note (``cut_note``) for
        an answer that did not end in full, as the export writes it. A code fence the answer
        leaves open is closed first, so what follows is not taken for code. Each part is a
        blank line below what came before it; the first of an answer without text begins
        the output."""
        from pplx_tui.citations import unknown_note, unknown_numbers
        from pplx_tui.markdown_code import open_fence
        from pplx_tui.redact import redact_known
        from pplx_tui.sanitize import clean_line, clean_url, safe_url

        self._print_thought()
        self._print(self.redactor.flush())
        lines = [] if self.ends_with_newline else [""]
        trailer = ["", cut] if cut else []
        unknown = unknown_numbers(answer.content, answer.sources)
        if answer.sources or unknown:
            trailer += ["", "Sources:"]
            for source in answer.sources:
                url = safe_url(source.url) or clean_url(source.url)  # as a link leads
                title = clean_line(source.title)
                shown = f"{title} — {url}" if title and url and title != url else title or url
                trailer.append(f"[{source.index}] {shown}")
            if unknown:
                trailer.append(f"({unknown_note(unknown)} of this answer)")
        trailer += extras(answer)
        if trailer and (fence := open_fence(answer.content)):
            lines.append(fence)
        lines += trailer if self._tail else trailer[1:]  # (no blank line above nothing)
        if lines:
            self.out.write(redact_known("\n".join(lines) + "\n"))
            self.out.flush()


def extras(answer: Answer) -> list[str]:
    """The "Related questions:" and "Images:" lists (images with an http(s) URL only)."""
    from pplx_tui.sanitize import clean_line, safe_url

    lines: list[str] = []
    if questions := [q for q in map(clean_line, answer.related_questions) if q]:
        lines += ["", "Related questions:", *(f"- {q}" for q in questions)]
    images = []
    for image in answer.images:
        if url := safe_url(image.image_url):
            title = clean_line(image.title or "")
            origin = safe_url(image.origin_url or "")
            line = f"- {title} — {url}" if title else f"- {url}"
            images.append(f"{line} (from {origin})" if origin else line)
    if images:
        lines += ["", "Images:", *images]
    return lines


def json_result(target: Target | None, answer: FinishedAnswer, error: str | None) -> dict[str, Any]:
    """The ``--json`` object (DESIGN.md's contract), plus ``status``, ``error`` and, after a
    failure (not a stop), ``error_kind``.

    Without a ``target`` (a saved answer, ``pplx runs wait``) provider and model are the
    answer's own."""
    from pplx_tui.sanitize import clean_line, clean_text, clean_url

    usage = answer.usage
    result: dict[str, Any] = {
        "provider": target.provider.name if target else answer.provider,
        "model": target.model.id if target else answer.model,
        "answer": clean_text(answer.content),
        "reasoning": clean_text(answer.reasoning),
        "sources": [
            {
                "index": s.index,
                "url": clean_url(s.url),
                "title": clean_line(s.title),
                "date": s.date,
                "snippet": clean_text(s.snippet),
            }
            for s in answer.sources
        ],
        "related_questions": [clean_line(q) for q in answer.related_questions],
        "images": [image.model_dump(mode="json") for image in answer.images],
        "usage": {
            "prompt_tokens": usage.prompt_tokens if usage else None,
            "completion_tokens": usage.completion_tokens if usage else None,
            "total_tokens": usage.total_tokens if usage else None,
            "cost_usd": usage.cost_usd if usage else None,
        },
        "status": str(answer.status),
    }
    if error:
        result["error"] = error
    if answer.error_kind:
        result["error_kind"] = answer.error_kind  # auth, limit or server: not a user's stop
    return result
