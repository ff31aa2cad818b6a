"""The SSE and ``<think>`` parsers: unit rules, re-chunking properties, and fuzzing."""

from __future__ import annotations

import asyncio
import contextlib
import json
from itertools import combinations, pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pplx_tui.client.agent_dialect import AgentStreamParser
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.chat_dialect import ChatStreamParser
from pplx_tui.client.errors import ClientError
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.client.sse import SSEEvent, SSEParser
from pplx_tui.client.think import LATER_HOLD, ThinkSplitter
from pplx_tui.providers import build_catalog
from tests.support import recorded, recorded_agent
from tests.support.chunks import chunked_sse
from tests.support.retries import NO_RETRY

CATALOG = build_catalog()
OPENROUTER = CATALOG.provider("openrouter")
PERPLEXITY = CATALOG.provider("perplexity")


def parse_all(chunks: list[bytes]) -> list[SSEEvent]:
    parser = SSEParser()
    events = [e for chunk in chunks for e in parser.feed(chunk)]
    return events + parser.close()


# -- SSE ---------------------------------------------------------------------------------------


def test_sse_line_endings_comments_and_multiline_data() -> None:
    raw = (
        b"\xef\xbb\xbf: comment\r\n\r\n"
        b"data: one\r\r"
        b"event: named\ndata:two\ndata:  three\n\n"
        b"id: 7\nretry: 10\n\n"
        b"data\n\n"
        b"data: last without blank line"
    )
    expected = [
        SSEEvent("one"),
        SSEEvent("two\n three", "named"),
        SSEEvent(""),
        SSEEvent("last without blank line"),
    ]

    assert parse_all([raw]) == expected
    assert parse_all([bytes([b]) for b in raw]) == expected


def test_sse_crlf_split_between_reads_is_one_line_ending() -> None:
    assert parse_all([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"]) == [
        SSEEvent("a"),
        SSEEvent("b"),
    ]


def test_sse_utf8_character_split_across_reads() -> None:
    raw = "data: café — 東京\n\n".encode()
    cut = raw.index("東".encode()) + 1

    assert parse_all([raw[:cut], raw[cut:]]) == [SSEEvent("café — 東京")]


def test_sse_invalid_utf8_is_replaced_not_raised() -> None:
    assert parse_all([b"data: \xff\xfe ok\n\n"]) == [SSEEvent("\ufffd\ufffd ok")]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(1, 20), max_size=30))
def test_sse_fuzz_never_raises_and_chunking_does_not_matter(data: bytes, sizes: list[int]) -> None:
    chunks, rest = [], data
    for size in sizes:
        chunks.append(rest[:size])
        rest = rest[size:]
    chunks.append(rest)

    assert parse_all(chunks) == parse_all([data])


# -- think -------------------------------------------------------------------------------------


def split_think(pieces: list[str]) -> tuple[str, str]:
    splitter = ThinkSplitter()
    reasoning, answer = [], []
    for piece in pieces:
        for thought, text in splitter.feed(piece):
            reasoning.append(thought)
            answer.append(text)
    thought, text = splitter.flush()
    reasoning.append(thought)
    answer.append(text)
    return "".join(reasoning), "".join(answer)


def all_splits(text: str, parts: int = 3):
    for cuts in combinations(range(1, len(text)), parts - 1):
        bounds = [0, *cuts, len(text)]
        yield [text[a:b] for a, b in pairwise(bounds)]


def test_think_tags_split_at_every_possible_place() -> None:
    text = " <think>a<b</think>\n\nAns <x> [1]"
    for pieces in all_splits(text):
        assert split_think(pieces) == ("a<b", "Ans <x> [1]"), pieces


def test_lone_angle_bracket_that_is_not_a_tag_is_text() -> None:
    assert split_think(["<", "3 you"]) == ("", "<3 you")
    assert split_think(["<thi", "s is text"]) == ("", "<this is text")
    assert split_think(["<thin"]) == ("", "<thin")


def test_think_after_the_answer_began_is_text() -> None:
    assert split_think(["Use ", "<think>", " tags"]) == ("", "Use <think> tags")


def test_every_think_block_is_reasoning_joined_in_order() -> None:
    """QA: only the first was folded; a second one later in the answer showed as text."""
    text = "<think>first</think>\n\nAnswer.\n\n<think>second think block</think> after second."
    for pieces in all_splits(text):
        assert split_think(pieces) == (
            "first\n\nsecond think block",
            "Answer.\n\nafter second.",
        ), pieces


def test_a_think_block_shown_in_code_stays_as_written() -> None:
    text = "Tags: `<think>x</think>`.\n\n```\n<think>y</think>\n```\nok"
    for pieces in all_splits(text):
        assert split_think(pieces) == ("", text), pieces


def test_a_think_block_in_an_indented_code_block_stays_as_written() -> None:
    """QA: fenced blocks and code spans kept their tags, a 4-space code block did not."""
    for text in (
        "Tags:\n\n    <think>x</think>\n\n\tmore <think>y</think>\nok",
        "Steps:\n\n- item\n\n      <think>x</think>",  # code inside the list item
        "    ```\n    <think>x</think>",  # (the fence is the code's text)
    ):
        for pieces in all_splits(text):
            assert split_think(pieces) == ("", text), pieces


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Para\n    <think>x</think> y", "Para\n    y"),  # the paragraph goes on
        ("- item\n\n    <think>x</think> y", "- item\n\n    y"),  # the item goes on
        ("- a\n\nb\n\n    code\nback <think>x</think> y", "- a\n\nb\n\n    code\nback y"),
        ("Code:\n\n    ```\nout <think>x</think> y", "Code:\n\n    ```\nout y"),
    ],
)
def test_a_think_block_indented_but_not_in_code_is_reasoning(text: str, answer: str) -> None:
    for pieces in all_splits(text):
        assert split_think(pieces) == ("x", answer), pieces


def test_a_later_think_never_closed_is_text_unless_it_goes_on_and_on() -> None:
    assert split_think(["Use <think> tags", " like this."]) == ("", "Use <think> tags like this.")
    assert split_think(["Use <think>"]) == ("", "Use <think>")  # (it was lost at the end)
    thought = "x" * (LATER_HOLD + 1)
    assert split_think(["A. <think>", thought, "</think> B."]) == (thought, "A. B.")


def test_unclosed_think_is_reasoning() -> None:
    assert split_think(["<think>still ", "thinking </th"]) == ("still thinking </th", "")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab<>/thinkTHINK \n", max_size=25),
    st.text(alphabet="ab<>/think \n東", max_size=25),
    st.lists(st.integers(0, 60), max_size=6),
)
def test_think_property_reasoning_and_answer_survive_any_split(
    reasoning: str, answer: str, cuts: list[int]
) -> None:
    reasoning = reasoning.replace("</think>", "")
    text = f"<think>{reasoning}</think>{answer}"
    bounds = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    pieces = [text[a:b] for a, b in pairwise(bounds)]

    assert split_think(pieces) == (reasoning, answer.lstrip())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.lists(st.integers(0, 40), max_size=5))
def test_text_without_a_leading_think_tag_is_unchanged(text: str, cuts: list[int]) -> None:
    if text.lstrip().startswith("<think>") or "</think>" in text.partition("<think>")[2]:
        return  # (a later think block, closed, is reasoning too)
    bounds = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    pieces = [text[a:b] for a, b in pairwise(bounds)]

    assert split_think(pieces) == ("", text)


# -- re-chunking a whole stream through the client ---------------------------------------------


def answer_for(chunks: list[bytes], provider=OPENROUTER, model="perplexity/sonar") -> Any:
    async def go() -> Any:
        builder = AnswerBuilder()
        transport = chunked_sse(chunks)
        client = ChatClient(provider, "k-123456", transport=transport, retry=NO_RETRY)
        async with client:
            request = ChatRequest(model=model, turns=(Turn("user", "q"),))
            async for event in client.stream(request):
                builder.add(event)
        return builder.content, builder.reasoning, builder.sources, builder.usage, builder.done

    return asyncio.run(go())


STREAMS = {
    "perplexity-2026": (
        b"".join(
            recorded.frames(
                recorded.perplexity_2026_events(
                    ["<th", "ink>x</", "think>", *recorded.ANSWER_PIECES]
                )
            )
        ),
        OPENROUTER,
    ),
    "perplexity-2025": (b"".join(recorded.frames(recorded.perplexity_2025_events())), OPENROUTER),
    "openrouter-crlf": (
        recorded.OPENROUTER_COMMENT
        + b"".join(recorded.frames(recorded.openrouter_events(reasoning=True), crlf=True)),
        OPENROUTER,
    ),
    "agent": (b"".join(recorded.frames(recorded_agent.agent_events())), PERPLEXITY),
}
BASELINES = {name: answer_for([data], provider) for name, (data, provider) in STREAMS.items()}


def test_baselines_are_complete_answers() -> None:
    for name, (content, _, sources, usage, done) in BASELINES.items():
        assert content and sources and usage and done, name
    assert BASELINES["perplexity-2026"][1] == "x"


def test_exactly_one_byte_at_a_time_gives_the_same_answer() -> None:
    for name, (data, provider) in STREAMS.items():
        chunks = [data[i : i + 1] for i in range(len(data))]
        assert answer_for(chunks, provider) == BASELINES[name], name


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(STREAMS)), st.data())
def test_any_rechunking_gives_the_same_answer_reasoning_and_sources(name: str, data) -> None:
    raw, provider = STREAMS[name]
    cuts = data.draw(st.sets(st.integers(1, len(raw) - 1), max_size=80))
    bounds = [0, *sorted(cuts), len(raw)]
    chunks = [raw[a:b] for a, b in pairwise(bounds)]

    assert answer_for(chunks, provider) == BASELINES[name]


# -- fuzzing the dialect parsers ---------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "choices", "delta", "content", "reasoning", "citations", "search_results", "usage",
        "cost", "total_cost", "error", "finish_reason", "object", "type", "results", "id",
        "title", "url", "date", "snippet", "images", "image_url", "width", "related_questions",
        "annotations", "url_citation", "response", "status", "message", "code", "detail",
        "prompt_tokens", "input_tokens", "total_tokens", "queries", "thought", "item",
        "output", "incomplete_details", "reason", "loc", "msg",
    ]
)  # fmt: skip
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-5, 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "stop",
            "error",
            "length",
            "chat.completion.done",
            "[DONE]",
            "response.completed",
            "response.output_text.delta",
            "response.reasoning.search_results",
            "response.reasoning.search_queries",
            "response.output_item.done",
            "response.incomplete",
            "response.failed",
            "response.cancelled",
            "search_results",
            "url_citation",
            "<think>",
            "</think>",
            "failed",
            "https://x.example/",
            "\x1b[2J",
        ]
    )
)
JSON = st.recursive(
    _LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=6),
    max_leaves=40,
)


def _drive(parser: Any, payloads: list[str]) -> None:
    try:
        for payload in payloads:
            parser.feed(payload)
            if parser.ended:
                return
        parser.finish()
    except ClientError:
        return


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(JSON, max_size=8), st.lists(st.text(max_size=30), max_size=3))
def test_dialect_parsers_raise_nothing_but_client_errors(
    values: list[Any], texts: list[str]
) -> None:
    payloads = [json.dumps(v) for v in values] + texts
    _drive(ChatStreamParser(OPENROUTER), payloads)
    _drive(AgentStreamParser(PERPLEXITY), payloads)
    for value in values:  # as a whole non-streamed body too
        for parser in (ChatStreamParser(OPENROUTER), AgentStreamParser(PERPLEXITY)):
            with contextlib.suppress(ClientError):
                parser.feed_body(value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.lists(st.integers(1, 50), max_size=10))
def test_random_bytes_through_the_client_raise_only_client_errors(
    data: bytes, sizes: list[int]
) -> None:
    chunks, rest = [], data
    for size in sizes:
        chunks.append(rest[:size])
        rest = rest[size:]
    chunks.append(rest)
    with contextlib.suppress(ClientError):
        answer_for(chunks)
