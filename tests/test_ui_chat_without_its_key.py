"""A saved chat whose provider has no key here goes on with the provider in use, and says so
however it is opened: from the chat list, or with ``pplx --chat ID`` (QA: that one said
nothing, the header alone showed the demo)."""

from __future__ import annotations

from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from tests.support.chats import seeded_chat
from tests.support.tui import Notifications, until, workspace

SAID = "This chat used openrouter, which has no key here; staying on demo."


def openrouter_chat() -> str:
    chat = seeded_chat("What is a tardigrade?", "A water bear [1].")
    chat.messages[-1].provider, chat.messages[-1].model = "openrouter", "perplexity/sonar"
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    ChatStore().save(chat)
    return chat.id


async def test_pplx_chat_says_the_chat_s_provider_has_no_key_here() -> None:
    chat_id = openrouter_chat()
    notes = Notifications()
    app = make_app(chat_id=chat_id)  # as `pplx --chat ID` makes it
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: SAID in notes.texts("warning"))
        assert screen.chat.id == chat_id and screen.target.provider.name == "demo"


async def test_the_chat_list_says_the_same() -> None:
    chat_id = openrouter_chat()
    notes = Notifications()
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat_id)
        await until(pilot, lambda: SAID in notes.texts("warning"))
        assert screen.target.provider.name == "demo"


async def test_a_failed_answer_is_not_retried_on_another_provider_unasked() -> None:
    """QA: ctrl+r ("retry, same model") on the OpenRouter answer that failed asked the demo
    instead, and its canned answer became the chosen one, without a word. It says the
    provider has no key here and what to do."""
    from pplx_tui.models import MessageStatus

    store = ChatStore()
    chat = store.load(openrouter_chat())
    chat.messages[-1].status, chat.messages[-1].error = MessageStatus.ERROR, "HTTP 500"
    store.save(chat)
    notes = Notifications()
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.conversation.last_message() is not None)
        await pilot.press("ctrl+r")
        said = "This answer came from OpenRouter, which has no key here: ctrl+k adds one"
        await until(pilot, lambda: any(said in text for text in notes.texts("warning")))
        await pilot.pause()
        assert len(screen.chat.messages) == 2 and screen.pending is None
