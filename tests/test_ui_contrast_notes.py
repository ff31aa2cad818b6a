"""The lines the app puts over and above an answer read in every theme, in truecolor and in
terminals of 256 and 16 colours: the cited source's snippet under the reading cursor (``n``,
then space), an answer's footnote and open task, and the no-key notice above the
conversation, with its "✕ hide"; and the key and rename dialogs. An app a colour depth
switches to each theme once for each screen (a theme restyles the whole app: the costly step).

QA: the snippet was white on pplx-light's paper white (1.03:1); in 256 colours colour 231 on
231 in six light themes. The notice was yellow on yellow in ansi-dark and bright red on bright
red in ansi-light; its "✕ hide" 2.80:1 in solarized-dark, 2.30:1 in catppuccin-latte, 1.81:1
in flexoki in 256 colours.
"""

from __future__ import annotations

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
from tests.support.contrast import (
    Grid,
    Measure,
    cells,
    each_theme,
    measured,
    report,
    shortfalls,
)
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
SNIPPET = "Mars has two small moons"
"""The demo's first source's snippet."""


def _snippet_rows(screen: Grid, app: PplxApp) -> Region:
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


FOOTNOTED = (
    "Phobos is the larger moon[^1].\n\n- [ ] an open task\n\n[^1]: The footnote's own text.\n"
)
"""An answer with a footnote and an open task (both in ``$text-muted``, as the snippet)."""
FOOTNOTE_TEXTS = ("The footnote's own text", "an open task")


def _rows_holding(screen: Grid, app: PplxApp, texts: tuple[str, ...]) -> list[Region]:
    """The conversation's row holding each of ``texts``, whole (the sources panel beside it
    measured elsewhere)."""
    conversation = workspace(app).conversation.region
    rows = ["".join(c.char for c in row) for row in screen]
    return [
        Region(conversation.x, y, conversation.width, 1)
        for text in texts
        for y, row in enumerate(rows)
        if text in row
    ]


def _footnoted_chat() -> str:
    """A saved chat whose answer has a footnote and an open task (:data:`FOOTNOTED`)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.messages += [
        Message(role="user", content="How big is Phobos?"),
        Message(
            role="assistant", content=FOOTNOTED, provider="openrouter", model="perplexity/sonar"
        ),
    ]
    return store.save(chat).id


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_the_snippet_footnote_task_and_no_key_notice_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    """QA's scan: an answer's footnote and open task were white on the paper white of every
    light theme (1.03-1.18:1), as the snippet. (All on one screen, measured in each theme: the
    no-key notice above the conversation, the footnoted answer, and below it the demo's answer
    with its first source's snippet open.)"""
    _terminal(monkeypatch, system)
    chat = _footnoted_chat()
    app = make_app()  # no key: the demo, with the notice
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        notice = screen.query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "✕ hide" in region_text(app, notice))
        await screen.open_chat(chat)
        await until(pilot, lambda: FOOTNOTE_TEXTS[0] in region_text(app, screen.conversation))
        await ask(pilot, "How many moons does Mars have?")
        screen.conversation.focus()
        await pilot.press("n")
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        await pilot.press("space")
        await until(pilot, lambda: SNIPPET in region_text(app, screen.conversation))
        screen.conversation.scroll_home(animate=False)  # (the footnoted answer above the snippet)
        await until(pilot, lambda: FOOTNOTE_TEXTS[0] in region_text(app, screen.conversation))
        assert SNIPPET in region_text(app, screen.conversation)

        def measure(shown: Grid) -> list[str]:
            least = SECONDARY
            found = shortfalls(shown, _snippet_rows(shown, app), least, "snippet")
            for row in _rows_holding(shown, app, FOOTNOTE_TEXTS):
                found += shortfalls(shown, row, least, "answer")
            found += shortfalls(shown, notice.region, least, "notice")
            return [str(s) for s in found]

        await each_theme(pilot, THEMES, failures, [measured(measure)], system)
    assert not failures, report(failures)


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


async def _dialog(pilot: Pilot[PplxApp], kind: type, *keys: str) -> None:
    """``keys`` pressed until a ``kind`` of dialog is open and drawn."""
    app = pilot.app
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(app.screen, kind))
    await pilot.pause()


@pytest.mark.parametrize("system", list(TERMINALS), ids=["truecolor", "256", "16"])
async def test_the_key_and_rename_dialogs_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem | None
) -> None:
    """QA's scan (ctrl+k): the provider's ``▼`` was Textual's ``$foreground 50%``, 1.92:1 on
    solarized-light's field, grey on grey in 16 colours (atom-one-dark, tokyo-night). (f2 on a
    chat, its title selected): the theme's text on Textual's selection, 2.18:1 in
    atom-one-dark, 1.87:1 in 256 colours. (Each dialog open over the workspace as it starts.)"""
    _terminal(monkeypatch, system)
    titled_chat(ChatStore(), "How many moons does Mars have?")
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        options = workspace(app).chat_list.options
        await until(pilot, lambda: options.option_count > 0)

        def dialog(what: str) -> Measure:
            def measure(shown: Grid) -> list[str]:
                region = app.screen.query_one(".dialog").region
                return [str(s) for s in shortfalls(shown, region, SECONDARY, what)]

            return measure

        await _dialog(pilot, ApiKeyScreen, "ctrl+k")
        await each_theme(pilot, THEMES, failures, [measured(dialog("key dialog"))], system)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        options.focus()
        options.highlighted = 0
        await _dialog(pilot, RenameScreen, "f2")
        await each_theme(pilot, THEMES, failures, [measured(dialog("rename dialog"))], system)
    assert not failures, report(failures)
