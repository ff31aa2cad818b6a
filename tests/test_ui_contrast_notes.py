"""The lines the app puts over and above an answer read in every theme, in truecolor and in
terminals of 256 and 16 colours: the cited source's snippet under the reading cursor (``n``,
then space) and the no-key notice above the conversation, with its "✕ hide".

QA: the snippet was white on pplx-light's paper white (1.03:1); in 256 colours colour 231 on
231 in six light themes. The notice was yellow on yellow in ansi-dark and bright red on bright
red in ansi-light; its "✕ hide" 2.80:1 in solarized-dark, 2.30:1 in catppuccin-latte, 1.81:1
in flexoki in 256 colours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.color import ColorSystem
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from pplx_tui import paths
from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.contrast import SECONDARY
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.notice_bar import NoticeBar
from tests.support.chats import titled_chat
from tests.support.contrast import Cell, Shortfall, cells, shortfalls
from tests.support.tui import ask, demo_app, frame, region_text, until, workspace

BUNDLED = sorted(path.stem for path in paths.bundled_themes_dir().glob("*.toml"))
TEXTUAL = sorted(name for name in BUILTIN_THEMES if name != "textual-ansi")
"""Textual's themes as the palette offers them (not its ANSI one)."""
THEMES = [*BUNDLED, *TEXTUAL]
TERMINALS = {
    None: None,
    ColorSystem.EIGHT_BIT: "xterm-256color",
    ColorSystem.STANDARD: "xterm",
}
"""The ``TERM`` of a terminal of each colour system (``None``: truecolor, as conftest sets)."""
OTHER = 1.01
"""Contrast that only says "another colour": the nearest two of xterm's 16 are 1.012:1."""
SNIPPET = "Mars has two small moons"
"""The demo's first source's snippet."""


def _least(app: PplxApp, system: ColorSystem | None) -> float:
    """Text's least contrast: 3:1, but only another colour than its ground's in 16 colours and
    in an ANSI theme (its colours are the terminal's, the user's palette)."""
    if app.current_theme.ansi or system == ColorSystem.STANDARD:
        return OTHER
    return SECONDARY


def _snippet_rows(screen: list[list[Cell]], app: PplxApp) -> Region:
    """The snippet's rows (``┃ [1] title — url`` and its text), from its bar to the right edge
    of the conversation."""
    conversation = workspace(app).conversation.region
    texts = [
        "".join(c.char for c in screen[y][conversation.x : conversation.right])
        for y in range(conversation.y, conversation.bottom)
    ]
    top = next(n for n, text in enumerate(texts) if "┃ [1] " in text)
    x = texts[top].index("┃ [1] ")
    bottom = next(
        (n for n, text in enumerate(texts[top:], top) if text[x : x + 2] != "┃ "), len(texts)
    )
    return Region(conversation.x + x, conversation.y + top, conversation.width - x, bottom - top)


def _terminal(monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None) -> None:
    """The app's terminal shows ``system``'s colours (``None``: truecolor)."""
    if (term := TERMINALS[system]) is not None:
        monkeypatch.setenv("TERM", term)
        monkeypatch.delenv("COLORTERM", raising=False)


async def _each_theme(
    pilot: Pilot[Any],
    measure: Callable[[list[list[Cell]]], list[Shortfall]],
    system: ColorSystem | None,
) -> None:
    """Fails naming each theme where ``measure`` finds text below its least contrast."""
    failures: dict[str, list[str]] = {}
    for theme in THEMES:
        pilot.app.theme = theme
        await pilot.pause()
        if found := measure(cells(pilot.app, system)):
            failures[theme] = [str(s) for s in found]
    report = "\n".join(f"{theme}:\n  " + "\n  ".join(found) for theme, found in failures.items())
    assert not failures, f"text below the least contrast:\n{report}"


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_a_cited_source_s_snippet_reads_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    _terminal(monkeypatch, system)
    app = demo_app()
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        screen.conversation.focus()
        await pilot.press("n")
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        await pilot.press("space")
        await until(pilot, lambda: SNIPPET in region_text(app, screen.conversation))
        await _each_theme(
            pilot,
            lambda shown: shortfalls(
                shown, _snippet_rows(shown, app), _least(app, system), "snippet"
            ),
            system,
        )


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_the_no_key_notice_and_its_hide_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    _terminal(monkeypatch, system)
    app = make_app()  # no key: the demo, with the notice
    async with app.run_test(size=(150, 40)) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "✕ hide" in region_text(app, notice))
        await _each_theme(
            pilot,
            lambda shown: shortfalls(shown, notice.region, _least(app, system), "notice"),
            system,
        )


async def test_a_snippet_s_lines_are_on_the_answer_s_ground_to_its_edge() -> None:
    """QA (tmux, pplx-light): after the snippet's text its line was the terminal's own
    background (``ESC[49m``), a dark band in a dark terminal, to the answer's edge."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "pplx-light"
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        screen.conversation.focus()
        await pilot.press("n")
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        await pilot.press("space")
        await until(pilot, lambda: SNIPPET in region_text(app, screen.conversation))
        text = next(view for view in screen.query(AnswerText) if view.cursor).region
        rows = _snippet_rows(cells(app), app)
        drawn = frame(app)
        for y in range(rows.y, rows.bottom):
            x, bare = 0, []
            for segment in (segment for strip in drawn[y] for segment in strip):
                if text.x <= x < text.right and (
                    segment.style is None or not segment.style.bgcolor
                ):
                    bare.append(repr(segment.text))
                x += segment.cell_length
            assert not bare, f"row {y}: {bare} on no background"


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_the_key_dialog_reads_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    """QA's scan (ctrl+k): the provider's ``▼`` was Textual's ``$foreground 50%``, 1.92:1 on
    solarized-light's field, grey on grey in 16 colours (atom-one-dark, tokyo-night)."""
    _terminal(monkeypatch, system)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await pilot.pause()
        dialog = app.screen.query_one(".dialog")
        await _each_theme(
            pilot,
            lambda shown: shortfalls(shown, dialog.region, _least(app, system), "key dialog"),
            system,
        )


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_the_rename_dialog_s_selected_title_reads_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    """QA's scan (f2 on a chat, its title selected): the theme's text on Textual's selection,
    2.18:1 in atom-one-dark, 1.87:1 in 256 colours."""
    _terminal(monkeypatch, system)
    titled_chat(ChatStore(), "How many moons does Mars have?")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        options = workspace(app).chat_list.options
        await until(pilot, lambda: options.option_count > 0)
        options.focus()
        options.highlighted = 0
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.pause()
        dialog = app.screen.query_one(".dialog")
        await _each_theme(
            pilot,
            lambda shown: shortfalls(shown, dialog.region, _least(app, system), "rename dialog"),
            system,
        )


FOOTNOTED = (
    "Phobos is the larger moon[^1].\n\n- [ ] an open task\n\n[^1]: The footnote's own text.\n"
)
"""An answer with a footnote and an open task (both in ``$text-muted``, as the snippet)."""


def _rows_holding(screen: list[list[Cell]], texts: tuple[str, ...]) -> list[Region]:
    """The row holding each of ``texts``, whole."""
    rows = ["".join(c.char for c in row) for row in screen]
    return [
        Region(0, y, len(screen[y]), 1)
        for text in texts
        for y, row in enumerate(rows)
        if text in row
    ]


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_an_answer_s_footnote_and_open_task_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    """QA's scan: white on the paper white of every light theme (1.03-1.18:1), as the snippet."""
    _terminal(monkeypatch, system)
    store = ChatStore()
    chat = store.new_chat()
    chat.messages += [
        Message(role="user", content="How big is Phobos?"),
        Message(
            role="assistant", content=FOOTNOTED, provider="openrouter", model="perplexity/sonar"
        ),
    ]
    store.save(chat)
    app = demo_app()
    texts = ("The footnote's own text", "an open task")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: texts[0] in region_text(app, screen.conversation))
        await _each_theme(
            pilot,
            lambda shown: [
                found
                for row in _rows_holding(shown, texts)
                for found in shortfalls(shown, row, _least(app, system), "answer")
            ],
            system,
        )
