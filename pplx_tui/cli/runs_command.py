"""``pplx runs``: background runs (Agent API long presets) and waiting for one to finish.

``pplx runs [--json]`` lists them (``runs_list``). ``pplx runs wait ID [--json]`` polls the
chat's run (or the run with that id) until it ends, fills the answer into the chat and prints
it as ``pplx ask`` would; with ``--json`` the object names the chat and the run. A run the
provider no longer knows is one line on stderr and exit 5; Ctrl-C stops waiting (the run goes
on, exit 130; ``--json`` prints the object all the same, with the run's status so far); a chat
deleted elsewhere meanwhile is one line and exit 1. Never imports Textual.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sys
from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.cli.ask_output import add_reasoning_option
from pplx_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_USAGE,
    FileFailure,
    UsageError,
    file_failure_line,
    stderr_line,
)
from pplx_tui.cli.json_output import print_json
from pplx_tui.cli.runs_list import list_runs

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from contextlib import AbstractAsyncContextManager

    from pplx_tui.client.background import RunSnapshot
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.errors import ClientError
    from pplx_tui.client.limits import StreamLimits
    from pplx_tui.config import Settings
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.store import ChatStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "runs",
        help="background runs: list them, or wait for one",
        description="Background runs (pplx ask --background, or the app's deep research): "
        "unfinished ones first, then those started in the last 7 days.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON array")
    commands = parser.add_subparsers(dest="runs_command", metavar="{wait}")
    wait = commands.add_parser(
        "wait",
        help="wait for a chat's run, then print its answer",
        description="Wait for the chat's background run (or the run with that id) to finish, "
        "save the answer in the chat and print it as `pplx ask` would.",
    )
    wait.add_argument(
        "chat_id",
        metavar="ID",
        help="the chat (a unique start of its id), or a run id as `pplx runs --json` shows",
    )
    # SUPPRESS: unset here, `pplx runs --json wait ID` keeps the --json `runs` read.
    wait.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object"
    )
    add_reasoning_option(wait)
    parser.set_defaults(handler=list_runs)
    wait.set_defaults(handler=wait_for_run)


# -- pplx runs wait ----------------------------------------------------------------------------


def wait_for_run(args: argparse.Namespace) -> int:
    from pplx_tui.config import ConfigError, load_settings
    from pplx_tui.runs import run_message
    from pplx_tui.session import TargetError, stream_limits
    from pplx_tui.store import ChatDeletedError, ChatStore

    try:
        settings = load_settings()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    store = ChatStore()
    try:
        chat, message = _waited_for(store, args.chat_id)
    except OSError as error:  # (another user's file, chmod 000): as `pplx chats show` says it
        raise FileFailure(file_failure_line(error)) from None
    assert message.run is not None
    if not message.running:
        return _print(args, chat.id, message, None)
    try:
        target = _run_target(settings, message)
    except TargetError as error:
        print(stderr_line(error), file=sys.stderr)
        return error.exit_code
    try:
        following = _follow(args, store, chat, message, target, stream_limits(settings))
        return asyncio.run(_ended_like_ctrl_c(following))
    except ChatDeletedError:  # deleted on purpose (its run cancelled): no answer is printed
        print(
            f"pplx: chat {chat.id} was deleted elsewhere while waiting for its run; "
            "nothing was saved",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        again = chat.id if run_message(chat) is message else message.run.id
        print(f"pplx: {STOPPED} (pplx runs wait {again})", file=sys.stderr)
        if args.json:  # `| jq` gets an object all the same: the run's status so far
            stopped = message.model_copy(deep=True)
            stopped.error_kind = None  # (an earlier check's failure: not why this ends)
            print_json(_json(stopped, STOPPED, chat.id) | {"status": stopped.run.status})
        return EXIT_INTERRUPTED


STOPPED = "stopped waiting; the run goes on"


def outage_line(error: ClientError) -> str:
    """What a wait says once when it cannot reach the provider: why, without the error's own
    advice ("check your connection and retry": it retries by itself)."""
    from pplx_tui.sanitize import clean_line

    said = clean_line(str(error)).split("; check your connection", 1)[0].rstrip(". ")
    return f"{said}; still trying…"


def _waited_for(store: ChatStore, reference: str) -> tuple[Chat, Message]:
    """The chat ``reference`` names (a unique start of its id) and the run it waits for, or
    the chat holding the run with that id and that run. Raises ``UsageError``."""
    from pplx_tui.runs import find_run, run_message
    from pplx_tui.store import ChatNotFoundError, InvalidChatIdError, StoreError

    message_id = None
    try:
        chat = store.load(reference)
    except (ChatNotFoundError, InvalidChatIdError) as error:
        found = find_run(store, reference.strip())
        if found is None and isinstance(error, ChatNotFoundError):
            raise UsageError(
                f"no saved chat or background run has the id {error.chat_id} (see `pplx runs`)"
            ) from None
        if found is None:
            raise UsageError(str(error)) from None
        chat_id, message_id = found
        try:
            chat = store.load(chat_id)
        except StoreError as error:
            raise UsageError(str(error)) from None
    except StoreError as error:
        raise UsageError(str(error)) from None
    message = run_message(chat, message_id)
    if message is None or message.run is None:
        raise UsageError(f"chat {chat.id} has no background run; see `pplx runs`")
    return chat, message


async def _ended_like_ctrl_c(waiting: Awaitable[int]) -> int:
    """``waiting``, which SIGTERM and SIGHUP (``timeout``, ``kill``) stop as Ctrl-C does."""
    from pplx_tui.cli.ask_signals import ended_like_ctrl_c

    with ended_like_ctrl_c():
        return await waiting


async def _follow(
    args: argparse.Namespace,
    store: ChatStore,
    chat: Chat,
    message: Message,
    target: Target,
    limits: StreamLimits,
) -> int:
    from pplx_tui import runs
    from pplx_tui.client import make_client
    from pplx_tui.client.background import BackgroundRuns, PollPolicy, RunLost
    from pplx_tui.client.errors import ClientError

    assert message.run is not None
    run_id, message_id = message.run.id, message.id
    seen = [message.run.status]
    tell = sys.stderr.isatty()

    def on_update(snapshot: RunSnapshot) -> None:
        if snapshot.finished:
            return
        # (what Ctrl-C's --json object says: the status and the sources so far)
        changed = runs.note_progress(message, snapshot)
        if snapshot.status != seen[-1]:
            seen.append(snapshot.status)
            if tell:
                print(f"pplx: run {snapshot.status.replace('_', ' ')}…", file=sys.stderr)
        if changed:
            _save(store, chat.id, message_id, lambda m: runs.note_progress(m, snapshot))

    def on_failure(error: ClientError) -> None:
        if tell and seen[-1] != "unreachable":  # once an outage, not every check
            seen.append("unreachable")
            print(f"pplx: {outage_line(error)}", file=sys.stderr)

    if tell:
        print(f"pplx: waiting for {target.provider.label} to finish the run…", file=sys.stderr)
    async with make_client(
        target.provider, target.api_key, target.base_url, limits=limits
    ) as client:
        try:
            background = BackgroundRuns(client, PollPolicy.from_environment())
        except ClientError as error:  # a hand-edited chat: a provider without runs
            print(stderr_line(error), file=sys.stderr)
            return error.exit_code
        try:
            final = await background.wait(
                run_id, on_update, model=message.model, on_failure=on_failure
            )
        except RunLost as lost:
            reason, found = str(lost), message.sources  # (the sources of the last poll)
            saved = _save(store, chat.id, message_id, lambda m: runs.mark_lost(m, reason, found))
            answer = runs.run_message(saved, message_id) if saved else None
            if answer is None:  # not saved: say so all the same
                answer = message.model_copy(deep=True)
                runs.mark_lost(answer, reason, found)
            return _print(args, chat.id if saved else None, answer, None)
        except ClientError as error:
            print(stderr_line(f"{error} The run goes on; wait again later."), file=sys.stderr)
            return error.exit_code
    saved = _save(store, chat.id, message_id, lambda m: runs.fill_in(m, final))
    filled = runs.run_message(saved, message_id) if saved else None
    if filled is None:  # not saved: print what arrived all the same
        filled = message.model_copy(deep=True)
        runs.fill_in(filled, final)
    code = _print(args, chat.id if saved else None, filled, final.error)
    return code if saved else code or EXIT_FAILURE


def _save(
    store: ChatStore, chat_id: str, message_id: str, change: Callable[[Message], object]
) -> Chat | None:
    """Apply ``change`` to the saved answer; ``None`` (and one line) if it cannot be saved.
    Raises ``ChatDeletedError`` when the chat, there when waiting began, is gone."""
    from pplx_tui.runs import update_saved
    from pplx_tui.store import ChatDeletedError, ChatNotFoundError, StoreError

    try:
        return update_saved(store, chat_id, message_id, change)
    except ChatDeletedError:
        raise  # (deleted between reading and writing it)
    except ChatNotFoundError:
        raise ChatDeletedError(chat_id) from None
    except (StoreError, OSError, LookupError) as error:
        print(f"pplx: the chat could not be saved ({error})", file=sys.stderr)
        return None


def _print(
    args: argparse.Namespace, chat_id: str | None, message: Message, error: ClientError | None
) -> int:
    """The answer as ``pplx ask`` prints it (``chat_id``: the chat it is saved in); the exit
    code its outcome deserves."""
    from pplx_tui.cli.ask_render import print_answer
    from pplx_tui.markdown_plain import cut_note
    from pplx_tui.models import MessageStatus
    from pplx_tui.sanitize import clean_line

    assert message.run is not None
    status = message.run.status
    reason = str(error) if error is not None else message.error
    reason = clean_line(reason) if reason else reason  # (a chat file's text: no controls)
    if status == "lost":
        if args.json:  # the answer ended (as an error): its object, as after any failure
            print_json(_json(message, reason, chat_id))
        print(stderr_line(reason or "the background run was lost"), file=sys.stderr)
        return EXIT_NETWORK
    if args.json:
        print_json(_json(message, reason, chat_id))
    else:  # cut short (cancelled, broke off): the note `pplx ask` and the export write
        cut = message.status is MessageStatus.INTERRUPTED and bool(message.content)
        note = cut_note(message.error, arrived=True) if cut else ""
        print_answer(sys.stdout, message, reasoning=args.reasoning, cut=note)
    if status == "cancelled":
        kept = "; the partial answer is kept" if message.content else " before the answer began"
        print(f"pplx: the run was cancelled{kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if message.status != MessageStatus.COMPLETE or reason:
        if reason:
            print(stderr_line(reason), file=sys.stderr)
        return getattr(error, "exit_code", EXIT_NETWORK)
    return EXIT_OK


def _json(message: Message, reason: str | None, chat_id: str | None) -> dict[str, object]:
    """The ``pplx ask --json`` object, with ``chat_id`` (as ``ask`` has it once saved) and
    ``run_id``."""
    from pplx_tui.cli.ask_output import json_result

    assert message.run is not None
    saved = {"chat_id": chat_id} if chat_id else {}
    return json_result(None, message, reason) | saved | {"run_id": message.run.id}


# -- a deleted chat's runs ---------------------------------------------------------------------


def cancel_waiting_runs(chat: Chat) -> None:
    """Ask the provider to stop each run ``chat`` waits on, as the app's delete does: the chat
    is deleted, so nothing could ever fetch their answers. On stderr: one line for those
    cancelled, one for each that goes on."""
    from pplx_tui.runs import cancel_runs, waiting_runs

    waiting = waiting_runs(chat)
    if not waiting:
        return
    from pplx_tui.client import make_client
    from pplx_tui.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        for message in waiting:
            label = message.provider or "the provider"
            print(f"pplx: its background run goes on at {label} ({error})", file=sys.stderr)
        return

    def client_for(target: Target) -> AbstractAsyncContextManager[ChatClient]:
        return make_client(target.provider, target.api_key, target.base_url)

    target_for = partial(_run_target, settings)
    outcomes = asyncio.run(cancel_runs(waiting, target_for, client_for))
    cancelled = sum(1 for outcome in outcomes if outcome.error is None)
    if cancelled:
        runs = "background run was" if cancelled == 1 else f"{cancelled} background runs were"
        print(f"pplx: its {runs} cancelled", file=sys.stderr)
    run = "its background run" if len(outcomes) == 1 else "one of its background runs"
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"pplx: {run} goes on at {outcome.provider} ({outcome.error})", file=sys.stderr)


def _run_target(settings: Settings, message: Message) -> Target:
    """Where ``message``'s run is asked about: its provider and model, at the base URL it was
    started at. Raises ``TargetError``."""
    from pplx_tui.client.background import no_runs
    from pplx_tui.providers import UnknownProviderError, build_catalog
    from pplx_tui.runs import run_base_url
    from pplx_tui.session import TargetError, resolve_target

    assert message.run is not None
    catalog = build_catalog(settings)
    # Asked before the model is (a chat edited to name another provider: the run is the
    # problem, not its model, e.g. a preset, there).
    with contextlib.suppress(UnknownProviderError):
        provider = catalog.provider(message.provider or "")
        if provider.dialect != "agent":
            raise TargetError(no_runs(provider.label), EXIT_USAGE)
    target = resolve_target(settings, catalog, provider=message.provider, model=message.model)
    current = target.provider.base_url
    return dataclasses.replace(target, base_url=run_base_url(message.run.base_url, current))


async def cancel_run(target: Target, run_id: str) -> None:
    """Ask ``target``'s provider to stop run ``run_id`` (one it no longer knows is stopped
    already). Raises ``ClientError``."""
    from pplx_tui.client import make_client
    from pplx_tui.client.background import BackgroundRuns, RunLost

    async with make_client(target.provider, target.api_key, target.base_url) as client:
        with contextlib.suppress(RunLost):  # the provider has nothing left to stop
            await BackgroundRuns(client).cancel(run_id)
