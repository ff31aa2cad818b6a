"""Recorded-shape provider streams (trimmed captures, PROTOCOL.md) and helpers to replay them.

Each ``*_events()`` function returns the ``data:`` payloads of one stream (dicts, or the
literal ``"[DONE]"``); :func:`frames` turns them into SSE byte chunks for the loopback server.
The answers contain non-ASCII text and markers split across deltas on purpose. The Agent API's
run is in :mod:`tests.support.recorded_agent`.
"""

from __future__ import annotations

import json
from typing import Any

from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import StreamEvent

# --- Perplexity (chat completions, 2026 shape) -------------------------------------------------

SEARCH_RESULTS: list[dict[str, Any]] = [
    {
        "title": "Café culture in Tōkyō — a history",
        "url": "https://example.jp/cafe",
        "date": "2024-11-02",
        "last_updated": "2025-01-03",
        "snippet": "Kissaten, the\tTokyo\ncoffee houses…",
        "source": "web",
    },
    {
        "title": "\x1b]52;c;ZXZpbA==\x07Evil title\x1b[31m",
        "url": "https://example.org/two",
        "date": None,
        "snippet": "Second snippet",
        "source": "web",
    },
    {
        "title": "Third source",
        "url": "https://example.net/three",
        "date": "2023-05-01",
        "snippet": "Third snippet",
        "source": "web",
    },
]
CITATIONS = [r["url"] for r in SEARCH_RESULTS]

ANSWER_PIECES = [
    "**Café",
    "** culture in ",
    "東京",
    " is old [",
    "1",
    "][3]. ",
    "Done — ",
    "ok [2].",
]
ANSWER = "".join(ANSWER_PIECES)


def perplexity_2026_events(pieces: list[str] | None = None, *, repeat: bool = True) -> list[Any]:
    """``chat.completion.chunk`` events, a ``chat.completion.done`` event with cost, ``[DONE]``.

    Sources are repeated on every chunk, as Perplexity does, unless ``repeat`` is false
    (then only the first chunk carries them: a smaller stream for byte-at-a-time tests).
    """
    pieces = ANSWER_PIECES if pieces is None else pieces
    base = {"id": "a3d5", "model": "sonar", "created": 1770768233}
    events: list[Any] = []
    for number, piece in enumerate(pieces, start=1):
        events.append(
            {
                **base,
                "usage": {
                    "prompt_tokens": 11,
                    "completion_tokens": number,
                    "total_tokens": 11 + number,
                },
                "citations": CITATIONS if repeat or number == 1 else [],
                "search_results": SEARCH_RESULTS if repeat or number == 1 else [],
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}}],
            }
        )
    done_usage = {
        "prompt_tokens": 11,
        "completion_tokens": len(pieces),
        "total_tokens": 11 + len(pieces),
        "cost": {
            "input_tokens_cost": 0.00001,
            "output_tokens_cost": 0,
            "request_cost": 0.005,
            "total_cost": 0.00501,
        },
    }
    events.append(
        {
            **base,
            "usage": done_usage,
            "citations": CITATIONS if repeat else [],
            "search_results": SEARCH_RESULTS if repeat else [],
            "related_questions": ["What is a kissaten?", "When did cafés reach Japan?"],
            "images": [
                {
                    "image_url": "https://img.example/a.jpg",
                    "origin_url": "https://example.jp/cafe",
                    "title": "A café",
                    "width": 640,
                    "height": 480,
                }
            ],
            "object": "chat.completion.done",
            "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": "stop"}
            ],
        }
    )
    events.append("[DONE]")
    return events


def perplexity_2025_events() -> list[Any]:
    """Older shape: cumulative ``message.content`` on every event, finish_reason, no [DONE]."""
    events: list[Any] = []
    so_far = ""
    for number, piece in enumerate(ANSWER_PIECES):
        so_far += piece
        last = number == len(ANSWER_PIECES) - 1
        events.append(
            {
                "id": "old",
                "model": "sonar",
                "object": "chat.completion",
                "created": 1740000000,
                "usage": {
                    "prompt_tokens": 9,
                    "completion_tokens": number + 1,
                    "total_tokens": 10 + number,
                },
                "citations": CITATIONS,
                "search_results": SEARCH_RESULTS if number >= 2 else [],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop" if last else None,
                        "message": {"role": "assistant", "content": so_far},
                        "delta": {"role": "assistant", "content": piece},
                    }
                ],
            }
        )
    return events


# --- OpenRouter --------------------------------------------------------------------------------

ANNOTATIONS = [
    {
        "type": "url_citation",
        "url_citation": {
            "url": "https://www.example.com/a",
            "title": "www.example.com/a",
            "start_index": 0,
            "end_index": 0,
        },
    },
    {
        "type": "url_citation",
        "url_citation": {
            "url": "https://news.example.org/b",
            "title": "news.example.org/b",
            "start_index": 0,
            "end_index": 0,
        },
    },
]


def openrouter_events(reasoning: bool = False) -> list[Any]:
    """Annotations on the first delta, finish_reason, then a usage event with ``choices: []``."""
    base = {
        "id": "gen-1",
        "provider": "Perplexity",
        "model": "perplexity/sonar",
        "object": "chat.completion.chunk",
        "created": 1770000000,
    }
    events: list[Any] = []
    if reasoning:
        for piece in ("Thinking about ", "cafés…"):
            events.append(
                {
                    **base,
                    "choices": [
                        {
                            "index": 0,
                            "delta": {"role": "assistant", "content": "", "reasoning": piece},
                        }
                    ],
                }
            )
    first = True
    for piece in ANSWER_PIECES:
        delta: dict[str, Any] = {
            "role": "assistant",
            "content": piece,
            "annotations": ANNOTATIONS if first else [],
        }
        events.append({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        first = False
    events.append(
        {
            **base,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": ""},
                    "finish_reason": "stop",
                    "native_finish_reason": "stop",
                }
            ],
        }
    )
    events.append(
        {
            **base,
            "choices": [],
            "usage": {
                "prompt_tokens": 12,
                "completion_tokens": 30,
                "total_tokens": 42,
                "cost": 0.0062,
                "cost_details": {"upstream_inference_cost": 0.0062},
            },
        }
    )
    events.append("[DONE]")
    return events


def openrouter_error_events() -> list[Any]:
    """Two deltas, then the in-band error event OpenRouter sends with HTTP 200."""
    base = {"id": "gen-2", "object": "chat.completion.chunk", "model": "perplexity/sonar"}
    return [
        {**base, "choices": [{"index": 0, "delta": {"content": "Partial "}}]},
        {**base, "choices": [{"index": 0, "delta": {"content": "answer"}}]},
        {
            "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
            "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
        },
    ]


OPENROUTER_COMMENT = b": OPENROUTER PROCESSING\r\n\r\n"

# --- bytes and collection ------------------------------------------------------------------------


def frames(events: list[Any], *, crlf: bool = False) -> list[bytes]:
    """One SSE frame per event (``"[DONE]"`` passes through as text)."""
    newline = "\r\n" if crlf else "\n"
    texts = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in events]
    return [f"data: {text}{newline}{newline}".encode() for text in texts]


async def collect(stream: Any) -> tuple[list[StreamEvent], ClientError | None]:
    """Every event of ``stream`` and the error that ended it (``None`` on success)."""
    events: list[StreamEvent] = []
    try:
        async for event in stream:
            events.append(event)
    except ClientError as error:
        return events, error
    return events, None


def shared_server_fixtures() -> tuple[Any, Any]:
    """A module-wide loopback server (starting and stopping one costs ~0.5 s) and a
    per-test ``loopback`` fixture that hands it out with an empty queue and request log."""
    import pytest

    from tests.support.loopback import LoopbackServer

    @pytest.fixture(scope="module")
    def module_server() -> Any:
        server = LoopbackServer().start()
        try:
            yield server
        finally:
            server.stop()

    @pytest.fixture
    def loopback(module_server: LoopbackServer) -> LoopbackServer:
        module_server.requests.clear()
        module_server._queue.clear()
        module_server.default = None
        return module_server

    return module_server, loopback
