"""Recorded-shape Agent API runs of a non-fast preset: ``[web:N]`` markers, ids that continue
across search batches (arriving out of order), and ``fetch_url_results`` pages (PROTOCOL §2).

Written for these tests after the public 2026-10 captures' shapes: search batches ``results``
with ids 11-13, 21-22 and 1-3 (in that order, as parallel searches arrive), fetched pages in
``contents`` without ids (one is also a search result, one is new), and an answer citing
``[web:N]`` split across deltas, in a run, inside code (not a marker), and ``[web:0]``, which
names no source. :func:`stream_events` streams it; :func:`completed_body` is the same run as a
finished response object (a background run's final poll, or a non-streamed reply).
"""

from __future__ import annotations

from typing import Any

BATCH_ONE = [
    {"id": 11, "title": "Pricing — Pinecone", "url": "https://www.pinecone.example/pricing/"},
    {
        "id": 12,
        "title": "Understanding cost",
        "url": "https://docs.pinecone.example/cost",
        "last_updated": "2026-10-02",
        "snippet": "Serverless is usage-based.",
        "source": "web",
    },
    {"id": 13, "title": "Pods pricing", "url": "https://www.pinecone.example/pods/"},
]
BATCH_TWO = [
    {
        "id": 21,
        "title": "Vector database pricing — Weaviate",
        "url": "https://weaviate.example/pricing",
        "date": "2025-10-28",
        "source": "web",
    },
    {"id": 22, "title": "Support plans", "url": "https://weaviate.example/support"},
]
BATCH_THREE = [
    {"id": 1, "title": "Qdrant Cloud pricing", "url": "https://qdrant.example/pricing/"},
    {"id": 2, "title": "Billing & payments", "url": "https://qdrant.example/billing/"},
    {"id": 3, "title": "Managed cloud", "url": "https://qdrant.example/cloud/"},
]
FETCHED = [
    # Also search result 21: listed once, under its search id.
    {
        "title": "Vector Database Pricing - Weaviate",
        "url": "https://weaviate.example/pricing",
        "snippet": "## Plans\nFree, Flex from $45 / month, Premium.",
    },
    # Read whole but never a search result: numbered after the highest id (22 → 23).
    {
        "title": "www.milvus.example · pricing Zilliz Cloud pricing",
        "url": "https://milvus.example/pricing",
        "snippet": "Serverless from $0 …",
    },
]
TEXT_PIECES = [
    "| DB | Entry |\n|---|---|\n| Pinecone | $20 flat [web:",
    "11] |\n| Weaviate | $45 [web:21][web:1",
    "2] |\n| Qdrant | free [web:1] |\n\nMilvus too [web:23]. ",
    "Checked `[web:2]` and [web:0].",
]
TEXT = "".join(TEXT_PIECES)
CITED = {11, 21, 12, 1, 23, 0}
"""What :data:`TEXT` cites (``[web:2]`` is inside code)."""
UNKNOWN = [0]
USAGE = {
    "input_tokens": 3271,
    "output_tokens": 80,
    "total_tokens": 3351,
    "cost": {
        "input_cost": 0,
        "output_cost": 0.00004,
        "tool_calls_cost": 0.00359,
        "tool_calls_cost_details": {"fetch_url": 0.00359},
        "total_cost": 0.00363,
        "currency": "USD",
    },
}


def _batch(queries: list[str], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "search_results", "queries": queries, "results": results}


def output_items() -> list[dict[str, Any]]:
    """The ``output`` of the finished response: result items, then the message."""
    return [
        _batch(["pinecone pricing"], BATCH_ONE),
        _batch(["weaviate pricing"], BATCH_TWO),
        _batch(["qdrant pricing"], BATCH_THREE),
        {"type": "fetch_url_results", "contents": FETCHED},
        {
            "type": "message",
            "id": "msg_web",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": TEXT, "annotations": []}],
        },
    ]


def completed_body() -> dict[str, Any]:
    """The run as one finished response object (``GET /v1/agent/{id}`` or ``stream: false``)."""
    return {
        "id": "resp_web",
        "object": "response",
        "model": "openai/gpt-6-luna",
        "status": "completed",
        "background": True,
        "output": output_items(),
        "usage": USAGE,
    }


def stream_events(*, repeat_output: bool = True) -> list[dict[str, Any]]:
    """The streamed run; ``response.completed`` repeats the output unless ``repeat_output``."""
    n = iter(range(1000))
    events: list[dict[str, Any]] = [
        {"type": "response.created", "sequence_number": next(n), "response": {"id": "resp_web"}},
    ]
    for queries, batch in (
        (["pinecone pricing"], BATCH_ONE),
        (["weaviate pricing"], BATCH_TWO),
        (["qdrant pricing"], BATCH_THREE),
    ):
        events.append(
            {
                "type": "response.reasoning.search_queries",
                "sequence_number": next(n),
                "queries": queries,
                "thought": "Searching the web...",
            }
        )
        events.append(
            {
                "type": "response.reasoning.search_results",
                "sequence_number": next(n),
                "results": batch,
                "thought": f"Found {len(batch)} results",
            }
        )
    events.append(
        {
            "type": "response.reasoning.fetch_url_queries",
            "sequence_number": next(n),
            "urls": [page["url"] for page in FETCHED],
        }
    )
    events.append(
        {
            "type": "response.reasoning.fetch_url_results",
            "sequence_number": next(n),
            "contents": FETCHED,
        }
    )
    events.append(
        {
            "type": "response.output_item.done",
            "sequence_number": next(n),
            "item": {"type": "fetch_url_results", "contents": FETCHED},
        }
    )
    for piece in TEXT_PIECES:
        events.append(
            {
                "type": "response.output_text.delta",
                "sequence_number": next(n),
                "item_id": "msg_web",
                "output_index": 4,
                "content_index": 0,
                "delta": piece,
            }
        )
    response = completed_body()
    response["background"] = False
    if not repeat_output:
        response["output"] = []
    events.append({"type": "response.completed", "sequence_number": next(n), "response": response})
    return events


def expected_numbers() -> list[int]:
    """The sources' numbers, in list order: search ids ascending, then the fetched page."""
    return [1, 2, 3, 11, 12, 13, 21, 22, 23]
