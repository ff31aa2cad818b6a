"""``?`` / F1: a cheat sheet of the app's own keys (issue 9, reading comfort)."""

from __future__ import annotations

from textual.binding import Binding

from pplx_tui.config import Settings
from pplx_tui.ui.dialogs.keys import KEYS_CELLS, KeysScreen, KeyTable
from pplx_tui.ui.key_sheet import key_sections
from tests.support.tui import demo_app, screen_lines, screen_text, until, workspace


async def test_f1_from_the_question_box_and_question_mark_elsewhere_show_the_apps_keys() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.prompt.has_focus)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        assert "Every action" in screen_text(app)
        sheet = app.screen
        assert isinstance(sheet, KeysScreen)
        text = sheet.text
        for wanted in ("Anywhere", "^p", "Every action", "^q", "^n", "Conversation", "Chat list"):
            assert wanted in text, wanted
        assert "Sources panel" in text and "0-9" in text  # one row for the digits
        assert "Select all" not in text and "Undo" not in text  # the editor's keys are not ours
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        screen.conversation.focus()
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen is screen)
        assert screen.prompt.text == ""  # nothing was typed


async def test_each_place_stands_on_its_own_line_after_one_blank_line() -> None:
    """QA: the sheet's grid gave its place headings the heights of other rows: "Question box"
    stuck to the ^g row above it, and blank lines fell after "^j" and after "Conversation"."""
    app = demo_app()
    async with app.run_test(size=(100, 150)) as pilot:  # tall: the sheet needs no scrolling
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.pause()
        sheet = app.screen
        assert isinstance(sheet, KeysScreen)
        table = sheet.query_one(KeyTable)
        region = table.content_region
        rows = [line[region.x : region.right].rstrip() for line in screen_lines(app)]
        rows = rows[region.y : region.bottom]
        places = [place for place, _ in sheet.sections]
        assert rows[0] == places[0]  # under the padding, no blank line
        for place in places[1:]:
            at = rows.index(place)
            assert rows[at - 1] == "" and rows[at - 2] != "", place
            assert rows[at + 1].strip() != "", place
        assert rows[-1] != ""


async def test_a_long_meaning_wraps_under_itself_not_under_its_keys() -> None:
    app = demo_app()
    async with app.run_test(size=(60, 150)) as pilot:  # narrow: meanings wrap
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.pause()
        table = app.screen.query_one(KeyTable)
        region = table.content_region
        rows = [line[region.x : region.right] for line in screen_lines(app)]
        rows = rows[region.y : region.bottom]
        wrapped = [row for row in rows if row.startswith(" " * (KEYS_CELLS + 1)) and row.strip()]
        assert wrapped, rows  # some meaning took a second line, indented under the first
        assert all(len(row.rstrip()) <= region.width for row in rows)


async def test_the_key_bar_under_the_sheet_offers_the_sheets_keys() -> None:
    """QA: under the sheet the key bar still offered the workspace's keys ("⏎ Send  ^n New
    ^b Chats"), which do nothing there; it says how to close the sheet."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "esc Close" in bar, bar
        assert "Send" not in bar and "New" not in bar, bar


async def test_the_chat_list_section_names_the_lists_moves_as_well() -> None:
    """QA: the "Chat list" section listed only delete, rename and search; the list also opens
    the highlighted chat (Enter), moves (up / down, Home / End) and clears the search (Escape):
    the keys of the list's real bindings."""
    app = demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.prompt.has_focus)
        rows = dict(dict(key_sections(screen))["Chat list"])
        names = ("enter", "escape", "up", "down", "home", "end", "pageup", "pagedown")
        shown = {key: app.get_key_display(Binding(key, "")) for key in names}
        assert rows[shown["enter"]].startswith("Open the highlighted chat"), rows
        assert f"{shown['up']} / {shown['down']}" in rows, rows
        assert f"{shown['home']} / {shown['end']}" in rows, rows
        assert f"{shown['pageup']} / {shown['pagedown']}" in rows, rows
        assert "Clear the search" in rows[shown["escape"]], rows


async def test_the_conversation_section_names_home_end_and_the_page_keys() -> None:
    """QA: the README lists Home / End in the conversation (go to the first / last answer and
    select it), the sheet did not: they are Textual's bindings, given pplx_tui's meaning."""
    app = demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.prompt.has_focus)
        rows = dict(dict(key_sections(screen))["Conversation (Tab or click to get there)"])
        shown = {key: app.get_key_display(Binding(key, "")) for key in ("home", "end")}
        pages = {key: app.get_key_display(Binding(key, "")) for key in ("pageup", "pagedown")}
        assert "first / last answer" in rows[f"{shown['home']} / {shown['end']}"], rows
        assert f"{pages['pageup']} / {pages['pagedown']}" in rows, rows


async def test_the_send_key_says_what_it_does_while_an_answer_streams() -> None:
    """QA: the sheet said "a new question stops an answer that is streaming"; the first Enter
    only says the answer is still being written (send_hold), the second sends and stops it."""
    app = demo_app(settings=Settings(keymap={"prompt.submit": "ctrl+s", "prompt.newline": "enter"}))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.prompt.has_focus)
        rows = dict(dict(key_sections(screen))["Question box"])
        send = app.get_key_display(Binding("ctrl+s", ""))
        assert rows[send].startswith("Send the question (while an answer streams"), rows
        assert "ctrl+s again sends it and stops that answer" in rows[send], rows  # (as remapped)
