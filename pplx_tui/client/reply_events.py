"""An answer's reply turned into :class:`StreamEvent` objects, however the provider sent it.

An event stream is read piece by piece under the limits (:func:`~pplx_tui.client.stream_reader.
stream_events`); a reply that is not one is read whole: a JSON answer, an event stream
mislabelled as JSON, or a web page (an error for the user: the base URL is likely wrong).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable

import httpx

from pplx_tui.client.errors import ClientError, ProtocolError
from pplx_tui.client.events import StreamEvent
from pplx_tui.client.http_errors import body_detail
from pplx_tui.client.limits import LimitExceeded, StreamLimits
from pplx_tui.client.sse import SSEParser
from pplx_tui.client.stream_parser import StreamParser
from pplx_tui.client.stream_reader import Body, Progress, read_body, stream_events

__all__ = ["JSON_BODY_LIMIT", "reply_events"]

JSON_BODY_LIMIT = 16 * 1024 * 1024

log = logging.getLogger("pplx_tui.client")

Broken = Callable[[httpx.HTTPError, Progress], ClientError]
"""The error of a connection that broke while the reply was read (the client's own wording)."""


async def reply_events(
    response: httpx.Response,
    parser: StreamParser,
    state: Progress,
    limits: StreamLimits,
    *,
    model: str,
    started: float,
    label: str,
    broken: Broken,
) -> AsyncIterator[StreamEvent]:
    """The events of ``response``, the reply to a request for ``model`` from the provider
    called ``label``, sent at loop time ``started``."""
    content_type = response.headers.get("content-type", "").lower()
    if "event-stream" not in content_type and ("json" in content_type or "html" in content_type):
        for event in await _whole_reply(
            response, parser, content_type, state, limits, label, broken
        ):
            yield event
        return
    body = Body(response, limits.max_body_bytes, label)
    try:
        async for event in stream_events(
            body,
            parser,
            state,
            limits,
            model=model,
            deadline=limits.deadline_for(model),
            started=started,
            label=label,
            broken=broken,
        ):
            yield event
    finally:
        await body.aclose()
        if note := parser.skipped_note(label):
            log.warning(note)


async def _whole_reply(
    response: httpx.Response,
    parser: StreamParser,
    content_type: str,
    state: Progress,
    limits: StreamLimits,
    label: str,
    broken: Broken,
) -> list[StreamEvent]:
    """A reply that is not an event stream: a whole JSON answer, SSE mislabelled, or HTML."""
    try:
        content = await read_body(response, JSON_BODY_LIMIT, label)
    except httpx.HTTPError as error:
        raise broken(error, state) from None
    state.received = bool(content)
    if content.lstrip().startswith((b"data:", b":")):
        sse = SSEParser(limits.max_line_bytes)
        try:
            messages = sse.feed(content) + sse.close()
        except LimitExceeded as error:
            raise ProtocolError(f"Stopped reading {label}: {error}.") from None
        events = [e for m in messages for e in parser.feed(m.data)]
        if not parser.ended:
            events += parser.finish()
            if parser.error is not None:
                raise parser.error
        return events
    try:
        payload = json.loads(content) if "json" in content_type else None
    except (ValueError, RecursionError):
        payload = None
    if payload is None:
        title, _ = body_detail(content)
        said = f" ({title})" if title else ""
        raise ProtocolError(
            f"{label} answered with a web page instead of a stream{said}; check the base URL."
        )
    return parser.feed_body(payload)
