"""Agent API background runs: start one, poll it with backoff, cancel it, read its result.

A long preset (``high``/``xhigh``, deep research) takes minutes. Sent with
``"background": true`` the POST answers at once with ``status: "queued"`` and the run's ``id``;
``GET {base}/v1/agent/{id}`` then reports ``queued`` → ``in_progress`` → ``completed`` (the
whole ``output``: ``search_results`` and ``fetch_url_results`` items and the ``message``, plus
``usage`` with the cost) or ``failed`` / ``cancelled`` / ``incomplete``. While it runs, a poll
already carries the searches done so far, which is the live progress. ``POST …/{id}/cancel``
asks the provider to stop. A run the provider no longer knows (404) raises :class:`RunLost`:
it will never finish, so nobody should wait for it.

:func:`read_run` turns one polled response object into the same :mod:`events` a stream yields,
so an :class:`~pplx_tui.client.answer.AnswerBuilder` folds either into a message.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pplx_tui.client.agent_dialect import build_agent_body
from pplx_tui.client.errors import (
    ClientError,
    InvalidRequestError,
    ProtocolError,
    ServerError,
    StreamInterrupted,
)
from pplx_tui.client.events import (
    Done,
    ReasoningDelta,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.http_errors import error_for_event
from pplx_tui.client.sources import source_from, usage_from
from pplx_tui.client.think import ThinkSplitter
from pplx_tui.models import RUN_UNFINISHED, Source
from pplx_tui.providers import ProviderInfo
from pplx_tui.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.request import ChatRequest

RUN_TERMINAL = frozenset({"completed", "failed", "cancelled", "incomplete"})
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")
POLL_INTERVAL_VARIABLE = "PPLX_POLL_INTERVAL"
"""Seconds between polls, fixed (tests and demos); unset: the backoff of :class:`PollPolicy`."""


class RunLost(ClientError):
    """The provider no longer knows the run (404): it will never finish here."""


def is_run_id(value: str) -> bool:
    """A run id that is safe to put in a URL path (ids come from servers and chat files)."""
    return bool(_RUN_ID.match(value)) and ".." not in value


@dataclass(frozen=True)
class PollPolicy:
    """How long to wait between polls: ``first`` seconds, growing by ``factor`` up to ``cap``.

    Defaults: 1 s, times 1.5, at most 10 s, so a quick run is seen within seconds and a
    five-minute deep research run costs about thirty requests. Up to ``max_failures``
    network or server errors in a row are waited out (the run goes on without us).
    """

    first: float = 1.0
    factor: float = 1.5
    cap: float = 10.0
    max_failures: int = 6
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)

    def delay(self, poll: int) -> float:
        """Seconds to wait after poll number ``poll`` (0 for the first)."""
        return min(self.cap, self.first * self.factor**poll)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> PollPolicy:
        """The default policy, or a fixed interval from ``PPLX_POLL_INTERVAL``."""
        value = (os.environ if environ is None else environ).get(POLL_INTERVAL_VARIABLE, "")
        try:
            seconds = float(value)
        except ValueError:
            return cls()
        if not 0 < seconds <= 3600:
            return cls()
        return cls(first=seconds, factor=1.0, cap=seconds)


@dataclass(frozen=True)
class RunSnapshot:
    """One look at a run: its status and everything it produced so far, as stream events."""

    id: str
    status: str
    events: tuple[StreamEvent, ...] = ()
    error: ClientError | None = None
    """Why a ``failed`` or ``cancelled`` run ended (the answer so far is in ``events``)."""

    @property
    def finished(self) -> bool:
        return self.status not in RUN_UNFINISHED


def read_run(
    provider: ProviderInfo,
    payload: Any,
    *,
    api_key: str | None = None,
    model: str | None = None,
) -> RunSnapshot:
    """A polled (or just submitted) response object as a :class:`RunSnapshot`."""
    if not isinstance(payload, dict):
        raise ProtocolError(f"{provider.label} sent a run that is not a response object.")
    run_id, status = payload.get("id"), payload.get("status")
    if not isinstance(run_id, str) or not is_run_id(run_id):
        raise ProtocolError(f"{provider.label} sent a run without a usable id.")
    if not isinstance(status, str) or not status:
        raise ProtocolError(f"{provider.label} sent a run without a status.")
    status = clean_line(status).lower()
    events = _output_events(payload.get("output"))
    error: ClientError | None = None
    if status == "completed":
        events += [*_usage(payload), Done("stop")]
    elif status == "incomplete":
        details = payload.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, dict) else None
        finish = "length"
        if isinstance(reason, str) and reason and "token" not in reason:
            finish = clean_line(reason)
        events += [*_usage(payload), Done(finish)]
    elif status == "failed":
        events += _usage(payload)
        error = _failure(payload, provider, api_key=api_key, model=model)
    elif status == "cancelled":
        events += _usage(payload)
        error = StreamInterrupted(
            f"{provider.label} cancelled the run; the partial answer is kept."
        )
    elif status not in RUN_UNFINISHED:
        raise ProtocolError(f"{provider.label} sent a run with an unknown status ({status}).")
    return RunSnapshot(run_id, status, tuple(events), error)


def _output_events(output: Any) -> list[StreamEvent]:
    """Progress, sources and answer text from a response's ``output`` items.

    Search results keep their ``id`` (the ``[web:N]`` markers use it; batches continue the
    numbering). Pages the agent fetched whole are the same sources when their URL matches
    one; otherwise they are numbered after the last search result.
    """
    items = [item for item in output if isinstance(item, dict)] if isinstance(output, list) else []
    queries: list[str] = []
    results: dict[int, Source] = {}
    fetched: list[Source] = []
    text: list[str] = []
    for item in items:
        kind = item.get("type")
        if kind == "search_results":
            queries += [clean_line(q) for q in item.get("queries") or [] if isinstance(q, str)]
            for result in item.get("results") or []:
                number = result.get("id") if isinstance(result, dict) else None
                if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                    number = max(results, default=0) + 1
                if (source := source_from(number, result)) is not None:
                    results[number] = source
        elif kind == "fetch_url_results":
            pages = item.get("contents") or item.get("results") or []
            for page in pages if isinstance(pages, list) else []:
                if (source := source_from(0, page)) is not None:
                    fetched.append(source)
        elif kind == "message":
            for part in item.get("content") or []:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    text.append(part["text"])
    known = {source.url for source in results.values() if source.url}
    for page in fetched:
        if page.url and page.url in known:
            continue
        known.add(page.url)
        number = max(results, default=0) + 1
        results[number] = page.model_copy(update={"index": number})
    events: list[StreamEvent] = []
    if queries or results:
        events.append(
            SearchProgress(
                thought=None, queries=tuple(q for q in queries if q), result_count=len(results)
            )
        )
    if results:
        events.append(SourcesUpdate(tuple(results[key] for key in sorted(results))))
    splitter = ThinkSplitter()
    reasoning, answer = splitter.feed(clean_text("".join(text)))
    rest_reasoning, rest_answer = splitter.flush()
    if reasoning + rest_reasoning:
        events.append(ReasoningDelta(reasoning + rest_reasoning))
    if answer + rest_answer:
        events.append(TextDelta(answer + rest_answer))
    return events


def _usage(payload: dict[str, Any]) -> list[StreamEvent]:
    usage = usage_from(payload.get("usage"))
    return [UsageUpdate(usage)] if usage is not None else []


def _failure(
    payload: dict[str, Any], provider: ProviderInfo, *, api_key: str | None, model: str | None
) -> ClientError:
    error = payload.get("error")
    failure = error_for_event(
        {"error": error if isinstance(error, dict) else {}},
        provider,
        api_key=api_key,
        model=model,
    )
    if isinstance(failure, ServerError) and failure.status is None:
        message = failure.message.replace("reported an error mid-answer", "failed the run")
        return ServerError(message)
    return failure


class BackgroundRuns:
    """Start, poll and cancel Agent API background runs through one :class:`ChatClient`."""

    def __init__(self, client: ChatClient, policy: PollPolicy | None = None) -> None:
        if client.dialect.name != "agent":
            raise InvalidRequestError(
                f"{client.provider.label} has no background runs; they need the Agent API "
                "(provider perplexity)."
            )
        self.client = client
        self.policy = policy or PollPolicy()
        self._url = client.dialect.url(client.base_url)

    @property
    def provider(self) -> ProviderInfo:
        return self.client.provider

    async def start(self, request: ChatRequest) -> RunSnapshot:
        """Submit ``request`` as a background run; the snapshot holds its id (``queued``)."""
        body = build_agent_body(request)
        body["stream"] = False
        body["background"] = True
        payload = await self.client.request_json("POST", self._url, body)
        return self._read(payload, request.model)

    async def check(self, run_id: str, model: str | None = None) -> RunSnapshot:
        """One poll. Raises :class:`RunLost` when the provider answers 404."""
        try:
            payload = await self.client.request_json("GET", self._run_url(run_id))
        except ClientError as error:
            if error.status == 404:
                raise self._lost() from None
            raise
        return self._read(payload, model)

    async def cancel(self, run_id: str) -> None:
        """Ask the provider to stop the run; one that already ended (400) is left as it is."""
        try:
            await self.client.request_json("POST", self._run_url(run_id) + "/cancel")
        except ClientError as error:
            if error.status == 404:
                raise self._lost() from None
            if error.status != 400:
                raise

    async def wait(
        self,
        run_id: str,
        on_update: Callable[[RunSnapshot], None] | None = None,
        *,
        model: str | None = None,
    ) -> RunSnapshot:
        """Poll until the run ends; ``on_update`` sees every snapshot (the last one too)."""
        poll = failures = 0
        while True:
            try:
                snapshot = await self.check(run_id, model)
            except RunLost:
                raise
            except ClientError as error:
                failures += 1
                if not error.retryable or failures > self.policy.max_failures:
                    raise
                await self.policy.sleep(self.policy.delay(poll))
                poll += 1
                continue
            failures = 0
            if on_update is not None:
                on_update(snapshot)
            if snapshot.finished:
                return snapshot
            await self.policy.sleep(self.policy.delay(poll))
            poll += 1

    def _read(self, payload: Any, model: str | None) -> RunSnapshot:
        return read_run(self.provider, payload, api_key=self.client.api_key, model=model)

    def _run_url(self, run_id: str) -> str:
        if not is_run_id(run_id):
            raise ProtocolError(f"{run_id!r} is not a background run id.")
        return f"{self._url}/{run_id}"

    def _lost(self) -> RunLost:
        return RunLost(
            f"{self.provider.label} no longer knows this background run (it was lost); "
            "ask the question again.",
            status=404,
        )
