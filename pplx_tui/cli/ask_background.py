"""``pplx ask --background``: start an Agent API background run, save the chat, print its id.

The provider accepts the question at once (``queued``) and works on it for minutes; the chat is
saved with the run's id before the command returns, so ``pplx runs wait CHAT_ID`` (or the app)
picks the answer up later, from any process. Only the chat id goes to stdout (with ``--json``,
one object: ``{chat_id, run_id, status}``). A start that fails prints no id; see
:func:`_start_failed` for what it says and keeps.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import TYPE_CHECKING, Any

from pplx_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_NETWORK,
    EXIT_OK,
    UsageError,
    stderr_line,
)
from pplx_tui.cli.json_output import print_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from pplx_tui.client.background import RunSnapshot
    from pplx_tui.client.errors import ClientError
    from pplx_tui.client.request import ChatRequest
    from pplx_tui.models import Chat, Message, SamplingOptions, SearchSettings
    from pplx_tui.providers import ProviderInfo
    from pplx_tui.session import Target


def check_background_options(args: argparse.Namespace) -> None:
    """Raise :class:`UsageError` when ``--background`` goes with an option it cannot honour:
    said first, before the provider or its key is looked at (a usage error is exit 2)."""
    if args.no_save:
        raise UsageError(
            "--background saves the chat (its answer is fetched later, by pplx runs wait or "
            "the app): leave out --no-save"
        )


def check_background(provider: ProviderInfo) -> None:
    """Raise :class:`UsageError` when ``--background`` cannot be used with ``provider``: said
    before anything else (its missing key, the budget's warning), as nothing will be asked."""
    if provider.dialect != "agent":
        raise UsageError(
            f"--background needs the Agent API, which {provider.name} does not speak; "
            "use --provider perplexity (with a preset such as --model high)"
        )


def ask_in_background(
    args: argparse.Namespace,
    question: str,
    target: Target,
    chat: Chat | None,
    system: str | None,
    search: SearchSettings,
    sampling: SamplingOptions,
) -> int:
    from pplx_tui.cli.ask_save import ChatNotSaved, save_exchange
    from pplx_tui.client.errors import ClientError
    from pplx_tui.models import BackgroundRun, MessageStatus, utc_now
    from pplx_tui.runs import fill_in, saveable_base_url
    from pplx_tui.session import build_request

    request = build_request(
        chat.active_path() if chat else [],
        question,
        target.model.id,
        system_prompt=system,
        search=search,
        sampling=sampling,
    )
    asked_at = utc_now()

    def keep(answer: Message) -> str:
        """The chat's id once the question and ``answer`` are saved (:class:`ChatNotSaved`)."""
        return save_exchange(
            chat, question, asked_at, answer, target, search, sampling, system, typed=args.question
        )

    try:
        started = asyncio.run(_start(target, request))
    except ClientError as error:
        return _start_failed(args, error, target, search, keep)
    except KeyboardInterrupt:
        print("pplx: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    run = BackgroundRun(
        id=started.id, status=started.status, base_url=saveable_base_url(target.base_url)
    )
    answer = _answer(
        target,
        search,
        status=MessageStatus.INTERRUPTED,  # until the run is filled in (see BackgroundRun)
        created_at=run.started_at,  # the answer began with its run
        run=run,
    )
    if started.finished:
        fill_in(answer, started)
    try:
        chat_id = keep(answer)
    except ChatNotSaved as error:
        print(f"pplx: {error}", file=sys.stderr)
        # Nobody could ever pick the answer up: do not let it run (and cost) for nothing.
        from pplx_tui.cli.runs_command import cancel_run

        with contextlib.suppress(ClientError):
            asyncio.run(cancel_run(target, started.id))
        return EXIT_FAILURE
    if args.json:
        print_json({"chat_id": chat_id, "run_id": started.id, "status": started.status})
    else:
        print(chat_id)
    return EXIT_OK


def _answer(target: Target, search: SearchSettings, **fields: Any) -> Message:
    """The answer of a background ask, with the search settings it went with (those not
    honoured recorded, as ``pplx ask`` records them)."""
    from pplx_tui.models import Message
    from pplx_tui.search_support import not_honoured

    return Message(
        role="assistant",
        provider=target.provider.name,
        model=target.model.id,
        search=search,
        search_not_sent=not_honoured(search, target.provider, target.model.id),
        **fields,
    )


def _start_failed(
    args: argparse.Namespace,
    error: ClientError,
    target: Target,
    search: SearchSettings,
    keep: Callable[[Message], str],
) -> int:
    """Say why the run did not start (``--json``: the ``pplx ask --json`` object, its
    ``run_id`` null); the error's exit code. A start that may have reached the provider keeps
    the question and the failed answer, as a failed ``pplx ask --save`` does: the run may be
    going all the same, and the question is there to look into or ask again. Stdout gets no
    chat id: only a started run's goes there, for ``pplx runs wait``."""
    from pplx_tui.cli.ask_output import json_result
    from pplx_tui.cli.ask_save import ChatNotSaved
    from pplx_tui.client.errors import error_kind
    from pplx_tui.models import MessageStatus

    print(stderr_line(error), file=sys.stderr)
    answer = _answer(
        target, search, status=MessageStatus.ERROR, error=str(error), error_kind=error_kind(error)
    )
    saved: dict[str, str] = {}
    if error.exit_code == EXIT_NETWORK and not error.unsent:  # not turned away: it went out
        try:
            saved = {"chat_id": keep(answer)}
        except ChatNotSaved as not_saved:
            print(f"pplx: {not_saved}", file=sys.stderr)
            saved = {"save_error": str(not_saved)}
    if args.json:
        print_json({**json_result(target, answer, answer.error), "run_id": None, **saved})
    return error.exit_code


async def _start(target: Target, request: ChatRequest) -> RunSnapshot:
    """The run started for ``request``. Ctrl-C, SIGTERM or SIGHUP while the question is on its
    way: the provider may have started the run all the same, so once it says so (within
    :data:`SAID_WITHIN` seconds) the run is cancelled: no chat could fetch its answer."""
    from pplx_tui.cli.ask_signals import ended_like_ctrl_c
    from pplx_tui.client import make_client
    from pplx_tui.client.background import BackgroundRuns
    from pplx_tui.client.errors import ClientError

    async with make_client(target.provider, target.api_key, target.base_url) as client:
        runs = BackgroundRuns(client)
        starting = asyncio.ensure_future(runs.start(request))
        with ended_like_ctrl_c():
            try:
                return await asyncio.shield(starting)
            except asyncio.CancelledError:
                with contextlib.suppress(ClientError, TimeoutError):
                    started = await asyncio.wait_for(starting, SAID_WITHIN)
                    await runs.cancel(started.id)
                raise


SAID_WITHIN = 15.0
"""Seconds an interrupted ``pplx ask --background`` waits for the run's id to cancel it."""
