"""The answer being streamed into the research screen's open chat.

:class:`AnswerStream` asks one question at a time. Its async worker (group ``stream``,
exclusive, run on the screen) reads the client's stream and hands the events over in bursts
(:class:`AnswerStream.EventsArrived`, one message however many events a network read brought);
the screen's handler calls :meth:`AnswerStream.apply`, which folds them into an
:class:`~pplx_tui.client.answer.AnswerBuilder` and updates the answer's widgets, so what is
saved is exactly what was shown. Escape (or a new question) stops the stream: the partial
answer is kept, marked interrupted and saved. A failed request ends with its one-sentence
reason, shown inline with a retry button.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
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
from pplx_tui.models import MessageStatus
from pplx_tui.session import Target, build_request

if TYPE_CHECKING:
    from pplx_tui.client.request import ChatRequest
    from pplx_tui.ui.screens.research import ResearchScreen
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["AnswerStream", "PendingAnswer"]

logger = logging.getLogger("pplx_tui.ui")

STREAM_GROUP = "stream"
"""The worker group of the stream (exclusive: one answer streams at a time)."""


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

    async def start(self) -> None:
        """Answer the chat's last message (a question) with the screen's current target."""
        screen = self.screen
        chat = screen.chat
        history, question = chat.messages[:-1], chat.messages[-1]
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
        screen.header.busy = "answering…"
        screen.refresh_bindings()
        screen.run_worker(self._stream(self.pending, request), exclusive=True, group=STREAM_GROUP)

    async def _stream(self, answer: PendingAnswer, request: ChatRequest) -> None:
        """The worker: read the stream, post bursts, then say it ended."""
        screen = self.screen
        client = screen.app.client_for(answer.target)
        try:
            async for event in client.stream(request):
                # One message per burst of events, however many a network read brought.
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
        answer.finished = True
        screen = self.screen
        chat = screen.chat
        message = answer.builder.to_message(
            answer.target.provider.name,
            answer.target.model.id,
            chat.settings.search,
            status=status,
            error=answer.error,
        )
        chat.messages.append(message)
        if self.pending is answer:
            self.pending = None
            screen.header.busy = ""
            screen.refresh_bindings()
        screen.save_chat()
        screen.header.cost = chat.total_cost_usd
        await answer.view.finish(message)
        if screen.conversation.selected is answer.view:
            await screen.show_sources_of(answer.view)
        screen.chat_list.reload()

    async def stop(self) -> None:
        """Stop the streaming answer, keeping what arrived (saved as interrupted)."""
        if self.pending is None:
            return
        answer = self.pending
        self.screen.workers.cancel_group(self.screen, STREAM_GROUP)
        await self.finish(answer, MessageStatus.INTERRUPTED)
