"""Saved chats in the workspace: open one from the list or at start, long chats mounted a page
at a time, new / rename / delete / search.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from pplx_tui.models import Chat, Message, Source, Usage
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.question_view import QuestionView
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.answers import answer_reply, answers, choose_model
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.spend import spend_today
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    on_screen,
    screen_lines,
    send,
    type_text,
    until,
)
from tests.support.tui import workspace as research

WIDE = (150, 40)


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
        opening = screen.chat.messages[0]  # the app's own (earlier_holds compares identity)
        assert conversation.earlier_holds(opening)
        await pilot.press("home")
        await until(pilot, lambda: not conversation.earlier_holds(opening))
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


async def test_the_open_chats_row_goes_on_under_its_title_not_under_its_mark() -> None:
    """QA: at 80 columns the open chat's title wrapped to the list's edge, under its ``▸``,
    level with the dates and titles of the other rows."""
    store = ChatStore()
    saved_chat(store, "Lisbon")
    chat = saved_chat(store, "Who discovered the moons of Mars")
    app = make_app(demo=True, chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = research(app)
        chat_list = screen.query_one(ChatList)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chat_list.display and len(chat_list.entries) == 2)
        await until(pilot, lambda: on_screen(app, "▸ Who discovered"))
        region = chat_list.options.content_region
        rows = [
            line[region.x : region.right] for line in screen_lines(app)[region.y : region.bottom]
        ]
        row = next(n for n, line in enumerate(rows) if line.startswith("▸ Who discovered"))
        assert rows[row + 1].startswith("  ") and rows[row + 1].strip().startswith("moons"), rows
        assert rows[row + 2].startswith("  2"), rows  # its date
        assert rows[row + 3].startswith("  Lisbon"), rows  # the next row, as far in
        assert rows[row + 4].startswith("  2"), rows  # and its date


async def test_every_chat_row_starts_at_one_column() -> None:
    """QA: only the open chat was indented (``▸ hello groq``, its date under it); the others
    started at the list's edge. Every row keeps the gutter the mark stands in."""
    store = ChatStore()
    for title in ("Lisbon", "Porto"):
        saved_chat(store, title)
    chat = saved_chat(store, "Braga")
    app = make_app(demo=True, chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: chat_list.display and len(chat_list.entries) == 3)
        await until(pilot, lambda: on_screen(app, "▸ Braga"))
        region = chat_list.options.content_region
        rows = [
            line[region.x : region.right] for line in screen_lines(app)[region.y : region.bottom]
        ]
        shown = [line for line in rows if line.strip()]
        assert [line[:2] for line in shown] == ["▸ "] + ["  "] * 5, rows
        assert all(line[2] != " " for line in shown), rows


async def test_chats_saved_or_deleted_by_another_process_show_in_the_list() -> None:
    """helper QA: a chat `pplx ask --save` kept in another terminal (here another store on the
    same folder, as that process has) was listed only after a restart; a chat deleted there
    stayed listed. The list follows the folder within a few seconds, the open chat aside."""
    kept = saved_chat(ChatStore(), "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Kyoto"])

        elsewhere = ChatStore()
        saved_chat(elsewhere, "Lisbon")
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Lisbon", "Kyoto"])

        elsewhere.delete(kept.id)
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Lisbon"])


async def test_what_another_process_spent_today_shows_in_the_header() -> None:
    """Today's total in the header was read at start and after this window's own answers: a
    `pplx ask` in another terminal (or another window) spent unseen until a restart."""
    spend_today(0.25)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        header = research(app).header
        await until(pilot, lambda: header.day_cost == pytest.approx(0.25))

        spend_today(0.5)  # saved by another process
        await until(pilot, lambda: header.day_cost == pytest.approx(0.75))


async def test_a_chat_deleted_in_the_app_leaves_todays_total_in_the_header() -> None:
    """QA: deleting a chat in the app (d, Tab, Enter) left its spend in the header's today
    total, which only a restart or a change made by another process read again; the README
    says deleting a chat takes its answers out of today's total."""
    spend_today(0.25)
    costly = spend_today(0.5)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        header, chat_list = screen.header, screen.query_one(ChatList)
        await until(pilot, lambda: header.day_cost == pytest.approx(0.75))
        await until(pilot, lambda: len(chat_list.entries) == 2)

        chat_list.options.focus()
        chat_list.options.highlighted = [e.id for e in chat_list.entries].index(costly.id)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await until(pilot, lambda: header.day_cost == pytest.approx(0.25))
        assert on_screen(app, "$0.2500 today")


async def test_a_chat_opened_goes_on_with_the_model_it_used_and_says_so() -> None:
    """QA: opening a chat asked with another model switched the model in the header only; the
    next question (and ctrl+n's new chat) went to it without a word."""
    store = ChatStore()
    chat = saved_chat(store, "Reasoned")
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar-reasoning"
    store.save(chat)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        await pilot.press("enter")
        await until(pilot, lambda: research(app).chat.id == chat.id)
        assert research(app).target.model.id == "demo/sonar-reasoning"
        assert notes.texts() == [
            "This chat goes on with demo/sonar-reasoning on demo, the model it used (^o: another)."
        ]


async def test_a_chat_opened_takes_down_the_model_note_it_made_untrue() -> None:
    """QA: ctrl+o to another model said "Next questions go to demo/sonar-reasoning on demo.";
    a chat opened right after said "This chat goes on with demo/sonar …" beside it, the first
    note still up and no longer true. The last word on where questions go is the one shown
    (ctrl+o after opening a chat takes down the chat's note the same way)."""
    store = ChatStore()
    chat = saved_chat(store, "Plain")
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:

        def shown() -> list[str]:
            return [note.message for note in app._notifications]

        await choose_model(pilot, "demo/sonar-reasoning")
        reasoning = "Next questions go to demo/sonar-reasoning on demo."
        await until(pilot, lambda: reasoning in shown())
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        await pilot.press("enter")
        await until(pilot, lambda: research(app).chat.id == chat.id)
        goes_on = "This chat goes on with demo/sonar on demo, the model it used (^o: another)."
        await until(pilot, lambda: goes_on in shown())
        assert reasoning not in shown()

        await choose_model(pilot, "demo/sonar-reasoning")
        await until(pilot, lambda: reasoning in shown())
        assert goes_on not in shown()


async def test_a_demo_chat_opened_on_a_real_provider_goes_on_with_that_provider(
    loopback: LoopbackServer,
) -> None:
    """QA: a key set, a chat from the demo days opened: its follow-up was answered by the demo
    ("add an API key…") and so was every new chat after it."""
    store = ChatStore()
    chat = saved_chat(store, "Demo days")
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    store.save(chat)
    loopback.queue(answer_reply(["From the provider in use."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_list = research(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        await pilot.press("enter")
        await until(pilot, lambda: research(app).chat.id == chat.id)
        await ask(pilot, "And now?")
        assert research(app).target.provider.name == "openrouter"
        assert loopback.requests[-1].json["model"] == "perplexity/sonar"
        assert research(app).chat.messages[-1].content == "From the provider in use."


def _long_titled_chat_among_todays_spend() -> str:
    """A chat that cost $0.0281 today, titled too long for an 80-column header beside its
    cost, and another chat that cost as much: today's total is $0.0562."""
    spend_today(0.0281)
    opened = spend_today(0.0281)
    opened.title = "What do tardigrades survive in open space, and for how long"
    return ChatStore().save(opened).id


async def test_a_narrow_header_names_the_chats_cost_as_the_chats() -> None:
    """QA: at 80 columns, with today's total given way to a long title, the header ended in a
    bare "$0.0281": the chat's total or today's? It says "chat"."""
    app = demo_app(chat_id=_long_titled_chat_among_todays_spend())
    async with app.run_test(size=(80, 24)) as pilot:
        header = research(app).header
        await until(pilot, lambda: header.day_cost == pytest.approx(0.0562))
        assert str(header.render()).rstrip().endswith("$0.0281 chat")


async def test_with_a_budget_a_narrow_header_keeps_todays_total() -> None:
    """QA: at 80 columns, once the chat had a cost, the header dropped today's total ("… ·
    $0.0281 chat"): with a daily budget set, today's total is what the user watches; the
    chat's gives way first."""
    from pplx_tui.paths import config_file

    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("daily_budget_usd = 5\n")
    app = demo_app(chat_id=_long_titled_chat_among_todays_spend())
    async with app.run_test(size=(80, 24)) as pilot:
        header = research(app).header
        await until(pilot, lambda: header.day_cost == pytest.approx(0.0562))
        assert str(header.render()).rstrip().endswith("$0.0562 today")


async def test_deleting_a_chat_whose_answer_streams_says_the_answer_stops(
    loopback: LoopbackServer,
) -> None:
    """QA: the question said only "This cannot be undone." while the chat's answer streamed:
    deleting it dropped the answer unsaid. The question says the answer stops."""
    reply = Reply(chunks=answer_frames(["Streaming ", "words ", "arrive."]), hang_after=2)
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        await send(pilot, "Will it stop?")
        await until(pilot, lambda: on_screen(app, "Streaming"))
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen)
        assert "Its answer is still being written: it will be stopped." in app.screen.message
        await pilot.press("tab", "enter")
        await until(pilot, lambda: not chat_list.entries)
        reply.resume()
    assert ChatStore().list_chats() == []
