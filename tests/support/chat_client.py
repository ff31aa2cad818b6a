"""A ChatClient on the loopback server and what the chat-completions tests read from its events."""

from __future__ import annotations

from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.events import TextDelta
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.providers import build_catalog
from tests.support import recorded
from tests.support.loopback import LoopbackServer, Reply
from tests.support.retries import NO_WAIT

KEY = "sk-or-v1-chattestkey0123456789"


def client_for(loopback: LoopbackServer, provider: str = "openrouter", **kw: object) -> ChatClient:
    info = build_catalog().provider(provider)
    return ChatClient(info, KEY, base_url=loopback.base_url + "/api/v1", retry=NO_WAIT, **kw)  # type: ignore[arg-type]


def ask(question: str = "Tell me about cafés", **kw: object) -> ChatRequest:
    return ChatRequest(model="perplexity/sonar", turns=(Turn("user", question),), **kw)  # type: ignore[arg-type]


async def run(loopback: LoopbackServer, *chunks: bytes, **kw: object):
    loopback.queue(Reply(chunks=list(chunks)))
    async with client_for(loopback, **kw) as client:
        return await recorded.collect(client.stream(ask()))


def fold(events) -> AnswerBuilder:
    builder = AnswerBuilder()
    for event in events:
        builder.add(event)
    return builder


def texts(events) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))
