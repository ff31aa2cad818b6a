"""The research workspace driven through pilots: ask, stream, stop, retry, switch models, chats.

Answers come from the offline demo (no delay) or from the loopback server speaking the
OpenRouter/Perplexity wire format over real sockets.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from pplx_tui.models import Chat, Message, MessageStatus, Source, Usage
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.commands import KEYED
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.widgets.answer_keys import ANSWER_BINDINGS
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.question_view import QuestionView
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support import recorded
from tests.support.cli import KEY
from tests.support.loopback import LoopbackServer, Reply, json_reply
from tests.support.tui import (
    ask,
    cited_in_panel,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    settle,
    type_text,
    until,
)
from tests.support.tui import workspace as research

WIDE = (150, 40)


def answer_reply(pieces: list[str] | None = None, **kw: Any) -> Reply:
    return Reply(chunks=recorded.frames(recorded.perplexity_2026_events(pieces)), **kw)


def answers(app: PplxApp) -> list[AnswerView]:
    return list(research(app).query(AnswerView))


def source_items(app: PplxApp) -> list[Source]:
    """The sources the panel lists, in order."""
    return list(research(app).query_one(SourcesPanel).sources)


# -- asking ---------------------------------------------------------------------------------------


async def test_demo_answer_streams_in_with_sources_and_is_saved() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "What is QUIC?")
        screen = research(app)
        question, answer = screen.chat.messages
        assert question.role == "user" and question.content == "What is QUIC?"
        assert answer.status == MessageStatus.COMPLETE
        assert answer.provider == "demo" and answer.model == "demo/sonar"
        assert answer.content and answer.sources
        assert screen.pending is None
        view = answers(app)[0]
        assert "demo/sonar" in str(view.query_one(".answer-view--label").render())
        items = source_items(app)
        assert [item.index for item in items] == [s.index for s in answer.sources]
        cited = cited_in_panel(app)
        assert cited and cited <= {s.index for s in answer.sources}
        assert not screen.chat.total_cost_usd  # the demo shows no invented cost
        assert "$" not in str(screen.header.render()) and not on_screen(app, "$0")
        saved = ChatStore().load(screen.chat.id)
        assert [m.role for m in saved.messages] == ["user", "assistant"]
        assert saved.messages[1].status == MessageStatus.COMPLETE
        assert research(app).chat_list.entries[0].id == screen.chat.id


async def test_loopback_answer_request_and_untrusted_titles(loopback: LoopbackServer) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Tell me about cafés")
        request = loopback.requests[-1]
        assert request.path == "/api/v1/chat/completions"
        assert request.json["model"] == "perplexity/sonar"
        assert request.json["messages"][-1] == {"role": "user", "content": "Tell me about cafés"}
        answer = research(app).chat.messages[-1]
        assert answer.content == recorded.ANSWER
        assert answer.usage and answer.usage.cost_usd == pytest.approx(0.00501)
        items = source_items(app)
        assert [item.index for item in items] == [1, 2, 3]
        assert cited_in_panel(app) == {1, 2, 3}
        assert "\x1b" not in region_text(app, research(app).query_one(SourcesPanel))
        assert "openrouter" in str(answers(app)[0].query_one(".answer-view--label").render())


async def test_follow_up_sends_the_history(loopback: LoopbackServer) -> None:
    loopback.queue(answer_reply(), answer_reply(["Second answer."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "First?")
        await ask(pilot, "Second?")
        sent = loopback.requests[-1].json["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert sent[1]["content"] == recorded.ANSWER
        assert len(research(app).chat.messages) == 4


# -- stopping, errors, retry -------------------------------------------------------------------


async def test_escape_mid_stream_keeps_the_partial_answer_as_interrupted(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["Partial ", "answer ", "never ", "finished."], hang_after=2))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        screen.query_one(PromptInput).focus()
        screen.query_one(PromptInput).insert("Slow question")
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        assert screen.check_action("stop", ()) is True
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        answer = screen.chat.messages[-1]
        assert answer.status == MessageStatus.INTERRUPTED
        assert answer.content == "Partial answer "
        assert screen.pending is None
        view = answers(app)[-1]
        assert view.has_class("-interrupted")
        assert "interrupted" in str(view.query_one(".answer-view--label").render())
        saved = ChatStore().load(screen.chat.id).messages[-1]
        assert saved.status == MessageStatus.INTERRUPTED and saved.content == "Partial answer "


async def test_new_question_while_streaming_interrupts_the_first(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["One ", "two ", "three."], hang_after=1), answer_reply(["Fine."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        screen.query_one(PromptInput).focus()
        screen.query_one(PromptInput).insert("First")
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await ask(pilot, "Second")
        roles = [(m.role, m.status) for m in screen.chat.messages]
        assert roles == [
            ("user", MessageStatus.COMPLETE),
            ("assistant", MessageStatus.INTERRUPTED),
            ("user", MessageStatus.COMPLETE),
            ("assistant", MessageStatus.COMPLETE),
        ]
        assert screen.chat.messages[-1].content == "Fine."


async def test_error_is_shown_inline_and_retry_asks_again(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(503, {"error": {"message": "Upstream overloaded", "code": 503}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone there?")
        screen = research(app)
        failed = screen.chat.messages[-1]
        assert failed.status == MessageStatus.ERROR and failed.error
        assert KEY not in failed.error
        view = answers(app)[-1]
        assert view.has_class("-error")
        error_text = str(view.query_one(".answer-view--error-text").render())
        assert error_text == failed.error
        assert ChatStore().load(screen.chat.id).messages[-1].status == MessageStatus.ERROR

        loopback.queue(answer_reply(["Here now."]))
        await pilot.click(".answer-view--retry")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [m.role for m in screen.chat.active_path()] == ["user", "assistant"]
        assert screen.chat.active_path()[-1].content == "Here now."
        assert len(answers(app)) == 1 and not answers(app)[0].has_class("-error")
        # The failed answer stays, as the first alternative of the question.
        assert screen.chat.alternatives(screen.chat.messages[-1].id)[0] is failed


async def test_ctrl_r_retries_after_a_failed_answer(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(402, {"error": {"message": "Insufficient credits", "code": 402}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Again?")
        assert research(app).chat.messages[-1].status == MessageStatus.ERROR
        loopback.queue(answer_reply(["Better."]))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert research(app).chat.messages[-1].content == "Better."


# -- models -------------------------------------------------------------------------------------


async def test_switching_model_mid_chat_applies_to_the_next_question(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["From sonar."]), answer_reply(["From pro."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "First?")
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ModelPickerScreen)
        picker.dismiss(("openrouter", "perplexity/sonar-pro"))
        await pilot.pause()
        screen = research(app)
        assert screen.header.model == "perplexity/sonar-pro"
        assert screen.chat.settings.model == "perplexity/sonar-pro"
        await ask(pilot, "Second?")
        assert loopback.requests[0].json["model"] == "perplexity/sonar"
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        models = [m.model for m in screen.chat.messages if m.role == "assistant"]
        assert models == ["perplexity/sonar", "perplexity/sonar-pro"]
        labels = [str(v.query_one(".answer-view--label").render()) for v in answers(app)]
        assert "perplexity/sonar · openrouter" in labels[0]
        assert "perplexity/sonar-pro · openrouter" in labels[1]
        saved = ChatStore().load(screen.chat.id)
        assert saved.settings.model == "perplexity/sonar-pro"


async def test_first_run_without_key_is_on_demo_and_says_how_to_add_one() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = research(app)
        assert screen.target.provider.name == "demo"
        notice = screen.query_one("#notice")
        assert notice.display and "ctrl+k" in str(notice.render())
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)


# -- sources ------------------------------------------------------------------------------------


async def test_open_and_copy_sources_from_the_panel(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Sources please")
        panel = research(app).query_one(SourcesPanel)
        panel.list_view.focus()
        await pilot.press("3")
        assert panel.highlighted is not None and panel.highlighted.index == 3
        await pilot.press("enter")
        assert opened == ["https://example.net/three"]
        await pilot.press("up", "c")
        assert copied == ["https://example.org/two"]


async def test_markers_jump_to_sources_and_only_web_links_open(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Markers")
        screen = research(app)
        panel = screen.query_one(SourcesPanel)
        conversation = screen.query_one(Conversation)
        conversation.focus()
        await pilot.press("n")
        assert panel.highlighted is not None and panel.highlighted.index == 1
        await pilot.press("n")
        assert panel.highlighted is not None and panel.highlighted.index == 3
        await pilot.press("p", "p")
        assert panel.highlighted is not None and panel.highlighted.index == 2
        await pilot.press("3")
        assert panel.highlighted is not None and panel.highlighted.index == 3

        segment = answers(app)[0].query(".answer-view--segment").last(MarkdownText)
        segment.post_message(MarkdownText.LinkClicked(segment, "#source-2"))
        await pilot.pause()
        assert panel.highlighted is not None and panel.highlighted.index == 2
        for href in ("javascript:alert(1)", "file:///etc/passwd"):
            segment.post_message(MarkdownText.LinkClicked(segment, href))
        segment.post_message(MarkdownText.LinkClicked(segment, "https://example.org/x"))
        await pilot.pause()
        assert opened == ["https://example.org/x"]


async def test_the_app_opens_only_web_links_and_copies_only_clean_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    from pplx_tui.ui import guarded_app as app_module

    launched: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **kw: launched.append(url))
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        app.copy_to_clipboard("an\x1b]52;c;ZXZpbA==\x07 answer\x1b[2J")
        assert app.clipboard == "an answer"

        monkeypatch.setattr(app_module, "_graphical_browser", lambda: True)
        for href in ("javascript:alert(1)", "file:///etc/passwd", "https://ok.example/\x1b[31ma"):
            app.open_url(href)
        await app.workers.wait_for_complete()  # the browser is started in a thread
        assert launched == ["https://ok.example/a"]

        monkeypatch.setattr(app_module, "_graphical_browser", lambda: False)  # over SSH
        app.open_url("https://example.org/page")
        await pilot.pause()
        assert launched == ["https://ok.example/a"]  # no lynx taking over the terminal
        assert app.clipboard == "https://example.org/page"


async def test_sources_follow_the_selected_answer(loopback: LoopbackServer) -> None:
    first = {**recorded.SEARCH_RESULTS[0], "url": "https://first.example/a", "title": "First"}
    loopback.queue(answer_reply(["One [1]."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "One")
        events = recorded.perplexity_2026_events(["Two [1]."])
        for event in events:
            if isinstance(event, dict):
                event["search_results"] = [first]
                event["citations"] = [first["url"]]
        loopback.queue(Reply(chunks=recorded.frames(events)))
        await ask(pilot, "Two")
        panel = research(app).query_one(SourcesPanel)
        assert [s.url for s in panel.sources] == ["https://first.example/a"]
        conversation = research(app).query_one(Conversation)
        conversation.focus()
        await pilot.press("shift+up")
        assert conversation.selected is answers(app)[0]
        assert [s.url for s in panel.sources] == recorded.CITATIONS
        assert panel.cited == {1}


# -- chats --------------------------------------------------------------------------------------


def saved_chat(store: ChatStore, title: str, pairs: int = 2) -> Chat:
    chat = store.new_chat()
    chat.title = title
    for number in range(pairs):
        chat.messages.append(Message(role="user", content=f"Question {number} of {title}?"))
        chat.messages.append(
            Message(
                role="assistant",
                content=f"Answer {number} [1].",
                provider="demo",
                model="demo/sonar",
                sources=[
                    Source(
                        index=1,
                        url=f"https://{title.lower()}.example/{number}",
                        title=f"{title} source",
                    )
                ],
                usage=Usage(total_tokens=10, cost_usd=0.001),
            )
        )
    return store.save(chat)


async def test_open_a_saved_chat_from_the_list() -> None:
    store = ChatStore()
    older = saved_chat(store, "Older")
    saved_chat(store, "Newer")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        assert [e.title for e in chat_list.entries] == ["Newer", "Older"]
        chat_list.options.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = research(app)
        assert screen.chat.id == older.id
        assert len(screen.query(QuestionView)) == 2 and len(answers(app)) == 2
        assert screen.header.chat_title == "Older"
        assert screen.header.cost == pytest.approx(0.002)
        panel = screen.query_one(SourcesPanel)
        assert [s.url for s in panel.sources] == ["https://older.example/1"]


async def test_start_on_a_saved_chat_and_continue_it() -> None:
    store = ChatStore()
    chat = saved_chat(store, "Kept")
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "And then?")
        messages = ChatStore().load(chat.id).messages
        assert len(messages) == 6 and messages[-2].content == "And then?"


async def test_long_chat_mounts_the_last_page_first() -> None:
    store = ChatStore()
    chat = saved_chat(store, "Long", pairs=PAGE)  # two pages of messages
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = research(app)
        shown = len(screen.query(".-turn"))
        assert shown <= PAGE < len(chat.messages)
        conversation = screen.query_one(Conversation)
        conversation.focus()
        await pilot.press("home")
        await until(pilot, lambda: not conversation.earlier_holds(chat.messages[0]))
        first = screen.query(".-turn").first()
        assert getattr(first, "message", None) is not None
        assert first.message.id == chat.messages[0].id  # type: ignore[attr-defined]


async def test_home_in_a_long_chat_shows_its_first_question() -> None:
    """QA: Home mounted the earlier page, but the view stayed (anchored) at the bottom, so the
    key looked dead; then it went back a page a press (Q16: ~117 presses in a long chat). One
    press shows the chat's first question; End comes back to its last."""
    store = ChatStore()
    chat = saved_chat(store, "Long", pairs=PAGE)  # two pages of messages
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        conversation = screen.query_one(Conversation)
        assert not on_screen(app, "Question 0 of Long?") and conversation.scroll_y > 0
        conversation.focus()
        await pilot.press("home")
        await until(pilot, lambda: on_screen(app, "Question 0 of Long?"))
        assert conversation.scroll_y == 0
        await pilot.press("end")
        last = chat.messages[-2].content
        await until(pilot, lambda: on_screen(app, last))


async def test_new_rename_delete_and_search_chats() -> None:
    store = ChatStore()
    saved_chat(store, "Kyoto")
    saved_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)

        chat_list.options.focus()
        chat_list.options.highlighted = 0
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen)
        await type_text(pilot, "Lisboa")
        await pilot.press("enter")
        await until(pilot, lambda: "Lisboa" in [e.title for e in chat_list.entries])

        chat_list.options.focus()
        chat_list.options.highlighted = [e.title for e in chat_list.entries].index("Kyoto")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y", "e", "s")  # typing meant for the prompt deletes nothing
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert len(ChatStore().list_chats()) == 2
        await pilot.press("tab", "enter")  # the Delete button, on purpose
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Lisboa"])
        assert [s.title for s in ChatStore().list_chats()] == ["Lisboa"]

        await pilot.press("ctrl+f")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "question 1")
        await until(pilot, lambda: chat_list.query_text == "question 1")
        await until(
            pilot, lambda: len(chat_list.entries) == 1 and bool(chat_list.entries[0].detail)
        )

        await ask(pilot, "A fresh one")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.chat.messages == []
        assert not screen.query(".-turn")


async def test_the_chat_search_box_finds_the_word_being_typed() -> None:
    """QA Q18: the box searches as the user types, and whole words found nothing ("Found in 0
    chats") until the word's last letter; the word being typed is a prefix there."""
    store = ChatStore()
    saved_chat(store, "Kyoto")
    saved_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await pilot.press("ctrl+f")
        await type_text(pilot, "kyo")
        await until(pilot, lambda: chat_list.query_text == "kyo")
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Kyoto"])
        await type_text(pilot, 'to "question 1 of"')  # a closed phrase is left as written
        await until(pilot, lambda: chat_list.query_text == 'kyoto "question 1 of"')
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Kyoto"])


# -- layout and keys ----------------------------------------------------------------------------


async def test_narrow_terminal_hides_side_panels_until_toggled() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        assert not chats.display and not sources.display
        await pilot.press("ctrl+s")
        assert sources.display
        await pilot.press("ctrl+b")
        assert chats.display
        await pilot.press("ctrl+b", "ctrl+s")
        assert not chats.display and not sources.display


async def test_at_120_columns_the_conversation_gets_the_room() -> None:
    """A new user's 120x40 terminal: sources shown, chat list on ctrl+b, 80+ columns to read."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        assert not chats.display and sources.display
        assert screen.query_one(Conversation).size.width >= 80
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert chats.display and chats.options.has_focus
        assert screen.query_one(Conversation).size.width >= 56


async def test_wide_terminal_shows_every_panel() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = research(app)
        assert screen.query_one(ChatList).display and screen.query_one(SourcesPanel).display
        assert "demo/sonar" in str(screen.header.render())


async def test_prompt_keys_newline_and_keymap(tmp_path: Any) -> None:
    from pplx_tui.config import Settings

    app = make_app(
        settings=Settings(keymap={"prompt.submit": "ctrl+s", "prompt.newline": "enter"}),
        demo=True,
    )
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.press(*"one", "enter", *"two")
        assert prompt.text == "one\ntwo"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert research(app).chat.messages[0].content == "one\ntwo"


async def test_ctrl_j_inserts_a_newline_and_enter_sends() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.press(*"a", "ctrl+j", *"b")
        assert prompt.text == "a\nb"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert research(app).chat.messages[0].content == "a\nb"
        assert prompt.text == ""


def burst(app: PplxApp, *keys: str) -> None:
    """Queue keys at once, as a terminal delivers a fast typist's or tmux's burst (one read)."""
    for key in keys:
        character = {"enter": "\r", "ctrl+j": "\n", "space": " "}.get(key, key)
        app.post_message(events.Key(key, character))


async def test_keys_arriving_in_one_burst_keep_their_order() -> None:
    """``send-keys 'line one' C-j 'line two'`` gave "line oneline two" and a new line after it
    (found in tmux): the prompt's bindings ran only once the key had bubbled up to the app,
    after the characters queued behind it were typed. Enter likewise sent "helloagain"."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, *"line", "space", *"one", "ctrl+j", *"line", "space", *"two")
        await until(pilot, lambda: "\n" in prompt.text and "two" in prompt.text)
        assert prompt.text == "line one\nline two"

        prompt.clear()
        burst(app, *"hello", "enter", *"again")
        chat = research(app).chat
        await until(pilot, lambda: bool(chat.messages), what="the question sent")
        await settle(pilot)
        assert chat.messages[0].content == "hello"
        assert prompt.text == "again"


async def test_a_question_typed_right_after_ctrl_n_goes_to_the_new_chat() -> None:
    """QA: "ctrl+n, a pasted question, Enter" in one burst added the question to the chat
    being left (sent with its turns as context) while the new chat's view showed it: ctrl+n
    ran once the key had bubbled up to the app, after Enter had sent the question."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "first")
        first = research(app).chat
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, "ctrl+n", *"second", "enter")
        await until(pilot, lambda: research(app).chat is not first and research(app).chat.messages)
        await settle(pilot)
        assert [m.content for m in first.messages if m.role == "user"] == ["first"]
        assert [m.content for m in research(app).chat.messages if m.role == "user"] == ["second"]


async def test_a_letter_mapped_to_new_chat_is_still_typed_in_the_question_box() -> None:
    """ctrl+n runs in turn with the keys typed around it (above); a keymap giving new chat a
    letter must not make that letter start chats while a question is typed."""
    from pplx_tui.config import Settings

    app = demo_app(settings=Settings(keymap={"research.new_chat": "n"}))
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "first")
        first = research(app).chat
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, *"moons")
        await until(pilot, lambda: prompt.text == "moons")
        assert research(app).chat is first


async def test_command_palette_runs_workspace_actions() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Something")
        app.action_command_palette()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "New chat")

        def new_chat_highlighted() -> bool:
            commands = app.screen.query_one(CommandList)
            number = commands.highlighted
            return number is not None and "New chat" in str(
                commands.get_option_at_index(number).prompt
            )

        await until(pilot, new_chat_highlighted)
        await pilot.press("enter")
        await pilot.pause()
        assert research(app).chat.messages == []


@pytest.mark.parametrize(
    "owner", [PplxApp, ResearchScreen, Conversation, SourcesPanel, ChatList, PromptInput]
)
def test_bindings_have_ids_and_tooltips(owner: type) -> None:
    for binding in owner.BINDINGS:
        assert binding.id and binding.tooltip, binding


def test_every_screen_and_app_binding_has_a_palette_entry() -> None:
    for binding in [*PplxApp.BINDINGS, *ResearchScreen.BINDINGS, *ANSWER_BINDINGS]:
        assert binding.id in KEYED, binding.id
