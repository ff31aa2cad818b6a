"""The providers' event skeletons with odd values in every slot (wrong types, huge or non-finite
numbers, escape sequences, stray ``<think>`` tags, ``javascript:`` URLs, a key), as hypothesis
strategies for ``test_fuzz_parsers``."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

KEY = "sk-or-v1-fuzzkey0123456789abcdefghijklmnopqrstuv"
"""A key that odd text may hold: it must never reach an error message."""

# -- odd values --------------------------------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\n\n",
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
        "\x1b[2J\x1b[H",
        "\x9b31m",
        "\x9d0;title\x9c",
        "\r\x00\x7f",
        "<think>",
        "</think>",
        "<thi",
        "[1]",
        "[",
        "\u202eevil",
        "javascript:alert(1)",
        "https://ok.example/a_(b)",
        KEY,
        "東京 🚀",
    ]
)
TEXT = NASTY | st.text(max_size=16) | st.lists(NASTY, min_size=2, max_size=4).map("".join)
NUMBER = (
    st.integers(-5, 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["12", "0.005", "NaN", "inf", "-1", "1e400"])
)
ODD = st.none() | st.booleans() | NUMBER | TEXT | st.lists(TEXT, max_size=2) | st.just({})


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually the right shape, sometimes anything at all."""
    return st.one_of(strategy, strategy, strategy, ODD)


def record(required: dict[str, Any] | None = None, **optional: Any) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {k: maybe(v) for k, v in (required or {}).items()},
        optional={k: maybe(v) for k, v in optional.items()},
    )


URL = st.sampled_from(["https://a.example/1", "https://b.example/2", "http://c.example"]) | TEXT
RESULT = record(url=URL, title=TEXT, date=TEXT, snippet=TEXT, last_updated=TEXT, source=TEXT)
USAGE = record(
    prompt_tokens=NUMBER,
    completion_tokens=NUMBER,
    total_tokens=NUMBER,
    input_tokens=NUMBER,
    output_tokens=NUMBER,
    cost=NUMBER
    | st.dictionaries(st.sampled_from(["total_cost", "request_cost", "input_tokens_cost"]), NUMBER),
)
ANNOTATION = record(type=st.just("url_citation"), url_citation=record(url=URL, title=TEXT))
DELTA = record(
    role=st.just("assistant"),
    content=TEXT,
    reasoning=TEXT,
    annotations=st.lists(maybe(ANNOTATION), max_size=3),
)
CHOICE = record(
    {"delta": DELTA},
    index=st.integers(0, 2),
    finish_reason=st.sampled_from(["stop", "length", "error"]) | TEXT,
    message=DELTA,
)
CHAT_CHUNK = record(
    {"choices": st.lists(maybe(CHOICE), max_size=2)},
    object=st.sampled_from(["chat.completion.chunk", "chat.completion", "chat.completion.done"]),
    citations=st.lists(maybe(URL), max_size=4),
    search_results=st.lists(maybe(RESULT), max_size=4),
    usage=USAGE,
    images=st.lists(maybe(record(image_url=URL, title=TEXT, width=NUMBER)), max_size=2),
    related_questions=st.lists(maybe(TEXT), max_size=3),
)
ERROR = record(message=TEXT, type=TEXT, code=st.integers(100, 600) | TEXT, metadata=ODD)
AGENT_RESULT = record(id=st.integers(-1, 6) | NUMBER, url=URL, title=TEXT, date=TEXT, snippet=TEXT)
AGENT_RESPONSE = record(
    status=st.sampled_from(["completed", "failed", "in_progress"]),
    usage=USAGE,
    incomplete_details=record(reason=TEXT),
    output=st.lists(
        maybe(record(type=st.just("message"), content=st.lists(record(text=TEXT), max_size=2))),
        max_size=2,
    ),
)
AGENT_EVENT = record(
    {
        "type": st.sampled_from(
            [
                "response.created",
                "response.output_text.delta",
                "response.reasoning_text.delta",
                "response.reasoning.search_queries",
                "response.reasoning.search_results",
                "response.output_item.done",
                "response.completed",
                "response.incomplete",
                "response.failed",
                "response.cancelled",
                "error",
            ]
        )
        | TEXT
    },
    delta=TEXT,
    queries=st.lists(maybe(TEXT), max_size=3),
    thought=TEXT,
    results=st.lists(maybe(AGENT_RESULT), max_size=4),
    item=record(type=st.just("search_results"), results=st.lists(maybe(AGENT_RESULT), max_size=3)),
    response=AGENT_RESPONSE,
    sequence_number=NUMBER,
)


def rarely_an_error(event: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An in-band error is a short, legal end of the stream: include it, but not too often."""
    return st.one_of(*[event] * 9, st.fixed_dictionaries({"error": maybe(ERROR)}))
