"""``ChatClient``: one provider, one ``httpx.AsyncClient``, answers streamed as typed events.

``async for event in client.stream(request)`` yields :mod:`~pplx_tui.client.events` objects and
ends with :class:`Done`, or raises a :class:`ClientError` subclass after yielding everything
that arrived (a broken stream keeps its partial answer). Retries (see :mod:`.retry`) happen
only before the first byte of an answer. Cancelling the consuming task, or closing the
generator (``contextlib.aclosing``), closes the HTTP response at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

import httpx

from pplx_tui import __version__
from pplx_tui.client.agent_dialect import AgentDialect
from pplx_tui.client.chat_dialect import ChatDialect
from pplx_tui.client.errors import (
    ClientError,
    NetworkError,
    ProtocolError,
    StreamInterrupted,
    remember_secret,
)
from pplx_tui.client.events import SearchNotSent, StreamEvent
from pplx_tui.client.http_errors import (
    bad_key_error,
    body_detail,
    error_for_status,
    missing_key_error,
    network_error,
)
from pplx_tui.client.models_api import models_url, parse_models
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.retry import RetryPolicy, is_retryable_status
from pplx_tui.client.sse import SSEParser
from pplx_tui.client.stream_parser import Dialect, StreamParser
from pplx_tui.providers import ModelInfo, ProviderInfo
from pplx_tui.search_support import not_honoured

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=900.0, write=30.0, pool=10.0)
"""Deep research can think for minutes between bytes: a long read timeout, short connect."""
FINISH_GRACE = 5.0
"""After a ``finish_reason``, how long to wait for trailing events (usage) before ending."""
ERROR_BODY_LIMIT = 64 * 1024
JSON_BODY_LIMIT = 16 * 1024 * 1024


def tls_for(base_url: str) -> ssl.SSLContext | bool:
    """What the client verifies TLS with: httpx's default (the CA bundle, ~0.05 CPU s to load)
    unless every request goes to a plain ``http://`` base URL (a local gateway, the benches)
    with no proxy configured; then a context that trusts no certificate, so a TLS connection
    it is somehow asked to make fails closed instead of going unverified."""
    if not base_url.lower().startswith("http://") or any(
        name.lower().endswith("_proxy") for name in os.environ
    ):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies hostnames; no CA loaded


class _Attempt:
    """Whether any byte of the answer arrived (after which nothing is retried)."""

    __slots__ = ("received",)

    def __init__(self) -> None:
        self.received = False


class ChatClient:
    """Streams answers from one provider; use as ``async with`` or call :meth:`aclose`."""

    def __init__(
        self,
        provider: ProviderInfo,
        api_key: str | None,
        *,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        self.provider = provider
        self.api_key = api_key or None
        remember_secret(self.api_key)  # so no log line or error message can show it
        # A key httpx cannot put in a header would raise an untyped error: refuse it politely.
        self._bad_key = bool(self.api_key) and not _header_safe(self.api_key or "")
        self.base_url = (base_url or provider.base_url).rstrip("/")
        self.retry = retry or RetryPolicy()
        self.dialect: Dialect = (
            AgentDialect(provider, self.api_key)
            if provider.dialect == "agent"
            else ChatDialect(provider, self.api_key)
        )
        headers = {"User-Agent": f"pplx-tui/{__version__}", **provider.extra_headers}
        if self.api_key and not self._bad_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout or DEFAULT_TIMEOUT,
            headers=headers,
            verify=tls_for(self.base_url),
        )

    @property
    def needs_key(self) -> bool:
        return self.provider.dialect != "demo" and self.provider.api_key_env is not None

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- answers -------------------------------------------------------------------------------

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Ask ``request`` and yield the answer's events as they arrive."""
        self._check_key()
        url = self.dialect.url(self.base_url)
        body = self.dialect.body(request)
        if not_sent := not_honoured(request.search, self.provider, request.model):
            yield SearchNotSent(tuple(not_sent.items()))
        attempt = 0
        while True:
            state = _Attempt()
            try:
                response = await self._send("POST", url, body, stream=True)
                try:
                    async for event in self._read(response, self.dialect.parser(request), state):
                        yield event
                finally:
                    await response.aclose()
                return
            except ClientError as error:
                if state.received or not error.retryable or attempt >= self.retry.max_retries:
                    raise
                await self.retry.wait(attempt, error.retry_after)
                attempt += 1

    def _check_key(self) -> None:
        if self.needs_key and not self.api_key:
            raise missing_key_error(self.provider)
        if self._bad_key:
            raise bad_key_error(self.provider)

    async def _send(
        self, method: str, url: str, body: dict[str, Any] | None, *, stream: bool
    ) -> httpx.Response:
        """Send one request; a non-2xx reply is read (bounded) and raised as a typed error."""
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        request = self._http.build_request(method, url, json=body, headers=headers)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise network_error(error, self.provider, self.base_url) from None
        if response.is_success:
            return response
        try:
            content = await _read_limited(response, ERROR_BODY_LIMIT)
        except httpx.HTTPError:
            content = b""
        finally:
            await response.aclose()
        model = (body.get("model") or body.get("preset")) if body else None
        failure = error_for_status(
            response.status_code, content, self.provider, api_key=self.api_key, model=model
        )
        failure.retryable = is_retryable_status(response.status_code)
        failure.retry_after = response.headers.get("retry-after")
        raise failure

    async def _read(
        self, response: httpx.Response, parser: StreamParser, state: _Attempt
    ) -> AsyncIterator[StreamEvent]:
        content_type = response.headers.get("content-type", "").lower()
        if "event-stream" not in content_type and (
            "json" in content_type or "html" in content_type
        ):
            for event in await self._read_whole(response, parser, content_type, state):
                yield event
            return
        sse = SSEParser()
        chunks = response.aiter_bytes()
        try:
            while True:
                try:
                    if parser.finishing:
                        chunk = await asyncio.wait_for(anext(chunks), FINISH_GRACE)
                    else:
                        chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    break  # finished, and nothing more came: end as if EOF
                except httpx.HTTPError as error:
                    raise self._broken(error, state) from None
                if not chunk:
                    continue
                state.received = True
                for message in sse.feed(chunk):
                    for event in parser.feed(message.data):
                        yield event
                    if parser.ended:
                        return
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]
        for message in sse.close():
            for event in parser.feed(message.data):
                yield event
            if parser.ended:
                return
        if not state.received:
            raise NetworkError(
                f"{self.provider.label} closed the connection before the answer began; retry."
            )
        for event in parser.finish():
            yield event
        if parser.error is not None:
            raise parser.error

    async def _read_whole(
        self, response: httpx.Response, parser: StreamParser, content_type: str, state: _Attempt
    ) -> list[StreamEvent]:
        """A reply that is not an event stream: a whole JSON answer, SSE mislabelled, or HTML."""
        try:
            content = await _read_limited(response, JSON_BODY_LIMIT)
        except httpx.HTTPError as error:
            raise self._broken(error, state) from None
        state.received = bool(content)
        if content.lstrip().startswith((b"data:", b":")):
            sse = SSEParser()
            events = [e for m in sse.feed(content) + sse.close() for e in parser.feed(m.data)]
            if not parser.ended:
                events += parser.finish()
                if parser.error is not None:
                    raise parser.error
            return events
        try:
            payload = json.loads(content) if "json" in content_type else None
        except ValueError:
            payload = None
        if payload is None:
            title, _ = body_detail(content)
            said = f" ({title})" if title else ""
            raise ProtocolError(
                f"{self.provider.label} answered with a web page instead of a stream{said}; "
                "check the base URL."
            )
        return parser.feed_body(payload)

    def _broken(self, error: httpx.HTTPError, state: _Attempt) -> ClientError:
        if not state.received:
            return network_error(error, self.provider, self.base_url)
        if isinstance(error, httpx.TimeoutException):
            return StreamInterrupted(
                f"{self.provider.label} stopped sending mid-answer (timed out); "
                "the partial answer is kept."
            )
        return StreamInterrupted(
            f"The connection to {self.provider.label} broke mid-answer; the partial answer is kept."
        )

    # -- plain JSON requests (background runs) ------------------------------------------------

    async def request_json(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        """One JSON request and its decoded reply, retried like a stream before its first byte.

        A non-2xx reply raises the typed error (its ``status`` set), a reply that is not JSON a
        :class:`ProtocolError`.
        """
        self._check_key()
        return await self._json(method, url, body, "a reply")

    async def _json(self, method: str, url: str, body: dict[str, Any] | None, what: str) -> Any:
        attempt = 0
        while True:
            try:
                response = await self._send(method, url, body, stream=False)
                try:
                    content = await _read_limited(response, JSON_BODY_LIMIT)
                except httpx.HTTPError as error:
                    raise network_error(error, self.provider, self.base_url) from None
                finally:
                    await response.aclose()
                break
            except ClientError as error:
                if not error.retryable or attempt >= self.retry.max_retries:
                    raise
                await self.retry.wait(attempt, error.retry_after)
                attempt += 1
        try:
            return json.loads(content)
        except ValueError:
            raise ProtocolError(f"{self.provider.label} sent {what} that is not JSON.") from None

    # -- models --------------------------------------------------------------------------------

    async def list_models(self) -> tuple[ModelInfo, ...]:
        """The provider's live model list (the catalog's own list for the offline demo)."""
        if self.provider.dialect == "demo":
            return self.provider.models
        if self._bad_key:
            raise bad_key_error(self.provider)
        url = models_url(self.provider, self.base_url)
        payload = await self._json("GET", url, None, "a model list")
        return parse_models(self.provider, payload)


def _header_safe(key: str) -> bool:
    return key.isascii() and key.isprintable() and " " not in key


async def _read_limited(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` bytes of a streamed response body."""
    parts: list[bytes] = []
    size = 0
    chunks = response.aiter_bytes()
    try:
        async for chunk in chunks:
            parts.append(chunk)
            size += len(chunk)
            if size >= limit:
                break
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]
    return b"".join(parts)[:limit]
