"""The answer being streamed into the research screen's open chat.

:class:`AnswerStream` asks one question at a time. Its async worker (group ``stream``,
exclusive, run on the screen) reads the client's stream and hands the events over in bursts
(:class:`AnswerStream.EventsArrived`, one message however many events a network read brought);
the screen's handler calls :meth:`AnswerStream.apply`, which folds them into an
:class:`~pplx_tui.client.answer.AnswerBuilder` and updates the answer's widgets, so what is
saved is exactly what was shown. Escape (or a new question) stops the stream: the partial
answer is kept, marked interrupted and saved. A failed request ends with its one-sentence
reason, shown inline with a retry button; a stream that breaks after part of the answer keeps
that part (status interrupted) and says why. When the server sends nothing for
``app.wait_notice`` seconds the header says so, and Escape stops as ever. A bug while applying
events costs that answer (logged, said inline), never the session.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from time import monotonic
from typing import TYPE_CHECKING

from textual.message import Message as TextualMessage

from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import (
    ReasoningDelta,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.models import Message, MessageStatus
from pplx_tui.session import Target, build_request

if TYPE_CHECKING:
    from textual.timer import Timer

    from pplx_tui.client.request import ChatRequest
    from pplx_tui.ui.screens.research import ResearchScreen
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["AnswerStream", "PendingAnswer"]

logger = logging.getLogger("pplx_tui.ui")

STREAM_GROUP = "stream"
"""The worker group of the stream (exclusive: one answer streams at a time)."""
ANSWERING = "answering…"
WAITING = "waiting for the server… (Esc to stop)"


@dataclass(eq=False)
class PendingAnswer:
    """An answer being streamed: its view, what arrived so far, and where it was asked."""

    view: AnswerView
    target: Target
    builder: AnswerBuilder = field(default_factory=AnswerBuilder)
    error: str | None = None
    finished: bool = False
    inbox: list[StreamEvent] = field(default_factory=list)
    """Events the worker received that the handler has not applied yet."""
    notified: bool = False
    """Whether an :class:`AnswerStream.EventsArrived` for the inbox is on its way."""
    last_event: float = field(default_factory=monotonic)
    """When the worker last received an event (or the question was sent)."""
    waiting: bool = False
    """Whether "waiting for the server" is shown for this answer now."""


class AnswerStream:
    """Streams answers into ``screen``'s open chat, one at a time."""

    class EventsArrived(TextualMessage):
        """Stream events wait in ``answer.inbox`` (posted once per burst by the worker)."""

        def __init__(self, answer: PendingAnswer) -> None:
            super().__init__()
            self.answer = answer

    class AnswerEnded(TextualMessage):
        """The stream worker finished: the stream ended or failed (``answer.error``)."""

        def __init__(self, answer: PendingAnswer) -> None:
            super().__init__()
            self.answer = answer

    def __init__(self, screen: ResearchScreen) -> None:
        self.screen = screen
        self.pending: PendingAnswer | None = None
        """The answer streaming now, if any."""
        self._watch: Timer | None = None

    async def start(self) -> None:
        """Answer the chat's last message (a question) with the screen's current target."""
        screen = self.screen
        chat = screen.chat
        path = chat.active_path()
        history, question = path[:-1], path[-1]
        settings = chat.settings
        request = build_request(
            history,
            question.content,
            screen.target.model.id,
            system_prompt=settings.system_prompt,
            search=settings.search,
            sampling=settings.sampling,
        )
        target = screen.target
        view = await screen.conversation.add_answer(target.provider.name, target.model.id)
        self.pending = PendingAnswer(view, target)
        screen.header.busy = ANSWERING
        screen.refresh_bindings()
        logger.debug("asking %s on %s", target.model.id, target.provider.name)
        wait = screen.app.wait_notice
        self._watch = screen.set_interval(min(1.0, wait / 4), self._check_silence)
        screen.run_worker(self._stream(self.pending, request), exclusive=True, group=STREAM_GROUP)

    def _check_silence(self) -> None:
        """Say so when the server has sent nothing for ``app.wait_notice`` seconds."""
        answer = self.pending
        if answer is None or answer.waiting:
            return
        if monotonic() - answer.last_event >= self.screen.app.wait_notice:
            answer.waiting = True
            self.screen.header.busy = WAITING
            logger.debug("no event for %.1f s", monotonic() - answer.last_event)

    async def _stream(self, answer: PendingAnswer, request: ChatRequest) -> None:
        """The worker: read the stream, post bursts, then say it ended."""
        screen = self.screen
        client = screen.app.client_for(answer.target)
        try:
            async for event in client.stream(request):
                # One message per burst of events, however many a network read brought.
                answer.last_event = monotonic()
                answer.inbox.append(event)
                if not answer.notified:
                    answer.notified = True
                    screen.post_message(self.EventsArrived(answer))
        except asyncio.CancelledError:
            # Stopped (Escape, a new question, leaving): stop() keeps the partial answer.
            # Ending normally keeps `workers.wait_for_complete()` simple for callers.
            return
        except ClientError as error:
            answer.error = str(error)
            logger.warning("the answer failed: %s", answer.error)
        except Exception as error:
            # A bug must cost one answer, not the session: log it and say so inline.
            logger.exception("the answer stream failed")
            answer.error = f"Something went wrong ({type(error).__name__}); see the log."
        screen.post_message(self.AnswerEnded(answer))

    async def apply(self, answer: PendingAnswer) -> None:
        """Fold the events waiting in ``answer.inbox`` in and show them."""
        events, answer.inbox, answer.notified = answer.inbox, [], False
        if answer.finished:
            return
        if answer.waiting:
            answer.waiting = False
            self.screen.header.busy = ANSWERING
        try:
            await self._apply(answer, events)
        except Exception as error:
            # A bug must cost one answer, not the session: log it and say so inline.
            logger.exception("an answer's events could not be shown")
            answer.error = f"Something went wrong ({type(error).__name__}); see the log."
            self.screen.workers.cancel_group(self.screen, STREAM_GROUP)
            await self.finish(answer)

    async def _apply(self, answer: PendingAnswer, events: list[StreamEvent]) -> None:
        screen = self.screen
        view = answer.view
        text: list[str] = []
        for event in events:
            answer.builder.add(event)
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                await view.add_reasoning(event.text)
            elif isinstance(event, SourcesUpdate):
                if event.sources != view.sources:
                    view.set_sources(event.sources)
                    if screen.conversation.selected is view:
                        await screen.sources.show(view.sources, view.cited)
            elif isinstance(event, SearchProgress):
                view.show_search(event)
            elif isinstance(event, UsageUpdate):
                screen.header.cost = screen.chat.total_cost_usd + (event.usage.cost_usd or 0)
        if text:
            await view.add_text("".join(text))

    async def finish(self, answer: PendingAnswer, status: MessageStatus | None = None) -> None:
        """End ``answer``: add it to the chat, save, and show it as saved."""
        if answer.finished:
            return
        screen = self.screen
        message = self._keep(answer, status)
        if self.pending is answer:
            self.pending = None
            screen.header.busy = ""
            screen.refresh_bindings()
            if self._watch is not None:
                self._watch.stop()
                self._watch = None
        screen.save_chat()
        screen.header.cost = screen.chat.total_cost_usd
        if message.status == MessageStatus.INTERRUPTED and answer.error:
            screen.notify(answer.error, severity="warning", timeout=8)
        await answer.view.finish(message)
        if screen.conversation.selected is answer.view:
            await screen.show_sources_of(answer.view)
        screen.chat_list.reload()

    def _keep(self, answer: PendingAnswer, status: MessageStatus | None) -> Message:
        """Add what arrived of ``answer`` to the chat (once) and return it."""
        answer.finished = True
        if status is None and answer.error and answer.builder.content:
            status = MessageStatus.INTERRUPTED  # it broke mid-answer: the part is worth keeping
        message = answer.builder.to_message(
            answer.target.provider.name,
            answer.target.model.id,
            self.screen.chat.settings.search,
            status=status,
            error=answer.error,
        )
        self.screen.chat.add(message)
        logger.debug("answer ended: %s", message.status.value)
        return message

    def abandon(self) -> None:
        """The app is closing mid-answer: keep what arrived, without touching any widget."""
        answer = self.pending
        if answer is not None and not answer.finished:
            self.pending = None
            self._keep(answer, MessageStatus.INTERRUPTED)
            self.screen.saver.save(self.screen.chat)

    async def stop(self) -> None:
        """Stop the streaming answer, keeping what arrived (saved as interrupted)."""
        if self.pending is None:
            return
        answer = self.pending
        self.screen.workers.cancel_group(self.screen, STREAM_GROUP)
        await self.finish(answer, MessageStatus.INTERRUPTED)
