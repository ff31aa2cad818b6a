"""``pplx ask``: one answer on stdout, for pipes and scripts. Never imports Textual.

Plain output is the answer as received (control characters removed), then a numbered
``Sources:`` list. ``--json`` prints one object instead. On an interrupted or failed stream the
partial answer stays on stdout and the error is one line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from pplx_tui.cli.common import (
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
    add_shared_options(parser, suppress=True)
    parser.set_defaults(handler=run)


def read_question(args: argparse.Namespace, stdin: TextIO) -> str:
    question = args.question
    if question in (None, "-"):
        if question is None and stdin.isatty():
            raise UsageError('no question given: pplx ask "QUESTION" (or pipe it on stdin)')
        question = stdin.read(MAX_QUESTION_BYTES + 1)
        if len(question) > MAX_QUESTION_BYTES:
            raise UsageError("the question is over 1 MB; shorten it")
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

    try:
        return ChatStore().load(chat_id)
    except StoreError as error:
        raise UsageError(str(error)) from None


def _answer(args, question, target: Target, chat, system, search, sampling) -> int:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.errors import ClientError
    from pplx_tui.models import MessageStatus
    from pplx_tui.session import build_request

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
    try:
        asyncio.run(_stream(target, request, builder, printer))
    except ClientError as error:
        status, error_text, exit_code = _failure_status(builder), str(error), error.exit_code
    except KeyboardInterrupt:
        status, error_text, exit_code = MessageStatus.INTERRUPTED, "interrupted", EXIT_INTERRUPTED
    answer = builder.to_message(
        provider=target.provider.name,
        model=target.model.id,
        search=search,
        status=status,
        error=error_text,
    )
    if args.json:
        print(json.dumps(json_result(target, answer, error_text), ensure_ascii=False))
    elif printer is not None:
        printer.finish(answer)
    if error_text and exit_code != EXIT_INTERRUPTED:
        print(f"pplx: {error_text}", file=sys.stderr)
    elif exit_code == EXIT_INTERRUPTED:
        print("pplx: interrupted; the partial answer is above", file=sys.stderr)
    if args.save:
        _save(chat, question, answer, target, search, sampling, system)
    return exit_code


def _failure_status(builder: AnswerBuilder):
    from pplx_tui.models import MessageStatus

    return MessageStatus.INTERRUPTED if builder.content else MessageStatus.ERROR


async def _stream(target: Target, request, builder: AnswerBuilder, printer) -> None:
    from pplx_tui.client import make_client
    from pplx_tui.client.events import TextDelta

    async with make_client(target.provider, target.api_key, target.base_url) as client:
        async for event in client.stream(request):
            builder.add(event)
            if printer is not None and isinstance(event, TextDelta):
                printer.write(event.text)


class PlainPrinter:
    """Writes answer text as it arrives, then the numbered sources."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.ends_with_newline = True

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


def _save(chat, question, answer, target: Target, search, sampling, system) -> None:
    from pplx_tui.models import Message
    from pplx_tui.store import ChatStore, StoreError

    store = ChatStore()
    try:
        if chat is None:
            chat = store.new_chat()
        chat.settings.provider = target.provider.name
        chat.settings.model = target.model.id
        chat.settings.search = search
        chat.settings.sampling = sampling
        chat.settings.system_prompt = system
        store.append_message(chat, Message(role="user", content=question, search=search))
        store.append_message(chat, answer)
    except (StoreError, OSError) as error:
        print(f"pplx: the chat could not be saved: {error}", file=sys.stderr)
        return
    print(f"pplx: saved chat {chat.id}", file=sys.stderr)
