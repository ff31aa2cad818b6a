"""Reading one reply's body under :mod:`~pplx_tui.client.limits`: bytes, characters, time.

The body is read raw and decompressed here (:class:`~pplx_tui.client.limits.BodyDecoder`), not
by httpx, which would inflate a whole network read at once. :func:`stream_events` turns an
event stream into :class:`StreamEvent` objects and ends it, keeping what arrived, when a limit
is reached: a line or event too long, a reply too big, an answer too long, no new content for
the idle timeout (keep-alives do not count), or the overall deadline.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

from pplx_tui.client.errors import ClientError, NetworkError, ProtocolError, StreamInterrupted
from pplx_tui.client.events import KeepAlive, ReasoningDelta, StreamEvent, TextDelta
from pplx_tui.client.limits import (
    BodyDecoder,
    BodyError,
    LimitExceeded,
    StreamLimits,
    UnsupportedEncoding,
)
from pplx_tui.client.sse import SSEParser
from pplx_tui.client.stream_parser import StreamParser

FINISH_GRACE = 5.0
"""After a ``finish_reason``, how long to wait for trailing events (usage) before ending."""
KEEP_ALIVE_EVERY = 1.0
"""At most one :class:`KeepAlive` a second."""


class _BodyEnded(Exception):
    pass


class Body:
    """The decoded body of ``response``, piece by piece, at most ``limit`` bytes."""

    def __init__(self, response: httpx.Response, limit: int, label: str) -> None:
        # A body read already (an in-process transport's) is decoded already.
        read = response.is_stream_consumed
        encoding = "" if read else response.headers.get("content-encoding", "")
        try:
            self._decoder = BodyDecoder(encoding, limit)
        except UnsupportedEncoding as error:
            raise ProtocolError(
                f"{label} sent its reply compressed as '{error}', which pplx-tui did not ask "
                "for and cannot read; check the base URL."
            ) from None
        self._raw = _once(response.content) if read else response.aiter_raw()
        self._pieces: deque[bytes] = deque()

    async def next(self, until: float | None = None) -> bytes:
        """The next decoded piece; :class:`_BodyEnded` at the end, ``TimeoutError`` at
        ``until`` (a loop time). Raises ``httpx.HTTPError``, ``LimitExceeded``, ``BodyError``."""
        while not self._pieces:
            try:
                if until is None:
                    raw = await anext(self._raw)
                else:
                    async with asyncio.timeout_at(until):
                        raw = await anext(self._raw)
            except StopAsyncIteration:
                self._decoder.close()
                raise _BodyEnded from None
            self._pieces.extend(self._decoder.feed(raw))
        return self._pieces.popleft()

    async def aclose(self) -> None:
        await self._raw.aclose()  # type: ignore[attr-defined]


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content


async def read_body(response: httpx.Response, limit: int, label: str) -> bytes:
    """The whole (decoded) body; over ``limit`` bytes or a cut-short gzip is a ProtocolError."""
    body = Body(response, limit, label)
    parts: list[bytes] = []
    try:
        while True:
            parts.append(await body.next())
    except _BodyEnded:
        return b"".join(parts)
    except LimitExceeded as error:
        raise ProtocolError(f"Stopped reading {label}: {error}.") from None
    except BodyError as error:
        raise ProtocolError(_body_error(label, error)) from None
    finally:
        await body.aclose()


async def read_prefix(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` decoded bytes of an error body; whatever could be read."""
    parts: list[bytes] = []
    try:
        body = Body(response, limit, "")
    except ProtocolError:
        return b""
    try:
        while sum(map(len, parts)) < limit:
            parts.append(await body.next())
    except (_BodyEnded, LimitExceeded, BodyError, httpx.HTTPError):
        pass
    finally:
        await body.aclose()
    return b"".join(parts)[:limit]


def _body_error(label: str, error: BodyError) -> str:
    if error.truncated:
        return f"{label}'s compressed reply was cut short (an incomplete gzip body); retry."
    return f"{label} sent a compressed reply that could not be decompressed; retry."


@dataclass
class Progress:
    """One attempt at an answer: whether any byte of it arrived (after which nothing is
    retried), and since when nothing with content did."""

    received: bool = False
    quiet_since: float | None = None
    """A loop time: when the request was sent (the idle timeout counts from there, headers or
    not); ``None``: from when the body is read."""


def out_of_time(
    progress: Progress, label: str, limits: StreamLimits, model: str, *, idle: bool
) -> ClientError:
    """The error of an answer that had nothing new for its idle timeout (``idle``) or passed
    its deadline, headers or not. Never retried: asking again would wait as long again, past
    what the limit says."""
    idle_name, deadline_name = limits.names_for(model)
    if idle:
        why = f"nothing new came for {_seconds(limits.idle_for(model))} ({idle_name})"
    else:
        why = (
            f"the answer took longer than {_seconds(limits.deadline_for(model))} ({deadline_name})"
        )
    error = _stopped(progress, label, why)
    error.retryable = False
    return error


async def stream_events(
    body: Body,
    parser: StreamParser,
    progress: Progress,
    limits: StreamLimits,
    *,
    model: str,
    deadline: float | None,
    started: float,
    label: str,
    broken: Callable[[httpx.HTTPError, Progress], ClientError],
) -> AsyncIterator[StreamEvent]:
    """The events of an SSE body, within ``limits`` (see the module docstring).

    ``deadline`` seconds count from ``started`` (a loop time: when the question was sent);
    ``broken`` makes the error for a connection that failed.
    """
    loop = asyncio.get_running_loop()
    deadline_at = started + deadline if deadline is not None else None
    idle = limits.idle_for(model)
    sse = SSEParser(limits.max_line_bytes)
    last_content = last_alive = loop.time()
    if progress.quiet_since is not None:
        last_content = progress.quiet_since
    characters = 0
    try:
        while True:
            until = _earliest(
                last_content + idle if idle else None,
                deadline_at,
                loop.time() + FINISH_GRACE if parser.finishing else None,
            )
            try:
                chunk = await body.next(until)
            except TimeoutError:
                if parser.finishing:
                    break  # finished, and nothing more came: end as if EOF
                late = deadline_at is not None and loop.time() >= deadline_at
                raise out_of_time(progress, label, limits, model, idle=not late) from None
            except _BodyEnded:
                break
            except httpx.HTTPError as error:
                raise broken(error, progress) from None
            progress.received = True
            produced = False
            for message in sse.feed(chunk):
                for event in parser.feed(message.data):
                    produced = True
                    if isinstance(event, TextDelta | ReasoningDelta):
                        characters += len(event.text)
                        if characters > limits.max_answer_chars:
                            cut = len(event.text) - (characters - limits.max_answer_chars)
                            if cut > 0:
                                yield type(event)(event.text[:cut])
                            raise LimitExceeded(
                                f"the answer passed {limits.max_answer_chars:,} characters "
                                "(limits.max_answer_chars in config.toml)"
                            )
                    yield event
                if parser.ended:
                    return
            now = loop.time()
            if produced:
                last_content = now
            elif now - last_alive >= KEEP_ALIVE_EVERY:
                last_alive = now
                yield KeepAlive()
        for message in sse.close():
            for event in parser.feed(message.data):
                yield event
            if parser.ended:
                return
    except LimitExceeded as error:
        raise _stopped(progress, label, str(error)) from None
    except BodyError as error:
        if progress.received:
            raise StreamInterrupted(
                f"{label}'s compressed stream was cut short mid-answer"
            ) from None
        raise ProtocolError(_body_error(label, error)) from None
    if not progress.received:
        raise NetworkError(f"{label} closed the connection before the answer began; retry.")
    for event in parser.finish():
        yield event
    if parser.error is not None:
        raise parser.error


def _stopped(progress: Progress, label: str, why: str) -> ClientError:
    if progress.received:
        return StreamInterrupted(f"Stopped reading {label}: {why}")
    return NetworkError(f"Stopped waiting for {label}: {why}.")


def _earliest(*times: float | None) -> float | None:
    return min((t for t in times if t is not None), default=None)


def _seconds(value: float | None) -> str:
    return f"{value:g} s" if value is not None else "ever"
