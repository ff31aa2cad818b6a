"""The search settings editor driven by keys (issue 10 item 1): one key press per change,
Enter saves, bad dates and domains are refused in one line, Escape keeps the old settings; in
the workspace, the requests the loopback server received carry the filters in each dialect's
place (and not what the provider cannot honour), the header and the answer say so; and the
palette's source export writes a file a reference manager reads."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import rispy
from rich.color import ColorSystem
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pplx_tui.models import SearchSettings
from pplx_tui.store import ChatStore
from pplx_tui.ui.contrast import SECONDARY, contrast_ratio
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.choice import Choice
from tests.support import recorded, recorded_agent
from tests.support.contrast import Cell, cells
from tests.support.loopback import LoopbackServer, Reply
from tests.support.search_editor import EDITED, EditorApp
from tests.support.tui import (
    Notifications,
    agent_app,
    ask,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    screen_text,
    type_text,
    until,
    workspace,
)


async def test_arrows_change_choices_and_enter_saves() -> None:
    app = EditorApp(EDITED, "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        # recency month → year; down to mode (after, before, domains between): academic → sec
        await pilot.press("right", "down", "down", "down", "down", "right")
        await pilot.press("down", "left")  # context: default → high (wraps)
        await pilot.press("down", "right")  # no web search
        await pilot.press("enter")
        await pilot.pause()

    assert app.result == SearchSettings(
        recency="year",
        domains=EDITED.domains,
        mode="sec",
        context_size="high",
        disable_search=True,
    )


async def test_typed_dates_and_domains_are_checked_and_normalised() -> None:
    app = EditorApp(SearchSettings(), "perplexity", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await type_text(pilot, "2025-03-15")
        await pilot.press("down")
        await type_text(pilot, "12/31/2025")
        await pilot.press("down")
        await type_text(pilot, "Nature.com -pinterest.com https://x.org")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchSettingsScreen)  # refused: still open
        error = screen.query_one("#search-error", Static)
        assert error.display and "not a URL" in str(error.render())
        await pilot.press(*["backspace"] * len(" https://x.org"), "enter")
        await pilot.pause()
        # Allowed and denied together: Perplexity takes one kind a request (QA).
        assert isinstance(app.screen, SearchSettingsScreen)
        assert "not both" in str(error.render())
        await pilot.press(*["backspace"] * len("-pinterest.com"))
        await type_text(pilot, "arxiv.org")
        await pilot.press("enter")
        await pilot.pause()

    assert app.result == SearchSettings(
        after_date="03/15/2025",
        before_date="12/31/2025",
        domains=["nature.com", "arxiv.org"],
    )


async def test_an_after_date_later_than_the_before_date_is_refused() -> None:
    """QA: after 01/01/2025 and before 01/01/2020 were saved (the header read "(01/01/2025 to
    01/01/2020)") and sent: a search no page can match."""
    app = EditorApp(SearchSettings(), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await type_text(pilot, "01/01/2025")
        await pilot.press("down")
        await type_text(pilot, "2020-01-01")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchSettingsScreen)  # refused: still open
        error = screen.query_one("#search-error", Static)
        assert error.display and "later than the before date" in str(error.render())


async def test_a_date_before_the_year_1000_is_saved_with_four_digits() -> None:
    """QA: After ``0999-01-01`` was refused with ``time data '01/01/999' does not match format
    '%m/%d/%Y'``: the year was written with three digits, then read back as four."""
    app = EditorApp(SearchSettings(), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await type_text(pilot, "0999-01-01")
        await pilot.press("down")
        await type_text(pilot, "01/01/2020")
        await pilot.press("enter")
        await until(pilot, lambda: app.result is not None)
    assert app.result == SearchSettings(after_date="01/01/0999", before_date="01/01/2020")


async def test_notes_follow_the_settings_and_escape_cancels() -> None:
    app = EditorApp(SearchSettings(recency="week"), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        note = screen.query_one("#note-recency", Static)
        assert not note.display
        await pilot.press("down", *"01/01/2025")
        await pilot.pause()
        assert note.display and "the dates win" in str(note.render())
        assert not screen.query_one("#note-mode", Static).display  # chat completions: honoured
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "default search" in str(screen.query_one("#search-summary", Static).render())
        # QA: labelled "Defaults", it clears (any / web / no), whatever config.toml's are
        assert "^r Clear" in screen_text(app) and "^r clear" in screen_text(app)
        assert "Defaults" not in screen_text(app) and "^r defaults" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()

    assert app.result is None


CHOICE_ROWS = (
    "search-recency", "search-mode", "search-context", "search-disable", "search-related",
    "search-images",
)  # fmt: skip


def _focus_problems(screen: list[list[Cell]], editor: SearchSettingsScreen, what: str) -> list[str]:
    """The focused choice row stands apart from the dialog (a cell at :data:`SECONDARY`
    contrast with the dialog's panel, its text readable); the other rows do not."""
    label = editor.query_one(".search-settings--label").region
    panel = screen[label.y][label.right - 1].background
    problems = []
    for row in CHOICE_ROWS:
        choice = editor.query_one(f"#{row}", Choice)
        region = choice.region
        shown = screen[region.y][region.x : region.right]
        apart = max(contrast_ratio(cell.background, panel) for cell in shown)
        if choice.has_focus and apart < SECONDARY:
            problems.append(f"{what}: focused {row} is not to be seen ({apart:.2f}:1)")
        if not choice.has_focus and apart > 1:
            problems.append(f"{what}: {row} looks focused but is not")
        marked = [cell for cell in shown if cell.is_text and cell.background != panel]
        worst = min((cell.contrast for cell in marked), default=SECONDARY)
        if choice.has_focus and worst < SECONDARY:
            problems.append(f"{what}: focused {row} reads {worst:.2f}:1")
    return problems


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_focused_choice_row_is_to_be_seen_in_every_theme(
    no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: ctrl+g, Down five times (Recency to Context): the screen before and after was the
    same, at 256 colours and truecolor; no choice row ever showed it had the focus."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app()
    failures: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        editor = app.screen
        assert isinstance(editor, SearchSettingsScreen)
        for row in CHOICE_ROWS:  # each row, as Down reaches it
            editor.query_one(f"#{row}").focus()
            await pilot.pause()
            failures += _focus_problems(cells(app), editor, row)
        # (without colour, Textual's ANSI themes draw every text black on black here)
        themes = [t for t in app.available_themes if not (no_color and t.startswith("ansi-"))]
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            for system in (None, ColorSystem.EIGHT_BIT):
                failures += _focus_problems(cells(app, system), editor, f"{theme} {system}")
    assert not failures, "\n".join(failures)


# -- in the workspace, against the loopback server ---------------------------------------------


async def set_month_and_academic(pilot: Pilot[Any]) -> None:
    """ctrl+g, recency any → month (4 times right), down to mode, web → academic, Enter."""
    await pilot.press("ctrl+g")
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchSettingsScreen))
    await pilot.press("right", "right", "right", "right")
    await pilot.press("down", "down", "down", "down", "right", "enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, SearchSettingsScreen))


async def test_the_header_follows_what_the_chosen_model_takes(loopback: LoopbackServer) -> None:
    """The header marks the settings the target would not send, and follows a new target."""
    app = agent_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await set_month_and_academic(pilot)
        header = workspace(app).header
        assert header.search == "month · not sent: academic"

        app.use_target(app.resolve("demo", None))  # chat completions: the mode is sent
        await pilot.pause()
        assert header.search == "month · academic"

        app.use_target(app.resolve("groq", None))  # no Sonar model: no search field at all
        await pilot.pause()
        assert header.search == "not sent: month, academic"


async def test_agent_api_gets_filters_in_the_tool_and_the_answer_says_what_was_not_sent(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=recorded.frames(recorded_agent.agent_events())))
    app = agent_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await set_month_and_academic(pilot)
        screen = workspace(app)
        assert screen.chat.settings.search == SearchSettings(recency="month", mode="academic")
        # (the header said "month · academic" as if both were sent)
        assert screen.header.search == "month · not sent: academic"
        assert on_screen(app, "(month · not sent: academic)")
        await ask(pilot, "Cafés in Tōkyō?")

        body = loopback.requests[0].json
        assert body["preset"] == "fast"
        assert body["tools"] == [
            {"type": "web_search", "filters": {"search_recency_filter": "month"}}
        ]
        assert "search_mode" not in body
        assert on_screen(app, "search: month · not sent: academic")
        answer = screen.chat.messages[-1]
        assert answer.search == SearchSettings(recency="month", mode="academic")
        assert answer.search_not_sent == {"mode": "the Agent API has no search mode"}
        saved = ChatStore().load(screen.chat.id)
        assert saved.settings.search.recency == "month"
        assert saved.messages[-1].search_not_sent == answer.search_not_sent


async def test_chat_completions_get_the_top_level_fields(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=recorded.frames(recorded.perplexity_2026_events())))
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await set_month_and_academic(pilot)
        await ask(pilot, "Cafés?")

        body = loopback.requests[0].json
        assert body["search_recency_filter"] == "month"
        assert body["search_mode"] == "academic"
        assert "tools" not in body
        assert on_screen(app, "search: month · academic")
        assert not on_screen(app, "not sent")


async def test_sources_export_from_the_palette_action(loopback: LoopbackServer, tmp_path) -> None:
    loopback.queue(Reply(chunks=recorded.frames(recorded.perplexity_2026_events())))
    app = loopback_app(loopback)
    target = tmp_path / "refs.ris"
    notes = Notifications()
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        screen.action_export_sources("ris")
        await until(pilot, lambda: any("no sources to export yet" in t for t in notes.texts()))
        await ask(pilot, "Cafés?")
        screen.action_export_sources("ris")
        await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
        field = app.screen.query_one(Input)
        assert field.value.endswith("/cafes.ris")
        field.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists)
        await until(pilot, lambda: any("Wrote 3 sources (RIS)" in t for t in notes.texts()))

    records = rispy.loads(target.read_text(encoding="utf-8"))
    first, second, third = recorded.CITATIONS
    assert [r["urls"][0] for r in records] == [first, third, second]  # in the order cited
    assert "perplexity/sonar via openrouter" in records[0]["notes"][0]


async def test_the_header_summary_gives_way_to_the_title_on_a_narrow_terminal() -> None:
    from textual.app import App, ComposeResult

    from pplx_tui.ui.widgets.status_header import StatusHeader

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title, header.provider, header.model = "Is coffee good?", "demo", "sonar"
            header.search = "week · 1 domain, 1 denied · academic"
            yield header

    for width, shown in ((120, True), (60, False)):
        app = HeaderApp()
        async with app.run_test(size=(width, 3)) as pilot:
            await pilot.pause()
            text = str(app.query_one(StatusHeader).render())
            assert "Is coffee good?" in text
            assert ("(week · 1 domain, 1 denied · academic)" in text) is shown


async def test_at_80_columns_the_search_summary_outlasts_the_provider_and_todays_cost() -> None:
    """helper QA: at 80 columns the header dropped the search settings first, so an answer
    narrowed to last month looked like one from the whole web; the provider's name (the model
    names it) and today's total give way before them."""
    from textual.app import App, ComposeResult

    from pplx_tui.ui.widgets.status_header import StatusHeader

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title = "Which moon of Mars is larger, and why?"
            header.provider, header.model = "openrouter", "perplexity/sonar-pro"
            header.cost, header.day_cost, header.search = 0.0488, 0.2403, "month"
            yield header

    app = HeaderApp()
    async with app.run_test(size=(80, 3)) as pilot:
        await pilot.pause()
        text = str(app.query_one(StatusHeader).render())
    assert "(month)" in text and "perplexity/sonar-pro" in text and "$0.0488" in text, text
    assert "openrouter" not in text and "today" not in text, text


async def test_new_chats_start_from_the_config_search_defaults(loopback: LoopbackServer) -> None:
    from pplx_tui import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[search]\nrecency = "week"\ndomains = ["nature.com"]\n', encoding="utf-8")
    loopback.queue(Reply(chunks=recorded.frames(recorded.perplexity_2026_events())))
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        assert screen.header.search == "week · nature.com"
        await ask(pilot, "Cafés?")

    body = loopback.requests[0].json
    assert body["search_recency_filter"] == "week"
    assert body["search_domain_filter"] == ["nature.com"]


async def test_a_note_is_read_whole_on_a_narrow_terminal() -> None:
    """QA: at 60 columns the recency note ("not sent: the dates win …") was squeezed into the
    one column left beside the choices, a letter a line; it goes under them instead."""
    settings = SearchSettings(recency="year", after_date="01/05/2024")
    app = EditorApp(settings, "openrouter", "perplexity/sonar")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        note = app.screen.query_one("#note-recency", Static)
        assert note.display
        shown = region_text(app, note)  # type: ignore[arg-type]
        assert shown == "not sent: the dates win (recency and dates exclude each other)"


async def test_a_half_typed_date_never_reads_as_default_search() -> None:
    """QA: with recency and domains set, typing a date ("03/1…") turned the summary line into
    "default search" until the date was whole."""
    settings = SearchSettings(recency="month", domains=["nature.com"])
    app = EditorApp(settings, "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", *"03/1")
        await pilot.pause()
        line = str(app.screen.query_one("#search-summary", Static).render())
        assert "default search" not in line
        assert "month · nature.com (and a value to fix" in line


async def test_arrows_read_in_one_burst_apply_in_the_order_pressed() -> None:
    """QA in tmux: Down pressed eight times and Right at once changed nothing: the focus was on
    a text box (a date, the domains) when the Right arrived, and the box took it (a move of its
    cursor) before the Downs queued ahead had moved the focus on. A choice likewise took its
    arrow after a Down pressed later had moved on."""
    app = EditorApp(SearchSettings(), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("down", "down", "down")  # the domains' text box
        for key in ("down", "right", "down", "left", "down"):
            app.post_message(events.Key(key, None))  # read at once, as a terminal delivers them
        await until(pilot, lambda: app.screen.query_one("#search-disable", Choice).has_focus)
        await pilot.press("enter")
        await pilot.pause()

    assert app.result == SearchSettings(mode="academic", context_size="high")


async def test_recency_beside_dates_is_summed_up_as_not_sent_everywhere() -> None:
    """QA: with recency and dates set, the editor's Recency row said "not sent: the dates win"
    while its summary line (and the toast on saving) read "day · 01/01/2020 to 02/01/2020",
    as if the recency were sent: every summary shows only what is sent, the rest after
    "not sent:"."""
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(120, 30), message_hook=notes) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "right", "down")  # recency: day; the after date
        await type_text(pilot, "01/01/2020")
        await pilot.press("down")
        await type_text(pilot, "02/01/2020")
        editor = app.screen
        line = editor.query_one("#search-summary", Static)
        sent = "01/01/2020 to 02/01/2020 · not sent: day"
        await until(pilot, lambda: str(line.render()).endswith(f": {sent}"))
        assert "the dates win" in str(editor.query_one("#note-recency", Static).render())
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        assert workspace(app).header.search == sent
        await until(pilot, lambda: any(sent in text for text in notes.texts()))
        assert not [text for text in notes.texts() if "day · 01/01/2020" in text]


async def test_under_no_web_search_every_filter_typed_says_it_is_not_sent() -> None:
    """QA: with "no web search" on, Recency and After said "not sent" but Domains did not: its
    text (allowed and denied together) could not be read yet, and a row that cannot be read
    counted as empty. A row holding anything says what happens to it."""
    app = EditorApp(SearchSettings(disable_search=True), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right")  # recency: hour
        await pilot.press("down")
        await type_text(pilot, "03/1")  # half typed
        await pilot.press("down", "down")
        await type_text(pilot, "nature.com, -pinterest.com")  # to fix before saving
        await pilot.press("down", "right", "down", "right")  # mode, context size
        screen = app.screen
        rows = ("recency", "after_date", "domains", "mode", "context_size")

        def said(name: str) -> str:
            note = screen.query_one(f"#note-{name}", Static)
            return str(note.render()) if note.display else ""

        await until(pilot, lambda: all(said(name) for name in rows), what="a note on every row set")
        assert {said(name) for name in rows} == {"not sent: no web search is on"}
        assert not said("before_date")  # empty: nothing to say


async def test_keys_read_with_ctrl_r_apply_after_it() -> None:
    """Found in tmux: ctrl+r then Right, Right read in one burst left recency at "any": the
    arrows reached the row first and ctrl+r, run after them, cleared what they chose."""
    app = EditorApp(SearchSettings(mode="academic"), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        recency = app.screen.query_one("#search-recency", Choice)
        await until(pilot, lambda: recency.has_focus)
        for key in ("ctrl+r", "right", "right"):
            app.post_message(events.Key(key, None))  # read at once, as a terminal delivers them
        await until(pilot, lambda: app.screen.query_one("#search-mode", Choice).value is None)
        await pilot.pause()
        assert recency.value == "day"


MANY_SETTINGS = SearchSettings(
    after_date="01/01/2020",
    before_date="06/30/2025",
    domains=["-pinterest.com", "-reddit.com"],
    mode="academic",
    context_size="high",
    return_images=True,
    return_related_questions=True,
)
"""Search settings enough to fill a header's room (with ``recency``: one not sent)."""


def chat_searching_with(settings: SearchSettings, **changes: object) -> str:
    """The id of a saved chat, titled longer than "New chat", asked with ``settings`` (and
    ``changes`` to them)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "settings test question"
    chat.settings.search = dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
    store.save(chat)
    return chat.id


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_header_always_says_the_answers_are_narrowed(
    loopback: LoopbackServer, width: int
) -> None:
    """QA: with a title longer than "New chat" the header at 80 and 120 columns dropped the
    search summary entirely, so whether the filters were visible depended on the title. Where
    the words do not fit, a short marker stands in for them, and the title gives way first."""
    app = loopback_app(loopback, chat_id=chat_searching_with(MANY_SETTINGS))
    async with app.run_test(size=(width, 24)) as pilot:
        header = workspace(app).header
        await until(pilot, lambda: "settings test" in header.render().plain)
        text = header.render().plain
    assert "perplexity/sonar" in text, text
    if width == 200:
        assert "(01/01/2020 to 06/30/2025 · 2 domains denied · academic ·" in text, text
    else:
        assert "(search: 6 settings)" in text, text
    assert "settings test" in text, text


@pytest.mark.parametrize(("width", "counted"), [(70, True), (50, False)])
async def test_a_long_title_gives_way_to_the_search_settings_count(
    width: int, counted: bool
) -> None:
    """The count of the search settings outlasts the costs and the chat title's room; only
    where the title would keep under a dozen columns does it go too."""
    from textual.app import App, ComposeResult

    from pplx_tui.ui.widgets.status_header import TITLE_LEAST, StatusHeader

    title = "Which moon of Mars is larger, and why does it orbit so close?"

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title = title
            header.provider, header.model = "openrouter", "perplexity/sonar-pro"
            header.cost, header.day_cost = 0.0488, 0.2403
            header.search = "month · 3 domains · academic · high context"
            header.search_short = "search: 4 settings"
            yield header

    app = HeaderApp()
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.pause()
        text = app.query_one(StatusHeader).render().plain
    assert "perplexity/sonar-pro" in text and "$" not in text and "openrouter" not in text, text
    assert ("(search: 4 settings)" in text) is counted, text
    assert title[: TITLE_LEAST - 1] in text, text


async def test_no_web_search_names_the_filters_it_leaves_out_everywhere(
    loopback: LoopbackServer,
) -> None:
    """QA: with recency "week" and "no web search", the editor's row said "not sent: no web
    search is on" and the chat file recorded it, but the header, the answer's line and the
    export said only "no web search": the week was not named anywhere the summary stands."""
    from pplx_tui import paths
    from pplx_tui.export import markdown_lines

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[search]\nrecency = "week"\ndisable_search = true\n', encoding="utf-8")
    loopback.queue(Reply(chunks=recorded.frames(recorded.perplexity_2026_events())))
    app = loopback_app(loopback)
    words = "no web search · not sent: week"
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        assert screen.header.search == words
        assert on_screen(app, f"({words})")
        await ask(pilot, "Cafés?")
        assert on_screen(app, f"search: {words}")
        chat_id = screen.chat.id

    body = loopback.requests[0].json
    assert "search_recency_filter" not in body
    saved = ChatStore().load(chat_id)
    assert saved.messages[-1].search_not_sent == {"recency": "no web search is on"}
    assert f"*Search: {words}*" in markdown_lines(saved)


async def test_a_text_rows_key_bar_keeps_save_after_a_refused_date(
    loopback: LoopbackServer,
) -> None:
    """QA: at 80x24, on a date row after a refused date, the editor's key bar read only
    "esc Cancel  ^r Clear": the key that saves once the date is fixed was gone."""
    from pplx_tui.ui.widgets.key_bar import KeyBar

    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        editor = app.screen
        bar = editor.query_one(KeyBar)
        await pilot.press("down")
        await type_text(pilot, "13/45/2025")
        await pilot.press("enter")
        error = editor.query_one("#search-error", Static)
        await until(pilot, lambda: error.display, what="the date refused")
        await pilot.pause()
        shown = region_text(app, bar)
        assert "Save" in shown and "Cancel" in shown, shown


@pytest.mark.parametrize("title", ["", "Which moon of Mars is larger?"])
@pytest.mark.parametrize("costs", [(None, None), (0.0488, 0.2403)])
async def test_the_headers_title_never_runs_into_the_model(
    title: str, costs: tuple[float | None, float | None]
) -> None:
    """QA: at 80x24 the header read "New chat openrouter · …", one space between the title and
    the provider. Two at least, at every width."""
    import re

    from textual.app import App, ComposeResult

    from pplx_tui.ui.widgets.status_header import StatusHeader

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title = title
            header.provider, header.model = "openrouter", "perplexity/sonar"
            header.cost, header.day_cost = costs
            header.search = "month · 3 domains · academic · high context · not sent: images"
            header.search_short = "search: 5 settings, 1 not sent"
            yield header

    app = HeaderApp()
    async with app.run_test(size=(40, 3)) as pilot:
        header = app.query_one(StatusHeader)
        for width in range(40, 141):
            await pilot.resize_terminal(width, 3)
            await until(pilot, lambda w=width: header.size.width == w)
            text = header.render().plain
            if "New chat" in text or "Which" in text:
                start = re.search(r"\S( +)(openrouter|perplexity/sonar)", text)
                assert start and len(start.group(1)) >= 2, (width, text)


async def test_a_header_whose_search_settings_are_counted_keeps_the_provider(
    loopback: LoopbackServer,
) -> None:
    """QA: at 120 columns, once the search settings were counted, the header dropped the
    provider ("perplexity/sonar · (search: 7 settings, 1 not sent)") though it had room for it:
    it went before the settings' words did, and did not come back beside their count."""
    app = loopback_app(loopback, chat_id=chat_searching_with(MANY_SETTINGS, recency="day"))
    async with app.run_test(size=(120, 24)) as pilot:
        header = workspace(app).header
        await until(pilot, lambda: "settings test" in header.render().plain)
        text = header.render().plain
    assert "openrouter · perplexity/sonar · (search: 7 settings, 1 not sent)" in text, text


async def test_at_120_columns_a_short_title_leaves_the_provider_beside_the_model(
    loopback: LoopbackServer,
) -> None:
    """QA: asking ``openai/gpt-4o`` on OpenRouter (a daily budget and search defaults set), the
    header at 120 columns read "gpt question", 14 blank columns, "openai/gpt-4o · (not sent:
    month, 2 domains, academic, medium context) · $0.0051 today": the provider had gone while
    the settings kept their words. Their count stands in first, and the provider stays."""
    from pplx_tui import paths
    from pplx_tui.ui.factory import make_app
    from tests.support.answers import reply
    from tests.support.cli import KEY, USAGE
    from tests.support.tui import use_key

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        'daily_budget_usd = 2.0\n[search]\nrecency = "month"\n'
        'domains = ["nature.com", "arxiv.org"]\nmode = "academic"\ncontext_size = "medium"\n'
    )
    use_key("OPENROUTER_API_KEY", KEY)
    loopback.queue(reply("Two.", usage=USAGE))
    base_url = loopback.base_url + "/api/v1"
    app = make_app(provider="openrouter", model="openai/gpt-4o", base_url=base_url)
    async with app.run_test(size=(120, 40)) as pilot:
        header = workspace(app).header
        await ask(pilot, "gpt question")
        await until(pilot, lambda: "today" in header.render().plain)
        text = header.render().plain
    assert "gpt question" in text and "openrouter · openai/gpt-4o · (search: 4" in text, text
    assert "$0.0051 today" in text, text


async def test_two_values_to_fix_are_counted_and_enter_marks_both_rows() -> None:
    """QA: a bad date and allowed and denied domains together read "(and a value to fix: Enter
    says which)", and Enter said only the date's problem; after fixing it, the domains'. The
    line counts both, and Enter names both, marking their rows."""
    app = EditorApp(SearchSettings(), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchSettingsScreen)
        await pilot.press("down")
        await type_text(pilot, "13/45/2025")
        await pilot.press("down", "down")
        await type_text(pilot, "nature.com -x.com")
        await pilot.pause()
        summary = str(screen.query_one("#search-summary", Static).render())
        assert "(and 2 values to fix" in summary, summary
        await pilot.press("enter")
        error = screen.query_one("#search-error", Static)
        await until(pilot, lambda: error.display, what="the values refused")
        shown = screen_text(app)
        assert "After: dates are written" in shown and "Domains: use allowed" in shown, shown
        assert "After ✗" in shown and "Domains ✗" in shown and "Before ✗" not in shown, shown
        await pilot.press(*["backspace"] * len(" -x.com"))
        await until(pilot, lambda: "✗" not in screen_text(app))
        summary = str(screen.query_one("#search-summary", Static).render())
        assert "(and a value to fix" in summary, summary


async def test_images_on_the_demo_are_said_to_be_not_sent_everywhere() -> None:
    """QA: on the offline demo, Images "ask for them" read "For demo · demo/sonar: images" in
    the editor, "(images)" in the header and "search: images" on the answer, as if it were
    honoured, while `i` then said "The offline demo has no images" (and `pplx ask --demo
    --images` says it is not sent): the editor, the header and the answer say so too."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press(*["down"] * 8, "right")  # Images: ask for them
        editor = app.screen
        note = editor.query_one("#note-return_images", Static)
        await until(pilot, lambda: note.display, what="the Images row says it is not sent")
        assert "the offline demo has no images" in str(note.render())
        summary = editor.query_one("#search-summary", Static)
        assert str(summary.render()).endswith(": not sent: images")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        screen = workspace(app)
        assert screen.header.search == "not sent: images"
        await ask(pilot, "How many moons does Mars have?")
        answer = screen.chat.messages[-1]
        assert answer.search_not_sent == {"return_images": "the offline demo has no images"}
        assert on_screen(app, "search: not sent: images")
