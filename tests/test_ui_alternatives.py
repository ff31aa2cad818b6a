"""Alternatives, branches, comparisons and related questions, driven through pilots.

Every answer comes from the loopback server (OpenRouter's chat-completions wire format over
real sockets); the tests assert on what the server received and on the saved chat.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, sse
from tests.support.tui import Notifications, ask, loopback_app, on_screen, settle, workspace

WIDE = (150, 40)


def reply(text: str, *urls: str, **extra: Any) -> Reply:
    """A chat-completions stream answering ``text`` with ``urls`` as its sources."""
    results = [{"title": url.split("/")[-1] or url, "url": url} for url in urls]

    def event(content: str, finish: str | None = None, **more: Any) -> dict[str, Any]:
        choice = {"index": 0, "delta": {"role": "assistant", "content": content}}
        return {
            "id": "gen-1",
            "object": "chat.completion.chunk",
            "citations": list(urls),
            "search_results": results,
            "choices": [{**choice, "finish_reason": finish}],
            **more,
        }

    frames = sse(event(text), event("", "stop", **extra), done=True)
    return Reply(chunks=frames)


def sent_turns(request: RecordedRequest) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in request.json["messages"] if m["role"] != "system"]


def saved(chat_id: str) -> Chat:
    return ChatStore().load(chat_id)


async def focus_conversation(pilot: Pilot[Any]) -> None:
    workspace(pilot.app).conversation.focus()
    await pilot.pause()


async def test_a_related_question_is_asked_with_enter(loopback: LoopbackServer) -> None:
    related = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related), reply("OK"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        assert on_screen(app, "→ How big is Phobos?")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.press("down", "enter")
        await settle(pilot)
    assert sent_turns(loopback.requests[1])[-1] == ("user", "Will Phobos crash into Mars?")
    assert saved(chat_id).messages[1].related_questions == related


async def test_images_are_listed_openable_and_copyable(loopback: LoopbackServer) -> None:
    images = [
        {"image_url": "javascript:alert(1)", "title": "never listed"},
        {
            "image_url": "https://img.example/phobos.jpg",
            "origin_url": "https://nasa.gov/phobos",
            "title": "Phobos",
        },
    ]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", images=images))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        assert on_screen(app, "from nasa.gov · https://img.example/phobos.jpg")
        assert not on_screen(app, "never listed")
        await focus_conversation(pilot)
        await pilot.press("i")
        assert isinstance(app.focused, ImageList)
        await pilot.press("c")
        assert app.clipboard == "https://img.example/phobos.jpg"
        await pilot.press("escape", "shift+tab")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert any("no related questions" in text for text in notes.texts())
    assert [i.title for i in saved(chat_id).messages[1].images] == ["never listed", "Phobos"]


@pytest.mark.parametrize("size", [(150, 40), (100, 30)])
async def test_a_saved_comparison_reopens_in_columns_or_one_with_a_switcher(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    del loopback
    store = ChatStore()
    chat = store.new_chat()
    from pplx_tui.models import Message

    question = chat.add(Message(role="user", content="Moons?"))
    for model in ("demo/sonar", "demo/sonar-reasoning"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
        )
    chat.choose(chat.children(question.id)[0].id)
    store.save(chat)
    from pplx_tui.ui.factory import make_app

    app = make_app(chat_id=chat.id, cursor_blink=False, environ={})
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        comparison = workspace(app).query_one(Comparison)
        assert comparison.narrow == (size[0] < 120)
        shown = [v for v in comparison.views if v.display and v.styles.display != "none"]
        assert comparison.current == 0
        if comparison.narrow:
            assert on_screen(app, "[1/2 demo/sonar]") and len(shown) == 1
        else:
            assert on_screen(app, "Later questions follow 1 demo/sonar") and len(shown) == 2
