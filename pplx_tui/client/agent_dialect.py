"""Perplexity's Agent API (``POST {base}/v1/agent``), direct Perplexity since 2026-09.

Request: only fields the API accepts (it answers an unknown field with 400): ``input``,
``model`` or ``preset``, ``instructions``, ``stream``, ``max_output_tokens``, ``reasoning``
and a ``web_search`` tool carrying the search filters. Sampling options, images and related
questions do not exist there and are not sent.

Stream (PROTOCOL §2): typed events, no ``[DONE]``. Text from ``response.output_text.delta``;
search queries and result batches become progress and sources; markers ``[N]`` (``[web:N]``
on the non-fast presets) refer to a result's ``id``, so :class:`Source.index` is that id and
batches accumulate, whatever order they arrive in. Pages the agent read whole
(``fetch_url_results``, whose ``contents`` carry no id) follow the search results, numbered
after the highest id; a fetched page that is also a search result is not listed twice. The
same items in a completed response's ``output`` (a background run, a non-streamed reply) are
read too. The run ends with
``response.completed`` (usage, then :class:`Done`), ``response.incomplete`` (:class:`Done` with
``finish_reason="length"`` — the answer is whole up to the limit), or an error:
``response.failed`` and ``error`` raise :class:`ServerError` (or the matching subclass),
``response.cancelled`` raises :class:`StreamInterrupted`.
"""

from __future__ import annotations

from typing import Any

from pplx_tui.client.errors import ClientError, ProtocolError, ServerError, StreamInterrupted
from pplx_tui.client.events import (
    Done,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    UsageUpdate,
)
from pplx_tui.client.http_errors import error_for_event
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.sources import source_from, usage_from
from pplx_tui.client.stream_parser import ParserBase
from pplx_tui.client.turns import alternating
from pplx_tui.providers import AGENT_PRESETS, ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import sendable
from pplx_tui.values import SearchSettings, Source

MIN_OUTPUT_TOKENS = 16
MAX_DOMAINS = 20
_TERMINAL_ERRORS = ("response.failed", "error")
_AGENT = ProviderInfo("agent", "Agent API", "", "agent", None, (), "fast")
"""Stands for the provider when a body is built without one (the rules depend on the dialect)."""


def build_agent_body(request: ChatRequest, provider: ProviderInfo | None = None) -> dict[str, Any]:
    """The JSON body for ``POST {base}/v1/agent``: accepted fields only.

    Search settings the Agent API cannot honour (:mod:`pplx_tui.search_support`) are left out;
    "no web search" on a bare model means no ``web_search`` tool.
    """
    preset = request.model in AGENT_PRESETS
    search = sendable(request.search, provider or _AGENT, request.model)
    body: dict[str, Any] = {"input": alternating(request.turns)}
    body["preset" if preset else "model"] = request.model
    if request.system_prompt:
        body["instructions"] = request.system_prompt
    body["stream"] = True
    if request.sampling.max_tokens is not None:
        body["max_output_tokens"] = max(MIN_OUTPUT_TOKENS, request.sampling.max_tokens)
    if request.sampling.reasoning_effort:
        body["reasoning"] = {"effort": request.sampling.reasoning_effort}
    if search.disable_search:
        return body
    tool = web_search_tool(search)
    if not preset or len(tool) > 1:  # presets search by default; send the tool for filters
        body["tools"] = [tool]
    return body


def web_search_tool(search: SearchSettings) -> dict[str, Any]:
    """The ``web_search`` tool with the filters and context size that are set."""
    filters: dict[str, Any] = {}
    if search.domains:
        filters["search_domain_filter"] = list(search.domains[:MAX_DOMAINS])
    if search.recency and not (search.after_date or search.before_date):
        filters["search_recency_filter"] = search.recency
    if search.after_date:
        filters["search_after_date_filter"] = search.after_date
    if search.before_date:
        filters["search_before_date_filter"] = search.before_date
    tool: dict[str, Any] = {"type": "web_search"}
    if filters:
        tool["filters"] = filters
    if search.context_size:
        tool["search_context_size"] = search.context_size
    return tool


class AgentStreamParser(ParserBase):
    """Parses Agent API events into stream events (see module docstring)."""

    def __init__(
        self, provider: ProviderInfo, *, api_key: str | None = None, model: str | None = None
    ) -> None:
        super().__init__(provider, api_key=api_key, model=model)
        self._results: dict[int, Source] = {}
        self._fetched: dict[str, Any] = {}
        """Fetched pages by URL, in arrival order; numbered when the list is built."""
        self._sources: tuple[Source, ...] = ()

    def feed(self, data: str) -> list[StreamEvent]:
        if self.ended:
            return []
        payload = self._decode(data)
        if payload is None:
            return []
        self.valid_events += 1
        return self._event(payload)

    def feed_body(self, payload: Any) -> list[StreamEvent]:
        if not isinstance(payload, dict):
            raise ProtocolError(f"{self.provider.label} sent a reply that is not an answer.")
        if "type" in payload:
            return self._event(payload)
        failed = payload.get("error") or payload.get("status") == "failed"
        if not isinstance(payload.get("output"), list) and not failed:
            # QA: a proxy's 200 ``{"hello": 1}`` was an empty answer, exit 0.
            raise ProtocolError(f"{self.provider.label} sent a reply that is not an answer.")
        return self._completed({"response": payload}, text_from_output=True)

    def finish(self) -> list[StreamEvent]:
        if self.ended:
            return []
        events = self._flush()
        self._ended_early()
        return events

    # -- events ------------------------------------------------------------------------------

    def _event(self, payload: dict[str, Any]) -> list[StreamEvent]:
        kind = payload.get("type")
        if kind in _TERMINAL_ERRORS or (payload.get("error") and kind != "response.completed"):
            self.ended = True
            raise self._failure(payload)
        if not isinstance(kind, str):
            return []
        if kind == "response.output_text.delta":
            return self._text(payload.get("delta"))
        if kind.endswith("reasoning_text.delta") or kind.endswith("reasoning_summary_text.delta"):
            delta = payload.get("delta")
            return self._thought(delta) if isinstance(delta, str) else []
        if kind == "response.reasoning.search_queries":
            return [self._progress(payload, queries=payload.get("queries"))]
        if kind == "response.reasoning.search_results":
            return self._add_results(payload.get("results"), payload)
        if kind == "response.reasoning.fetch_url_queries":
            urls = payload.get("urls")
            return [self._progress({"thought": "Reading pages…", **payload}, queries=urls)]
        if kind == "response.reasoning.fetch_url_results":
            pages = _fetched_items(payload)
            read = {"thought": f"Read {len(pages)} {'page' if len(pages) == 1 else 'pages'}"}
            return self._add_fetched(
                pages, {**read, **payload} if not payload.get("thought") else payload
            )
        if kind == "response.output_item.done":
            return self._add_item(payload.get("item"))
        if kind == "response.completed":
            return self._completed(payload)
        if kind == "response.incomplete":
            return self._completed(payload, finish_reason="length")
        if kind == "response.cancelled":
            self.ended = True
            raise StreamInterrupted(f"{self.provider.label} cancelled the run")
        return []  # created, in_progress, output_item.added, unknown types…

    def _text(self, delta: Any) -> list[StreamEvent]:
        if not isinstance(delta, str) or not delta:
            return []
        return self._split(delta)

    def _progress(self, payload: dict[str, Any], *, queries: Any = None) -> SearchProgress:
        thought = payload.get("thought")
        found = (
            tuple(clean_line(q) for q in queries if isinstance(q, str))
            if isinstance(queries, list)
            else ()
        )
        return SearchProgress(
            thought=clean_line(thought) if isinstance(thought, str) and thought else None,
            queries=found,
            result_count=len(self._results) if self._results else None,
        )

    def _add_item(self, item: Any) -> list[StreamEvent]:
        """A ``search_results`` or ``fetch_url_results`` output item (others are ignored)."""
        if not isinstance(item, dict):
            return []
        if item.get("type") == "search_results":
            return self._add_results(item.get("results"), None)
        if item.get("type") == "fetch_url_results":
            return self._add_fetched(_fetched_items(item), None)
        return []

    def _add_results(self, results: Any, payload: dict[str, Any] | None) -> list[StreamEvent]:
        if isinstance(results, list):
            for item in results:
                if not isinstance(item, dict):
                    continue
                number = item.get("id")
                if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                    number = max(self._results, default=0) + 1
                source = source_from(number, item)
                if source is not None:
                    self._results[number] = source
        return self._update(payload)

    def _add_fetched(self, items: list[Any], payload: dict[str, Any] | None) -> list[StreamEvent]:
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"]:
                self._fetched.setdefault(item["url"], item)
        return self._update(payload)

    def _update(self, payload: dict[str, Any] | None) -> list[StreamEvent]:
        """A :class:`SourcesUpdate` if the list changed, then progress for a streamed batch."""
        events: list[StreamEvent] = []
        sources = [self._results[key] for key in sorted(self._results)]
        searched = {source.url for source in sources}
        number = max(self._results, default=0)
        for url, item in self._fetched.items():
            if url in searched:
                continue
            if (source := source_from(number + 1, item)) is not None:
                number += 1
                sources.append(source)
        if (sources := tuple(sources)) != self._sources:
            self._sources = sources
            events.append(SourcesUpdate(sources))
        if payload is not None:
            events.append(self._progress(payload))
        return events

    def _completed(
        self,
        payload: dict[str, Any],
        *,
        finish_reason: str = "stop",
        text_from_output: bool = False,
    ) -> list[StreamEvent]:
        response = payload.get("response")
        response = response if isinstance(response, dict) else {}
        if response.get("status") == "failed" or response.get("error"):
            self.ended = True
            raise self._failure({"error": response.get("error") or {}})
        events: list[StreamEvent] = []
        output = response.get("output")
        for item in output if isinstance(output, list) else []:
            events.extend(self._add_item(item))
        if text_from_output:
            events.extend(self._text(output_text(response)))
        events.extend(self._flush())
        usage = usage_from(response.get("usage"))
        if usage is not None:
            events.append(UsageUpdate(usage))
        if finish_reason == "length":
            details = response.get("incomplete_details")
            reason = details.get("reason") if isinstance(details, dict) else None
            if isinstance(reason, str) and reason and "token" not in reason:
                finish_reason = clean_line(reason)
        self.ended = True
        events.append(Done(finish_reason))
        return events

    def _failure(self, payload: dict[str, Any]) -> ClientError:
        if payload.get("type") == "response.failed" or "response" in payload:
            response = payload.get("response")
            error = response.get("error") if isinstance(response, dict) else None
            payload = {"error": error if isinstance(error, dict) else {}}
        elif "error" not in payload:
            payload = {"error": payload}
        error = error_for_event(payload, self.provider, api_key=self.api_key, model=self.model)
        if isinstance(error, ServerError) and error.status is None:
            message = error.message.replace("reported an error mid-answer", "failed the run")
            return ServerError(message)
        return error


def _fetched_items(payload: dict[str, Any]) -> list[Any]:
    """The pages of a ``fetch_url_results`` event or item (``contents``; ``results`` too)."""
    items = payload.get("contents")
    if not isinstance(items, list):
        items = payload.get("results")
    return items if isinstance(items, list) else []


def output_text(response: dict[str, Any]) -> str:
    """The answer text of a non-streamed response (``output[].content[].text``)."""
    parts: list[str] = []
    output = response.get("output")
    for item in output if isinstance(output, list) else []:
        if isinstance(item, dict) and item.get("type") == "message":
            contents = item.get("content")
            for content in contents if isinstance(contents, list) else []:
                if isinstance(content, dict) and isinstance(content.get("text"), str):
                    parts.append(content["text"])
    return "".join(parts)


class AgentDialect:
    """The Agent API dialect for the ``perplexity`` provider."""

    name = "agent"

    def __init__(self, provider: ProviderInfo, api_key: str | None = None) -> None:
        self.provider = provider
        self.api_key = api_key

    def url(self, base_url: str) -> str:
        base = base_url.rstrip("/")
        return base + ("/agent" if base.endswith("/v1") else "/v1/agent")

    def body(self, request: ChatRequest) -> dict[str, Any]:
        return build_agent_body(request, self.provider)

    def parser(self, request: ChatRequest) -> AgentStreamParser:
        return AgentStreamParser(self.provider, api_key=self.api_key, model=request.model)
