"""What the two dialects have in common: a parser fed one SSE ``data`` string at a time."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import StreamEvent
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.think import ThinkSplitter

if TYPE_CHECKING:
    from pplx_tui.providers import ProviderInfo


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
        self._think = ThinkSplitter()

    def _decode(self, data: str) -> dict[str, Any] | None:
        """The payload as a JSON object, or ``None`` (counted as invalid) if it is not one."""
        try:
            payload = json.loads(data)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            payload = None
        if not isinstance(payload, dict):
            self.invalid_events += 1
            return None
        return payload
