"""What the two dialects have in common: a parser fed one SSE ``data`` string at a time."""

from __future__ import annotations

from typing import Any, Protocol

from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import StreamEvent
from pplx_tui.client.request import ChatRequest


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
