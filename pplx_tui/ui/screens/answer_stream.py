"""One answer being streamed: its worker, what arrived so far, and the messages it posts.

An :class:`AnswerStream` belongs to one answer (its view, its chat, the target it was asked
with), so several can stream at once. :meth:`AnswerStream.start` runs the async worker on a
host node (the workspace screen), which receives what happened as messages: bursts of events
(:class:`AnswerStream.EventsArrived`, coalesced with ``can_replace``: one handler run however
many events a network read brought), a silent server (:class:`AnswerStream.WentSilent`, after
``wait_notice`` seconds without new content; it says whether keep-alives still come) and the
end (:class:`AnswerStream.Ended`). The host's handler calls :meth:`AnswerStream.apply`, which
folds the events into an :class:`~pplx_tui.client.answer.AnswerBuilder` and updates the
answer's view, so what is saved is exactly what was shown; then :meth:`AnswerStream.keep` adds
the message to the chat.

An answer outlives its view: when the user opens another chat the view goes (``view`` is
``None`` and events are only folded in), and :meth:`AnswerStream.attach` puts everything so far
into a new view when the chat is shown again. :meth:`AnswerStream.progress` is the live
progress line (elapsed time, searches, sources, tokens so far).

A failed request ends with its one-sentence reason (``error``); a stream that breaks after part
of the answer keeps that part (status interrupted). A bug while applying events costs that
answer (logged, said inline), never the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from time import monotonic, perf_counter
from typing import TYPE_CHECKING

from textual.message import Message as TextualMessage

from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.errors import ClientError, cut_short, empty_answer, error_kind
from pplx_tui.client.events import (
    Done,
    KeepAlive,
    ReasoningDelta,
    Retrying,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.ui import answer_progress
from pplx_tui.ui.screens.answer_message import AnswerMessage
from pplx_tui.values import ErrorKind, MessageStatus

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.timer import Timer
    from textual.worker import Worker

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.request import ChatRequest
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["AnswerMessage", "AnswerStream", "Applied"]

logger = logging.getLogger("pplx_tui.ui")

STREAM_GROUP = "stream"
"""The worker group of every answer's stream."""
SLICE = 0.005
"""Seconds the stream's worker parses before it lets the event loop run (keys, frames)."""
TYPING = 0.12
"""Seconds after a key press during which the stream's worker yields longer."""
TYPING_PAUSE = 0.01
"""Seconds the worker pauses between slices while the user types."""
KEY_PAUSE = 0.05
"""Seconds after a key press during which the worker reads nothing (the key's echo is drawn
meanwhile; noted as the terminal hands the key over, see ``PplxApp._post_message``)."""


@dataclass(slots=True)
class Applied:
    """What :meth:`AnswerStream.apply` changed that its host may show elsewhere too."""

    sources: bool = False
    """The answer's sources changed."""
    usage_cost: float | None = None
    """The answer's cost so far, when a usage event brought one."""
    resumed: bool = False
    """Events arrived after :class:`AnswerStream.WentSilent`."""


class AnswerStream:
    """One answer to ``chat``'s last question, streamed from ``target`` into ``view``."""

    class EventsArrived(AnswerMessage["AnswerStream"]):
        """Events wait to be applied (:meth:`AnswerStream.apply`); later ones replace it."""

        def can_replace(self, message: TextualMessage) -> bool:
            return isinstance(message, AnswerStream.EventsArrived) and message.answer is self.answer

    class WentSilent(AnswerMessage["AnswerStream"]):
        """Nothing new came for ``wait_notice`` seconds; ``alive``: the server still sends
        keep-alives ("still working"), else it sends nothing at all. Posted again when that
        changes."""

        def __init__(self, answer: AnswerStream, alive: bool) -> None:
            super().__init__(answer)
            self.alive = alive

    class Ended(AnswerMessage["AnswerStream"]):
        """The stream ended, failed (``answer.error``) or could not be shown."""

    def __init__(
        self,
        view: AnswerView | None,
        chat: Chat,
        target: Target,
        request: ChatRequest | None,
        *,
        question_id: str | None = None,
        comparison: str | None = None,
    ) -> None:
        """``question_id``: the question answered (default: the end of the chat's shown line
        when the answer is kept); ``comparison``: the id shared by answers asked side by side
        (they are kept as alternatives without becoming the shown one). ``view`` is ``None``
        while the chat is not on screen; ``request`` for a background run picked up again."""
        self.view = view
        self.question_id = question_id
        self.comparison = comparison
        self.leads = False
        """In a comparison, the column later questions follow (the first, until it ends):
        kept, it is the chosen answer, also when the app closes before the others end."""
        self.column: int | None = None
        """In a comparison, its column (kept with the answer: ``Message.column``)."""
        self.replaces: Message | None = None
        """The answer of the comparison's column this one is asked again in, if any: it is
        told which answer replaced it (``Message.replaced_by``) when this one is kept."""
        self.chat = chat
        """The chat the answer is added to (not necessarily the one on screen)."""
        self.target = target
        self.request = request
        self.builder = AnswerBuilder()
        self.error: str | None = None
        self.error_kind: ErrorKind | None = None
        self.finished = False
        """Whether the answer was added to its chat (:meth:`keep`)."""
        self.last_event = monotonic()
        """When the worker last received an event with content (or the question was sent)."""
        self.last_alive = 0.0
        """When the server last sent a keep-alive (:class:`KeepAlive`: not content)."""
        self._told_alive: bool | None = None
        self.waiting = False
        """Whether the server has been silent for ``wait_notice`` seconds (until the next event)."""
        self.started = answer_progress.clock()
        """When the question was sent (for the elapsed time)."""
        self.ticked = self.started
        """The time of the last second's tick (:meth:`show_progress`): the elapsed time said
        under the answer counts to it, as the chat list's does (QA: one ran a second ahead)."""
        self.queries: list[str] = []
        """Every search query so far, in order, once each."""
        self.retrying: tuple[Retrying, float] | None = None
        """The retry the client is waiting to send, and when (:func:`answer_progress.clock`)."""
        self._inbox: list[StreamEvent] = []
        self._host: DOMNode | None = None
        self._worker: Worker[None] | None = None
        self._watch: Timer | None = None
        self._wait_notice = 0.0
        self._sent = asyncio.Event()

    def start(self, host: DOMNode, client: ChatClient, wait_notice: float) -> None:
        """Stream from ``client`` in a worker on ``host``, which receives the messages."""
        self._host = host
        self._wait_notice = wait_notice
        logger.debug("asking %s on %s", self.target.model.id, self.target.provider.name)
        self._watch = host.set_interval(min(1.0, wait_notice / 4), self._check_silence)
        self._worker = host.run_worker(self._stream(host, client), group=STREAM_GROUP)

    async def sent(self, wait: float) -> None:
        """Return once the request is on the wire, the stream has something or has ended, or
        after ``wait`` seconds (a client that cannot tell, e.g. the demo's)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._sent.wait(), wait)

    def cancel(self) -> None:
        """Stop the worker and the silence watch (what arrived stays)."""
        if self._worker is not None:
            self._worker.cancel()
        self._stop_watch()

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None

    def _check_silence(self) -> None:
        if self.finished or self._host is None:
            return
        now = monotonic()
        if now - self.last_event < self._wait_notice:
            return
        alive = now - self.last_alive < self._wait_notice
        if self.waiting and alive == self._told_alive:
            return
        if not self.waiting:
            logger.debug("no new content for %.1f s", now - self.last_event)
        self.waiting, self._told_alive = True, alive
        self._host.post_message(self.WentSilent(self, alive))

    async def _stream(self, host: DOMNode, client: ChatClient) -> None:
        """The worker: read the stream, post bursts, then say it ended."""
        try:
            assert self.request is not None
            app = host.app
            asked = monotonic()
            slice_start = 0.0
            finish_reason = None
            answered = False  # (the builder has the events only once they are applied)
            async for event in client.stream(self.request, on_sent=self._sent.set):
                self._sent.set()
                now = monotonic()
                if isinstance(event, Done):
                    finish_reason = event.finish_reason
                elif isinstance(event, TextDelta):
                    answered = answered or bool(event.text.strip())
                if isinstance(event, KeepAlive):
                    self.last_alive = now
                    continue
                self.last_event = now
                # The first events' slice starts with them, not with the request: the first
                # network read's events (the sources and the first words) are shown together.
                slice_start = slice_start or perf_counter()
                self._inbox.append(event)
                if len(self._inbox) == 1:  # else a message is waiting: it takes this one too
                    host.post_message(self.EventsArrived(self))
                # (The key that sent the question is not one on its way to the screen.)
                key = getattr(app, "last_key", 0.0)
                since_key = now - key if key > asked else KEY_PAUSE + TYPING
                if since_key < KEY_PAUSE:
                    # A key is on its way to the screen: its echo goes first.
                    await asyncio.sleep(KEY_PAUSE - since_key)
                    slice_start = perf_counter()
                elif perf_counter() - slice_start > SLICE:
                    # One network read can hold hundreds of events: parsing them all in one
                    # go held the loop for 0.15 s at full speed (typed keys waited). While
                    # the user types, the stream waits a little longer (the server's bytes
                    # wait in the socket).
                    await asyncio.sleep(TYPING_PAUSE if since_key < TYPING else 0)
                    slice_start = perf_counter()
            if cut := cut_short(finish_reason, self.target.provider.label):
                raise cut
            if not answered:
                raise empty_answer(self.target.model.id)
        except asyncio.CancelledError:
            # Stopped (Escape, a new question, leaving): the host keeps the partial answer.
            # Ending normally keeps `workers.wait_for_complete()` simple for callers.
            return
        except ClientError as error:
            self.error = str(error)
            self.error_kind = error_kind(error)
            logger.warning("the answer failed: %s", self.error)
        except Exception as error:
            # A bug must cost one answer, not the session: log it and say so inline.
            logger.exception("the answer stream failed")
            self.error = f"Something went wrong ({type(error).__name__}); see the log."
            self.error_kind = "server"
        finally:
            self._sent.set()
        host.post_message(self.Ended(self))

    async def apply(self) -> Applied:
        """Fold the events that arrived in and show them in the answer's view."""
        events, self._inbox = self._inbox, []
        applied = Applied()
        if self.finished or not events:
            return applied
        if self.waiting:
            self.waiting, self._told_alive = False, None
            applied.resumed = True
        try:
            await self._apply(events, applied)
        except Exception as error:
            # A bug must cost one answer, not the session: log it and say so inline.
            logger.exception("an answer's events could not be shown")
            self.error = f"Something went wrong ({type(error).__name__}); see the log."
            self.cancel()
            if self._host is not None:
                self._host.post_message(self.Ended(self))
        return applied

    async def _apply(self, events: list[StreamEvent], applied: Applied) -> None:
        view = self.view
        text: list[str] = []
        for event in events:
            self.builder.add(event)
            retry = isinstance(event, Retrying)
            self.retrying = (event, answer_progress.clock() + event.delay) if retry else None
            if isinstance(event, SearchProgress):
                self.queries += [q for q in event.queries if q not in self.queries]
            elif isinstance(event, UsageUpdate):
                applied.usage_cost = event.usage.cost_usd or 0
            elif isinstance(event, SourcesUpdate):
                applied.sources = True
            if view is None:
                continue  # its chat is not on screen: the builder keeps everything
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                await view.add_reasoning(event.text)
            elif isinstance(event, SourcesUpdate) and event.sources != view.sources:
                view.set_sources(event.sources)
        if view is not None:
            if text:
                await view.add_text("".join(text))
            view.set_progress(self.progress().line(self.ticked))

    def progress(self) -> answer_progress.Progress:
        """What the answer has done so far (for the line under it)."""
        builder = self.builder
        content = builder.content
        usage = builder.usage
        tokens = (usage.total_tokens or usage.completion_tokens) if usage else None
        if self.retrying is not None:
            retry, at = self.retrying
            wait = at - answer_progress.clock()
            reason = f"{retry.reason[:1].upper()}{retry.reason[1:]}"
            phase = (
                f"{reason}: asking again in {answer_progress.format_elapsed(wait + 0.999)}"
                if wait > 0
                else f"{reason}: asked again"
            )
        elif self.waiting:
            phase = "Waiting for the server"
        elif content:
            phase = "Answering"
        elif builder.reasoning:
            phase = "Reasoning"
        elif self.queries or builder.sources:
            phase = "Searching"
        else:
            phase = "Asking"
        return answer_progress.Progress(
            phase,
            self.started,
            tuple(self.queries),
            len(builder.sources),
            tokens or (answer_progress.estimate_tokens(content) if content else None),
            estimated=not tokens,
        )

    async def attach(self, view: AnswerView) -> None:
        """Show the answer so far in ``view`` (a new, empty one) and stream on into it."""
        self.view = view
        builder = self.builder
        if builder.sources:
            view.set_sources(builder.sources)
        if builder.reasoning:
            await view.add_reasoning(builder.reasoning)
        if builder.content:
            await view.add_text(builder.content)
        view.set_progress(self.progress().line())

    def show_progress(self, now: float | None = None) -> None:
        """Say under the answer what it is doing and for how long (each second, at the tick's
        time ``now``, the time goes on), while it works and its view is on screen."""
        if now is not None:
            self.ticked = now
        view = self.view
        if view is not None and view.is_attached and not self.finished:
            view.set_progress(self.progress().line(self.ticked))

    def keep(self, status: MessageStatus | None = None) -> Message:
        """End the answer: add what arrived to its chat (once) and return the message."""
        self.finished = True
        self._stop_watch()
        if status is None and self.error and self.builder.answered:
            status = MessageStatus.INTERRUPTED  # it broke mid-answer: the part is worth keeping
        message = self._add_to(self.chat, status)
        if self.replaces is not None:  # asked again in its column: the earlier try says so
            self.replaces.replaced_by = message.id
        logger.debug("answer ended: %s", message.status.value)
        return message

    def so_far(self, chat: Chat) -> str | None:
        """Add what has arrived to ``chat`` (a copy of the answer's chat, to export while the
        answer is still being written) where :meth:`keep` will add it; the message's id."""
        return self._add_to(chat, MessageStatus.INTERRUPTED).id

    def _add_to(self, chat: Chat, status: MessageStatus | None) -> Message:
        message = self.builder.to_message(
            self.target.provider.name,
            self.target.model.id,
            # what it was asked with, even if the chat's changed since
            self.request.search if self.request else self.chat.settings.search,
            status=status,
            error=self.error,
        )
        message.comparison, message.column = self.comparison, self.column
        message.error_kind = self.error_kind if self.error else None
        message = _without_keys(message)
        chat.add(message, self.question_id, choose=self.comparison is None or self.leads)
        return message


def _without_keys(message: Message) -> Message:
    """``message``, or a copy with the keys in use replaced by ``***`` as its save writes it:
    the chat in memory is the chat reopened (shown again after ``a`` / ``A``, another chat,
    a merge), and the view streamed it so (its :class:`~pplx_tui.redact.StreamRedactor`)."""
    from pplx_tui.models import Message
    from pplx_tui.redact import redact_known

    data = message.model_dump_json()
    redacted = redact_known(data)
    return message if redacted == data else Message.model_validate_json(redacted)
