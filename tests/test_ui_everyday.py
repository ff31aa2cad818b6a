"""The everyday loop in the real app: the chat list and its search box, the dialogs, the key
notice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pplx_tui import paths
from pplx_tui.config import load_settings
from pplx_tui.plain_text import plain_snippet
from pplx_tui.providers import build_catalog
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets import chat_listing
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.notice_bar import NoticeBar
from pplx_tui.ui.widgets.option_rows import HangingLines
from pplx_tui.ui.widgets.status_header import TITLE_ROOM, StatusHeader
from tests.support.answers import choose_model
from tests.support.chats import titled_chat
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    on_screen,
    region_text,
    row_text,
    screen_lines,
    type_text,
    until,
    workspace,
)

WIDE = (150, 40)


async def test_the_chat_search_box_shows_what_is_typed() -> None:
    store = ChatStore()
    titled_chat(store, "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"kyo")
        await until(pilot, lambda: chat_list.query_text == "kyo")
        await pilot.pause()
        box = chat_list.query_one(Input)
        assert "kyo" in region_text(app, box)


async def test_a_search_with_more_hits_than_shown_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: 300 chats held the word and the list said "Found in 50 chats" (its limit)."""

    monkeypatch.setattr(chat_listing, "SEARCH_LIMIT", 2)
    store = ChatStore()
    for title in ("Kyoto", "Kyoto again", "Kyoto once more"):
        titled_chat(store, title)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        await pilot.press("ctrl+f", *"kyoto")
        await until(pilot, lambda: chat_list.query_text == "kyoto" and len(chat_list.entries) == 2)
        await pilot.pause()
        assert "Found in 2+ chats" in region_text(app, chat_list)
        await pilot.press(*"x")  # "kyotox": nothing, and no "+"
        await until(pilot, lambda: not chat_list.entries)
        await pilot.pause()
        assert "Found in 0 chats" in region_text(app, chat_list)


async def test_a_search_hit_reads_as_text_not_markdown() -> None:
    """QA: the hit under a found chat showed the answer's raw Markdown (``**two moons**``), and
    nothing marked the matched word."""
    store = ChatStore()
    chat = titled_chat(store, "Mars")
    chat.messages[
        1
    ].content = "Mars has **two moons**, `Phobos` and [Deimos](https://x.example) [1]."
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"phobos")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        await pilot.pause()
        shown = region_text(app, chat_list.options)
        assert "two moons" in shown and "Phobos" in shown and "Deimos" in shown
        assert "**" not in shown and "`" not in shown and "](" not in shown
        prompt = chat_list.options.get_option_at_index(0).prompt
        if isinstance(prompt, HangingLines):  # the open chat's row
            prompt = prompt.content
        marked = [prompt.plain[span.start : span.end] for span in prompt.spans]
        assert "Phobos" in marked, "the matched word stands out"


async def test_search_hits_keep_a_column_off_the_divider() -> None:
    """QA at 60x20: a hit's snippet wrapped right up to the list's edge ("internet (its
    current│"). Its rows keep their last column blank, in the row's colours."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await ask(pilot, "TCP vs QUIC?")
        await pilot.press("ctrl+n", "ctrl+f", *"RFC")
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: chat_list.display and "9293" in region_text(app, chat_list))
        region = chat_list.options.content_region
        rows = [screen_lines(app)[y].ljust(region.right) for y in range(region.y, region.bottom)]
        texts = [
            row[region.x : region.right] for row in rows if row[region.x : region.right].strip()
        ]
        assert len(texts) >= 5, texts  # the title, its date and a snippet of several lines
        assert all(text[-1] == " " for text in texts), texts
        assert max(len(text.rstrip()) for text in texts) == region.width - 1, texts


@pytest.mark.parametrize(
    ("snippet", "shown"),
    [
        ("…moons**, Phobos and `Deimos", "…moons, Phobos and Deimos"),
        ("## About: Mars Mars has **two moons", "About: Mars Mars has two moons"),
        ("see NASA](https://nasa.gov/x) and [ESA](https://esa.int/d", "see NASA and ESA"),
        ("Phobos [1][2] and [web:3] stay", "Phobos [1][2] and [web:3] stay"),
        ("zebra rating 5 *** stars", "zebra rating 5 *** stars"),
        ("the key=*** was masked", "the key=*** was masked"),
        ("a ***** row and a ___ line", "a ***** row and a ___ line"),
        ("…italic*** and ***bold italic", "…italic and bold italic"),
        ("you? · *Demo answer: canned offline text…", "you? · Demo answer: canned offline text…"),
        ("…offline text.* Next *one* and *args…", "…offline text. Next one and args…"),
        ("*args stays where not cut", "*args stays where not cut"),
        ("5 * 3 = 15, a*b and snake_case stay", "5 * 3 = 15, a*b and snake_case stay"),
        # QA: raw HTML vanished, the word searched for with it; answers show it as text.
        ("std::vector<int> and a <b>bold</b>", "std::vector<int> and a <b>bold</b>"),
        ("a <!-- note --> stays", "a <!-- note --> stays"),
    ],
)
def test_a_snippet_cut_inside_markdown_reads_as_text(snippet: str, shown: str) -> None:
    """QA: a snippet is cut at spaces, so its Markdown is often unpaired (``moons**``, half a
    link); those leftovers are not text either."""

    assert plain_snippet(snippet) == shown


async def test_the_list_cursor_follows_the_open_chat_and_keys_name_it() -> None:
    store = ChatStore()
    kyoto = titled_chat(store, "Kyoto")
    titled_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await screen.open_chat(kyoto.id)  # from the palette, say: not through the list
        await pilot.pause()
        highlighted = chat_list.options.highlighted
        assert highlighted is not None
        assert chat_list.entries[highlighted].id == kyoto.id

        chat_list.options.focus()
        await pilot.pause()
        footer = region_text(app, app.screen.query_one(KeyBar))
        assert "Delete “Kyoto”" in footer and "Rename “Kyoto”" in footer
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Kyoto" in region_text(app, app.screen)


async def test_a_long_renamed_title_takes_a_few_rows_of_the_list_not_nine() -> None:
    """QA-51: a title renamed to 200 characters was drawn whole, over nine rows of the list."""
    store = ChatStore()
    long_one = titled_chat(store, " ".join(f"word{n}" for n in range(34)))  # ~200 characters
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        shown = row_text(app, long_one.id).splitlines()[0].removeprefix("  ")  # (the gutter)
        assert shown.startswith("word0 word1") and shown.endswith("…") and len(shown) <= 61
        assert long_one.title.startswith(shown.removesuffix("…"))  # cut at a word


def thirty_chats(words: str) -> None:
    """Chats "Chat00 <words>" to "Chat29 <words>": more than the chat list shows at once."""
    store = ChatStore()
    for number in range(30):
        titled_chat(store, f"Chat{number:02d} {words}")


async def all_listed(pilot: Pilot[Any]) -> ChatList:
    """The chat list, once it lists :func:`thirty_chats`."""
    chat_list = workspace(pilot.app).query_one(ChatList)
    await until(pilot, lambda: len(chat_list.entries) == 30)
    return chat_list


async def test_the_focused_chat_list_lays_its_rows_out_for_its_width() -> None:
    """QA-30: focusing a chat list long enough to scroll drew its rows as laid out for the
    unfocused width, two columns wider than the focus border leaves: titles lost their last
    letters ("Chat28 abcdefg hijk") and the highlighted row its date. Textual's OptionList
    keeps its rows per style, not per width, and the border is no resize. (The focused list
    has no border now: its top line moved the rows down under the pointer, QA.)"""
    thirty_chats("abcdefg hijkl")  # 20 cells: fits 21, not 19
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = await all_listed(pilot)
        chat_list.options.focus()
        await until(pilot, lambda: chat_list.options.has_focus)
        await pilot.pause()
        rows = re.findall(r"Chat\d\d [a-z ]+ \d{4}-", region_text(app, chat_list))
        assert len(rows) >= 5, rows
        assert rows[0].startswith("Chat29"), rows  # the highlighted row kept its date
        assert all(" abcdefg hijkl " in row for row in rows), rows


async def test_a_chat_list_listed_again_lays_its_rows_out_for_its_width() -> None:
    """QA-30 too: listing the chats again (a search, a chat deleted) cleared the list, so its
    scrollbar went, and laid the rows out for the width without it; the scrollbar came back
    and they were drawn two columns narrower: a title that then wrapped lost its date line."""
    thirty_chats("abcdefg hijklmn")  # 22 cells: fits 23, not 21
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = await all_listed(pilot)
        await pilot.pause()
        chat_list.show(chat_list.entries[1:])  # as a reload after a delete does

        def rows() -> list[str]:
            text = region_text(app, chat_list)
            return re.findall(r"Chat\d\d abcdefg hijklmn (?:\d{4}-|Chat)", text)

        await until(pilot, lambda: bool(rows()) and rows()[0].startswith("Chat28"))
        assert all(row.endswith("-") for row in rows()), rows()


async def test_escape_in_the_chat_search_box_clears_the_filter() -> None:
    """QA Q13: Escape in the chat search box went to the question box and kept the filter: the
    list stayed "Found in 1 chat", the other chats hidden, until the text was deleted by hand."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    titled_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await pilot.press("ctrl+f", *"kyoto")
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("escape")
        await until(pilot, lambda: len(chat_list.entries) == 2)
        assert chat_list.query_text == "" and screen.prompt.has_focus
        assert "Esc" in chat_list.query_one(Input).placeholder


async def test_dialog_text_from_config_is_shown_as_written() -> None:
    """A gateway named with brackets is text: markup would eat ``[b]`` (issue 9, bug 8)."""

    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(
        '[providers."lab[b]gw"]\nbase_url = "https://lab.example/v1"\n'
        'api_key_env = "LAB_KEY"\nmodels = ["m1"]\n'
    )
    catalog = build_catalog(load_settings())

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("host")

        def on_mount(self) -> None:
            self.push_screen(ApiKeyScreen(catalog, "lab[b]gw"))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = " ".join(region_text(app, app.screen).split())  # type: ignore[arg-type]
        assert "lab[b]gw ▼" in shown  # the provider picker
        assert "under [providers.lab[b]gw]" in shown  # the help line


@pytest.mark.parametrize("provider", ["perplexity", "openrouter", "groq"])
async def test_the_key_dialog_says_where_to_get_a_key_not_to_press_ctrl_k(provider: str) -> None:
    """QA Q8: inside the ctrl+k dialog its help said "or add it in the app with ctrl+k"."""

    catalog = build_catalog()

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("host")

        def on_mount(self) -> None:
            self.push_screen(ApiKeyScreen(catalog, provider))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = " ".join(region_text(app, app.screen).split())  # type: ignore[arg-type]
        assert "ctrl+k" not in shown
        assert "Create a key at https://" in shown and "paste it below" in shown


async def test_the_rename_dialog_forgets_its_error_once_a_name_is_typed() -> None:
    """QA: "The name cannot be empty." stayed under the field after a new name was typed."""

    store = ChatStore()
    titled_chat(store, "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot be empty" in region_text(app, app.screen)
        await pilot.press(*"Nara")
        await pilot.pause()
        assert "cannot be empty" not in region_text(app, app.screen)


async def test_the_no_key_notice_names_every_providers_variable_in_two_rows_at_80() -> None:
    """QA: it named PERPLEXITY_API_KEY and OPENROUTER_API_KEY, not Groq's."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in str(notice.render()))
        assert on_screen(app, "PERPLEXITY_API_KEY / OPENROUTER_API_KEY / GROQ_API_KEY.")
        assert notice.size.height == 2


async def test_on_a_small_screen_the_no_key_notice_is_short_and_full_where_there_is_room() -> None:
    """QA at 50x16: the notice wrapped to 7 of the 16 rows, leaving 4 to the conversation. A
    small screen shows a short one (what the user is on, the key that adds a key); it grows
    back to the whole text once the terminal has room."""
    app = make_app()
    async with app.run_test(size=(50, 16)) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in region_text(app, notice))
        assert region_text(app, notice) == "Offline demo: ctrl+k adds a key ✕ hide"
        assert notice.size.height == 1

        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: "GROQ_API_KEY" in region_text(app, notice))
        assert region_text(app, notice).startswith("No API key yet: you are on the offline demo.")

        await pilot.resize_terminal(120, 12)  # as wide, not as tall: short again
        await until(pilot, lambda: region_text(app, notice).startswith("Offline demo"))
        assert notice.size.height == 1


async def test_at_40x12_the_short_no_key_notice_keeps_its_cross_on_its_one_row() -> None:
    """QA at 40x12: "✕ hide" wrapped to a second row; where the short notice does not fit,
    "hide" is left out, the "✕" kept."""
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in region_text(app, notice))
        assert region_text(app, notice) == "Offline demo: ctrl+k adds a key ✕"
        assert notice.size.height == 1


async def test_the_no_key_notice_can_be_hidden_and_stays_hidden() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in str(notice.render()))
        await pilot.click(NoticeBar)
        await until(pilot, lambda: not notice.display)
        await workspace(app).action_new_chat()  # a new chat, the same target: still hidden
        await pilot.pause()
        assert not notice.display

    app = make_app()  # the next start
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert workspace(app).target.provider.name == "demo"
        assert not workspace(app).query_one(NoticeBar).display


async def test_the_no_key_notice_stays_on_another_demo_model_until_a_key_is_added() -> None:
    """QA: picking a demo model in ctrl+o hid the no-key notice, although the app was still on
    the offline demo without a key; it came back only at the next start."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        notice = screen.query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in str(notice.render()))

        await choose_model(pilot, "demo/sonar-reasoning")
        assert screen.target.model.id == "demo/sonar-reasoning"
        await pilot.pause()
        assert notice.display and "ctrl+k" in str(notice.render())

        await choose_model(pilot, "perplexity/sonar-pro-search")  # no key: the key dialog
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "sk-or-v1-0123456789abcdefNOTICE")
        await pilot.press("enter")
        await until(pilot, lambda: screen.target.provider.name == "openrouter")
        await until(pilot, lambda: not notice.display)
        await choose_model(pilot, "demo/sonar")  # a key now: the notice has nothing to say
        assert screen.target.model.id == "demo/sonar"
        await pilot.pause()
        assert not notice.display


@pytest.mark.parametrize("width", [80, 60])
async def test_at_80_columns_the_header_keeps_room_for_the_chat_title(width: int) -> None:
    """QA Q13: at 80 columns the header kept provider, model and both costs and cut the chat
    title to "Which …". The title keeps 24 columns; today's cost, then the provider give way."""

    title = "Which moon of Mars is larger, and why does it orbit so close?"

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title = title
            header.provider, header.model = "openrouter", "perplexity/sonar-pro"
            header.cost, header.day_cost = 0.0488, 0.2403
            yield header

    app = HeaderApp()
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.pause()
        text = app.query_one(StatusHeader).render().plain
    assert title[: TITLE_ROOM - 1] in text and "perplexity/sonar-pro" in text, text
    assert ("$0.0488" in text) is (width == 80), text


async def test_ctrl_k_from_the_demo_takes_a_pasted_key_and_enter_saves_it() -> None:
    """QA Q17: the dialog opened with the focus on the Provider list, so a pasted key went
    nowhere and Enter opened the provider menu; nothing was saved and nothing was said."""

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes, notifications=True) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        dialog = app.screen
        assert isinstance(dialog, ApiKeyScreen)
        await pilot.pause()
        assert app.focused is dialog.query_one("#api-key-input", Input)
        assert dialog.selected_provider is not None
        assert dialog.selected_provider.name == "perplexity"
        await pilot.press("enter")  # nothing pasted yet: one line says so
        await pilot.pause()
        assert "Paste a key first." in region_text(app, dialog.query_one("#api-key-error"))
        assert app.screen is dialog
        app.focused.post_message(events.Paste("pplx-0123456789abcdef"))
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ApiKeyScreen))
        saved = load_settings().providers["perplexity"].api_key
        assert saved is not None and saved.get_secret_value() == "pplx-0123456789abcdef"
        assert any(text.startswith("Key saved for perplexity") for text in notes.texts())


async def test_ctrl_k_from_the_demo_offers_the_first_provider_without_a_key() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[providers.perplexity]\napi_key = "pplx-saved-before"\n')
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        dialog = app.screen
        assert isinstance(dialog, ApiKeyScreen)
        await pilot.pause()
        assert dialog.selected_provider is not None
        assert dialog.selected_provider.name == "openrouter"
        assert app.focused is dialog.query_one("#api-key-input", Input)
