"""The offline demo provider: an in-process HTTP transport that speaks Perplexity's SSE.

:class:`DemoTransport` answers ``POST …/chat/completions`` with real ``text/event-stream``
bytes in Perplexity's 2026 shape — ``citations`` and ``search_results`` on every chunk,
cumulative ``usage`` (with a cost of nothing, so `pplx usage` counts its answers as priced), a
final ``chat.completion.done`` chunk and then ``data: [DONE]`` — streamed at a human pace.
The client parses them with the production chat dialect, so the demo exercises exactly the
code a real answer goes through.

Like a chat-completions server it sends ``related_questions`` only to a request with
``return_related_questions: true`` (the search settings' Related toggle); it has no images to
send for ``return_images``.

The pace is ``PPLX_DEMO_DELAY`` seconds per delta (``0`` in tests and benches), else 8 ms.
``demo/sonar-reasoning`` streams a ``<think>`` part first, with its tags split across deltas
like a real reasoning model's.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx

from pplx_tui.client.demo_answers import DEMO_FOOTER, DemoAnswer, choose
from pplx_tui.providers import ProviderInfo, builtin_providers

DEFAULT_DELAY = 0.008
DELAY_VARIABLE = "PPLX_DEMO_DELAY"
_PIECE = re.compile(r"\s*\S+(?:\s+\S+)?\s*|\s+")
_MARKERS = re.compile(r" ?(?:\[\d+\])+")
"""Citation markers, with the space before them (``Deimos [1][4].`` → ``Deimos.``)."""


def demo_delay() -> float:
    """The pace from ``PPLX_DEMO_DELAY`` (seconds per delta), else the default."""
    try:
        value = float(os.environ.get(DELAY_VARIABLE, DEFAULT_DELAY))
    except ValueError:
        return DEFAULT_DELAY
    return value if 0 <= value <= 5 else DEFAULT_DELAY


def _demo_provider() -> ProviderInfo:
    return next(p for p in builtin_providers() if p.dialect == "demo")


class _Frames(httpx.AsyncByteStream):
    """SSE frames released one at a time, ``delay`` seconds apart."""

    def __init__(self, frames: list[bytes], delay: float) -> None:
        self._frames = frames
        self._delay = delay

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for number, frame in enumerate(self._frames):
            if self._delay and number:
                await asyncio.sleep(self._delay)
            yield frame

    async def aclose(self) -> None:
        self._frames = []


class DemoTransport(httpx.AsyncBaseTransport):
    """Answers chat-completions and ``/models`` requests offline (see module docstring)."""

    def __init__(self, provider: ProviderInfo | None = None, *, add_key: str = "ctrl+k") -> None:
        self.delay = demo_delay()
        self.provider = provider or _demo_provider()
        self.add_key = add_key
        """The key its answers say opens the app's API key dialog."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.rstrip("/")
        if request.method == "GET" and path.endswith("/models"):
            data = [
                {"id": m.id, "name": m.label, "context_length": m.context_length}
                for m in self.provider.models
            ]
            return httpx.Response(200, json={"data": data})
        if request.method != "POST" or not path.endswith("/chat/completions"):
            return httpx.Response(
                404, json={"error": {"message": f"The demo has no {path or '/'} endpoint."}}
            )
        try:
            body = json.loads(await request.aread())
        except ValueError:
            return httpx.Response(400, json={"error": {"message": "The body is not JSON."}})
        model = body.get("model") if isinstance(body, dict) else None
        if not isinstance(model, str) or self.provider.model(model) is None:
            known = ", ".join(m.id for m in self.provider.models)
            return httpx.Response(
                400,
                json={
                    "error": {
                        "message": f"Invalid model {model!r}; the demo has {known}.",
                        "type": "invalid_model",
                        "code": 400,
                    }
                },
            )
        frames = demo_frames(body, model, self.add_key)
        return httpx.Response(
            200, headers={"Content-Type": "text/event-stream"}, stream=_Frames(frames, self.delay)
        )


def _question(body: dict[str, Any]) -> str:
    messages = body.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content")
                return content if isinstance(content, str) else ""
    return ""


def pieces(text: str) -> list[str]:
    """Split text into small deltas (one or two words with their spaces), like a model."""
    return _PIECE.findall(text)


def demo_frames(body: dict[str, Any], model: str, add_key: str = "ctrl+k") -> list[bytes]:
    """The complete SSE reply (as byte frames) for one chat-completions request (``add_key``:
    the key an answer says adds an API key in the app)."""
    question = _question(body)
    answer = choose(question, add_key)
    if body.get("disable_search") is True:  # as a server that did not search: nothing to cite
        answer = replace(answer, text=_MARKERS.sub("", answer.text), sources=())
    related = list(answer.related) if body.get("return_related_questions") is True else None
    deltas: list[str] = []
    if "reasoning" in model:
        deltas += ["<", "think>", *pieces(answer.thinking), "</th", "ink>", "\n\n"]
    deltas += pieces(answer.text + DEMO_FOOTER)
    chunk_id = hashlib.sha256(question.encode()).hexdigest()[:32]
    created = int(time.time())
    prompt_tokens = max(1, len(question.split()) * 4 // 3) + 4
    frames: list[bytes] = []
    for number, delta in enumerate(deltas, start=1):
        chunk = _chunk(chunk_id, model, created, answer, prompt_tokens, number)
        chunk["choices"] = [{"index": 0, "delta": {"role": "assistant", "content": delta}}]
        if related and number >= len(deltas) - 3:  # like Perplexity: near the end
            chunk["related_questions"] = related
        frames.append(_frame(chunk))
    final = _chunk(chunk_id, model, created, answer, prompt_tokens, len(deltas))
    final["object"] = "chat.completion.done"
    final["choices"] = [
        {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": "stop"}
    ]
    if related:
        final["related_questions"] = related
    frames.append(_frame(final))
    frames.append(b"data: [DONE]\n\n")
    return frames


def _chunk(
    chunk_id: str,
    model: str,
    created: int,
    answer: DemoAnswer,
    prompt_tokens: int,
    completion_tokens: int,
) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "search_context_size": "low",
        "cost": {
            "input_tokens_cost": 0,
            "output_tokens_cost": 0,
            "request_cost": 0,
            "total_cost": 0,
        },
    }
    return {
        "id": chunk_id,
        "model": model,
        "created": created,
        "usage": usage,
        "citations": [s.url for s in answer.sources],
        "search_results": [
            {
                "title": s.title,
                "url": s.url,
                "date": s.date,
                "last_updated": s.date,
                "snippet": s.snippet,
                "source": "web",
            }
            for s in answer.sources
        ],
        "object": "chat.completion.chunk",
    }


def _frame(chunk: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n"
