"""A recorded-shape Perplexity Agent API run (``POST /v1/agent``, PROTOCOL.md §0): two search
batches, text deltas and ``response.completed``. Replay it with
:func:`tests.support.recorded.frames`."""

from __future__ import annotations

from typing import Any

AGENT_BATCH_1 = [
    {
        "id": 1,
        "title": "Agent one",
        "url": "https://a.example/1",
        "date": "2006-11-28",
        "last_updated": "2024-01-01",
        "snippet": "first",
        "source": "web",
    },
    {
        "id": 2,
        "title": "Agent two",
        "url": "https://a.example/2",
        "snippet": "second",
        "source": "web",
    },
]
AGENT_BATCH_2 = [
    {
        "id": 3,
        "title": "Agent three",
        "url": "https://b.example/3",
        "snippet": "third",
        "source": "web",
    },
    {
        "id": 5,
        "title": "Agent five",
        "url": "https://b.example/5",
        "snippet": "fifth",
        "source": "web",
    },
]
AGENT_TEXT = ["Tō", "kyō has ", "many cafés [", "1][", "5]."]


INCOMPLETE = {
    "type": "response.incomplete",
    "response": {
        "status": "incomplete",
        "incomplete_details": {"reason": "max_output_tokens"},
        "usage": {"input_tokens": 5, "output_tokens": 16},
    },
}
"""The end of a run cut at its ``max_output_tokens``."""


def agent_events(*, terminal: dict[str, Any] | None = None) -> list[Any]:
    """A run with two search batches, text deltas and ``response.completed`` (no [DONE])."""
    n = iter(range(1000))
    events: list[Any] = [
        {
            "type": "response.created",
            "sequence_number": next(n),
            "response": {"id": "resp_1", "status": "in_progress", "model": "fast"},
        },
        {"type": "response.in_progress", "sequence_number": next(n)},
        {
            "type": "response.output_item.added",
            "sequence_number": next(n),
            "item": {
                "type": "function_call",
                "name": "search_web",
                "arguments": '{"queries":["cafes"]}',
            },
        },
        {
            "type": "response.reasoning.search_queries",
            "sequence_number": next(n),
            "queries": ["tokyo cafes"],
            "thought": "Searching the web...",
        },
        {
            "type": "response.reasoning.search_results",
            "sequence_number": next(n),
            "results": AGENT_BATCH_1,
            "thought": "Found 2 results",
        },
        {
            "type": "response.reasoning.search_queries",
            "sequence_number": next(n),
            "queries": ["kissaten history", "café 東京"],
            "thought": "Searching again",
        },
        {
            "type": "response.reasoning.search_results",
            "sequence_number": next(n),
            "results": AGENT_BATCH_2,
            "thought": "Found 2 more",
        },
        {
            "type": "response.output_item.done",
            "sequence_number": next(n),
            "item": {
                "type": "search_results",
                "queries": ["tokyo cafes"],
                "results": AGENT_BATCH_1 + AGENT_BATCH_2,
            },
        },
        {
            "type": "response.output_item.added",
            "sequence_number": next(n),
            "item": {"type": "message", "role": "assistant"},
        },
        {"type": "response.some_future_event", "sequence_number": next(n), "whatever": [1, 2]},
    ]
    for piece in AGENT_TEXT:
        events.append(
            {
                "type": "response.output_text.delta",
                "delta": piece,
                "item_id": "msg_1",
                "output_index": 1,
                "content_index": 0,
                "sequence_number": next(n),
            }
        )
    events.append(
        terminal
        or {
            "type": "response.completed",
            "sequence_number": next(n),
            "response": {
                "status": "completed",
                "output": [],
                "usage": {
                    "input_tokens": 3007,
                    "output_tokens": 37,
                    "total_tokens": 3044,
                    "cost": {
                        "input_cost": 0,
                        "output_cost": 0.00002,
                        "tool_calls_cost": 0.001,
                        "total_cost": 0.00105,
                        "currency": "USD",
                    },
                },
            },
        }
    )
    return events
