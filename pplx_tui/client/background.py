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

from pplx_tui.client.agent_dialect import AgentStreamParser, build_agent_body, output_text
from pplx_tui.client.errors import (
    ClientError,
    InvalidRequestError,
    NetworkError,
    ProtocolError,
    ServerError,
    StreamInterrupted,
    empty_answer,
)
from pplx_tui.client.events import (
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.sources import usage_from
from pplx_tui.providers import ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.values import RUN_UNFINISHED

if TYPE_CHECKING:
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.request import ChatRequest

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
    network or server errors, or replies that cannot be read, in a row are waited out (the
    run goes on without us): 30, about five minutes of outage (a Wi-Fi drop, a laptop's lid
    closed a while), before `pplx runs wait` gives up (six were some 20 seconds)."""

    first: float = 1.0
    factor: float = 1.5
    cap: float = 10.0
    max_failures: int | None = 30
    """Hiccups in a row waited out at most (``None``: however many; the app follows a run
    through any outage)."""
    check_timeout: float = 120.0
    """Seconds one check may take: a reply that never comes (a connection that died while the
    laptop slept) is a network error, waited out like any other."""
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)

    def delay(self, poll: int) -> float:
        """Seconds to wait after poll number ``poll`` (0 for the first)."""
        return min(self.cap, self.first * self.factor**poll)

    @classmethod
    def from_environment(cls) -> PollPolicy:
        """The default policy, or a fixed interval from ``PPLX_POLL_INTERVAL``."""
        value = os.environ.get(POLL_INTERVAL_VARIABLE, "")
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
    took: float | None = None
    """Seconds the run took by the provider's clock (its ``completed_at`` less its
    ``created_at``), when it ended and said both."""

    @property
    def finished(self) -> bool:
        return self.status not in RUN_UNFINISHED


def read_run(
    provider: ProviderInfo,
    payload: Any,
    *,
    api_key: str | None = None,
    model: str | None = None,
    max_chars: int | None = None,
) -> RunSnapshot:
    """A polled (or just submitted) response object as a :class:`RunSnapshot`.

    Its ``output`` items and ending go through the Agent API stream parser, so sources are
    numbered exactly as a streamed answer's are (search result ids, then fetched pages). An
    answer longer than ``max_chars`` is cut there, as a streamed one is, and says so.
    """
    if not isinstance(payload, dict):
        raise ProtocolError(f"{provider.label} sent a run that is not a response object.")
    run_id, status = payload.get("id"), payload.get("status")
    if not isinstance(run_id, str) or not is_run_id(run_id):
        raise ProtocolError(f"{provider.label} sent a run without a usable id.")
    if not isinstance(status, str) or not status:
        raise ProtocolError(f"{provider.label} sent a run without a status.")
    status = clean_line(status).lower()
    if status not in RUN_UNFINISHED and status not in _ENDINGS:
        raise ProtocolError(f"{provider.label} sent a run with an unknown status ({status}).")
    output = payload.get("output")
    items = [item for item in output if isinstance(item, dict)] if isinstance(output, list) else []
    parser = AgentStreamParser(provider, api_key=api_key, model=model)
    found: list[StreamEvent] = []
    for item in items:
        found += parser.feed_body({"type": "response.output_item.done", "item": item})
    # Only the last source list matters (each replaces the one before).
    sources = [event for event in found if isinstance(event, SourcesUpdate)][-1:]
    events: list[StreamEvent] = [*_progress(items, sources), *sources]
    text = output_text({"output": items})
    error: ClientError | None = None
    if max_chars is not None and len(text) > max_chars:
        text = text[:max_chars]
        error = StreamInterrupted(
            f"Stopped reading {provider.label}: the answer passed {max_chars:,} characters "
            "(limits.max_answer_chars in config.toml)"
        )
    if text:
        events += parser.feed_body({"type": "response.output_text.delta", "delta": text})
    if status in _ENDINGS:
        ending = {key: payload.get(key) for key in ("status", "usage", "incomplete_details")}
        if status == "failed":
            ending["error"] = payload.get("error") or {}
        try:
            events += parser.feed_body({"type": _ENDINGS[status], "response": ending})
        except ClientError as failure:
            error = error or failure
            usage = usage_from(payload.get("usage"))
            events += [UsageUpdate(usage)] if usage is not None else []
        if status == "incomplete":  # (cut at its max_output_tokens): an answer cut short
            error = error or StreamInterrupted(_incomplete(provider, payload))
        if status == "completed" and not _answered(events):
            error = error or empty_answer(model or provider.label)
    return RunSnapshot(run_id, status, tuple(events), error, _took(payload))


def _incomplete(provider: ProviderInfo, payload: dict[str, Any]) -> str:
    """Why a run ended ``incomplete``, as its ``incomplete_details`` say (QA: it was printed
    and saved as a whole answer, `pplx runs` listing it as incomplete)."""
    details = payload.get("incomplete_details")
    reason = details.get("reason") if isinstance(details, dict) else None
    why = f" ({clean_line(reason)})" if isinstance(reason, str) and clean_line(reason) else ""
    return f"{provider.label} ended the run before the answer was whole{why}"


def _answered(events: list[StreamEvent]) -> bool:
    """Whether answer text came: more than whitespace (a ``<think>`` part is reasoning)."""
    return any(isinstance(event, TextDelta) and event.text.strip() for event in events)


def _took(payload: dict[str, Any]) -> float | None:
    """``completed_at`` less ``created_at`` (Unix seconds), when both are there and make sense."""
    started, ended = payload.get("created_at"), payload.get("completed_at")
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in (started, ended)):
        return None
    took = float(ended) - float(started)  # type: ignore[arg-type]
    return took if 0 <= took < MAX_TOOK else None


MAX_TOOK = 30 * 86_400.0
"""Seconds beyond which a run's own times are taken for a mistake (no run takes a month)."""

_ENDINGS = {
    "completed": "response.completed",
    "incomplete": "response.incomplete",
    "failed": "response.failed",
    "cancelled": "response.cancelled",
}


def _progress(items: list[dict[str, Any]], sources: list[SourcesUpdate]) -> list[StreamEvent]:
    """One progress event: every search query so far and how many sources were found."""
    queries = tuple(
        clean_line(query)
        for item in items
        if item.get("type") == "search_results" and isinstance(item.get("queries"), list)
        for query in item["queries"]
        if isinstance(query, str) and query.strip()
    )
    count = len(sources[-1].sources) if sources else 0
    if not queries and not count:
        return []
    return [SearchProgress(thought=None, queries=queries, result_count=count)]


def no_runs(provider_label: str) -> str:
    """Why a provider other than the Agent API cannot start or follow a background run."""
    return (
        f"{provider_label} has no background runs; they need the Agent API (provider perplexity)."
    )


class BackgroundRuns:
    """Start, poll and cancel Agent API background runs through one :class:`ChatClient`."""

    def __init__(self, client: ChatClient, policy: PollPolicy | None = None) -> None:
        if client.dialect.name != "agent":
            raise InvalidRequestError(no_runs(client.provider.label))
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
        try:
            payload = await self.client.request_json("POST", self._url, body, once=True)
        except (NetworkError, ServerError) as error:
            if error.unsent:
                raise
            # It may have started the run before failing: asked again, it would start (and
            # bill) a second one.
            raise type(error)(
                f"{error.message} It was not sent again (a second run would cost twice); "
                "the run may have started all the same.",
                status=error.status,
            ) from None
        return self._read(payload, request.model)

    async def check(self, run_id: str, model: str | None = None) -> RunSnapshot:
        """One poll. Raises :class:`RunLost` when the provider answers 404."""
        url = self._run_url(run_id)
        try:
            async with asyncio.timeout(self.policy.check_timeout):
                payload = await self.client.request_json("GET", url)
        except TimeoutError:
            raise NetworkError(
                f"{self.provider.label} did not answer a check of the run within "
                f"{self.policy.check_timeout:g} s."
            ) from None
        except ClientError as error:
            if error.status == 404:
                raise self._lost() from None
            raise
        snapshot = self._read(payload, model)
        if snapshot.id != run_id:  # a proxy or cache mixing runs up: not this question's answer
            raise ProtocolError(
                f"{self.provider.label} answered about another run ({snapshot.id}) when asked "
                f"about {run_id}."
            )
        return snapshot

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
        on_failure: Callable[[ClientError], None] | None = None,
    ) -> RunSnapshot:
        """Poll until the run ends; ``on_update`` sees every snapshot (the last one too),
        ``on_failure`` every hiccup waited out."""
        poll = failures = 0
        while True:
            try:
                snapshot = await self.check(run_id, model)
            except RunLost:
                raise
            except ClientError as error:
                # A reply that cannot be read (a Wi-Fi login page, a cut body) is a hiccup
                # too: the run goes on at the provider whatever this poll saw.
                failures += 1
                hiccup = error.retryable or isinstance(error, ProtocolError)
                most = self.policy.max_failures
                if not hiccup or (most is not None and failures > most):
                    raise
                if on_failure is not None:
                    on_failure(error)
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
        return read_run(
            self.provider,
            payload,
            api_key=self.client.api_key,
            model=model,
            max_chars=self.client.limits.max_answer_chars,
        )

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
