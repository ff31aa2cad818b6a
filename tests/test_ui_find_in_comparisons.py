"""A find's hit, or a chat search's, in a compared answer: scrolled to and shown (QA: the find
bar counted the hit and the view went to the chat's top, the compared answers never shown)."""

from __future__ import annotations

import pytest

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.tui import find_in_chat, region_text, type_text, until, workspace


def compared_chat() -> Chat:
    """A long first answer, then two compared answers, only the second holding "caffeine"."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="How many moons does Mars have?"))
    earlier = "\n\n".join(f"Earlier paragraph {n}." for n in range(40))
    chat.add(Message(role="assistant", content=earlier, model="demo/sonar"))
    question = chat.add(Message(role="user", content="Is coffee good for you?"))
    columns = (("demo/sonar", "Coffee is fine."), ("demo/sonar-pro", "Mind the caffeine."))
    for model, text in columns:
        chat.add(
            Message(role="assistant", content=text, model=model, comparison="c1"),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[0].id)
    return store.save(chat)


@pytest.mark.parametrize("size", [(150, 40), (80, 24)])
async def test_a_find_in_a_compared_answer_scrolls_to_it_and_shows_it(
    size: tuple[int, int],
) -> None:
    chat = compared_chat()
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=size) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: bool(conversation.query(Comparison)))
        conversation.scroll_home(animate=False, immediate=True)
        await pilot.pause()

        await find_in_chat(pilot, "caffeine")

        comparison = conversation.query_one(Comparison)
        column = comparison.views[1]
        if comparison.narrow:
            # Its column hidden: the comparison is shown and marked, the column named; the
            # answer later questions follow is not switched (QA: a find switched it, saved).
            await until(pilot, lambda: "Coffee is fine." in region_text(app, conversation))
            assert comparison.has_class("-found") and comparison.current == 0
            assert any("Found in sonar-pro's answer" in n.message for n in app._notifications)
            assert chat.chosen_ids() == ChatStore().load(chat.id).chosen_ids()
            return
        await until(pilot, lambda: "Mind the caffeine." in region_text(app, conversation))
        assert conversation.selected is column and column.has_class("-found")
        assert "Mind the caffeine." in region_text(app, column)


async def test_a_chat_search_hit_in_a_compared_answer_is_scrolled_to() -> None:
    chat = compared_chat()
    app = make_app()  # on a new chat: the search opens the compared one
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f")
        await type_text(pilot, "caffeine")
        await until(pilot, lambda: "caffeine" in region_text(app, chat_list))
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.id == chat.id)

        conversation = screen.conversation
        await until(pilot, lambda: "Mind the caffeine." in region_text(app, conversation))
        column = conversation.query_one(Comparison).views[1]
        assert column.has_class("-found") and conversation.selected is column
