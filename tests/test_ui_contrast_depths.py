"""In terminals of 256 and 16 colours (no ``COLORTERM``), in every theme the app offers: the
command palette's entries and descriptions read, its highlighted entry can be seen, and a code
block's frame and a table's rules are not in the colour of the answer under them. One app a
colour depth, each theme switched to once for the answer and once for the palette.

QA (tmux, TERM=xterm): the palette's highlighted description was ``ESC[90m`` on ``ESC[100m``
(pplx-dark, pplx-high-contrast, nord), the same palette slot; in nord, dracula, atom-one-dark
and two catppuccins the conversation is ``ESC[100m`` and the code frames and table rules
``ESC[90m``. TERM=xterm-256color: nord's descriptions 2.69:1, pplx-dark's highlighted one
2.80:1, solarized-light's 2.62:1; nord's highlighted entry colour 60 beside 59 (1.06:1).
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual.command import CommandList
from textual.geometry import Region
from textual.widgets import OptionList

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.commands import Palette
from pplx_tui.ui.contrast import NORMAL, SECONDARY, contrast_ratio
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.theme_guard import DIVIDER
from pplx_tui.ui.widgets.source_list import SourceList
from tests.support.contrast import (
    Grid,
    Measure,
    content,
    each_theme,
    highlight_problems,
    measured,
    option_problems,
    report,
    rows_between,
    shortfalls,
)
from tests.support.tui import ask, demo_app, until, workspace
from tests.test_ui_contrast import MARKED, SIZE, THEMES

TERMINALS = {ColorSystem.EIGHT_BIT: "xterm-256color", ColorSystem.STANDARD: "xterm"}
OTHER = 1.01
"""Contrast that only says "another colour": the nearest two of xterm's 16 are 1.012:1."""
LINES = {ColorSystem.EIGHT_BIT: DIVIDER, ColorSystem.STANDARD: OTHER}
"""The least contrast of a frame's or a rule's line with its background, in each."""
FRAMES = "╭╮╰╯│─┌┐└┘├┤┬┴┼"
FRAMED = """Two moons:

| moon | km |
|---|---|
| Phobos | 22.5 |

```python
print('phobos')
```"""
"""An answer with a table and a code block (QA: their lines ESC[90m on ESC[100m in nord)."""


def _framed_chat() -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Frames"
    chat.messages += [
        Message(role="user", content="How big is Phobos?"),
        Message(role="assistant", content=FRAMED, provider="demo", model="demo/sonar"),
    ]
    return store.save(chat).id


def _line_problems(screen: Grid, app: PplxApp, least: float) -> list[str]:
    """Every frame and rule line of the conversation at ``least`` contrast with its ground."""
    region = workspace(app).conversation.region
    problems = set()
    for y in range(region.y, region.bottom):
        for cell in screen[y][region.x : region.right]:
            if cell.char in FRAMES and contrast_ratio(cell.colour, cell.background) < least:
                problems.add(
                    f"line {cell.char!r}: {cell.colour.hex} on {cell.background.hex} "
                    f"{cell.contrast:.2f}:1 < {least:g}"
                )
    return sorted(problems)


def _palette_problems(screen: Grid, app: PplxApp, least: float) -> list[str]:
    """The palette's entries: every row's text at :data:`SECONDARY`, the highlighted entry's
    name at :data:`NORMAL`, and its background ``least`` apart from the other entries'."""
    commands = app.screen.query_one(CommandList)
    region = content(commands)
    problems = [str(s) for s in shortfalls(screen, region, SECONDARY, "palette")]
    top = commands.highlighted or 0
    title = Region(region.x, region.y + top, region.width, 1)  # (one-row titles)
    problems += [str(s) for s in shortfalls(screen, title, NORMAL, "palette highlighted name")]
    lit = screen[title.y][region.x].background
    others = {screen[y][region.x].background for y in range(region.y, region.bottom)} - {lit}
    if not others:
        problems.append(f"palette: no highlight to be seen ({lit.hex} all along)")
    for other in others:
        if contrast_ratio(lit, other) < least:
            problems.append(
                f"palette highlight {lit.hex} beside {other.hex} "
                f"{contrast_ratio(lit, other):.2f}:1 < {least:g}"
            )
    return problems


@pytest.mark.parametrize("system", list(TERMINALS), ids=["256", "16"])
async def test_in_256_and_16_colours_the_palette_and_an_answers_frames_read(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem
) -> None:
    monkeypatch.setenv("TERM", TERMINALS[system])
    monkeypatch.delenv("COLORTERM", raising=False)
    chat = _framed_chat()
    app = demo_app()
    failures: dict[str, list[str]] = {}
    least = LINES[system]
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat)
        await until(pilot, lambda: screen.conversation.selected is not None)

        def lines(shown: Grid) -> list[str]:
            return _line_problems(shown, app, least)

        await each_theme(pilot, THEMES, failures, [measured(lines)], system)

        def palette(shown: Grid) -> list[str]:
            return _palette_problems(shown, app, least)

        async def opened() -> Measure:
            # (opened again in each theme: an open palette keeps the lines it drew)
            if isinstance(app.screen, Palette):
                await pilot.press("escape")
                await until(pilot, lambda: not isinstance(app.screen, Palette))
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, Palette))
            await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 3)
            await pilot.pause()
            return palette

        await each_theme(pilot, THEMES, failures, [opened], system)
    assert not failures, report(failures)


async def test_without_colour_in_256_colours_the_highlighted_rows_secondary_text_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA (NO_COLOR=1, TERM=xterm-256color, pplx-light): the highlighted source's site and date
    and the model picker's highlighted model's id and details were colour 235 on 241 (~2.5:1):
    faded for the highlight's colours, not for its grey."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", TERMINALS[ColorSystem.EIGHT_BIT])
    monkeypatch.delenv("COLORTERM", raising=False)
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        sources = workspace(app).query_one(SourceList)
        sources.focus()
        await until(pilot, lambda: sources.has_focus)

        def source(shown: Grid) -> list[str]:
            rows = rows_between(shown, content(sources), "[1] ")
            return highlight_problems(shown, rows, "source (focused)")

        # (the ANSI themes: their colours, and so their highlight, are gone without colour)
        themes = [name for name in THEMES if not getattr(app.get_theme(name), "ansi", False)]
        await each_theme(pilot, themes, failures, [measured(source)], ColorSystem.EIGHT_BIT)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await pilot.pause()
        models = app.screen.query_one(OptionList).scrollable_content_region

        def model(shown: Grid) -> list[str]:
            return option_problems(shown, models, MARKED, 2, "model picker")

        await each_theme(pilot, themes, failures, [measured(model)], ColorSystem.EIGHT_BIT)
    assert app.no_color
    assert not failures, report(failures)
