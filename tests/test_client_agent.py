"""The Perplexity Agent API dialect over real sockets: body fields, search batches, terminals."""

from __future__ import annotations

import pytest

from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import (
    InvalidRequestError,
    RateLimitError,
    ServerError,
    StreamInterrupted,
)
from pplx_tui.client.events import Done, SearchProgress, SourcesUpdate, TextDelta
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.models import SamplingOptions, SearchSettings
from pplx_tui.providers import build_catalog
from tests.support import recorded, recorded_agent
from tests.support.loopback import LoopbackServer, Reply, bytewise
from tests.support.retries import NO_WAIT

KEY = "pplx-agenttestkey0123456789abcdef"
module_server, loopback = recorded.shared_server_fixtures()
ACCEPTED = {
    "input",
    "model",
    "preset",
    "instructions",
    "stream",
    "max_output_tokens",
    "reasoning",
    "tools",
}


def client_for(loopback: LoopbackServer, base: str = "") -> ChatClient:
    info = build_catalog().provider("perplexity")
    return ChatClient(info, KEY, base_url=loopback.base_url + base, retry=NO_WAIT)


async def run(loopback: LoopbackServer, chunks: list[bytes], request: ChatRequest | None = None):
    loopback.queue(Reply(chunks=chunks))
    async with client_for(loopback) as client:
        return await recorded.collect(client.stream(request or ask()))


def ask(model: str = "fast", **kw: object) -> ChatRequest:
    return ChatRequest(model=model, turns=(Turn("user", "Cafés in 東京?"),), **kw)  # type: ignore[arg-type]


def fold(events) -> AnswerBuilder:
    builder = AnswerBuilder()
    for event in events:
        builder.add(event)
    return builder


async def test_agent_stream_text_two_search_batches_usage_and_done(loopback) -> None:
    events, error = await run(loopback, recorded.frames(recorded_agent.agent_events()))

    assert error is None
    answer = fold(events)
    assert answer.content == "".join(recorded_agent.AGENT_TEXT)
    # Markers [N] refer to result ids: both batches are kept, numbered by id.
    assert [(s.index, s.title) for s in answer.sources] == [
        (1, "Agent one"),
        (2, "Agent two"),
        (3, "Agent three"),
        (5, "Agent five"),
    ]
    assert answer.sources[0].date == "2006-11-28"
    assert answer.usage is not None
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (3007, 37)
    assert answer.usage.total_tokens == 3044
    assert answer.usage.cost_usd == pytest.approx(0.00105)
    assert events[-1] == Done("stop")


async def test_agent_search_progress_reports_queries_and_counts(loopback) -> None:
    events, _ = await run(loopback, recorded.frames(recorded_agent.agent_events()))

    progress = [e for e in events if isinstance(e, SearchProgress)]
    assert progress[0] == SearchProgress(thought="Searching the web...", queries=("tokyo cafes",))
    assert progress[-1].result_count == 4
    assert ("kissaten history", "café 東京") in [p.queries for p in progress]
    # The final output_item.done repeats the results: no extra sources update for it.
    assert sum(isinstance(e, SourcesUpdate) for e in events) == 2


async def test_agent_stream_survives_byte_at_a_time_delivery(loopback) -> None:
    chunks = bytewise(recorded.frames(recorded_agent.agent_events()[8:]))
    loopback.queue(Reply(chunks=chunks, delay=0.0001))
    async with client_for(loopback) as client:
        events, error = await recorded.collect(client.stream(ask()))

    assert error is None
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "".join(
        recorded_agent.AGENT_TEXT
    )


async def test_agent_eof_without_terminal_event_is_interrupted(loopback) -> None:
    events, error = await run(loopback, recorded.frames(recorded_agent.agent_events()[:-1]))

    assert isinstance(error, StreamInterrupted)
    assert fold(events).content == "".join(recorded_agent.AGENT_TEXT)


async def test_failed_run_with_http_200_is_a_server_error_with_its_message(loopback) -> None:
    failed = {
        "type": "response.failed",
        "sequence_number": 99,
        "response": {
            "status": "failed",
            "error": {"code": "server_error", "message": "Search backend down"},
        },
    }
    events, error = await run(
        loopback, recorded.frames(recorded_agent.agent_events(terminal=failed))
    )

    assert isinstance(error, ServerError) and "Search backend down" in str(error)
    assert fold(events).content  # the partial answer was yielded first


async def test_completed_event_with_failed_status_is_an_error(loopback) -> None:
    failed = {
        "type": "response.completed",
        "response": {"status": "failed", "error": {"message": "Quota exploded"}},
    }
    _, error = await run(loopback, recorded.frames([failed]))

    assert isinstance(error, ServerError) and "Quota exploded" in str(error)


async def test_error_event_maps_by_code(loopback) -> None:
    event = {"type": "error", "code": 429, "message": "Slow down"}
    _, error = await run(loopback, recorded.frames([event]))

    assert isinstance(error, RateLimitError) and "Slow down" in str(error)


async def test_incomplete_run_is_done_with_length(loopback) -> None:
    events, error = await run(
        loopback,
        recorded.frames(recorded_agent.agent_events(terminal=recorded_agent.INCOMPLETE)),
    )

    assert error is None and events[-1] == Done("length")
    assert fold(events).usage.completion_tokens == 16  # type: ignore[union-attr]


async def test_cancelled_run_is_interrupted(loopback) -> None:
    cancelled = {"type": "response.cancelled", "response": {"status": "cancelled"}}
    _, error = await run(loopback, recorded.frames(recorded_agent.agent_events(terminal=cancelled)))

    assert isinstance(error, StreamInterrupted)


# -- request bodies ----------------------------------------------------------------------------


async def test_preset_body_has_only_accepted_fields_and_no_tool_without_filters(loopback) -> None:
    request = ChatRequest(
        model="fast",
        system_prompt="Cite everything.",
        turns=(Turn("assistant", "hi"), Turn("user", "a"), Turn("user", "b")),
        search=SearchSettings(mode="academic", return_images=True, return_related_questions=True),
        sampling=SamplingOptions(
            temperature=0.5,
            top_p=0.5,
            stop=["x"],
            presence_penalty=1,
            frequency_penalty=1,
            max_tokens=500,
            reasoning_effort="high",
        ),
    )
    await run(loopback, recorded.frames(recorded_agent.agent_events()), request)

    sent = loopback.requests[0]
    assert sent.path == "/v1/agent"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    body = sent.json
    assert set(body) <= ACCEPTED
    assert body == {
        "input": [{"role": "user", "content": "a\n\nb"}],
        "preset": "fast",
        "instructions": "Cite everything.",
        "stream": True,
        "max_output_tokens": 500,
        "reasoning": {"effort": "high"},
    }


async def test_model_body_puts_filters_inside_the_web_search_tool(loopback) -> None:
    search = SearchSettings(recency="month", domains=["nature.com"], context_size="low")
    await run(
        loopback,
        recorded.frames(recorded_agent.agent_events()),
        ask("perplexity/sonar", search=search),
    )

    body = loopback.requests[0].json
    assert set(body) <= ACCEPTED
    assert body["model"] == "perplexity/sonar" and "preset" not in body
    assert body["tools"] == [
        {
            "type": "web_search",
            "filters": {"search_domain_filter": ["nature.com"], "search_recency_filter": "month"},
            "search_context_size": "low",
        }
    ]
    assert not any(k.startswith("search_") for k in body)


async def test_bare_model_always_gets_the_web_search_tool(loopback) -> None:
    await run(loopback, recorded.frames(recorded_agent.agent_events()), ask("openai/gpt-5"))

    assert loopback.requests[0].json["tools"] == [{"type": "web_search"}]


async def test_preset_with_filters_gets_the_tool(loopback) -> None:
    search = SearchSettings(after_date="01/01/2025", recency="day")
    await run(loopback, recorded.frames(recorded_agent.agent_events()), ask("high", search=search))

    tool = loopback.requests[0].json["tools"][0]
    assert tool["filters"] == {"search_after_date_filter": "01/01/2025"}


async def test_base_url_ending_in_v1_is_not_doubled(loopback) -> None:
    loopback.queue(Reply(chunks=recorded.frames(recorded_agent.agent_events())))
    async with client_for(loopback, base="/v1") as client:
        await recorded.collect(client.stream(ask()))

    assert loopback.requests[0].path == "/v1/agent"


async def test_unknown_field_400_is_an_invalid_request(loopback) -> None:
    from tests.support.loopback import json_reply

    loopback.queue(
        json_reply(400, {"error": {"message": 'invalid request body: json: unknown field "x"'}})
    )
    _, error = await run(loopback, [])
    # run() queued a second reply; only the first was used.
    assert isinstance(error, InvalidRequestError) and "unknown field" in str(error)
    assert len(loopback.requests) == 1
