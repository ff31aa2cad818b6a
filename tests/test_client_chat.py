"""The chat-completions dialect over real sockets: recorded Perplexity and OpenRouter streams,
``<think>`` tags, and the request bodies sent. Faults are ``test_client_chat_faults``."""

from __future__ import annotations

import asyncio

import pytest

from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import AuthenticationError, ServerError
from pplx_tui.client.events import (
    Done,
    ImagesUpdate,
    ReasoningDelta,
    RelatedQuestions,
    SourcesUpdate,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.models import SamplingOptions, SearchSettings
from pplx_tui.providers import build_catalog
from tests.support import recorded
from tests.support.chat_client import KEY, ask, client_for, fold, run, texts
from tests.support.loopback import Reply

module_server, loopback = recorded.shared_server_fixtures()


async def test_perplexity_2026_stream_gives_text_sources_usage_and_done(loopback) -> None:
    events, error = await run(loopback, *recorded.frames(recorded.perplexity_2026_events()))

    assert error is None
    answer = fold(events)
    assert answer.content == recorded.ANSWER
    assert isinstance(events[-1], Done) and events[-1].finish_reason == "stop"
    assert [s.index for s in answer.sources] == [1, 2, 3]
    assert answer.sources[0].title == "Café culture in Tōkyō — a history"
    assert answer.sources[0].snippet == "Kissaten, the Tokyo coffee houses…"
    assert answer.sources[0].date == "2024-11-02"
    assert answer.usage is not None and answer.usage.cost_usd == pytest.approx(0.00501)
    assert answer.usage.completion_tokens == len(recorded.ANSWER_PIECES)
    assert answer.related_questions == ("What is a kissaten?", "When did cafés reach Japan?")
    assert answer.images[0].image_url == "https://img.example/a.jpg"
    assert answer.images[0].width == 640


async def test_sources_update_only_when_they_change(loopback) -> None:
    events, _ = await run(loopback, *recorded.frames(recorded.perplexity_2026_events()))

    assert sum(isinstance(e, SourcesUpdate) for e in events) == 1
    assert sum(isinstance(e, RelatedQuestions) for e in events) == 1
    assert sum(isinstance(e, ImagesUpdate) for e in events) == 1


async def test_source_titles_are_sanitized(loopback) -> None:
    events, _ = await run(loopback, *recorded.frames(recorded.perplexity_2026_events()))

    title = fold(events).sources[1].title
    assert title == "Evil title"
    assert "\x1b" not in title and "\x07" not in title


async def test_escape_sequences_in_deltas_are_removed(loopback) -> None:
    pieces = ["Safe \x1b]52;c;ZXZpbA==\x07text", "\x1b[2J and\r\nmore"]
    events, _ = await run(loopback, *recorded.frames(recorded.perplexity_2026_events(pieces)))

    assert texts(events) == "Safe text and\nmore"


async def test_stream_ends_at_completion_done_even_without_done_marker(loopback) -> None:
    events_in = recorded.perplexity_2026_events()[:-1]  # no [DONE]
    # The server then stalls: the client must not wait for more.
    loopback.queue(
        Reply(chunks=[*recorded.frames(events_in), b"data: {}\n\n"], hang_after=len(events_in))
    )
    async with client_for(loopback) as client:
        events, error = await asyncio.wait_for(recorded.collect(client.stream(ask())), 5)

    assert error is None and isinstance(events[-1], Done)


async def test_done_marker_ends_the_stream_without_waiting_for_eof(loopback) -> None:
    chunks = recorded.frames(recorded.openrouter_events())
    loopback.queue(Reply(chunks=[*chunks, b"data: {}\n\n"], hang_after=len(chunks)))
    async with client_for(loopback) as client:
        events, error = await asyncio.wait_for(recorded.collect(client.stream(ask())), 5)

    assert error is None and isinstance(events[-1], Done)


async def test_2025_cumulative_message_is_never_concatenated(loopback) -> None:
    events, error = await run(loopback, *recorded.frames(recorded.perplexity_2025_events()))

    assert error is None
    assert texts(events) == recorded.ANSWER
    assert isinstance(events[-1], Done) and events[-1].finish_reason == "stop"


async def test_2025_keeps_the_last_non_empty_sources(loopback) -> None:
    events, _ = await run(loopback, *recorded.frames(recorded.perplexity_2025_events()))

    sources = fold(events).sources
    assert [s.url for s in sources] == recorded.CITATIONS
    assert sources[0].title  # search_results arrived later than citations and were merged


async def test_eof_after_finish_reason_is_a_normal_end(loopback) -> None:
    events, error = await run(loopback, *recorded.frames(recorded.perplexity_2025_events()))

    assert error is None and events[-1] == Done("stop")


async def test_openrouter_comments_crlf_annotations_and_trailing_usage(loopback) -> None:
    chunks = [
        recorded.OPENROUTER_COMMENT,
        *recorded.frames(recorded.openrouter_events(), crlf=True),
    ]
    chunks.insert(3, recorded.OPENROUTER_COMMENT)
    events, error = await run(loopback, *chunks)

    assert error is None
    answer = fold(events)
    assert answer.content == recorded.ANSWER
    assert [(s.index, s.url) for s in answer.sources] == [
        (1, "https://www.example.com/a"),
        (2, "https://news.example.org/b"),
    ]
    assert answer.usage is not None and answer.usage.cost_usd == pytest.approx(0.0062)
    assert answer.usage.total_tokens == 42
    assert isinstance(events[-1], Done)


async def test_usage_after_finish_reason_is_not_lost(loopback) -> None:
    events, _ = await run(loopback, *recorded.frames(recorded.openrouter_events()))

    finish_at = next(i for i, e in enumerate(events) if isinstance(e, UsageUpdate))
    assert finish_at < len(events) - 1 and isinstance(events[-1], Done)


async def test_openrouter_delta_reasoning_is_kept_apart(loopback) -> None:
    events, _ = await run(loopback, *recorded.frames(recorded.openrouter_events(reasoning=True)))

    answer = fold(events)
    assert answer.reasoning == "Thinking about cafés…"
    assert answer.content == recorded.ANSWER


async def test_in_band_error_raises_server_error_after_the_partial_answer(loopback) -> None:
    events, error = await run(loopback, *recorded.frames(recorded.openrouter_error_events()))

    assert texts(events) == "Partial answer"
    assert isinstance(error, ServerError)
    assert "Provider disconnected unexpectedly" in str(error)


async def test_finish_reason_error_alone_is_a_server_error(loopback) -> None:
    bad = {"choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": "error"}]}
    _, error = await run(loopback, *recorded.frames([bad]))

    assert isinstance(error, ServerError)


async def test_in_band_rate_limit_code_maps_to_its_type(loopback) -> None:
    bad = {"error": {"code": 401, "message": "User not found."}}
    _, error = await run(loopback, *recorded.frames([bad]))

    assert isinstance(error, AuthenticationError)


async def test_an_in_band_error_code_of_odd_digits_is_a_server_error(loopback) -> None:
    """A code "²" passed str.isdigit(), then int() raised mid-parse."""
    bad = {"error": {"code": "\u00b2", "message": "odd"}}
    _, error = await run(loopback, *recorded.frames([bad]))

    assert isinstance(error, ServerError) and "odd" in str(error)


async def test_think_tags_split_anywhere_are_kept_apart(loopback) -> None:
    pieces = [
        "<",
        "thi",
        "nk>Let me ",
        "check <b>.</",
        "thin",
        "k>",
        "\n\nThe answer",
        " is 4 < 5.",
    ]
    events, error = await run(loopback, *recorded.frames(recorded.perplexity_2026_events(pieces)))

    assert error is None
    answer = fold(events)
    assert answer.reasoning == "Let me check <b>."
    assert answer.content == "The answer is 4 < 5."
    assert all("think" not in e.text for e in events if isinstance(e, TextDelta))
    assert any(isinstance(e, ReasoningDelta) for e in events)


async def test_chat_body_alternates_and_carries_perplexity_extras(loopback) -> None:
    request = ChatRequest(
        model="perplexity/sonar",
        system_prompt="Be brief.",
        turns=(
            Turn("assistant", "leading assistant turn is dropped"),
            Turn("user", "first"),
            Turn("user", "second"),
            Turn("assistant", "a1"),
            Turn("assistant", "a2"),
            Turn("user", "question"),
        ),
        search=SearchSettings(
            recency="week",
            domains=["nature.com", "arxiv.org"],
            mode="academic",
            context_size="high",
            return_images=True,
            return_related_questions=True,
        ),
        sampling=SamplingOptions(
            temperature=0.2,
            top_p=0.9,
            max_tokens=5,
            stop=["END"],
            presence_penalty=0.1,
            frequency_penalty=0.3,
            reasoning_effort="low",
        ),
    )
    loopback.queue(Reply(chunks=recorded.frames(recorded.openrouter_events())))
    async with client_for(loopback) as client:
        await recorded.collect(client.stream(request))

    sent = loopback.requests[0]
    assert sent.method == "POST" and sent.path == "/api/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["http-referer"] and sent.headers["x-openrouter-title"] == "pplx-tui"
    body = sent.json
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first\n\nsecond"},
        {"role": "assistant", "content": "a1\n\na2"},
        {"role": "user", "content": "question"},
    ]
    assert body["stream"] is True and body["model"] == "perplexity/sonar"
    assert body["search_recency_filter"] == "week"
    assert body["search_domain_filter"] == ["nature.com", "arxiv.org"]
    assert body["search_mode"] == "academic"
    assert body["web_search_options"] == {"search_context_size": "high"}
    assert body["return_images"] is True and body["return_related_questions"] is True
    assert body["max_tokens"] == 16  # Perplexity enforces at least 16
    assert body["stop"] == ["END"] and body["reasoning_effort"] == "low"
    assert body["temperature"] == 0.2 and body["top_p"] == 0.9


async def test_dates_replace_recency_and_defaults_are_not_sent(loopback) -> None:
    request = ask(
        search=SearchSettings(recency="day", after_date="01/02/2025", before_date="03/04/2025")
    )
    loopback.queue(Reply(chunks=recorded.frames(recorded.openrouter_events())))
    async with client_for(loopback) as client:
        await recorded.collect(client.stream(request))

    body = loopback.requests[0].json
    assert body["search_after_date_filter"] == "01/02/2025"
    assert body["search_before_date_filter"] == "03/04/2025"
    for absent in (
        "search_recency_filter",
        "return_images",
        "temperature",
        "max_tokens",
        "web_search_options",
        "stop",
    ):
        assert absent not in body


async def test_groq_gets_no_perplexity_search_fields(loopback) -> None:
    request = ask(search=SearchSettings(recency="day", domains=["a.com"]))
    loopback.queue(Reply(chunks=recorded.frames(recorded.openrouter_events())))
    async with client_for(loopback, provider="groq") as client:
        await recorded.collect(client.stream(request))

    body = loopback.requests[0].json
    assert not any(key.startswith(("search_", "return_", "web_search")) for key in body)


async def test_no_key_raises_with_where_to_set_it_before_any_request(loopback) -> None:
    info = build_catalog().provider("openrouter")
    async with ChatClient(info, None, base_url=loopback.base_url) as client:
        _, error = await recorded.collect(client.stream(ask()))

    assert isinstance(error, AuthenticationError)
    assert "OPENROUTER_API_KEY" in str(error)
    assert loopback.requests == []


async def test_numbering_is_kept_when_an_entry_is_unusable(loopback) -> None:
    event = recorded.perplexity_2026_events(["a [3]"])[0]
    event["search_results"] = [SEARCH := {"title": "One", "url": "https://1.example"}, 7, SEARCH]
    event["citations"] = ["https://1.example", None, "https://3.example"]
    events, _ = await run(loopback, *recorded.frames([event, "[DONE]"]))

    sources = fold(events).sources
    assert [(s.index, s.url) for s in sources] == [
        (1, "https://1.example"),
        (2, ""),
        (3, "https://1.example"),
    ]


async def test_in_band_error_messages_never_show_the_key(loopback) -> None:
    bad = {"error": {"code": 500, "message": f"upstream rejected Bearer {KEY} and {KEY}"}}
    _, error = await run(loopback, *recorded.frames([bad]))

    assert isinstance(error, ServerError)
    assert KEY not in str(error) and "chattestkey" not in str(error)
