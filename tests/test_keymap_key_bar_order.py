"""A key a ``[keymap]`` moves keeps its place in the key bar (order and how long a narrow
terminal keeps it): QA saw ``j Next cite`` and ``x Open`` go first at 80 columns, and move to
the end of the line at 200 (Textual puts a remapped binding after the others)."""

from __future__ import annotations

import pytest

from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.answers import focus_conversation
from tests.support.tui import ask, demo_app, until, workspace
from tests.test_keymap_in_force import key_bar, write_keymap

MOVED = {
    "conversation.next_marker": "j",
    "conversation.open": "x",
    "app.add_key": "f4",
    "research.toggle_sources": "f5",
}
"""The QA keymap: each new key as wide as the default it replaces."""

AS_MOVED = (
    ("n Next", "j Next"),
    ("⏎ Open", "x Open"),
    ("^k API", "f4 API"),
    ("^s Sour", "f5 Sour"),
)


async def cited_bar(size: tuple[int, int], next_key: str) -> str:
    """The key bar with the conversation focused and its first citation marked."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await ask(pilot, "What is TCP?")
        await focus_conversation(pilot)
        await pilot.press(next_key)
        await until(pilot, lambda: "Copy URL" in key_bar(app))
        return key_bar(app)


def moved(bar: str, pairs: tuple[tuple[str, str], ...] = AS_MOVED) -> str:
    """``bar`` with the keys of ``pairs`` (the default key's, the keymap's) exchanged."""
    for default, remapped in pairs:
        bar = bar.replace(default, remapped)
    return bar


@pytest.mark.parametrize("size", [(80, 24), (200, 40)])
async def test_a_moved_key_keeps_its_place_in_the_key_bar(size: tuple[int, int]) -> None:
    default = await cited_bar(size, "n")
    assert "n Next cite" in default and "⏎ Open" in default, default
    write_keymap(**MOVED)
    assert await cited_bar(size, "j") == moved(default)


async def sources_bar() -> str:
    """The key bar with the sources panel's list focused, at 120 columns (the panel shown)."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "What is TCP?")
        workspace(app).query_one(SourcesPanel).list_view.focus()
        await until(pilot, lambda: "Copy URL" in key_bar(app))
        return key_bar(app)


async def test_a_moved_key_keeps_its_place_in_the_sources_panel() -> None:
    default = await sources_bar()
    write_keymap(**{"sources.open": "x"})
    remapped = await sources_bar()
    assert "⏎ Open c Copy URL" in default, default
    assert remapped == moved(default, (("⏎ Open", "x Open"),))


async def keyless_bar() -> str:
    """The key bar of Perplexity without a key, at 200 columns, the question box focused."""
    app = make_app(provider="perplexity")
    async with app.run_test(size=(200, 60)) as pilot:
        await until(pilot, lambda: "Palette" in key_bar(app))
        return key_bar(app)


@pytest.mark.parametrize(
    ("binding", "key", "shown"),
    [
        ("app.add_key", "f4", ("^k API key", "f4 API key")),
        ("app.pick_model", "f9", ("^o Model", "f9 Model")),
    ],
)
async def test_a_moved_app_key_keeps_its_place_among_the_workspace_keys(
    binding: str, key: str, shown: tuple[str, str]
) -> None:
    """QA: ``f4 API key`` went after ``^o Model``, ``f9 Model`` to the front (Textual lists
    the app's remapped key after the workspace's; the question box's ctrl+k put the default
    first)."""
    default = await keyless_bar()
    assert default.index("API key") < default.index("Send") < default.index("Model"), default
    write_keymap(**{binding: key})
    remapped = await keyless_bar()
    assert remapped == moved(default, (shown,)), remapped
