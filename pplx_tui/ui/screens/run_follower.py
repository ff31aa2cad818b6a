"""An answer asked as an Agent API background run: started, then polled until it ends.

Deep research presets (``background_models`` in config.toml, by default ``high`` and
``xhigh``) are not streamed: the provider takes the question at once and works on its side.
The answer goes into the chat with its run id as soon as the provider accepted it
(:class:`RunFollower.RunNoted`: the host saves the chat), so the next start of the app (or
``pplx runs wait``) picks it up if this one is closed; so is each change of its status (what
``pplx runs`` shows meanwhile). Each poll shows the searches and
sources so far; the text arrives when the run ends. A network or server hiccup is waited out
however long it lasts (after :data:`UNREACHABLE_NOTICE` seconds the answer says so). Stopping it
asks the provider to cancel and keeps what it had (interrupted); a cancel the provider refuses
leaves the run followed. Closing the app only stops polling (a question still on
its way is waited for a moment: :meth:`RunFollower.confirm_start`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from http import HTTPStatus
from time import monotonic
from typing import TYPE_CHECKING

from pplx_tui import runs
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.background import BackgroundRuns, PollPolicy, RunLost, RunSnapshot
from pplx_tui.client.errors import ClientError, NetworkError, error_kind
from pplx_tui.search_support import not_honoured
from pplx_tui.ui import answer_progress
from pplx_tui.ui.screens.answer_message import AnswerMessage
from pplx_tui.ui.screens.answer_stream import STREAM_GROUP, AnswerStream, Applied
from pplx_tui.values import MessageStatus, utc_now

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.dom import DOMNode

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.request import ChatRequest
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.values import Usage

__all__ = ["RunFollower"]

logger = logging.getLogger("pplx_tui.ui")

PHASES = {
    "queued": "Queued (background run)",
    "in_progress": "Researching (background run)",
    "cancelling": "Cancelling",
    "checking": "Checking (background run)",
}

UNREACHABLE_NOTICE = 30.0
"""Seconds of failed polls after which the answer says the provider cannot be reached (the
polls go on: the run does not wait for the network)."""

CANCEL_SECONDS = 20.0
"""How long a stop waits for the provider to confirm it cancelled the run (it answers at once
when well); no answer by then, the run is taken to go on, and is followed on."""

CONFIRM_SECONDS = 5.0
"""How long a closing app waits for the provider to confirm a run it was just asked to start
(it answers at once when well): confirmed, the run's id is saved and the next start follows it."""


class RunFollower(AnswerStream):
    """Follows one background run of ``chat``; ``message`` is its answer once it started."""

    class RunNoted(AnswerMessage["RunFollower"]):
        """The provider accepted the question (the answer, with its run id, is in the chat) or
        the run's status changed: the chat is worth saving."""

    def __init__(
        self,
        view: AnswerView | None,
        chat: Chat,
        target: Target,
        request: ChatRequest | None,
        message: Message | None = None,
        *,
        question_id: str | None = None,
        comparison: str | None = None,
    ) -> None:
        super().__init__(
            view, chat, target, request, question_id=question_id, comparison=comparison
        )
        self.message = message
        """The answer in the chat (waiting on its run until the run ends)."""
        self.snapshot: RunSnapshot | None = None
        """The last poll."""
        self.lost: str | None = None
        """Why the run is lost, when the provider forgot it."""
        self._fresh: RunSnapshot | None = None
        self._shown = ""
        """The answer's text as the view has it."""
        self._client: ChatClient | None = None
        self.unreachable_since: float | None = None
        """When the polls began to fail (the provider could not be reached), if they do."""
        self.refused_with: int | None = None
        """The HTTP status of the last failed poll (503…), when the provider answered it."""
        self.cancelling = False
        """A stop asked the provider to cancel the run and waits for its word."""
        self.cancelled_here = False
        """A stop had the provider cancel the run (:meth:`reported_usage` reads its cost)."""
        self._starting: asyncio.Future[RunSnapshot] | None = None
        """The question on its way to the provider (which may start the run before it says
        so): stopping then must wait for its id to cancel it."""
        if message is not None and message.run is not None:
            running_for = (utc_now() - message.run.started_at).total_seconds()
            self.started = answer_progress.clock() - max(0.0, running_for)

    @property
    def run_id(self) -> str | None:
        run = self.message.run if self.message is not None else None
        return run.id if run is not None else None

    def start(self, host: DOMNode, client: ChatClient, wait_notice: float) -> None:
        self._client = client
        super().start(host, client, wait_notice)

    def _check_silence(self) -> None:
        """Polling is not a stream: a quiet run is not a silent server."""

    async def _stream(self, host: DOMNode, client: ChatClient) -> None:
        """The worker: start the run if needed, then poll it to its end."""
        try:
            # A network or server hiccup is waited out however long it lasts (the run goes on
            # meanwhile); only a refused key, a run forgotten (404) and the like end it here.
            policy = dataclasses.replace(PollPolicy.from_environment(), max_failures=None)
            background = BackgroundRuns(client, policy)
            if self.message is None:
                assert self.request is not None
                self._starting = asyncio.ensure_future(background.start(self.request))
                self._starting.add_done_callback(_retrieved)
                started = await asyncio.shield(self._starting)
                self._add_message(started)
                host.post_message(self.RunNoted(self))
            assert self.run_id is not None
            # One answered whole at once (a gateway that ignores `background`) is not polled:
            # such a gateway keeps no runs, and its 404 marked the answer lost.
            if self.snapshot is None or not self.snapshot.finished:
                await background.wait(
                    self.run_id,
                    lambda snapshot: self._arrived(host, snapshot),
                    model=self.target.model.id,
                    on_failure=self._unreachable,
                )
        except asyncio.CancelledError:
            return  # stopped or closing: the host decides what is kept
        except RunLost as lost:
            self.lost = str(lost)
            logger.warning("background run lost: %s", self.lost)
        except ClientError as error:
            self.error = str(error)
            self.error_kind = error_kind(error)
            logger.warning("background run not followed: %s", self.error)
        except Exception as error:
            logger.exception("following the background run failed")
            self.error = f"Something went wrong ({type(error).__name__}); see the log."
        host.post_message(self.Ended(self))

    def _add_message(self, started: RunSnapshot) -> None:
        from pplx_tui.models import BackgroundRun, Message  # loaded after the first frame

        base_url = runs.saveable_base_url(self.target.base_url)
        # What it was asked with (other settings, or a column of a comparison), and what of
        # that its provider did not take, as a streamed answer records them.
        search = self.request.search if self.request else self.chat.settings.search
        provider, model = self.target.provider, self.target.model.id
        run = BackgroundRun(id=started.id, status=started.status, base_url=base_url)
        self.message = Message(
            role="assistant",
            provider=provider.name,
            model=model,
            search=search,
            search_not_sent=not_honoured(search, provider, model),
            status=MessageStatus.INTERRUPTED,  # until the run is filled in (see BackgroundRun)
            created_at=run.started_at,  # the answer began with its run
            run=run,
            comparison=self.comparison,
            column=self.column,
        )
        self.chat.add(self.message, self.question_id, choose=self.comparison is None or self.leads)
        if self.replaces is not None:  # said now: the chat is saved with the run, before it ends
            self.replaces.replaced_by = self.message.id
        self._arrived(None, started)

    def _unreachable(self, error: ClientError) -> None:
        """A poll failed (and is tried again): the outage is timed from the first."""
        if self.unreachable_since is None:
            self.unreachable_since = answer_progress.clock()
        self.refused_with = error.status
        logger.info("background run not reached (trying again): %s", error)

    def _arrived(self, host: DOMNode | None, snapshot: RunSnapshot) -> None:
        self.unreachable_since = None
        self.snapshot = self._fresh = snapshot
        self.last_event = monotonic()
        if host is not None:
            host.post_message(self.EventsArrived(self))

    async def apply(self) -> Applied:
        """Show the last poll: its status, searches and sources, and the text once it ended."""
        snapshot, self._fresh = self._fresh, None
        applied = Applied()
        if self.finished or snapshot is None:
            return applied
        builder = AnswerBuilder()
        for event in snapshot.events:
            builder.add(event)
        applied.sources = builder.sources != self.builder.sources
        if builder.usage is not None:
            applied.usage_cost = builder.usage.cost_usd or 0
        self.builder = builder
        self.queries = list(builder.progress.queries) if builder.progress else []
        if self._status_changed(snapshot) and self._host is not None:
            self._host.post_message(self.RunNoted(self))
        view = self.view
        if view is not None:
            if applied.sources:
                view.set_sources(builder.sources)
            text = builder.content
            if text.startswith(self._shown):  # (a draft that grew, or the same)
                await view.add_text(text[len(self._shown) :])
            else:  # each poll is the run as it stands: its draft gave way to other text
                await view.replace_text(text)
            self._shown = text
            view.set_progress(self.progress().line())
        return applied

    def _status_changed(self, snapshot: RunSnapshot) -> bool:
        """Note an unfinished poll's status in the answer; True when it changed."""
        message = self.message
        if message is None or message.run is None or snapshot.finished:
            return False
        return runs.note_progress(message, snapshot)

    async def attach(self, view: AnswerView) -> None:
        await super().attach(view)
        self._shown = self.builder.content

    def progress(self) -> answer_progress.Progress:
        progress = super().progress()
        since = self.unreachable_since
        if since is not None and answer_progress.clock() - since >= UNREACHABLE_NOTICE:
            gone = answer_progress.format_elapsed(answer_progress.clock() - since)
            provider = self.target.provider
            how = (
                "could not be reached"
                if self.refused_with is None
                else _answered(self.refused_with)
            )
            said = f"{how} for {gone}; still trying"
            return dataclasses.replace(
                progress,
                phase=f"{provider.label} {said}",
                short_phase=f"{provider.name} {said}",  # (as the answer's label names it)
            )
        if self.cancelling:
            status = "cancelling"
        elif self.snapshot is not None:
            status = self.snapshot.status
        else:  # a run followed again: nothing has answered yet (it may be far along)
            status = "queued" if self.message is None else "checking"
        if status in PHASES:
            return dataclasses.replace(progress, phase=PHASES[status])
        return progress

    async def stop_run(self) -> bool:
        """The user stopped the answer: ask the provider to cancel the run. True once it is
        stopped (polling ends); False when the provider would not (a warning says why): the
        run goes on, and is followed on, so its answer fills in when it ends."""
        run_id, client, host = self.run_id, self._client, self._host
        if client is None or host is None or run_id is None:
            self.cancel()
            if client is not None and host is not None and self._starting is not None:
                # Stopped before the provider said it took the question: cancelled once it does.
                cancelling = _cancel_once_started(client, self._starting, self._refused)
                host.run_worker(cancelling, group=STREAM_GROUP, exit_on_error=False)
            return True
        self.cancelling = True
        self.show_progress()
        try:
            error = await _cancel(client, run_id)
        finally:
            self.cancelling = False
        if error is None:
            self.cancel()
            self.cancelled_here = True
            return True
        self._refused(error)
        self.show_progress()
        return False

    async def reported_usage(self) -> Usage | None:
        """What the provider reports the run cancelled here used and cost, read once it says
        the run ended (the cancel's own reply carries no usage), within
        :data:`CANCEL_SECONDS`; ``None`` when it reports none, or cannot be asked."""
        client, run_id = self._client, self.run_id
        if client is None or run_id is None:
            return None
        background = BackgroundRuns(client, PollPolicy.from_environment())
        try:
            async with asyncio.timeout(CANCEL_SECONDS):
                ended = await background.wait(run_id, model=self.target.model.id)
        except (TimeoutError, ClientError) as error:
            logger.info("the cancelled run %s was not read again: %s", run_id, error)
            return None
        builder = AnswerBuilder()
        for event in ended.events:
            builder.add(event)
        return builder.usage

    def _refused(self, error: ClientError) -> None:
        """Say that the provider would not stop the run, and that it may go on and cost."""
        if self._host is None:
            return
        reason = error.message.rstrip()
        reason = reason if reason.endswith((".", "!", "?")) else reason + "."
        self._host.notify(
            f"The background run could not be stopped: {reason} It may go on at "
            f"{self.target.provider.label} until it ends, and cost.",
            severity="warning",
            timeout=10,
            markup=False,
        )

    async def confirm_start(self) -> None:
        """The app is closing while the question is on its way: wait (at most
        :data:`CONFIRM_SECONDS`) for the provider to say it started the run, and put the run in
        the chat, so it is not left running unseen. Call after :meth:`cancel`, so the worker
        does not add it too."""
        starting = self._starting
        if self.message is not None or starting is None:
            return
        try:
            started = await asyncio.wait_for(asyncio.shield(starting), CONFIRM_SECONDS)
        except TimeoutError:
            self.error = (
                f"The app closed before {self.target.provider.label} confirmed the background "
                "run: it may go on there, unseen, and cost."
            )
            self.error_kind = "server"
            return
        except (ClientError, asyncio.CancelledError):
            return  # the provider never took the question
        if self.message is None:
            self._add_message(started)

    def so_far(self, chat: Chat) -> str | None:
        """Nothing: the run's answer is in the chat, saying it is still researching."""
        return None if self.message is not None else super().so_far(chat)

    def keep(self, status: MessageStatus | None = None) -> Message:
        """End the answer: fill the run's answer in (it is in the chat already)."""
        message = self.message
        if message is None:
            return super().keep(status)  # the provider never took the question
        self.finished = True
        self._stop_watch()
        snapshot = self.snapshot
        if self.lost is not None:
            runs.mark_lost(message, self.lost, self.builder.sources)
        elif status == MessageStatus.INTERRUPTED and not (snapshot and snapshot.finished):
            events = snapshot.events if snapshot else ()
            runs.fill_in(message, RunSnapshot(message.run.id, "cancelled", events))  # type: ignore[union-attr]
        elif snapshot is not None and snapshot.finished:
            runs.fill_in(message, snapshot)
        elif self.error is not None:
            # Polling failed: the run goes on (ctrl+r or the next start checks it again); the
            # answer says why it is not followed now, and keeps the sources found so far.
            message.error, message.error_kind = self.error, self.error_kind
            message.sources = message.sources or list(self.builder.sources)
        logger.debug("background run ended here: %s", message.run.status if message.run else "?")
        return message


async def _cancel(client: ChatClient, run_id: str) -> ClientError | None:
    """Ask the provider to stop run ``run_id``; why it would not, or ``None`` (a run it no
    longer knows goes on nowhere: that is no failure). A reply that does not come within
    :data:`CANCEL_SECONDS` counts as a refusal: the run may well go on."""
    try:
        async with asyncio.timeout(CANCEL_SECONDS):
            await BackgroundRuns(client).cancel(run_id)
    except RunLost:
        return None
    except TimeoutError:
        error: ClientError = NetworkError(
            f"{client.provider.label} did not answer within {CANCEL_SECONDS:g} s."
        )
    except ClientError as refused:
        error = refused
    else:
        return None
    logger.warning("cancelling background run %s failed: %s", run_id, error)
    return error


async def _cancel_once_started(
    client: ChatClient,
    starting: asyncio.Future[RunSnapshot],
    failed: Callable[[ClientError], object],
) -> None:
    try:
        started = await starting
    except (ClientError, asyncio.CancelledError):
        return  # the provider never took the question
    error = await _cancel(client, started.id)
    if error is not None:
        failed(error)


def _answered(status: int) -> str:
    """How a provider that answered the polls with an error status is said to: "answered 503
    (unavailable)" (it was reached: no "could not be reached" for a server that is up)."""
    try:
        phrase = HTTPStatus(status).phrase.lower().removeprefix("service ")
    except ValueError:  # a status no standard names (a gateway's 520)
        return f"answered {status}"
    return f"answered {status} ({phrase})"


def _retrieved(starting: asyncio.Future[RunSnapshot]) -> None:
    """Its outcome is read here too, so nothing is reported as never retrieved when nobody
    waits for it any more (the app closed while the question was on its way)."""
    if not starting.cancelled():
        starting.exception()
