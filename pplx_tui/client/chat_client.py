"""``ChatClient``: one provider, one ``httpx.AsyncClient``, answers streamed as typed events.

``async for event in client.stream(request)`` yields :mod:`~pplx_tui.client.events` objects and
ends with :class:`Done`, or raises a :class:`ClientError` subclass after yielding everything
that arrived (a broken stream keeps its partial answer); :mod:`.reply_events` reads the reply,
an event stream or not. Retries (see :mod:`.retry`) happen only before the first byte of an
answer. Cancelling the consuming task, or closing the generator (``contextlib.aclosing``),
closes the HTTP response at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx

from pplx_tui import __version__
from pplx_tui.client.agent_dialect import AgentDialect
from pplx_tui.client.chat_dialect import ChatDialect
from pplx_tui.client.errors import (
    ClientError,
    ProtocolError,
    StreamInterrupted,
    redact,
    remember_secret,
)
from pplx_tui.client.events import Retrying, SearchNotSent, StreamEvent
from pplx_tui.client.http_errors import (
    bad_key_error,
    error_for_status,
    missing_key_error,
    network_error,
    sendable_key,
)
from pplx_tui.client.limits import StreamLimits
from pplx_tui.client.models_api import models_url, parse_models
from pplx_tui.client.reply_events import JSON_BODY_LIMIT, reply_events
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.retry import RetryPolicy, is_retryable_status, retry_reason
from pplx_tui.client.stream_parser import Dialect
from pplx_tui.client.stream_reader import Progress, out_of_time, read_body, read_prefix
from pplx_tui.providers import ModelInfo, ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import not_honoured

log = logging.getLogger("pplx_tui.client")
"""``--debug``: each request's URL, status and time, retries, an answer's time (no key, no
text of the question or answer)."""

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=900.0, write=30.0, pool=10.0)
"""Deep research can think for minutes between bytes: a long read timeout, short connect.
The idle timeout and the deadline (``limits``) are kept by the reader, not by httpx."""
ERROR_BODY_LIMIT = 64 * 1024


def _trace_sent(on_sent: Callable[[], object]) -> Callable[[str, dict], Awaitable[None]]:
    """An httpcore ``trace`` extension that calls ``on_sent`` once the request body is sent."""

    async def trace(event: str, info: dict) -> None:
        if event.endswith(".send_request_body.complete"):
            on_sent()

    return trace


def _earliest(*times: float | None) -> float | None:
    return min((t for t in times if t is not None), default=None)


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
        limits: StreamLimits | None = None,
    ) -> None:
        self.provider = provider
        self.api_key = api_key or None
        remember_secret(self.api_key)  # so no log line or error message can show it
        # A key httpx cannot put in a header would raise an untyped error: refuse it politely.
        self._bad_key = bool(self.api_key) and not sendable_key(self.api_key or "")
        self.base_url = (base_url or provider.base_url).rstrip("/")
        self.retry = retry or RetryPolicy()
        self.limits = limits or StreamLimits()
        self.dialect: Dialect = (
            AgentDialect(provider, self.api_key)
            if provider.dialect == "agent"
            else ChatDialect(provider, self.api_key)
        )
        # Compressed replies are inflated by our own bounded reader (stream_reader.Body).
        headers = {
            "User-Agent": f"pplx-tui/{__version__}",
            "Accept-Encoding": "gzip, deflate",
            **provider.extra_headers,
        }
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

    async def stream(
        self, request: ChatRequest, *, on_sent: Callable[[], object] | None = None
    ) -> AsyncIterator[StreamEvent]:
        """Ask ``request`` and yield the answer's events as they arrive.

        ``on_sent`` is called once the request is on the wire (before any reply): the app
        builds its answer views after that, so they do not delay the question (issue 12)."""
        self._check_key()
        url = self.dialect.url(self.base_url)
        body = self.dialect.body(request)
        if not_sent := not_honoured(request.search, self.provider, request.model):
            yield SearchNotSent(tuple(not_sent.items()))
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = self.limits.deadline_for(request.model)
        until = started + deadline if deadline else None
        attempt = 0
        while True:
            state = Progress(quiet_since=loop.time())
            try:
                response = await self._send(
                    "POST",
                    url,
                    body,
                    stream=True,
                    until=until,
                    on_sent=on_sent,
                    waiting=state,
                    model=request.model,
                )
                try:
                    async for event in reply_events(
                        response,
                        self.dialect.parser(request),
                        state,
                        self.limits,
                        model=request.model,
                        started=started,
                        label=self.provider.label,
                        broken=self._broken,
                    ):
                        yield event
                finally:
                    await response.aclose()
                log.debug("answer streamed in %.2f s", loop.time() - started)
                return
            except ClientError as error:
                if state.received:  # part of the answer is shown: asking again would repeat it
                    raise
                pause = self.retry.pause(error, attempt)
                if until is not None and loop.time() + pause >= until:
                    raise  # no time left for another try
                reason = retry_reason(error)
                log.debug(
                    "attempt %d failed (%s); asking again in %.1f s", attempt + 1, reason, pause
                )
                yield Retrying(reason, pause)
                await self.retry.sleep(pause)
                attempt += 1

    def _check_key(self) -> None:
        if self.needs_key and not self.api_key:
            raise missing_key_error(self.provider)
        if self._bad_key:
            raise bad_key_error(self.provider)

    async def _send(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None,
        *,
        stream: bool,
        until: float | None = None,
        on_sent: Callable[[], object] | None = None,
        waiting: Progress | None = None,
        model: str = "",
    ) -> httpx.Response:
        """Send one request; a non-2xx reply is read (bounded) and raised as a typed error.

        ``until`` (a loop time) is the answer's deadline; ``waiting``: an answer's attempt,
        whose idle timeout (``model``'s) counts from when the request went out: no reply by
        either is the error a silent stream gets (not retried).
        """
        loop = asyncio.get_running_loop()
        idle = self.limits.idle_for(model) if waiting is not None else None
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        request = self._http.build_request(method, url, json=body, headers=headers)
        timer: asyncio.Timeout | None = None

        def sent() -> None:
            if waiting is not None and idle is not None and timer is not None:
                waiting.quiet_since = loop.time()
                timer.reschedule(_earliest(until, waiting.quiet_since + idle))
            if on_sent is not None:
                on_sent()

        request.extensions["trace"] = _trace_sent(sent)
        quiet_since = waiting.quiet_since if waiting is not None else None
        first = _earliest(until, quiet_since + idle if quiet_since is not None and idle else None)
        began = loop.time()
        try:
            async with asyncio.timeout_at(first) as timer:
                response = await self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            log.debug(
                "%s %s: %s after %.2f s", method, url, type(error).__name__, loop.time() - began
            )
            raise network_error(error, self.provider, self.base_url) from None
        except TimeoutError:
            late = until is not None and loop.time() >= until
            progress = waiting or Progress()
            raise out_of_time(
                progress, self.provider.label, self.limits, model, idle=not late
            ) from None
        log.debug("%s %s: %d in %.2f s", method, url, response.status_code, loop.time() - began)
        if response.is_success:
            return response
        try:
            content = await read_prefix(response, ERROR_BODY_LIMIT)
        finally:
            await response.aclose()
        if 300 <= response.status_code < 400:
            raise self._redirected(response)
        model = (body.get("model") or body.get("preset")) if body else None
        failure = error_for_status(
            response.status_code, content, self.provider, api_key=self.api_key, model=model
        )
        failure.retryable = is_retryable_status(response.status_code)
        failure.retry_after = response.headers.get("retry-after")
        raise failure

    def _redirected(self, response: httpx.Response) -> ClientError:
        """Redirects are not followed: the key must not be sent anywhere not configured."""
        location = clean_line(response.headers.get("location", ""))[:200]
        where = f" to {redact(location, self.api_key)}" if location else ""
        return ProtocolError(
            f"{self.provider.label} redirected the request{where} (HTTP "
            f"{response.status_code}); redirects are not followed, so your key goes nowhere "
            "else: if that address is right, make it the base URL."
        )

    def _broken(self, error: httpx.HTTPError, state: Progress) -> ClientError:
        if not state.received:
            return network_error(error, self.provider, self.base_url)
        if isinstance(error, httpx.TimeoutException):
            return StreamInterrupted(
                f"{self.provider.label} stopped sending mid-answer (timed out)"
            )
        return StreamInterrupted(f"The connection to {self.provider.label} broke mid-answer")

    # -- plain JSON requests (background runs) ------------------------------------------------

    async def request_json(
        self, method: str, url: str, body: dict[str, Any] | None = None, *, once: bool = False
    ) -> Any:
        """One JSON request and its decoded reply, retried like a stream before its first byte;
        ``once``: a request not to be made twice (starting a paid run), retried only when it
        surely never arrived (no connection) or was turned away (408, 429).

        A non-2xx reply raises the typed error (its ``status`` set), a reply that is not JSON a
        :class:`ProtocolError`.
        """
        self._check_key()
        return await self._json(method, url, body, "a reply", once=once)

    async def _json(
        self, method: str, url: str, body: dict[str, Any] | None, what: str, *, once: bool = False
    ) -> Any:
        attempt = 0
        while True:
            try:
                response = await self._send(method, url, body, stream=False)
                try:
                    content = await read_body(response, JSON_BODY_LIMIT, self.provider.label)
                except httpx.HTTPError as error:
                    raise network_error(error, self.provider, self.base_url) from None
                finally:
                    await response.aclose()
                break
            except ClientError as error:
                if once and not (error.unsent or error.status in (408, 429)):
                    raise
                await self.retry.backoff(error, attempt)
                attempt += 1
        try:
            return json.loads(content)
        except (ValueError, RecursionError):
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
