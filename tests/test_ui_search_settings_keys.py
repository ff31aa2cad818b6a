"""QA: in the search settings editor, keys read together (tmux ``send-keys``, a fast typist)
were applied in the wrong place. Up / Down move the focus as they are read, and each row takes
its keys in its own queue: a key a choice has no use for (End, ctrl+u) bubbled up to the app,
which ran the binding of the row focused by then, a date box further down, after the text typed
there; an Enter on a choice saved before the row above had typed the date read with it; and a
ctrl+u run that late cleared the marks a refused Enter had just set ("(and a value to fix: Enter
says which)", and Enter named none). Each test sends its keys in one burst, as the terminal
hands them over, and one by one: both must end the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pplx_tui.models import SearchSettings
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from tests.support.key_bursts import post_at_once
from tests.support.search_editor import EditorApp
from tests.support.tui import demo_app, type_text, until

Send = Callable[[Pilot[Any], list[str]], Awaitable[None]]


async def at_once(pilot: Pilot[Any], keys: list[str]) -> None:
    """Post ``keys`` at once, named as ``pilot.press`` names them (a character is typed)."""
    post_at_once(pilot.app, keys)
    for _ in range(5):  # each key handled, and what it set off
        await pilot.pause()


async def one_by_one(pilot: Pilot[Any], keys: list[str]) -> None:
    await pilot.press(*keys)
    await pilot.pause()


SENDS = [pytest.param(at_once, id="at once"), pytest.param(one_by_one, id="one by one")]


def texts(screen: SearchSettingsScreen) -> list[str]:
    """After, Before and Domains, as typed."""
    return [box.value for box in screen.query(Input)]


def errors(screen: SearchSettingsScreen) -> str:
    """The problems Enter listed under the rows ("" when none are shown)."""
    error = screen.query_one("#search-error", Static)
    return str(error.render()) if error.display else ""


async def opened(pilot: Pilot[Any]) -> SearchSettingsScreen:
    screen = pilot.app.screen
    await until(pilot, lambda: isinstance(screen, SearchSettingsScreen) and screen.focused)
    assert isinstance(screen, SearchSettingsScreen)
    return screen


@pytest.mark.parametrize("send", SENDS)
async def test_a_refused_enter_names_the_values_to_fix_after_keys_read_together(
    send: Send,
) -> None:
    """The QA's keys, after a refused Enter on After: Up Up reach Images (End, ctrl+u and the
    date there change nothing), Down Down After again, where ctrl+u clears the date and the
    domains typed by mistake fill the box (ten characters). Enter then names both rows, in
    their order, and the focus stays on After."""
    app = demo_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("ctrl+g")
        screen = await opened(pilot)
        await pilot.press("down")
        await type_text(pilot, "13/45/2020")
        await pilot.press("down", "down")
        await type_text(pilot, "https://x.org/a")
        await pilot.press("up", "up", "end", "ctrl+u")
        await type_text(pilot, "01/01/2020")
        await pilot.press("enter")
        await until(pilot, lambda: errors(screen).startswith("Domains:"))
        after = screen.query_one("#search-after", Input)
        assert screen.focused is after
        keys = ["up", "up", "end", "ctrl+u", *"01/01/2019", "down", "down", "end", "ctrl+u"]
        await send(pilot, [*keys, *"nature.com, bad domain.com", "enter"])
        await until(pilot, lambda: "After:" in errors(screen))
        assert texts(screen) == ["nature.com", "", "https://x.org/a"]
        assert errors(screen).startswith("After:") and "\nDomains:" in errors(screen)
        assert screen.focused is after


@pytest.mark.parametrize("send", SENDS)
async def test_keys_a_choice_has_no_use_for_never_reach_the_row_focused_later(
    send: Send,
) -> None:
    """ctrl+u, backspace and Home read on Images are nothing there; typed after Down reached
    the domains, they cleared or moved in the box after the text typed there (QA)."""
    app = EditorApp(SearchSettings(domains=["nature.com"]), "demo", "demo/sonar")
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await opened(pilot)
        keys = ["up", "ctrl+u", "backspace", "home", *["down"] * 4, "end", *", arxiv.org"]
        await send(pilot, keys)
        await until(pilot, lambda: texts(screen)[2].endswith("arxiv.org"))
        await pilot.pause()
        assert screen.focused is screen.query_one("#search-domains")
        await pilot.press("enter")
        await until(pilot, lambda: app.result != "open")
    assert app.result == SearchSettings(domains=["nature.com", "arxiv.org"]), texts(screen)


@pytest.mark.parametrize("send", SENDS)
async def test_enter_on_a_choice_saves_the_date_typed_just_before(send: Send) -> None:
    """Enter on Recency, read with the date typed on After: it saved before After had typed
    it (each row handles its keys in its own queue)."""
    app = EditorApp(SearchSettings(), "demo", "demo/sonar")
    async with app.run_test(size=(100, 34)) as pilot:
        await opened(pilot)
        await send(pilot, ["down", *"03/15/2025", "up", "right", "enter"])
        await until(pilot, lambda: app.result != "open")
    assert app.result == SearchSettings(recency="hour", after_date="03/15/2025")


@pytest.mark.parametrize("send", SENDS)
async def test_a_bad_date_typed_just_before_enter_on_a_choice_is_named(send: Send) -> None:
    app = EditorApp(SearchSettings(), "demo", "demo/sonar")
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await opened(pilot)
        await send(pilot, ["down", "0", "up", "enter"])
        await until(pilot, lambda: "After:" in errors(screen))
        await pilot.pause()
        assert "After:" in errors(screen) and app.result == "open"
        assert screen.focused is screen.query_one("#search-recency")


@pytest.mark.parametrize("send", SENDS)
@pytest.mark.parametrize("tab", ["tab", "shift+tab"])
async def test_a_date_typed_after_tab_goes_to_the_row_tab_reached(send: Send, tab: str) -> None:
    """Tab and a date read together: the date went into the row Tab left."""
    app = EditorApp(SearchSettings(), "demo", "demo/sonar")
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await opened(pilot)
        start = ["down"] if tab == "tab" else ["down", "down", "down"]  # After / Domains
        await send(pilot, [*start, tab, *"12/31/2025", "enter"])
        await until(pilot, lambda: app.result != "open")
    assert app.result == SearchSettings(before_date="12/31/2025"), texts(screen)


async def test_the_values_to_fix_are_listed_in_the_rows_order() -> None:
    """QA: an after date later than the before date was listed after the domains' problem."""
    app = EditorApp(SearchSettings(), "demo", "demo/sonar")
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await opened(pilot)
        await pilot.press("down")
        await type_text(pilot, "01/01/2025")
        await pilot.press("down")
        await type_text(pilot, "01/01/2020")
        await pilot.press("down")
        await type_text(pilot, "https://x.org/a")
        await pilot.press("enter")
        await until(pilot, lambda: bool(errors(screen)))
        lines = errors(screen).splitlines()
    assert [line.split(":")[0] for line in lines] == ["After", "Domains"], lines
    assert "later than the before date" in lines[0], lines
