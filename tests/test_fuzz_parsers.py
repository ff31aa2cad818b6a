"""Fuzzing what ``test_client_parsers`` does not: valid-shaped but odd events, and error bodies.

``test_client_parsers`` already feeds random bytes to the SSE parser and the client, and random
JSON built from a bag of keys to the dialect parsers. Random JSON rarely gets deep enough to
reach the code that reads ``choices[0].delta.content`` or an Agent result batch, so here the
events have the providers' real skeleton with odd values in every slot
(:mod:`tests.support.odd_events`). Beyond "nothing but a :class:`ClientError` is ever raised",
each test checks what the rest of the app relies on: every string in every event is inert,
sources are numbered in order, usage numbers are finite, nothing follows :class:`Done`; and an
error message is one key-free line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import re
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from pplx_tui.client.agent_dialect import AgentStreamParser
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.chat_dialect import ChatStreamParser
from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import Done, ReasoningDelta, SourcesUpdate, TextDelta, UsageUpdate
from pplx_tui.client.http_errors import error_for_event, error_for_status
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.client.sources import usage_from
from pplx_tui.client.sse import SSEEvent, SSEParser
from pplx_tui.client.think import ThinkSplitter
from pplx_tui.providers import build_catalog
from tests.support.chunks import chunked_sse
from tests.support.odd_events import (
    AGENT_EVENT,
    AGENT_RESPONSE,
    CHAT_CHUNK,
    ERROR,
    KEY,
    TEXT,
    USAGE,
    maybe,
    rarely_an_error,
    record,
)
from tests.support.retries import NO_RETRY

CATALOG = build_catalog()
OPENROUTER = CATALOG.provider("openrouter")
PERPLEXITY = CATALOG.provider("perplexity")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- what every stream must satisfy ------------------------------------------------------------


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return strings_in(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return strings_in([getattr(value, f.name) for f in dataclasses.fields(value)])
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


def check_events(events: list[Any], *, contiguous: bool) -> None:
    for text in strings_in(events):
        assert CONTROL.search(text) is None, repr(text)
    for event in events:
        if isinstance(event, (TextDelta, ReasoningDelta)):
            assert event.text
        if isinstance(event, SourcesUpdate):
            numbers = [s.index for s in event.sources]
            assert numbers == sorted(set(numbers)) and numbers[0] >= 1
            if contiguous:
                assert numbers == list(range(1, len(numbers) + 1))
        if isinstance(event, UsageUpdate):
            for number in event.usage.model_dump().values():
                assert number is None or math.isfinite(number), event.usage
    done = [i for i, event in enumerate(events) if isinstance(event, Done)]
    assert done in ([], [len(events) - 1])


def drive(parser: Any, payloads: list[str]) -> list[Any]:
    """Feed like the client does; the events that came before any error."""
    events: list[Any] = []
    try:
        for payload in payloads:
            events += parser.feed(payload)
            if parser.ended:
                return events
        events += parser.finish()
    except ClientError as error:
        check_error(error)
    else:
        if parser.error is not None:
            check_error(parser.error)
    return events


def check_error(error: ClientError) -> None:
    message = str(error)
    assert message and "\n" not in message and CONTROL.search(message) is None, message
    assert KEY[:12] not in message
    assert len(message) < 700
    assert error.exit_code in (2, 3, 4, 5)


@FUZZ
@given(st.lists(rarely_an_error(CHAT_CHUNK), max_size=6), st.booleans())
def test_odd_chat_chunks(chunks: list[Any], done: bool) -> None:
    payloads = [json.dumps(c) for c in chunks] + (["[DONE]"] if done else [])
    events = drive(ChatStreamParser(OPENROUTER, api_key=KEY), payloads)

    check_events(events, contiguous=True)


@FUZZ
@given(st.lists(rarely_an_error(AGENT_EVENT), max_size=6))
def test_odd_agent_events(chunks: list[Any]) -> None:
    events = drive(AgentStreamParser(PERPLEXITY, api_key=KEY), [json.dumps(c) for c in chunks])

    check_events(events, contiguous=False)


@FUZZ
@given(maybe(CHAT_CHUNK | AGENT_RESPONSE | AGENT_EVENT))
def test_odd_whole_bodies(body: Any) -> None:
    for parser in (ChatStreamParser(OPENROUTER, api_key=KEY), AgentStreamParser(PERPLEXITY)):
        try:
            events = parser.feed_body(body)
        except ClientError as error:
            check_error(error)
        else:
            check_events(events, contiguous=isinstance(parser, ChatStreamParser))


@FUZZ
@given(USAGE)
def test_odd_usage_gives_finite_numbers(value: Any) -> None:
    usage = usage_from(value)

    assert usage is not None
    for number in usage.model_dump().values():
        assert number is None or math.isfinite(number)
    json.dumps(usage.model_dump(), allow_nan=False)  # what `pplx ask --json` prints


@pytest.mark.parametrize(
    "value",
    [
        {"prompt_tokens": 10**400, "completion_tokens": 1},  # overflowed isfinite()
        {"input_tokens": -5, "output_tokens": 2.0},
        {"cost": {"input_tokens_cost": 1e308, "output_tokens_cost": 1e308}},  # summed to inf
    ],
)
def test_usage_found_by_fuzzing_gives_finite_numbers(value: Any) -> None:
    usage = usage_from(value)

    assert usage is not None
    json.dumps(usage.model_dump(), allow_nan=False)
    assert usage.prompt_tokens is None and usage.cost_usd is None


@pytest.mark.parametrize(
    "value",
    [
        {"cost": -3},  # OpenRouter's number
        {"cost": {"total_cost": -0.0281, "input_cost": 0.01}},
        {"cost": {"input_cost": -0.5, "output_cost": -0.01}},
        {"cost": 1e300},  # no answer costs a million dollars
        {"cost": {"input_cost": 6e5, "output_cost": 6e5}},
    ],
)
def test_a_negative_cost_is_no_reported_cost(value: Any) -> None:
    """No answer pays the user back: a negative cost (a broken or hostile server) is not
    reported spend, which it lowered (today's total, ``pplx usage``, the daily budget)."""
    usage = usage_from({"prompt_tokens": 5, "completion_tokens": 2, **value})

    assert usage is not None and usage.cost_usd is None and usage.total_tokens == 7


def test_a_negative_part_of_a_cost_is_left_out_of_its_sum() -> None:
    usage = usage_from({"cost": {"input_cost": 0.01, "output_cost": -5, "request_cost": 0.005}})

    assert usage is not None and usage.cost_usd == pytest.approx(0.015)


# -- the same, as bytes through the client, split anywhere ---------------------------------------


def stream_through_client(chunks: list[bytes], provider: Any) -> list[Any]:
    async def go() -> list[Any]:
        events: list[Any] = []
        transport = chunked_sse(chunks)
        async with ChatClient(provider, KEY, transport=transport, retry=NO_RETRY) as client:
            try:
                async for event in client.stream(ChatRequest("m", (Turn("user", "q"),))):
                    events.append(event)
            except ClientError as error:
                check_error(error)
        return events

    return asyncio.run(go())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["chat", "agent"]),
    st.data(),
    st.sampled_from([b"\n\n", b"\r\n\r\n", b"\r\r"]),
)
def test_odd_events_split_anywhere_through_the_client(
    dialect: str, data: st.DataObject, separator: bytes
) -> None:
    strategy = CHAT_CHUNK if dialect == "chat" else AGENT_EVENT
    events = data.draw(st.lists(rarely_an_error(strategy), min_size=1, max_size=5))
    raw = b"".join(b"data: " + json.dumps(e).encode() + separator for e in events)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(raw) - 1)), max_size=40)))
    chunks = [raw[a:b] for a, b in pairwise([0, *cuts, len(raw)])]
    provider = OPENROUTER if dialect == "chat" else PERPLEXITY

    check_events(stream_through_client(chunks, provider), contiguous=dialect == "chat")


# -- SSE framing and think tags -----------------------------------------------------------------


@FUZZ
@given(
    st.lists(
        st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30), max_size=6
    ),
    st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=1, max_size=3),
    st.booleans(),
    st.data(),
)
def test_sse_round_trip_with_any_line_endings_comments_and_splits(
    datas: list[str], endings: list[bytes], comments: bool, data: st.DataObject
) -> None:
    raw = b""
    for number, value in enumerate(datas):
        end = endings[number % len(endings)]
        if comments:
            raw += b": keep-alive" + end
        raw += b"data: " + value.encode() + end + end
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(raw) - 1)), max_size=30)))
    parser = SSEParser()
    parsed = [e for a, b in pairwise([0, *cuts, len(raw)]) for e in parser.feed(raw[a:b])]

    assert parsed + parser.close() == [SSEEvent(value) for value in datas]


def split_think(pieces: list[str]) -> tuple[str, str]:
    splitter = ThinkSplitter()
    reasoning, answer = "", ""
    for piece in pieces:
        for thought, text in splitter.feed(piece):
            reasoning, answer = reasoning + thought, answer + text
    thought, text = splitter.flush()
    return reasoning + thought, answer + text


@FUZZ
@given(
    st.lists(
        TEXT
        | st.sampled_from(["<think>", "</think>", "<", "/", ">", "\n", "    ", "\t", "- ", "```"]),
        max_size=8,
    ),
    st.data(),
)
def test_think_splitting_does_not_depend_on_where_the_deltas_break(
    parts: list[str], data: st.DataObject
) -> None:
    text = "".join(parts)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=12)))
    pieces = [text[a:b] for a, b in pairwise([0, *cuts, len(text)])]

    reasoning, answer = split_think(pieces)

    assert (reasoning, answer) == split_think([text])
    assert len(reasoning) + len(answer) <= len(text)


# -- error bodies ---------------------------------------------------------------------------------

ERROR_BODY = (
    st.binary(max_size=200)
    | maybe(st.fixed_dictionaries({"error": maybe(ERROR)})).map(lambda v: json.dumps(v).encode())
    | record(detail=st.lists(maybe(record(loc=st.lists(TEXT), msg=TEXT)), max_size=3)).map(
        lambda v: json.dumps(v).encode()
    )
    | st.tuples(TEXT, TEXT).map(lambda t: f"<html><title>{t[0]}</title>{t[1]}</html>".encode())
)


@FUZZ
@given(st.integers(300, 599), ERROR_BODY, st.sampled_from(["", KEY, f"Bearer {KEY}", KEY[:14]]))
def test_any_error_body_is_one_inert_key_free_sentence(status: int, body: bytes, echo: str) -> None:
    body = body.replace(b"[", echo.encode() + b"[", 1) if echo else body
    error = error_for_status(status, body + echo.encode(), OPENROUTER, api_key=KEY, model="m")

    assert isinstance(error, ClientError)
    check_error(error)


@FUZZ
@given(st.fixed_dictionaries({"error": maybe(ERROR)}) | record(type=TEXT, response=AGENT_RESPONSE))
def test_any_in_band_error_is_one_inert_key_free_sentence(payload: dict[str, Any]) -> None:
    check_error(error_for_event(payload, OPENROUTER, api_key=KEY))
