"""The offline demo: real SSE bytes through the production chat parser, no network, no key."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from pplx_tui.client import make_client
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.demo import DemoTransport, demo_delay, demo_frames
from pplx_tui.client.demo_answers import DEMO_FOOTER
from pplx_tui.client.errors import InvalidRequestError
from pplx_tui.client.events import Done, ReasoningDelta, TextDelta
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.models import MessageStatus
from pplx_tui.providers import build_catalog
from pplx_tui.values import SearchSettings
from tests.support import recorded

DEMO = build_catalog().provider("demo")


async def ask_demo(
    question: str, model: str = "demo/sonar", search: SearchSettings | None = None
) -> tuple[list, AnswerBuilder]:
    builder = AnswerBuilder()
    request = ChatRequest(
        model=model, turns=(Turn("user", question),), search=search or SearchSettings()
    )
    async with make_client(DEMO, None) as client:
        events, error = await recorded.collect(client.stream(request))
    assert error is None
    for event in events:
        builder.add(event)
    return events, builder


async def test_demo_answers_mars_moons_with_markers_and_sources() -> None:
    events, answer = await ask_demo("How many moons does Mars have?")

    assert "Phobos" in answer.content and "Deimos" in answer.content
    assert "[1]" in answer.content and "[2]" in answer.content
    assert 3 <= len(answer.sources) <= 5
    assert [s.index for s in answer.sources] == list(range(1, len(answer.sources) + 1))
    assert all(s.url.startswith("https://") and s.title and s.date for s in answer.sources)
    assert answer.content.endswith(DEMO_FOOTER)
    assert answer.related_questions == ()  # not asked for (see below)
    assert answer.usage is not None and answer.usage.total_tokens
    assert answer.usage.cost_usd == 0  # the demo costs nothing, and says so
    assert events[-1] == Done("stop")
    assert sum(isinstance(e, TextDelta) for e in events) > 20  # streamed, not one blob
    message = answer.to_message("demo", "demo/sonar")
    assert message.status is MessageStatus.COMPLETE and message.provider == "demo"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("TCP vs QUIC — which is faster?", "RFC 9000"),
        ("Is coffee bad for my heart?", "400 mg"),
    ],
)
async def test_demo_has_other_canned_answers(question: str, expected: str) -> None:
    _, answer = await ask_demo(question)

    assert expected in answer.content or expected in "".join(s.title for s in answer.sources)
    assert answer.sources and answer.content.endswith(DEMO_FOOTER)


async def test_any_other_question_gets_the_explained_offline_demo() -> None:
    _, answer = await ask_demo("What is the capital of Peru?")

    assert "offline demo" in answer.content
    assert "PERPLEXITY_API_KEY" in answer.content and "ctrl+k" in answer.content
    assert "What is the capital of Peru?" in answer.content
    assert answer.content.endswith(DEMO_FOOTER)


async def test_demo_reasoning_model_thinks_first_and_keeps_it_apart() -> None:
    events, answer = await ask_demo("How many moons does Mars have?", "demo/sonar-reasoning")

    assert answer.reasoning.startswith("The question is how many moons")
    assert "<think>" not in answer.content and "think>" not in answer.reasoning
    assert answer.content.startswith("Mars has **two moons**")
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    assert all(
        isinstance(e, ReasoningDelta)
        for e in events[:first_text]
        if isinstance(e, (TextDelta, ReasoningDelta))
    )


def test_demo_bytes_are_perplexity_2026_shape() -> None:
    frames = demo_frames({"messages": [{"role": "user", "content": "mars moons"}]}, "demo/sonar")
    payloads = [json.loads(f[len(b"data: ") :]) for f in frames[:-1]]

    assert frames[-1] == b"data: [DONE]\n\n"
    assert payloads[-1]["object"] == "chat.completion.done"
    assert payloads[-1]["usage"]["total_tokens"] > 0
    assert payloads[-1]["usage"]["cost"]["total_cost"] == 0
    assert payloads[0]["citations"] == [r["url"] for r in payloads[0]["search_results"]]
    assert all(f.endswith(b"\n\n") for f in frames)


@pytest.mark.parametrize("asked", [False, True])
async def test_demo_sends_related_questions_only_when_asked_like_a_server(asked: bool) -> None:
    """QA-9: the demo sent related questions whatever the request said; a chat-completions
    server sends them only for ``return_related_questions: true`` (the search settings' toggle)."""
    search = SearchSettings(return_related_questions=asked)
    _, answer = await ask_demo("How many moons does Mars have?", search=search)

    assert bool(answer.related_questions) is asked
    assert answer.images == ()  # the demo has no images, asked for or not
    body = {"messages": [{"role": "user", "content": "mars moons"}]}
    if asked:
        body["return_related_questions"] = True
    payloads = [json.loads(f[len(b"data: ") :]) for f in demo_frames(body, "demo/sonar")[:-1]]
    assert any("related_questions" in p for p in payloads) is asked


async def test_demo_without_web_search_answers_without_sources_like_a_server() -> None:
    """`pplx ask --demo --no-search` (and the app's "no web search") still listed five sources
    and cited them: a server that does not search has none to give."""
    _, answer = await ask_demo(
        "How many moons does Mars have?", search=SearchSettings(disable_search=True)
    )

    assert "Phobos" in answer.content and answer.content.endswith(DEMO_FOOTER)
    assert answer.sources == () and not re.search(r"\[\d+\]", answer.content)
    assert " ." not in answer.content and " ," not in answer.content  # "Deimos [1][4]."


async def test_demo_rejects_an_unknown_model_like_a_server_would() -> None:
    async with make_client(DEMO, None) as client:
        _, error = await recorded.collect(
            client.stream(ChatRequest(model="sonar", turns=(Turn("user", "q"),)))
        )

    assert isinstance(error, InvalidRequestError)


async def test_demo_lists_its_models() -> None:
    async with ChatClient(DEMO, None, transport=DemoTransport()) as client:
        models = await client.list_models()

    assert [m.id for m in models] == ["demo/sonar", "demo/sonar-reasoning"]


async def test_demo_transport_answers_models_endpoint_over_http() -> None:
    async with httpx.AsyncClient(transport=DemoTransport()) as http:
        response = await http.get("https://demo.invalid/v1/models")

    assert response.json()["data"][0]["id"] == "demo/sonar"


def test_demo_delay_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_DEMO_DELAY", "0.02")
    assert demo_delay() == 0.02
    monkeypatch.setenv("PPLX_DEMO_DELAY", "nonsense")
    assert demo_delay() == 0.008
