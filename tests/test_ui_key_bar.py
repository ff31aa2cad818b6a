"""The key bar names only keys that act where the user is (QA-17): no answer keys in an empty
conversation, and no ``o`` / ``c`` in the related questions while no citation is marked."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.command import CommandList

from pplx_tui.ui.commands import Palette
from pplx_tui.ui.widgets.answer_extras import RelatedQuestions
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.key_bar import KeyBar
from tests.support.answers import focus_conversation, reply, stalled_moons
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    ask,
    demo_app,
    loopback_app,
    region_text,
    screen_lines,
    send,
    until,
    workspace,
)
from tests.test_keymap_in_force import write_keymap

WIDE = (200, 40)
ANSWER_KEYS = ("Next cite", "Prev cite", "Snippet", "Copy answer")
CURSOR_KEYS = ("⏎ Open", "Copy URL")
MORE_ANSWER_KEYS = ("Re-ask", "^e Edit")


def key_bar(app) -> str:
    return region_text(app, workspace(app).query_one(KeyBar))


async def test_an_empty_conversation_offers_no_answer_keys(loopback: LoopbackServer) -> None:
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await focus_conversation(pilot)
        bar = key_bar(app)
        offered = (*ANSWER_KEYS, *MORE_ANSWER_KEYS, *CURSOR_KEYS)
        assert not [key for key in offered if key in bar], bar
        assert "New" in bar and "Chats" in bar

        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await until(pilot, lambda: all(key in key_bar(app) for key in ANSWER_KEYS))
        assert not [key for key in CURSOR_KEYS if key in key_bar(app)], key_bar(app)


async def test_open_and_copy_url_are_offered_once_the_cursor_marks_a_citation(
    loopback: LoopbackServer,
) -> None:
    """Before a citation is marked, Enter / c only say "Move to a citation first": the bar
    offers them once ``n`` has marked one."""
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await until(pilot, lambda: "Next cite" in key_bar(app))
        assert not [key for key in CURSOR_KEYS if key in key_bar(app)], key_bar(app)
        await pilot.press("n")
        await until(pilot, lambda: all(key in key_bar(app) for key in CURSOR_KEYS))


async def test_the_related_questions_offer_no_open_or_copy_without_a_citation(
    loopback: LoopbackServer,
) -> None:
    related = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.pause()
        bar = key_bar(app)
        assert "⏎ Ask" in bar and "Copy answer" in bar
        assert " o " not in bar and "Open" not in bar and "Copy URL" not in bar, bar

        await pilot.press("n")  # a citation marked: o / c open and copy it
        await until(pilot, lambda: "Copy URL" in key_bar(app))


async def test_the_empty_conversation_says_where_the_sources_are() -> None:
    """QA-14: at 80 columns the hint said sources show "on the right", where no panel is."""
    from tests.support.tui import on_screen

    app = demo_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await until(pilot, lambda: on_screen(app, "ctrl+s shows the sources panel."))
        assert not on_screen(app, "on the right")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: on_screen(app, "numbered sources on the right"))
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: on_screen(app, "numbered sources on the right"))


FIRST_KEYS = ("^k API key", "⏎ Send", "^s Sources", "^b Chats", "^p Palette")


@pytest.mark.parametrize(
    ("size", "shown"), [((60, 20), FIRST_KEYS), ((80, 24), (*FIRST_KEYS, "^n New", "^o Model"))]
)
async def test_a_narrow_terminal_keeps_the_keys_a_new_user_needs(
    size: tuple[int, int], shown: tuple[str, ...]
) -> None:
    """At 60 columns the bar had no room for ctrl+s, so the sources panel (hidden there) could
    not be found: the keys that matter most stay (send, sources, chats, the palette, the API
    key), and the others of the workspace (new chat, model) go first."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: "⏎ Send" in key_bar(app))
        bar = key_bar(app)
        assert all(key in bar for key in shown), bar


async def test_while_an_answer_streams_stop_is_the_last_key_to_go(
    loopback: LoopbackServer,
) -> None:
    """QA at 40x12: while an answer streamed the bar kept the question box's own keys and
    dropped ``esc Stop``, the one key that ends it."""
    stalled = stalled_moons()
    loopback.queue(stalled)
    app = loopback_app(loopback)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: screen.pending is not None)
        await pilot.pause()
        assert "esc Stop" in key_bar(app), key_bar(app)
        stalled.resume()


async def test_the_alternatives_key_shows_only_on_an_answer_that_has_some() -> None:
    """QA: ``a Alt`` (next alternative) showed on an answer with none, where it does nothing.
    It shows once the question is asked again (the earlier answer kept as an alternative)."""
    from pplx_tui.ui.dialogs.confirm import ConfirmScreen

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await until(pilot, lambda: "Copy answer" in key_bar(app))
        assert " a Alt" not in key_bar(app), key_bar(app)

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(workspace(app).chat.messages) == 3)
        await focus_conversation(pilot)
        await until(pilot, lambda: " a Alt" in key_bar(app))


async def test_a_chat_search_without_hits_offers_no_delete_or_rename() -> None:
    """QA: after a search with no hits the key bar offered ``del Delete  f2 Rename``, with no
    chat to delete or rename."""
    from pplx_tui.store import ChatStore
    from pplx_tui.ui.widgets.chat_list import ChatList
    from tests.support.chats import titled_chat
    from tests.support.tui import type_text

    titled_chat(ChatStore(), "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: "Rename “Kyoto”" in key_bar(app))
        await type_text(pilot, "zanzibar")
        await until(pilot, lambda: not chat_list.entries)
        await pilot.pause()
        bar = key_bar(app)
        assert "Delete" not in bar and "Rename" not in bar, bar
        await pilot.press("enter")  # to the (empty) list of hits
        await pilot.pause()
        bar = key_bar(app)
        assert "Delete" not in bar and "Rename" not in bar, bar


@pytest.mark.parametrize("size", [WIDE, (80, 24)], ids=["wide", "80x24"])
async def test_the_chat_search_box_with_words_offers_enter_to_open_the_best_hit(
    size: tuple[int, int],
) -> None:
    """QA: with words in the chat search box the key bar offered only ``f2 Rename “…”``, not
    that Enter opens the best hit. It says ``⏎ Open`` while there is a hit to open."""
    from pplx_tui.store import ChatStore
    from pplx_tui.ui.widgets.chat_list import ChatList
    from tests.support.chats import titled_chat
    from tests.support.tui import type_text

    kyoto = titled_chat(ChatStore(), "Kyoto")
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: chat_list.query_one("#chat-search").has_focus)
        await pilot.pause()
        assert "⏎ Open" not in key_bar(app), key_bar(app)  # an empty box: Enter goes to the list
        await type_text(pilot, "kyoto")
        await until(pilot, lambda: "⏎ Open" in key_bar(app))
        await type_text(pilot, "zzz")
        await until(pilot, lambda: not chat_list.entries)
        await until(pilot, lambda: "⏎ Open" not in key_bar(app))
        for _ in "zzz":
            await pilot.press("backspace")
        await until(pilot, lambda: "⏎ Open" in key_bar(app))
        await pilot.press("enter")
        await until(pilot, lambda: workspace(app).chat.id == kyoto.id)


async def test_the_chat_search_box_offers_no_slash_to_search() -> None:
    """QA: with the chat list's search box focused the key bar offered ``/ Search``; there
    ``/`` types a slash ("No chat holds “/”")."""
    from pplx_tui.ui.widgets.chat_list import ChatList

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        chat_list.options.focus()
        await until(pilot, lambda: "/ Search" in key_bar(app))
        await pilot.press("slash")
        await until(pilot, lambda: chat_list.query_one("#chat-search").has_focus)
        await pilot.pause()
        assert "/ Search" not in key_bar(app), key_bar(app)


async def _answer_bar(size: tuple[int, int], *, versions: bool = False) -> str:
    """The key bar on the first answer of a two-question chat with related questions and
    images (``versions``: its question edited once), the conversation focused."""
    from pplx_tui.models import ROOT, Message
    from pplx_tui.store import ChatStore
    from tests.support.chats import phobos_chat

    store = ChatStore()
    chat = phobos_chat(store, ["Question 0", "Question 1"])
    if versions:
        chat.add(Message(role="user", content="Question 0, edited"), ROOT)
        chat.choose(chat.messages[0].id)  # the first version shown, with its answer
        store.save(chat)
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await workspace(app).open_chat(chat.id)
        await focus_conversation(pilot)
        await pilot.press("home")
        await until(pilot, lambda: "Copy answer" in key_bar(app))
        await pilot.pause()
        return key_bar(app)


async def test_a_wide_key_bar_shows_more_of_the_answer_keys() -> None:
    """QA: the conversation's key bar never showed r, s, v, q/Q, A, f, i or t, even at 200
    columns. A wide bar fills its width with more of the keys that act on the answer, the
    API key and the palette keys kept."""
    bar = await _answer_bar((200, 60))
    for key in ("r Ask again", "s Other search", "v Compare", "f Related", "i Images"):
        assert key in bar, bar
    assert bar.endswith("^p Palette") and "^k API key" in bar
    assert "Versions" not in bar and "A Prev alt" not in bar  # none to show on this answer
    bar = await _answer_bar((200, 60), versions=True)
    assert "q Versions" in bar and "Q Prev version" in bar, bar


async def test_at_80_columns_the_answer_keys_are_those_shown_before() -> None:
    bar = await _answer_bar((80, 24))
    assert bar == "n Next cite p Prev cite space Snippet y Copy answer ^k API key ^p Palette"


async def test_a_wide_key_bar_shows_the_question_boxs_compare_and_search_settings() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await until(pilot, lambda: "⏎ Send" in key_bar(app))
        bar = key_bar(app)
        assert "^t Compare" in bar and "^g Search settings" in bar, bar


async def test_a_wide_key_bar_offers_shift_up_and_down_only_toward_another_answer() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await ask(pilot, "TCP vs QUIC?")
        await focus_conversation(pilot)
        await until(pilot, lambda: "Prev answer" in key_bar(app))
        assert "Next answer" not in key_bar(app)  # the last answer is selected
        await pilot.press("home")
        await until(pilot, lambda: "Next answer" in key_bar(app))
        assert "Prev answer" not in key_bar(app)


async def test_a_streaming_answer_offers_none_of_the_keys_that_ask_it_again(
    loopback: LoopbackServer,
) -> None:
    """QA: while an answer streamed the bar offered ``r Ask again`` (and s, ^e, m, v), and
    ``r`` did nothing and said nothing. They show once it has ended; ``r`` before says why,
    as ``s`` and ctrl+e did."""
    from tests.support.tui import Notifications

    stalled = stalled_moons()
    loopback.queue(stalled)
    notes = Notifications()
    app = loopback_app(loopback)
    asking = ("r Ask again", "s Other search", "^e Edit", "m Re-ask", "v Compare")
    async with app.run_test(size=(200, 60), message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: screen.pending is not None)
        await focus_conversation(pilot)
        await until(pilot, lambda: "Copy answer" in key_bar(app))
        assert not [key for key in asking if key in key_bar(app)], key_bar(app)
        await pilot.press("r")
        await until(pilot, lambda: "Wait for this answer to end (Esc stops it)." in notes.texts())
        stalled.resume()
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: all(key in key_bar(app) for key in asking))


async def test_the_key_bar_is_not_underlined_though_each_key_is_clickable() -> None:
    """QA: every key of the bar was underlined (a click presses it, and Textual draws a
    clickable span with the theme's link style): the whole bottom line read as links."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        bar = workspace(app).query_one(KeyBar)
        await until(pilot, lambda: "New" in key_bar(app))
        segments = list(bar.render_line(0))
        underlined = "".join(s.text for s in segments if s.style and s.style.underline)
        assert "New" in "".join(s.text for s in segments) and not underlined


async def test_the_open_palette_names_its_own_keys_not_the_workspaces() -> None:
    """QA: with the palette open the bar still said ``⏎ Send ^n New …`` (the workspace's keys,
    which do nothing there): it names Enter, the arrows and Escape, each of which works."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, Palette))
        await until(pilot, lambda: bool(app.screen.query("CommandList")))
        await pilot.pause()
        bar = screen_lines(app)[-1].strip()
        assert bar == "↑↓ Choose  ⏎ Run  esc Close", bar

        options = app.screen.query_one(CommandList)
        await pilot.press("down")
        await until(pilot, lambda: options.highlighted == 1)
        await pilot.press("up")
        await until(pilot, lambda: options.highlighted == 0)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, Palette))
        await until(pilot, lambda: "⏎ Send" in key_bar(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_while_a_question_is_edited_the_key_bar_says_how_to_cancel_it(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    """QA: ctrl+e put the question in the box and the key bar said ``⏎ Send`` but not how to
    leave the edit (Escape); it says so while editing, and no longer once cancelled."""
    loopback.queue(reply("A1."))
    app = loopback_app(loopback)
    async with app.run_test(size=size) as pilot:
        await ask(pilot, "Moons of Mras?")
        assert "Cancel edit" not in key_bar(app)
        await focus_conversation(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "esc Cancel edit" in key_bar(app))
        assert "⏎ Send" in key_bar(app), key_bar(app)
        await pilot.press("escape")
        await until(pilot, lambda: "Cancel edit" not in key_bar(app))


async def test_the_cancel_edit_key_is_the_one_a_keymap_gives(loopback: LoopbackServer) -> None:
    """``"research.focus_prompt" = "f10"``: the key bar names f10 to cancel an edit."""
    write_keymap(**{"research.focus_prompt": "f10"})
    loopback.queue(reply("A1."))
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "Moons of Mras?")
        await focus_conversation(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "f10 Cancel edit" in key_bar(app))
        await pilot.press("f10")
        await until(pilot, lambda: "Cancel edit" not in key_bar(app))
        assert workspace(app).alternatives.editing is None


@pytest.mark.parametrize("theme", ["pplx-dark", "ansi-dark"])
async def test_the_keys_are_drawn_in_the_key_colour_and_a_click_presses_one(theme: str) -> None:
    """QA: every key of the bar was drawn in the theme's link colour (a clickable span's), not
    its own: ansi-dark's whole bar in blue, 2.23:1 on black in xterm's colours."""
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.theme = theme
        bar = workspace(app).query_one(KeyBar)
        await until(pilot, lambda: "Chats" in key_bar(app))
        await pilot.pause()
        variables = app.stylesheet._variables
        key_colour = Color.parse(variables["footer-key-foreground"]).rich_color
        text_colour = Color.parse(variables["footer-description-foreground"]).rich_color
        segments = [s for s in bar.render_line(0) if s.text.strip()]
        keys = [s for s in segments if s.style is not None and s.style.bold]
        words = [s for s in segments if s.style is not None and not s.style.bold]
        assert keys and {s.style.color for s in keys} == {key_colour}
        assert words and {s.style.color for s in words} == {text_colour}

        chats = workspace(app).query_one(ChatList)
        shown = chats.display
        at = screen_lines(app)[bar.region.y].index("^b")  # (the bar's cells, as drawn)
        await pilot.click(KeyBar, offset=(at + 1, 0))
        await until(pilot, lambda: chats.display is not shown)
