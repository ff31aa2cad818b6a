"""``pplx ask``: one answer on stdout, for pipes and scripts. Never imports Textual.

Plain output is the answer as received (control characters removed), then a numbered
``Sources:`` list. ``--json`` prints one object instead. On an interrupted or failed stream the
partial answer stays on stdout and the error is one line on stderr.

A stalled stream: when nothing arrived for ``PPLX_WAIT_NOTICE`` seconds (default 10) and stderr
is a terminal, one line says so (deep research can be silent for minutes); Ctrl-C stops, keeps
the partial answer (saved with ``--save``, status interrupted) and exits 130. ``--idle-timeout``
gives up by itself after that many silent seconds (exit 5, partial kept). A chat that cannot be
saved (disk full, read-only folder) is one line on stderr and exit 1; the chat file on disk is
left as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from pplx_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UsageError,
    add_shared_options,
    option,
    sampling_from,
    search_settings_from,
)

if TYPE_CHECKING:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.models import Message
    from pplx_tui.session import Target

MAX_QUESTION_BYTES = 1_000_000
WAIT_NOTICE_VARIABLE = "PPLX_WAIT_NOTICE"
DEFAULT_WAIT_NOTICE = 10.0
"""Seconds without a byte of the answer before "waiting for the server…" (terminals only)."""


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0 < number <= 86_400:
        raise argparse.ArgumentTypeError(
            f"idle-timeout must be a number of seconds above 0, for example 120 (got {value!r})"
        )
    return number


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer one question on stdout",
        description="Answer one question on stdout: the answer, then its numbered sources.",
    )
    parser.add_argument(
        "question", nargs="?", help="the question; '-' or absent reads it from stdin"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", action="store_true", help="keep the exchange as a chat")
    parser.add_argument(
        "--idle-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up when the server sends nothing for SECONDS (default 900: deep research "
        "can think for minutes); the partial answer is kept",
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="log at debug level"
    )
    add_shared_options(parser, suppress=True)
    parser.set_defaults(handler=run)


def read_question(args: argparse.Namespace, stdin: TextIO) -> str:
    question = args.question
    if question in (None, "-"):
        if question is None and stdin.isatty():
            raise UsageError('no question given: pplx ask "QUESTION" (or pipe it on stdin)')
        # Bytes, decoded leniently: a stray invalid byte must not crash the command.
        raw = getattr(stdin, "buffer", None)
        data = (
            raw.read(MAX_QUESTION_BYTES + 1)
            if raw is not None
            else stdin.read(MAX_QUESTION_BYTES + 1)
        )
        if len(data) > MAX_QUESTION_BYTES:
            raise UsageError("the question is over 1 MB; shorten it")
        question = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    question = question.strip()
    if not question:
        raise UsageError("the question is empty")
    return question


def run(args: argparse.Namespace) -> int:
    from pplx_tui.config import ConfigError, load_settings, permission_warning
    from pplx_tui.providers import build_catalog
    from pplx_tui.session import TargetError, resolve_target

    question = read_question(args, sys.stdin)
    try:
        settings = load_settings()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if warning := permission_warning():
        print(f"pplx: warning: {warning}", file=sys.stderr)
    chat = _load_chat(option(args, "chat")) if option(args, "chat") else None
    base_search = chat.settings.search if chat else settings.search
    search = search_settings_from(args, base_search)
    sampling = sampling_from(args, chat.settings.sampling if chat else settings.sampling)
    try:
        target = resolve_target(
            settings,
            build_catalog(settings),
            provider=option(args, "provider") or (chat.settings.provider if chat else None),
            model=option(args, "model") or (chat.settings.model if chat else None),
            base_url=option(args, "base_url"),
            demo=bool(option(args, "demo")),
        )
    except TargetError as error:
        print(f"pplx: {error}", file=sys.stderr)
        return error.exit_code
    for notice in target.notices:
        print(f"pplx: note: {notice}", file=sys.stderr)
    system = option(args, "system") or (chat.settings.system_prompt if chat else None)
    system = system or settings.system_prompt
    return _answer(args, question, target, chat, system, search, sampling)


def _load_chat(chat_id: str):
    from pplx_tui.store import ChatStore, StoreError

    store = ChatStore()
    try:
        return store.load(chat_id)
    except StoreError as error:
        raise UsageError(str(error)) from None
    finally:
        _print_notices(store)


def _print_notices(store) -> None:
    for notice in store.take_notices():
        print(f"pplx: warning: {notice}", file=sys.stderr)


def _answer(args, question, target: Target, chat, system, search, sampling) -> int:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.errors import ClientError
    from pplx_tui.logs import get_logger
    from pplx_tui.models import MessageStatus
    from pplx_tui.session import build_request
    from pplx_tui.store.files import escape_controls

    history = chat.messages if chat else []
    request = build_request(
        history,
        question,
        target.model.id,
        system_prompt=system,
        search=search,
        sampling=sampling,
    )
    builder = AnswerBuilder()
    printer = None if args.json else PlainPrinter(sys.stdout)
    status, error_text, exit_code = MessageStatus.COMPLETE, None, EXIT_OK
    output_closed = False
    try:
        asyncio.run(
            _stream(
                target,
                request,
                builder,
                printer,
                idle_timeout=option(args, "idle_timeout"),
                notice_after=_wait_notice(),
            )
        )
    except ClientError as error:
        status, error_text, exit_code = _failure_status(builder), str(error), error.exit_code
        get_logger("ask").warning("the answer failed: %s", error_text)
    except KeyboardInterrupt:
        status, error_text, exit_code = MessageStatus.INTERRUPTED, "interrupted", EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (``| head``): keep what arrived, say nothing more.
        from pplx_tui.cli import _silence_stdout

        _silence_stdout()
        output_closed = True
        status, error_text, exit_code = MessageStatus.INTERRUPTED, "output closed", EXIT_FAILURE
    answer = builder.to_message(
        provider=target.provider.name,
        model=target.model.id,
        search=search,
        status=status,
        error=error_text,
    )
    if output_closed:
        pass
    elif args.json:
        result = json_result(target, answer, error_text)
        print(escape_controls(json.dumps(result, ensure_ascii=False)))
    elif printer is not None:
        printer.finish(answer)
    if output_closed:
        pass
    elif error_text and exit_code != EXIT_INTERRUPTED:
        print(f"pplx: {error_text}", file=sys.stderr)
    elif exit_code == EXIT_INTERRUPTED:
        print("pplx: interrupted; the partial answer is kept", file=sys.stderr)
    if args.save and not _save(chat, question, answer, target, search, sampling, system):
        return exit_code or EXIT_FAILURE
    return exit_code


def _wait_notice() -> float | None:
    """Seconds of silence before the "waiting for the server" line; ``None``: not a terminal."""
    if not sys.stderr.isatty():
        return None
    try:
        value = float(os.environ.get(WAIT_NOTICE_VARIABLE, DEFAULT_WAIT_NOTICE))
    except ValueError:
        return DEFAULT_WAIT_NOTICE
    return value if value > 0 else None


def _failure_status(builder: AnswerBuilder):
    from pplx_tui.models import MessageStatus

    return MessageStatus.INTERRUPTED if builder.content else MessageStatus.ERROR


async def _stream(
    target: Target,
    request,
    builder: AnswerBuilder,
    printer,
    *,
    idle_timeout: float | None = None,
    notice_after: float | None = None,
) -> None:
    from pplx_tui.client import make_client
    from pplx_tui.client.events import TextDelta

    client = make_client(
        target.provider, target.api_key, target.base_url, idle_timeout=idle_timeout
    )
    stall = _Stall()
    watcher = (
        asyncio.create_task(_tell_when_stalled(stall, notice_after, printer))
        if notice_after
        else None
    )
    try:
        async with client:
            async for event in client.stream(request):
                stall.progress()
                builder.add(event)
                if printer is not None and isinstance(event, TextDelta):
                    printer.write(event.text)
    finally:
        if watcher is not None:
            watcher.cancel()


class _Stall:
    """When the last event arrived, and whether the current silence was already reported."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.told = False

    def progress(self) -> None:
        self.last = time.monotonic()
        self.told = False


async def _tell_when_stalled(stall: _Stall, after: float, printer) -> None:
    """One stderr line per silence longer than ``after`` seconds."""
    while True:
        wait = stall.last + after - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
            continue
        if not stall.told:
            stall.told = True
            # Start on a fresh line when stdout shares the terminal and stopped mid-line.
            mid_line = printer is not None and printer.is_tty and not printer.ends_with_newline
            sys.stderr.write(
                ("\n" if mid_line else "")
                + f"pplx: waiting for the server (nothing for {after:g} s)… "
                "Ctrl-C stops and keeps the partial answer\n"
            )
            sys.stderr.flush()
        await asyncio.sleep(after)


class PlainPrinter:
    """Writes answer text as it arrives, then the numbered sources."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.ends_with_newline = True
        try:
            self.is_tty = out.isatty()
        except (AttributeError, ValueError):
            self.is_tty = False

    def write(self, text: str) -> None:
        from pplx_tui.sanitize import clean_text

        text = clean_text(text)
        if text:
            self.out.write(text)
            self.out.flush()
            self.ends_with_newline = text.endswith("\n")

    def finish(self, answer: Message) -> None:
        from pplx_tui.sanitize import clean_line

        lines = [] if self.ends_with_newline else [""]
        if answer.sources:
            lines += ["", "Sources:"]
            for source in answer.sources:
                title = clean_line(source.title) or clean_line(source.url)
                lines.append(f"[{source.index}] {title} — {clean_line(source.url)}")
        if lines:
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()


def json_result(target: Target, answer: Message, error: str | None) -> dict[str, Any]:
    """The ``--json`` object (DESIGN.md's contract), plus ``status`` and ``error``."""
    from pplx_tui.sanitize import clean_line, clean_text

    usage = answer.usage
    result: dict[str, Any] = {
        "provider": target.provider.name,
        "model": target.model.id,
        "answer": clean_text(answer.content),
        "reasoning": clean_text(answer.reasoning),
        "sources": [
            {
                "index": s.index,
                "url": clean_line(s.url),
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
    return result


def _save(chat, question, answer, target: Target, search, sampling, system) -> bool:
    """Store the question and the answer in one atomic write; False (and one line) if not."""
    from pplx_tui.models import Message
    from pplx_tui.store import ChatStore, StoreError

    store = ChatStore()
    existed = chat is not None
    try:
        if chat is None:
            chat = store.new_chat()
        chat.settings.provider = target.provider.name
        chat.settings.model = target.model.id
        chat.settings.search = search
        chat.settings.sampling = sampling
        chat.settings.system_prompt = system
        # Both messages in one save: a failed write leaves the chat as it was, not half-done.
        chat.messages += [Message(role="user", content=question, search=search), answer]
        store.save(chat)
    except (StoreError, OSError) as error:
        if isinstance(error, OSError):
            reason = f"{error.strerror or error} in {store.root}"
        else:
            reason = str(error)
        kept = "the saved chat is unchanged" if existed else "nothing was written"
        print(f"pplx: the chat could not be saved ({reason}); {kept}", file=sys.stderr)
        from pplx_tui.logs import get_logger

        get_logger("ask").warning("saving chat %s failed", chat.id if chat else "?", exc_info=True)
        return False
    finally:
        _print_notices(store)
    print(f"pplx: saved chat {chat.id}", file=sys.stderr)
    return True
