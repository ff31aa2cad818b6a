"""``pplx ask``: one answer on stdout, for pipes and scripts. Never imports Textual.

Plain output is the answer as received (control characters removed), then a numbered
``Sources:`` list. ``--json`` prints one object instead. On an interrupted or failed stream the
partial answer stays on stdout and the error is one line on stderr.

A stalled stream: when nothing arrived for ``PPLX_WAIT_NOTICE`` seconds (default 10) and stderr
is a terminal, one line says so (deep research can be silent for minutes); Ctrl-C stops and
exits 130, the partial answer printed (and kept only with ``--save``, status interrupted: the
lines say which, :mod:`.ask_partial`). ``--idle-timeout`` gives up by itself after that many
seconds without new content (keep-alives do not count), and ``--deadline`` after that many
seconds in all (exit 5, partial printed, kept when saved; defaults and the size
limits are config.toml's ``[limits]``, see ``pplx_tui.client.limits``). A chat that cannot be
saved (disk full, read-only folder) is one line on stderr and exit 1; the chat file on disk is
left as it was.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pplx_tui import gc_hold
from pplx_tui.cli.ask_output import add_reasoning_option
from pplx_tui.cli.ask_partial import saves
from pplx_tui.cli.ask_question import question_words, read_question
from pplx_tui.cli.ask_save import ChatNotSaved, load_chat, save_exchange
from pplx_tui.cli.common import (
    EXIT_CODES,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UsageError,
    add_shared_options,
    check_demo,
    option,
    sampling_from,
    search_settings_from,
    stderr_line,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.limits import StreamLimits
    from pplx_tui.config_read import AnySettings
    from pplx_tui.models import Chat, ErrorKind
    from pplx_tui.providers import Catalog
    from pplx_tui.session import Target
    from pplx_tui.values import MessageStatus, SamplingOptions, SearchSettings


def _seconds(name: str, example: int) -> Callable[[str], float]:
    def seconds(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not 0 < number <= 86_400:
            raise argparse.ArgumentTypeError(
                f"{name} must be a number of seconds above 0, for example {example} (got {value!r})"
            )
        return number

    return seconds


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer one question on stdout",
        description="Answer one question on stdout: the answer, then its numbered sources.",
        epilog=EXIT_CODES,
    )
    parser.add_argument(
        "question",
        nargs="*",
        metavar="QUESTION",
        help="the question (quotes are optional: its words are joined by spaces); '-' or absent "
        "reads it from stdin; text piped in beside a question (or read for a '-' before or after "
        "it) is sent first, then a blank line, then the question",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_reasoning_option(parser)
    saving = parser.add_mutually_exclusive_group()
    saving.add_argument(
        "--save",
        action="store_true",
        help="keep the exchange as a chat (implied by --chat, which appends to that chat)",
    )
    saving.add_argument(
        "--no-save", action="store_true", help="do not append the exchange to the --chat chat"
    )
    parser.add_argument(
        "--background",
        action="store_true",
        help="Agent API: start a background run, save the chat, print its id and return "
        "(then `pplx runs wait CHAT_ID`)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_seconds("idle-timeout", 120),
        metavar="SECONDS",
        help="give up when nothing new comes for SECONDS; keep-alives do not count (default "
        "900: deep research can think for minutes); the partial answer is printed (saved "
        "with --save)",
    )
    parser.add_argument(
        "--deadline",
        type=_seconds("deadline", 300),
        metavar="SECONDS",
        help="give up when the whole answer takes over SECONDS (default 600; none for deep "
        "research and the high/xhigh presets); the partial answer is printed (saved with --save)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="log at debug level"
    )
    add_shared_options(parser, suppress=True)
    parser.set_defaults(handler=run)


def _demo_gives_way(
    chat: Chat, settings: AnySettings, catalog: Catalog, args: argparse.Namespace
) -> bool:
    """Whether ``chat``, asked on the offline demo, goes on with the provider in use (what
    ``pplx ask`` without ``--chat`` would ask), as it does when opened in the app."""
    from pplx_tui.session import DEMO, TargetError, demo_gives_way, resolve_target

    if option(args, "demo") or chat.settings.provider != DEMO:
        return False
    try:
        in_use = resolve_target(settings, catalog, base_url=option(args, "base_url"))
    except TargetError:  # no key anywhere: the demo goes on
        return False
    return demo_gives_way(chat.settings.provider, in_use)


def run(args: argparse.Namespace) -> int:
    from pplx_tui.config_plain import ConfigError, permission_warning
    from pplx_tui.config_read import read_settings
    from pplx_tui.providers import build_catalog
    from pplx_tui.session import DEMO, DEMO_HINT, TargetError, resolve_target, stream_limits

    # Its words (`pplx ask how many moons`), as `chats search` and `rename` take theirs.
    check_demo(args)
    if args.background:
        from pplx_tui.cli.ask_background import check_background_options

        check_background_options(args)
    args.question, dash = question_words(args.question)
    question = read_question(args, sys.stdin, dash=dash)
    try:
        settings = read_settings()  # no pydantic, unless the file needs its checks
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if warning := permission_warning():
        print(f"pplx: warning: {warning}", file=sys.stderr)
    chat = (
        load_chat(option(args, "chat"), saving=saves(args) or args.background)
        if option(args, "chat")
        else None
    )
    base_search = chat.settings.search if chat else settings.search
    search = search_settings_from(args, base_search)
    sampling = sampling_from(args, chat.settings.sampling if chat else settings.sampling)
    catalog = build_catalog(settings)
    provider = option(args, "provider") or (chat.settings.provider if chat else None)
    demo_note = None  # (the app says so as the chat opens)
    if (
        chat is not None
        and not option(args, "provider")
        and _demo_gives_way(chat, settings, catalog, args)
    ):
        provider = None  # a key added since: the provider in use, as in the app
        demo_note = f"chat {chat.id} was asked on the offline demo; it goes on with"
    # The chat's model goes with the chat's provider: `--demo --chat ID` (or `--provider
    # groq`) on a chat of perplexity/sonar asks that provider's default model, not an error.
    same = chat and (DEMO if option(args, "demo") else provider) == chat.settings.provider
    named = DEMO if option(args, "demo") else provider or settings.default_provider
    if args.background and named in catalog.providers:
        from pplx_tui.cli.ask_background import check_background

        check_background(catalog.provider(named))  # (before its key: one would not help)
    try:
        target = resolve_target(
            settings,
            catalog,
            provider=provider,
            model=option(args, "model") or (chat.settings.model if same else None),
            base_url=option(args, "base_url"),
            demo=bool(option(args, "demo")),
        )
    except TargetError as error:
        chats_own = chat and provider == chat.settings.provider and not option(args, "provider")
        gone = chats_own and provider not in catalog.providers
        # The chat's own provider, since removed from config.toml: nothing the user typed.
        hint = f" (chat {chat.id} was asked of it; choose another with --provider)" if gone else ""
        said = str(error).removesuffix(DEMO_HINT) if args.background else str(error)
        print(stderr_line(f"{said}{hint}"), file=sys.stderr)
        return error.exit_code
    for notice in target.notices:
        print(f"pplx: note: {notice}", file=sys.stderr)
    if demo_note:
        print(
            f"pplx: note: {demo_note} {target.model.id} on {target.provider.name}",
            file=sys.stderr,
        )
    from pplx_tui.cli import ask_notes

    ask_notes.say_what_is_not_sent(
        args, search, target, "the chat's" if chat else "config.toml's [search]"
    )
    ask_notes.say_what_sampling_is_not_sent(
        args, sampling, target, "the chat's" if chat else "config.toml's [sampling]"
    )
    system = option(args, "system")  # --system "": none at all, as in the app
    if system is None:  # the chat's (one asked with --system "" keeps none), or config.toml's
        system = chat.settings.system_prompt if chat else None
        system = settings.system_prompt if system is None else system
    if args.background:
        from pplx_tui.cli.ask_background import check_background

        check_background(target.provider)
    if settings.daily_budget_usd is not None and target.provider.dialect != DEMO:  # demo: $0
        _warn_over_budget(settings.daily_budget_usd)
    if args.background:
        from pplx_tui.cli.ask_background import ask_in_background

        return ask_in_background(args, question, target, chat, system, search, sampling)
    limits = stream_limits(
        settings,
        idle_timeout=option(args, "idle_timeout"),
        deadline=option(args, "deadline"),
        flags=True,
    )
    return _answer(args, question, target, chat, system, search, sampling, limits)


def _warn_over_budget(budget: float) -> None:
    """One stderr line once today's reported spend reached the daily budget (asked anyway)."""
    from pplx_tui.store import ChatStore
    from pplx_tui.usage import over_budget, spent_today

    if warning := over_budget(spent_today(ChatStore()), budget):
        print(f"pplx: warning: {warning}; asking anyway", file=sys.stderr)


def _answer(
    args: argparse.Namespace,
    question: str,
    target: Target,
    chat: Chat | None,
    system: str | None,
    search: SearchSettings,
    sampling: SamplingOptions,
    limits: StreamLimits,
) -> int:
    import asyncio  # here, not at the top: `pplx ask --help` needs no event loop

    from pplx_tui.cli.ask_output import json_result
    from pplx_tui.cli.ask_partial import broken, cut_reason, interrupted, stop_hint
    from pplx_tui.cli.ask_render import make_printer
    from pplx_tui.cli.ask_stream import stream_answer, wait_notice_seconds
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.errors import ClientError
    from pplx_tui.client.errors import error_kind as kind_of
    from pplx_tui.logs import get_logger
    from pplx_tui.session import build_request
    from pplx_tui.values import MessageStatus, utc_now

    history = chat.active_path() if chat else []
    request = build_request(
        history,
        question,
        target.model.id,
        system_prompt=system,
        search=search,
        sampling=sampling,
    )
    asked_at = utc_now()  # the question is saved as asked before its answer began
    builder = AnswerBuilder()  # (which is now)
    printer = (
        None
        if args.json
        else make_printer(sys.stdout, lambda: builder.sources, reasoning=args.reasoning)
    )
    # While it thinks: a status line on a terminal, unless the reasoning itself is shown there.
    show_thinking = sys.stderr.isatty() and not (printer and printer.is_tty and args.reasoning)
    status, error_text, exit_code = MessageStatus.COMPLETE, None, EXIT_OK
    cut_text: str | None = None  # the note under a printed answer cut short
    error_kind: ErrorKind | None = None
    output_closed = False
    gc_hold.release()  # start-up is over: what it made is kept out of later collections
    try:
        asyncio.run(
            stream_answer(
                target,
                request,
                builder,
                printer,
                limits=limits,
                notice_after=wait_notice_seconds(),
                stop_hint=stop_hint(args),
                show_thinking=show_thinking,
            )
        )
    except ClientError as error:
        status, error_text, exit_code = (
            _failure_status(builder),
            broken(args, error),
            error.exit_code,
        )
        cut_text = cut_reason(args, error)
        error_kind = kind_of(error)  # as the app records it (QA Q13: told from a stop)
        get_logger("ask").warning("the answer failed: %s", error_text)
    except KeyboardInterrupt:  # the user's stop, saved as Escape in the app saves one: no error
        status, exit_code = MessageStatus.INTERRUPTED, EXIT_INTERRUPTED
    except OSError as error:
        from pplx_tui.cli.closed_streams import output_failed

        if not output_failed(error):  # not stdout's (``| head``, ``> /dev/full``): a bug
            raise
        output_closed = True  # what arrived is kept (saved with --save)
        status, error_text, exit_code = MessageStatus.INTERRUPTED, "output closed", EXIT_FAILURE
    answer = None
    if saves(args):  # the pydantic message: only to save it
        answer = builder.to_message(
            provider=target.provider.name,
            model=target.model.id,
            search=search,
            status=status,
            error=error_text,
        )
        answer.error_kind = error_kind

    def save() -> tuple[str | None, str | None]:
        """The chat's id, or why it could not be saved (said on stderr)."""
        try:
            return save_exchange(
                chat, question, asked_at, answer, target, search, sampling, system, typed=typed
            ), None
        except ChatNotSaved as error:
            print(f"pplx: {error}", file=sys.stderr)
            return None, str(error)

    typed = args.question
    saving = answer is not None and saves(args)
    # First under --json: the object names the chat, or why it was not saved.
    chat_id, not_saved = save() if saving and args.json else (None, None)
    try:
        if output_closed:
            pass  # nothing more can be written
        elif args.json:
            from pplx_tui.cli.ask_output import Streamed
            from pplx_tui.cli.json_output import print_json

            shown = (
                answer
                if answer is not None
                else Streamed(builder, status, error_kind, target.provider.name, target.model.id)
            )
            result = json_result(target, shown, error_text)
            saved = {"chat_id": chat_id} if chat_id else {"save_error": not_saved}
            print_json({**result, **saved} if saving else result)
        elif printer is not None:
            from pplx_tui.markdown_plain import cut_note

            cut = status is MessageStatus.INTERRUPTED and bool(builder.content)
            note = cut_note(cut_text, arrived=True) if cut else ""
            printer.finish(answer if answer is not None else builder, note)
        if output_closed:
            pass
        elif error_text and exit_code != EXIT_INTERRUPTED:
            print(stderr_line(error_text), file=sys.stderr)
        elif exit_code == EXIT_INTERRUPTED:
            print(f"pplx: {interrupted(args, builder)}", file=sys.stderr)
    except OSError as error:  # stdout went, or the terminal hung up (EIO): saved still
        from pplx_tui.cli.closed_streams import output_failed, silence_stdout

        if not output_failed(error):
            silence_stdout(stderr=True)
        exit_code = exit_code or EXIT_FAILURE
    if saving and not args.json:
        chat_id, _ = save()
    return (exit_code or EXIT_FAILURE) if saving and chat_id is None else exit_code


def _failure_status(builder: AnswerBuilder) -> MessageStatus:
    from pplx_tui.values import MessageStatus

    return MessageStatus.INTERRUPTED if builder.answered else MessageStatus.ERROR
