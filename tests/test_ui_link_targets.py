"""In the app a Markdown link that is not http(s) (``mailto:``, a relative path, as
``javascript:`` already was) is shown as text with its real target, as `pplx ask` and the
exports show it, and the reading cursor (``n``) does not stop on it (QA: only the label showed,
``n`` stopped there and ``o`` said "This has no web link to open or copy.")."""

from __future__ import annotations

from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.conversation import Conversation
from tests.support.tui import region_text, until, workspace

CONTENT = (
    "Write [mailto](mailto:a@b.c), see [rel](/relative/path), [js](javascript:alert(1)), "
    "<mailto:x@y.z> and [web](https://example.org/x) [1]."
)


async def test_a_link_that_is_not_a_web_link_shows_its_target_and_is_no_stop() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content="Links?"))
    chat.messages.append(
        Message(
            role="assistant",
            content=CONTENT,
            provider="demo",
            model="demo/sonar",
            sources=[Source(index=1, url="https://s1.example/", title="Source 1")],
        )
    )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(150, 30)) as pilot:
        conversation = workspace(app).query_one(Conversation)
        await until(pilot, lambda: "web" in region_text(app, conversation))
        shown = " ".join(region_text(app, conversation).split())
        for written in (
            "[mailto](mailto:a@b.c)",
            "[rel](/relative/path)",
            "[js](javascript:alert(1))",
            "mailto:x@y.z",
        ):
            assert written in shown, shown
        hrefs = [spot.href for view in workspace(app).query(AnswerText) for spot in view.spots()]
        assert hrefs == ["https://example.org/x", "#source-1"]
