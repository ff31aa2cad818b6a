"""Background runs kept in chats: find them, and fill an answer in from what a poll said.

The chat file is the truth: an answer whose :attr:`~pplx_tui.models.Message.run` is unfinished
is waited for by whoever looks next (the app at start-up, ``pplx runs wait``). Every change
here goes through :class:`~pplx_tui.store.ChatStore`, whose merge never lets a copy still
waiting undo an answer another process filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from pplx_tui.values import MessageStatus, in_utc, utc_now

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from contextlib import AbstractAsyncContextManager

    from pplx_tui.client.background import RunSnapshot
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.models import Chat, Message, Source
    from pplx_tui.session import Target
    from pplx_tui.store import ChatStore

RECENT = timedelta(days=7)
"""Finished runs started this recently are listed by ``pplx runs`` besides unfinished ones."""
RUN_NEEDLE = b'"checked_at"'
"""A key only a saved :class:`~pplx_tui.models.BackgroundRun` has (cheap file pre-filter)."""
LOST = "lost"
"""The status of a run the provider no longer knows (404)."""


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One background run as the chats remember it."""

    chat_id: str
    title: str
    message_id: str
    run_id: str
    status: str
    provider: str | None
    model: str | None
    started_at: datetime
    finished_at: datetime | None
    running: bool
    took: float | None = None
    """Seconds the run took by the provider's clock (:attr:`BackgroundRun.took`)."""


def run_message(chat: Chat, message_id: str | None = None) -> Message | None:
    """The answer ``message_id``, or the chat's latest answer with a run (unfinished first)."""
    if message_id is not None:
        return next((m for m in chat.messages if m.run is not None and m.id == message_id), None)
    return (current_runs(chat) or [None])[-1]


def current_runs(chat: Chat) -> list[Message]:
    """The answers whose runs matter now: every one still waiting (a comparison can wait on
    several), else the latest one. A run lost or failed before the chat's next one is history:
    ``pplx runs`` lists a chat once, with the run ``pplx runs wait CHAT`` follows. The latest
    is the one started last, not the last in the file: a comparison's column asked again puts
    the try it replaced after its columns."""
    with_runs = [m for m in chat.messages if m.run is not None]
    latest = sorted(with_runs, key=lambda m: m.run.started_at)[-1:]  # type: ignore[union-attr]
    return [m for m in with_runs if m.running] or latest


def find_run(store: ChatStore, run_id: str) -> tuple[str, str] | None:
    """``(chat_id, message_id)`` of the answer run ``run_id`` belongs to, if a chat holds it."""
    if not run_id.isprintable() or '"' in run_id or "\\" in run_id:
        return None  # (not as a chat file would hold it: no run has this id)
    for chat in store.chats_holding(f'"{run_id}"'.encode()):
        for message in chat.messages:
            if message.run is not None and message.run.id == run_id:
                return chat.id, message.id
    return None


def find_runs(store: ChatStore) -> list[RunRecord]:
    """Each chat's :func:`current_runs`: unfinished ones (oldest first), then those started
    within :data:`RECENT` (newest first)."""
    now = utc_now()
    records: list[RunRecord] = []
    for chat in store.chats_holding(RUN_NEEDLE):
        for message in current_runs(chat):
            run = message.run
            if run is None or not (message.running or now - run.started_at <= RECENT):
                continue
            records.append(
                RunRecord(
                    chat_id=chat.id,
                    title=chat.title,
                    message_id=message.id,
                    run_id=run.id,
                    status=run.status,
                    provider=message.provider,
                    model=message.model,
                    started_at=run.started_at,
                    finished_at=in_utc(message.finished_at) if message.finished_at else None,
                    running=message.running,
                    took=run.took,
                )
            )
    unfinished = sorted((r for r in records if r.running), key=lambda r: r.started_at)
    finished = sorted((r for r in records if not r.running), key=lambda r: r.started_at)
    return unfinished + finished[::-1]


def unfinished_runs(store: ChatStore) -> list[tuple[str, str]]:
    """``(chat_id, message_id)`` of every answer still waiting on its run."""
    return [
        (chat.id, message.id)
        for chat in store.chats_holding(RUN_NEEDLE)
        for message in chat.messages
        if message.running
    ]


def note_progress(message: Message, snapshot: RunSnapshot) -> bool:
    """Record an unfinished poll's status and the sources found so far; True when either
    changed (worth a save: a run lost while nobody follows it keeps the sources saved here)."""
    assert message.run is not None
    message.run.checked_at = utc_now()
    sources = sources_so_far(snapshot) or message.sources
    changed = message.run.status != snapshot.status or sources != message.sources
    message.run.status = snapshot.status
    message.sources = sources
    return changed


def sources_so_far(snapshot: RunSnapshot) -> list[Source]:
    """The sources an unfinished run has found by ``snapshot``."""
    from pplx_tui.client.answer import AnswerBuilder

    builder = AnswerBuilder()
    for event in snapshot.events:
        builder.add(event)
    return list(builder.sources)


def fill_in(message: Message, snapshot: RunSnapshot) -> None:
    """Put a finished run's answer, sources, usage and outcome into ``message``."""
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.errors import error_kind

    assert message.run is not None
    builder = AnswerBuilder()
    for event in snapshot.events:
        builder.add(event)
    if snapshot.status == "cancelled":
        status, error = MessageStatus.INTERRUPTED, None
    elif snapshot.error is not None:
        error = str(snapshot.error)
        status = MessageStatus.INTERRUPTED if builder.answered else MessageStatus.ERROR
    else:
        status, error = None, None
    answer = builder.to_message(
        provider=message.provider or "",
        model=message.model or "",
        search=message.search,
        status=status,
        error=error,
    )
    for name in ("content", "reasoning", "sources", "usage", "status", "error", "finished_at"):
        setattr(message, name, getattr(answer, name))
    message.error_kind = None  # (why an earlier check failed, if one did)
    if error is not None and snapshot.error is not None:
        message.error_kind = error_kind(snapshot.error)
    message.run.status = snapshot.status
    message.run.checked_at = answer.finished_at
    message.run.took = snapshot.took


def mark_lost(message: Message, reason: str, sources: Sequence[Source] = ()) -> None:
    """The provider forgot the run: the answer ends as an error with ``reason``, keeping the
    sources found so far (its own, else ``sources``: the last poll's), as a failed run does."""
    assert message.run is not None
    message.sources = message.sources or list(sources)
    message.status = MessageStatus.ERROR
    message.error = reason
    message.error_kind = "server"
    message.finished_at = message.run.checked_at = utc_now()
    message.run.status = LOST


def update_saved(
    store: ChatStore, chat_id: str, message_id: str, change: Callable[[Message], object]
) -> Chat:
    """Load the chat, apply ``change`` to the answer, save; the saved chat is returned."""
    chat = store.load(chat_id)
    message = run_message(chat, message_id)
    if message is None:
        raise LookupError(f"chat {chat_id} no longer holds that answer")
    change(message)
    return store.save(chat, touch=False)


def saveable_base_url(url: str | None) -> str | None:
    """The base URL a run's chat keeps (to be polled there later), without the
    ``user:password@`` part or the query (``?token=…``) a gateway's URL may carry: a secret is
    never saved in a chat (:func:`run_base_url` finds them again)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.username is None and parts.password is None and not parts.query + parts.fragment:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc, query="", fragment=""))


def run_base_url(saved: str | None, current: str) -> str | None:
    """Where to ask about a run its chat says was started at ``saved``: ``current`` (the base
    URL configured or given now) when it is that URL with the secrets the chat did not keep,
    else ``saved`` (``None``: the provider's own)."""
    if saved is not None and saveable_base_url(current) == saved:
        return current
    return saved


# -- a deleted chat's runs ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunCancel:
    """What came of asking the provider to stop one run of a chat being deleted."""

    run_id: str
    provider: str
    """The provider's label (its name when it could not be resolved)."""
    error: str | None = None
    """Why the run goes on; ``None``: it was stopped (or the provider had forgotten it)."""


def waiting_runs(chat: Chat) -> list[Message]:
    """The answers of ``chat`` still waiting on their background run."""
    return [message for message in chat.messages if message.running and message.run is not None]


async def cancel_runs(
    waiting: Sequence[Message],
    target_for: Callable[[Message], Target],
    client_for: Callable[[Target], AbstractAsyncContextManager[ChatClient]],
) -> list[RunCancel]:
    """Ask the provider to stop each run ``waiting`` answers wait on: their chat is being
    deleted (``pplx chats delete``, the app's delete), so nothing could ever fetch their
    answers, and they would go on costing. ``target_for`` says where a run is asked about
    (raises ``TargetError``); ``client_for`` gives a client for it."""
    from pplx_tui.client.background import BackgroundRuns, RunLost
    from pplx_tui.client.errors import ClientError
    from pplx_tui.session import TargetError

    outcomes: list[RunCancel] = []
    for message in waiting:
        assert message.run is not None
        run_id, label = message.run.id, message.provider or "the provider"
        try:
            target = target_for(message)
            label = target.provider.label
            async with client_for(target) as client:
                await BackgroundRuns(client).cancel(run_id)
        except RunLost:  # the provider has nothing left to stop
            pass
        except (TargetError, ClientError) as error:
            outcomes.append(RunCancel(run_id, label, str(error)))
            continue
        outcomes.append(RunCancel(run_id, label))
    return outcomes
