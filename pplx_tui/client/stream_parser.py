"""What the two dialects have in common: a parser fed one SSE ``data`` string at a time."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from pplx_tui.client.errors import ClientError, ProtocolError, StreamInterrupted
from pplx_tui.client.events import ReasoningDelta, StreamEvent, TextDelta
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.think import ThinkSplitter
from pplx_tui.sanitize import StreamCleaner

if TYPE_CHECKING:
    from pplx_tui.providers import ProviderInfo


SKIPPED_LISTED = 5
"""Skipped events whose lengths the log lists."""


class StreamParser(Protocol):
    """Turns ``data:`` payloads into :class:`StreamEvent` objects.

    ``feed`` raises a :class:`ClientError` for an in-band error. ``ended`` is true once a
    terminal event arrived (stop reading); ``finishing`` once the answer is finished but
    trailing events (usage) may still come. ``finish`` is called at EOF and returns the last
    events; if the stream ended without a finish it sets ``error`` (raise it after yielding).
    """

    ended: bool
    finishing: bool
    error: ClientError | None

    def feed(self, data: str) -> list[StreamEvent]: ...

    def feed_body(self, payload: Any) -> list[StreamEvent]:
        """A whole non-streamed JSON reply (a gateway that ignored ``stream: true``)."""
        ...

    def finish(self) -> list[StreamEvent]: ...

    def skipped_note(self, label: str) -> str | None:
        """What the log says of events skipped amid the stream (``None``: none was)."""
        ...


class Dialect(Protocol):
    """How one API family is asked (URL, body) and how its stream is read (parser)."""

    name: str

    def url(self, base_url: str) -> str: ...

    def body(self, request: ChatRequest) -> dict[str, Any]: ...

    def parser(self, request: ChatRequest) -> StreamParser: ...


class ParserBase:
    """State both dialect parsers keep, and the JSON decoding of one ``data:`` payload."""

    def __init__(
        self, provider: ProviderInfo, *, api_key: str | None = None, model: str | None = None
    ) -> None:
        self.provider = provider
        self.api_key = api_key
        self.model = model
        self.ended = False
        self.finishing = False
        self.error: ClientError | None = None
        self.valid_events = 0
        self.invalid_events = 0
        self.skipped: list[int] = []
        """The lengths of the first few events skipped as not JSON objects (for the log)."""
        self._think = ThinkSplitter()
        self._text_cleaner = StreamCleaner()
        self._reasoning_cleaner = StreamCleaner()
        """For reasoning sent apart from the answer text (not in ``<think>`` tags)."""

    def _decode(self, data: str) -> dict[str, Any] | None:
        """The payload as a JSON object, or ``None`` (counted as invalid) if it is not one."""
        try:
            payload = json.loads(data)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            payload = None
        if not isinstance(payload, dict):
            self.invalid_events += 1
            if len(self.skipped) < SKIPPED_LISTED:
                self.skipped.append(len(data))
            return None
        return payload

    def skipped_note(self, label: str) -> str | None:
        """What the log says of the events skipped amid a stream that was one (``None``:
        none was; QA: ``data: {not json`` was dropped without a trace, its text lost unseen)."""
        if not (self.invalid_events and self.valid_events):
            return None
        sizes = [str(size) for size in self.skipped]
        if self.invalid_events > len(sizes):
            sizes.append("…")
        listed = ", ".join(sizes[:-1]) + " and " + sizes[-1] if len(sizes) > 1 else sizes[0]
        what = (
            "a stream event that is not a JSON object"
            if self.invalid_events == 1
            else f"{self.invalid_events} stream events that are not JSON objects"
        )
        return f"{label} sent {what} ({listed} characters); skipped"

    def _split(self, text: str) -> list[StreamEvent]:
        """A piece of answer text, cleaned and split by the ``<think>`` splitter into
        reasoning and text."""
        pieces = self._think.feed(self._text_cleaner.feed(text))
        return [event for piece in pieces for event in _events(*piece)]

    def _thought(self, text: str) -> list[StreamEvent]:
        """A piece of reasoning sent as such, cleaned."""
        return _events(self._reasoning_cleaner.feed(text), "")

    def _flush(self) -> list[StreamEvent]:
        """What the cleaners and the ``<think>`` splitter still hold, as reasoning and text."""
        events = _events(self._reasoning_cleaner.flush(), "")
        pieces = [*self._think.feed(self._text_cleaner.flush()), self._think.flush()]
        return events + [event for piece in pieces for event in _events(*piece)]

    def _ended_early(self) -> None:
        """The stream ended without its finish: set ``error`` (nothing valid came: not a
        stream at all; else a broken connection, the partial answer kept)."""
        if self.valid_events == 0 and self.invalid_events:
            self.error = ProtocolError(
                f"{self.provider.label} sent something that is not an answer stream."
            )
        else:
            self.error = StreamInterrupted(
                f"The connection to {self.provider.label} ended before the answer was finished"
            )


def _events(thought: str, text: str) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    if thought:
        events.append(ReasoningDelta(thought))
    if text:
        events.append(TextDelta(text))
    return events
