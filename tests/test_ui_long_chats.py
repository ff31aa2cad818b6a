"""A chat of 5,000 messages in the app: it opens, and a question there is answered and saved
in seconds (issue 13 item 9). Adding a message once walked the whole chat for each message
on the way to it: ~20 s per message here, twice per question, with the app frozen."""

from __future__ import annotations

import time

import pytest

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from tests.support.tui import demo_app, on_screen, send, until, workspace


def long_chat(exchanges: int) -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    parent = ""
    for number in range(exchanges):
        for role, text in (("user", f"question {number}"), ("assistant", f"answer {number}")):
            message = Message(role=role, content=text, parent_id=parent)  # type: ignore[arg-type]
            chat.messages.append(message)
            parent = message.id
    store.save(chat)
    return chat.id


async def test_a_question_in_a_5000_message_chat_is_answered_and_saved_in_seconds() -> None:
    chat_id = long_chat(2500)
    app = demo_app(chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "answer 2499"), timeout=30)
        started = time.monotonic()
        await send(pilot, "And the next one?")
        await until(pilot, lambda: workspace(app).pending is None, timeout=60)
        took = time.monotonic() - started
    saved = ChatStore().load(chat_id)
    assert len(saved.messages) == 5002
    assert [m.role for m in saved.active_path()[-3:]] == ["assistant", "user", "assistant"]
    assert saved.active_path()[-2].content == "And the next one?"
    assert took < 15, took  # ~40 s when each add walked the chat per message


async def test_the_key_bar_offers_retry_without_walking_the_chat(monkeypatch) -> None:
    """The key bar asks whether to offer ctrl+r at every refresh: it looks at the last shown
    answer, never walks the chat (a walk of a 5,000-message chat per key bar refresh)."""
    from pplx_tui.models import Chat, MessageStatus
    from pplx_tui.ui.widgets.key_bar import KeyBar
    from tests.support.tui import region_text

    chat_id = long_chat(250)
    store = ChatStore()
    chat = store.load(chat_id)
    chat.messages[-1].status = MessageStatus.ERROR
    store.save(chat)
    app = demo_app(chat_id=chat_id)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "answer 249"))
        screen = workspace(app)
        walks = []
        original = Chat.path_from
        monkeypatch.setattr(Chat, "path_from", lambda *a: walks.append(1) or original(*a))
        for _ in range(10):
            assert screen.binding_description("retry") == "Retry"
        assert walks == []
        await until(pilot, lambda: "Retry" in region_text(app, screen.query_one(KeyBar)))


async def test_a_big_chat_file_says_it_is_opening(monkeypatch) -> None:
    """A 145 MB chat takes seconds to read: the app says so instead of showing nothing (the
    limit is lowered here: the file is small), and a small one opens without a word."""
    from pplx_tui.ui.screens import chat_actions
    from tests.support.tui import Notifications

    small, big = long_chat(2), long_chat(3)
    size = ChatStore().file_size(big)
    assert size is not None and size > (ChatStore().file_size(small) or 0)
    monkeypatch.setattr(chat_actions, "BIG_CHAT", size - 1)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await workspace(app).open_chat(small)
        await until(pilot, lambda: on_screen(app, "answer 1"))
        assert not [t for t in notes.texts() if "Opening" in t]
        await workspace(app).open_chat(big)
        await until(pilot, lambda: on_screen(app, "answer 2"))
        assert [t for t in notes.texts() if "Opening" in t] == [
            "Opening a long chat: this takes a few seconds…"
        ]


async def test_focusing_a_long_chat_restyles_the_conversation_not_every_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual restyles a widget gaining or losing the focus and all that is in it: every
    widget of a page of messages, each time the focus came to or left the conversation."""
    from textual.css.stylesheet import Stylesheet

    from pplx_tui.ui.widgets.conversation import Conversation

    chat_id = long_chat(20)
    app = demo_app(chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "answer 19"))
        conversation = workspace(app).query_one(Conversation)
        workspace(app).prompt.focus()
        await until(pilot, lambda: not conversation.has_focus)
        unfocused = conversation.styles.background_tint
        restyled: list[object] = []
        update_nodes = Stylesheet.update_nodes

        def counted(self: Stylesheet, nodes, animate: bool = False) -> None:  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            restyled.extend(nodes)
            update_nodes(self, nodes, animate)

        monkeypatch.setattr(Stylesheet, "update_nodes", counted)
        conversation.focus()
        await until(pilot, lambda: conversation.has_focus)
        await pilot.pause()
        assert conversation.styles.background_tint != unfocused  # its own focus look
        assert conversation in restyled
        assert len(conversation.query(".-turn")) >= 10  # a page of messages is shown
        inside = [node for node in restyled if conversation in node.ancestors]
        assert not inside, f"{len(inside)} widgets in the conversation restyled"
