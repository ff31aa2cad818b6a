"""Chat completions with Perplexity's extras (OpenRouter, Groq, gateways, the offline demo).

Request: ``POST {base}/chat/completions`` with ``messages`` (system first, then strictly
alternating user/assistant) and Perplexity's search fields. Stream (PROTOCOL §1, §3): text only
from ``choices[0].delta.content`` (a cumulative ``message.content`` is never used), sources from
``search_results`` aligned with ``citations`` or from OpenRouter ``annotations``, the last
non-empty value of each side field, cumulative usage (keep the last), and an end on ``[DONE]``,
``chat.completion.done``, or EOF after a ``finish_reason``.
"""

from __future__ import annotations

from typing import Any

from pplx_tui.client.errors import ProtocolError, ServerError
from pplx_tui.client.events import (
    Done,
    ImagesUpdate,
    RelatedQuestions,
    SourcesUpdate,
    StreamEvent,
    UsageUpdate,
)
from pplx_tui.client.http_errors import error_for_event
from pplx_tui.client.request import ChatRequest
from pplx_tui.client.sources import (
    annotation_urls,
    images_from,
    merge_results,
    number,
    questions_from,
    usage_from,
)
from pplx_tui.client.stream_parser import ParserBase
from pplx_tui.client.turns import alternating
from pplx_tui.providers import ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import sendable
from pplx_tui.values import SearchSettings, Source, Usage

MIN_MAX_TOKENS = 16
MAX_DOMAINS = 20


def build_chat_body(request: ChatRequest, provider: ProviderInfo | None = None) -> dict[str, Any]:
    """The JSON body for ``POST {base}/chat/completions``."""
    messages: list[dict[str, str]] = []
    if request.system_prompt:
        messages.append({"role": "system", "content": request.system_prompt})
    messages.extend(alternating(request.turns))
    body: dict[str, Any] = {"model": request.model, "messages": messages, "stream": True}
    sampling = request.sampling
    for name in ("temperature", "top_p", "presence_penalty", "frequency_penalty"):
        value = getattr(sampling, name)
        if value is not None:
            body[name] = value
    if sampling.max_tokens is not None:
        body["max_tokens"] = max(MIN_MAX_TOKENS, sampling.max_tokens)
    if sampling.stop:
        body["stop"] = list(sampling.stop)
    if sampling.reasoning_effort:
        body["reasoning_effort"] = sampling.reasoning_effort
    search = request.search
    if provider is not None:  # only what this provider and model honour (search_support)
        search = sendable(search, provider, request.model)
    body.update(search_fields(search))
    return body


def search_fields(search: SearchSettings) -> dict[str, Any]:
    """Perplexity's top-level search fields for the chat body (only the ones that are set)."""
    if search.disable_search:
        return {"disable_search": True, **_extras(search)}
    fields: dict[str, Any] = {}
    dated = bool(search.after_date or search.before_date)
    if search.recency and not dated:  # exclusive with the date filters: explicit dates win
        fields["search_recency_filter"] = search.recency
    if search.domains:
        fields["search_domain_filter"] = list(search.domains[:MAX_DOMAINS])
    if search.after_date:
        fields["search_after_date_filter"] = search.after_date
    if search.before_date:
        fields["search_before_date_filter"] = search.before_date
    if search.mode:
        fields["search_mode"] = search.mode
    if search.context_size:
        fields["web_search_options"] = {"search_context_size": search.context_size}
    return {**fields, **_extras(search)}


def _extras(search: SearchSettings) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if search.return_images:
        fields["return_images"] = True
    if search.return_related_questions:
        fields["return_related_questions"] = True
    return fields


class ChatStreamParser(ParserBase):
    """Parses chat-completions ``data:`` payloads into stream events (see module docstring)."""

    def __init__(
        self, provider: ProviderInfo, *, api_key: str | None = None, model: str | None = None
    ) -> None:
        super().__init__(provider, api_key=api_key, model=model)
        self.finish_reason: str | None = None
        self._raw_results: Any = None
        self._raw_citations: Any = None
        self._raw_usage: Any = None
        self._raw_images: Any = None
        self._raw_related: Any = None
        self._annotations: list[tuple[str, str]] = []
        self._sources: tuple[Source, ...] = ()
        self._usage: Usage | None = None

    # -- feeding -----------------------------------------------------------------------------

    def feed(self, data: str) -> list[StreamEvent]:
        if self.ended:
            return []
        if data[:1] != "{" and data.strip() == "[DONE]":
            return self._end()
        payload = self._decode(data)
        if payload is None:
            return []
        return self._payload(payload)

    def feed_body(self, payload: Any) -> list[StreamEvent]:
        if not isinstance(payload, dict):
            raise ProtocolError(f"{self.provider.label} sent a reply that is not an answer.")
        choices = payload.get("choices")
        if not (isinstance(choices, list) and choices and isinstance(choices[0], dict)):
            if payload.get("error"):
                self._payload(payload)  # raises the error it holds
            # QA: a proxy's 200 ``{"hello": 1}`` was an empty answer, exit 0.
            raise ProtocolError(f"{self.provider.label} sent a reply that is not an answer.")
        choice = dict(choices[0])
        message = choice.get("message")
        if "delta" not in choice and isinstance(message, dict):
            choice["delta"] = message
        choice.setdefault("finish_reason", "stop")
        events = self._payload({**payload, "choices": [choice]})
        return events + self._end() if not self.ended else events

    def finish(self) -> list[StreamEvent]:
        if self.ended:
            return []
        events = self._flush()
        if self.finish_reason is not None:
            self.ended = True
            return [*events, Done(self.finish_reason)]
        self._ended_early()
        return events

    # -- one payload ---------------------------------------------------------------------------

    def _payload(self, payload: dict[str, Any]) -> list[StreamEvent]:
        self.valid_events += 1
        if payload.get("error"):
            raise error_for_event(payload, self.provider, api_key=self.api_key, model=self.model)
        events: list[StreamEvent] = []
        self._side_fields(payload, events)
        choices = payload.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            self._choice(choices[0], events)
        usage = payload.get("usage")
        if usage and usage != self._raw_usage:
            self._raw_usage = usage
            parsed = usage_from(usage)
            if parsed is not None and parsed != self._usage:
                self._usage = parsed
                events.append(UsageUpdate(parsed))
        if payload.get("object") == "chat.completion.done":
            events.extend(self._end())
        return events

    def _choice(self, choice: dict[str, Any], events: list[StreamEvent]) -> None:
        delta = choice.get("delta")
        if isinstance(delta, dict):
            annotations = delta.get("annotations")
            if annotations:
                self._annotate(annotation_urls(annotations), events)
            reasoning = delta.get("reasoning") or delta.get("reasoning_content")
            if isinstance(reasoning, str) and reasoning:
                events.extend(self._thought(reasoning))
            content = delta.get("content")
            if isinstance(content, str) and content:
                events.extend(self._split(content))
        finish = choice.get("finish_reason")
        if isinstance(finish, str) and finish:
            if finish == "error":
                raise ServerError(
                    f"{self.provider.label} reported an error and ended the answer early."
                )
            self.finish_reason = clean_line(finish) or "stop"
            self.finishing = True

    def _side_fields(self, payload: dict[str, Any], events: list[StreamEvent]) -> None:
        results, citations = payload.get("search_results"), payload.get("citations")
        if (results or citations) and (
            results != self._raw_results or citations != self._raw_citations
        ):
            # Keep the last non-empty value of each list.
            if results:
                self._raw_results = results
            if citations:
                self._raw_citations = citations
            self._set_sources(self._merged(), events)
        images = payload.get("images")
        if images and images != self._raw_images:
            self._raw_images = images
            parsed = images_from(images)
            if parsed:
                events.append(ImagesUpdate(parsed))
        related = payload.get("related_questions")
        if related and related != self._raw_related:
            self._raw_related = related
            questions = questions_from(related)
            if questions:
                events.append(RelatedQuestions(questions))

    def _merged(self) -> tuple[Source, ...]:
        sources = merge_results(self._raw_citations, self._raw_results)
        if not self._annotations:
            return sources
        titles = dict(self._annotations)
        return tuple(
            s.model_copy(update={"title": titles[s.url]}) if not s.title and s.url in titles else s
            for s in sources
        )

    def _annotate(self, pairs: list[tuple[str, str]], events: list[StreamEvent]) -> None:
        if not pairs:
            return
        known = self._annotations
        if pairs[: len(known)] == known:
            merged = pairs  # the full list again, possibly longer
        elif known[: len(pairs)] == pairs:
            return
        else:
            seen = {url for url, _ in known}
            merged = known + [p for p in pairs if p[0] not in seen]
        self._annotations = merged
        if self._raw_results or self._raw_citations:
            self._set_sources(self._merged(), events)
        else:
            self._set_sources(number(merged), events)

    def _set_sources(self, sources: tuple[Source, ...], events: list[StreamEvent]) -> None:
        if sources and sources != self._sources:
            self._sources = sources
            events.append(SourcesUpdate(sources))

    def _end(self) -> list[StreamEvent]:
        self.ended = True
        return [*self._flush(), Done(self.finish_reason or "stop")]


class ChatDialect:
    """The chat-completions dialect for one provider."""

    name = "chat"

    def __init__(self, provider: ProviderInfo, api_key: str | None = None) -> None:
        self.provider = provider
        self.api_key = api_key

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + "/chat/completions"

    def body(self, request: ChatRequest) -> dict[str, Any]:
        return build_chat_body(request, self.provider)

    def parser(self, request: ChatRequest) -> ChatStreamParser:
        return ChatStreamParser(self.provider, api_key=self.api_key, model=request.model)
