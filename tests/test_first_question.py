"""The first question is not slowed by work that can be done before it (issue 12): the
request is on the wire before the app builds anything for it, and the answer widgets' CSS is
parsed while the app waits for the first question, not after Enter."""

from __future__ import annotations

from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.providers import build_catalog
from tests.support.answers import reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import ask, loopback_app, until, workspace

WIDE = (120, 40)


async def test_the_client_says_when_the_request_is_on_the_wire(loopback: LoopbackServer) -> None:
    loopback.queue(reply("Two moons."))
    said: list[int] = []
    info = build_catalog().provider("openrouter")
    request = ChatRequest(model="perplexity/sonar", turns=(Turn("user", "Moons?"),))
    async with ChatClient(info, "sk-or-v1-k", base_url=loopback.base_url + "/api/v1") as client:
        events = [
            len(said)
            async for _ in client.stream(
                request, on_sent=lambda: said.append(len(loopback.requests))
            )
        ]
    assert len(said) == 1  # once, before anything came back
    assert events and all(n == 1 for n in events)


async def test_the_first_answer_finds_its_css_parsed(loopback: LoopbackServer) -> None:
    loopback.queue(reply("Phobos and Deimos [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        sheet = app.stylesheet
        # Once the answer widgets are imported (after the first frame), their CSS is parsed.
        await until(pilot, lambda: any("AnswerView" in where for _, where in sheet.source))
        await until(pilot, lambda: not sheet._require_parse)
        before = set(sheet.source)
        await ask(pilot, "How many moons has Mars?")
        assert workspace(app).conversation.selected is not None
        assert set(sheet.source) == before  # nothing new to parse on the first Enter
