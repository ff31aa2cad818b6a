"""Text stays readable in every theme the app offers (its own and Textual's, as the palette's
Theme command lists them): the highlighted source and chat, focused or not, the citation
markers of an answer, and the highlighted model of the model and compare pickers and image of
the image list, measured as WCAG contrast on the real app's screen.

QA (80x24, truecolor): the highlighted source's site/date line and snippet were white on yellow
in pplx-high-contrast (1.07:1), the same colour as their background in rose-pine-dawn, 1.85:1 in
pplx-dark (the default); its title line was highlighted only up to the end of its text. The
highlighted chat's date was grey on yellow in pplx-high-contrast (1.33:1), and textual-light's
``[n]`` markers were 1.38-1.49:1.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorSystem
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget
from textual.widgets import OptionList, SelectionList
from textual.widgets._collapsible import CollapsibleTitle

from pplx_tui import paths
from pplx_tui.models import Message, MessageStatus, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.contrast import NORMAL, SECONDARY, contrast_ratio, muted_on, reduced
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.theme_guard import DIVIDER
from pplx_tui.ui.unread_marks import set_mark
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.chat_rows import NEW_ANSWER, format_date
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.source_list import SourceList
from tests.support.chats import phobos_chat, titled_chat
from tests.support.contrast import Cell, cells, shortfalls
from tests.support.tui import ask, demo_app, region_text, until, workspace

BUNDLED = sorted(path.stem for path in paths.bundled_themes_dir().glob("*.toml"))
TEXTUAL = sorted(name for name in BUILTIN_THEMES if name != "textual-ansi")
"""Textual's themes as the palette offers them (``App.available_themes``: not its ANSI one)."""
GROUPS = [BUNDLED, *(TEXTUAL[start : start + 7] for start in range(0, len(TEXTUAL), 7))]
"""Themes measured in one app each, switched by ``app.theme``: a failure names its theme."""
SIZE = (150, 40)
"""Wide enough for the chat list and the sources panel beside the answer."""


def test_the_groups_are_every_theme_the_palette_offers() -> None:
    app = demo_app()
    assert sorted(name for group in GROUPS for name in group) == sorted(app.available_themes)


@pytest.mark.parametrize(
    ("text", "highlight", "least", "faded"),
    [
        ("#000000", "#ffff00", NORMAL, True),  # pplx-high-contrast: room to fade and keep 4.5:1
        ("#fbfaf4", "#1e7b88", SECONDARY, True),  # pplx-light, 4.7:1: no room to keep 4.5:1
        # pplx-dark, 7.7:1, but in 16 colours a fade is grey on cyan (QA, TERM=xterm: 1.21:1)
        ("#0b1618", "#1fb8cd", NORMAL, False),
    ],
)
def test_a_muted_line_is_readable_and_apart_from_the_text(
    text: str, highlight: str, least: float, faded: bool
) -> None:
    colour, background = Color.parse(text), Color.parse(highlight)
    muted = muted_on(colour, background)
    assert contrast_ratio(muted, background) >= least
    apart = contrast_ratio(colour, background) / contrast_ratio(muted, background)
    assert apart > 1.2 if faded else muted == colour
    for system in (ColorSystem.EIGHT_BIT, ColorSystem.STANDARD):
        assert contrast_ratio(reduced(muted, system), reduced(background, system)) >= SECONDARY


def _content(widget: Widget) -> Region:
    """Where ``widget`` draws its rows: its region, less its scrollbar and border, with its
    padding (a highlight goes from edge to edge)."""
    region = widget.region
    scrollbar = widget.scrollbar_size_vertical if widget.show_vertical_scrollbar else 0
    border = widget.styles.border.spacing
    return Region(
        region.x + border.left,
        region.y + border.top,
        region.width - border.width - scrollbar,
        region.height - border.height,
    )


def _rows(screen: list[list[Cell]], region: Region, first: str, last: str | None = None) -> Region:
    """The rows of ``region`` from the one starting (after spaces and a ``▸``) with ``first``
    to the one holding ``last`` (else to the row before the next blank one)."""
    texts = [
        "".join(c.char for c in screen[y][region.x : region.right])
        for y in range(region.y, region.bottom)
    ]
    top = next(n for n, text in enumerate(texts) if text.lstrip(" ▸").startswith(first))
    if last is None:
        bottom = next(n for n, text in enumerate(texts[top:], top) if not text.strip())
    else:
        bottom = next(n for n, text in enumerate(texts[top:], top) if last in text) + 1
    return Region(region.x, region.y + top, region.width, bottom - top)


def _highlight_problems(screen: list[list[Cell]], rows: Region, what: str) -> list[str]:
    """The highlighted rows' text: the first row (a title) at :data:`NORMAL` contrast, the
    rest (site and date, snippet, a chat's date) at :data:`SECONDARY`; and the highlight's
    background on every cell of every row, from edge to edge (focused, other than the row's
    after them)."""
    title = Region(rows.x, rows.y, rows.width, 1)
    rest = Region(rows.x, rows.y + 1, rows.width, rows.height - 1)
    problems = [str(s) for s in shortfalls(screen, title, NORMAL, what + " title")]
    problems += [str(s) for s in shortfalls(screen, rest, SECONDARY, what)]
    highlight = screen[rows.y][rows.x].background
    # (blurred, Textual's ANSI themes draw no highlight: their design, not measured here)
    if "focused" in what and screen[rows.bottom][rows.x].background == highlight:
        problems.append(f"{what}: no highlight to be seen ({highlight.hex} all along)")
    for y in range(rows.y, rows.bottom):
        row = screen[y][rows.x : rows.right]
        if other := [cell for cell in row if cell.background != highlight]:
            text = "".join(cell.char for cell in row).strip()
            problems.append(
                f"{what}: {len(other)} of {len(row)} cells of {text!r} are on "
                f"{other[0].background.hex}, not the highlight's {highlight.hex}"
            )
    return problems


def _marker_problems(screen: list[list[Cell]], app: PplxApp) -> list[str]:
    """The answer's ``[n]`` markers at :data:`SECONDARY` contrast, the one under the reading
    cursor too (QA: light grey on lime in ansi-dark, 1.14:1)."""
    problems = []
    for answer in workspace(app).query(AnswerView):
        region = answer.region
        for y in range(region.y, region.bottom):
            row = screen[y][region.x : region.right]
            text = "".join(cell.char for cell in row)
            start = text.find("[")
            while start >= 0:
                end = text.find("]", start)
                if end > start + 1 and text[start + 1 : end].isdigit():
                    worst = min(row[start : end + 1], key=lambda cell: cell.contrast)
                    if worst.contrast < SECONDARY:
                        problems.append(
                            f"marker {text[start : end + 1]}: {worst.colour.hex} on "
                            f"{worst.background.hex} {worst.contrast:.2f}:1 < {SECONDARY:g}"
                        )
                start = text.find("[", start + 1)
    return problems


async def _measure(pilot: Pilot[Any], app: PplxApp) -> list[str]:
    """Everything measured in the current theme: the source list focused (the chat list's
    highlight blurred), then the chat list focused (the source list's blurred)."""
    screen = workspace(app)
    sources = screen.query_one(SourceList)
    options = screen.chat_list.options
    title, date = "How many", format_date(screen.chat.updated_at)
    problems: list[str] = []
    for focused in (sources, options):
        focused.focus()
        await until(pilot, lambda: focused.has_focus)  # noqa: B023 (awaited here)
        await pilot.pause()
        shown = cells(app)
        state = "focused" if focused is sources else "blurred"
        problems += _highlight_problems(
            shown, _rows(shown, _content(sources), "[1] "), f"source ({state})"
        )
        state = "focused" if focused is options else "blurred"
        problems += _highlight_problems(
            shown, _rows(shown, _content(options), title, date), f"chat ({state})"
        )
        problems += _marker_problems(shown, app)
        for widget, what in ((sources, "sources"), (options, "chats")):  # every row
            problems += [str(s) for s in shortfalls(shown, _content(widget), SECONDARY, what)]
    return sorted(set(problems))


@pytest.mark.parametrize("themes", GROUPS, ids=lambda group: f"{group[0]}..{group[-1]}")
async def test_highlighted_rows_and_markers_are_readable_in_every_theme(
    themes: list[str],
) -> None:
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.press("n")  # the reading cursor on the first marker: measured with the rest
        await until(pilot, lambda: any(view.cursor for view in workspace(app).query(AnswerText)))
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            if problems := await _measure(pilot, app):
                failures[theme] = problems
    report = "\n".join(
        f"{theme}:\n  " + "\n  ".join(problems) for theme, problems in failures.items()
    )
    assert not failures, f"text below the least contrast:\n{report}"


# -- the pickers' and the image list's highlighted rows -----------------------------------------

MARKED = "Demo Sonar (offline)"
"""The current model's name: the row highlighted as the model picker (ctrl+o) and the compare
picker (ctrl+t, ticked) open."""
IMAGE = "Phobos from MRO"
"""The title of :func:`~tests.support.chats.phobos_chat`'s image."""
RELATED = "→ How big is Phobos?"
"""Its first related question (highlighted as the list takes the focus)."""


def _option_problems(
    screen: list[list[Cell]], region: Region, name: str, height: int, what: str
) -> list[str]:
    """The highlighted option (``height`` rows from the one holding ``name``) in ``region``:
    ``name`` at :data:`NORMAL` contrast, the rest of its text (a compare picker's ``☑``, a
    model's id and details, an image's URL) at :data:`SECONDARY`."""
    texts = [
        "".join(c.char for c in screen[y][region.x : region.right])
        for y in range(region.y, region.bottom)
    ]
    top = next((n for n, text in enumerate(texts) if name in text), None)
    if top is None:
        return [f"{what}: {name!r} not on the screen"]
    y, x = region.y + top, region.x + texts[top].index(name)
    named = Region(x, y, len(name), 1)
    left = region.x
    problems = [str(s) for s in shortfalls(screen, named, NORMAL, what + " name")]
    for row in range(y, min(y + height, region.bottom)):
        text = [
            cell
            for n, cell in enumerate(screen[row][left : region.right], left)
            if cell.is_text and (row != y or not x <= n < named.right)
        ]
        worst = min(text, key=lambda cell: cell.contrast, default=None)
        if worst is not None and worst.contrast < SECONDARY:
            problems.append(
                f"{what}: {worst.char!r} {worst.colour.hex} on {worst.background.hex} "
                f"{worst.contrast:.2f}:1 < {SECONDARY:g} in {texts[row - region.y].strip()!r}"
            )
    return problems


async def _option_in_each_theme(
    pilot: Pilot[Any],
    themes: list[str],
    failures: dict[str, list[str]],
    options: Widget,
    name: str,
    height: int,
    what: str,
) -> None:
    """:func:`_option_problems` of ``options``'s highlighted option in each of ``themes``."""
    await _each_theme(
        pilot,
        themes,
        failures,
        lambda shown: _option_problems(
            shown, options.scrollable_content_region, name, height, what
        ),
    )


async def _each_theme(
    pilot: Pilot[Any],
    themes: list[str],
    failures: dict[str, list[str]],
    measure: Any,
    system: ColorSystem | None = None,
) -> None:
    """``measure(screen)``'s problems in each of ``themes`` (the screen as a terminal of
    ``system``'s colours shows it), added to ``failures``."""
    app = pilot.app
    for theme in themes:
        app.theme = theme
        await pilot.pause()
        if problems := measure(cells(app, system)):
            failures.setdefault(theme, []).extend(problems)


ANSWER_PARTS = ("About: How big", "moon ", "print('phobos')")
"""Rows of :data:`~tests.support.chats.RICH_ANSWER` measured whole: its heading, its table's
header and its code (QA: flexoki's headings 2.28-2.93:1, ansi-light's code dark on dark)."""
HELP_TEXTS = ("Search (Esc clears)", "Ask anything")
"""The chat list's and the question box's placeholders (QA: 2.6-2.8:1 in pplx-light)."""


def _text_problems(
    screen: list[list[Cell]], texts: tuple[str, ...], what: str, least: float = SECONDARY
) -> list[str]:
    """The rows of the screen holding each of ``texts``, from it to the end of the row's text,
    at ``least`` contrast."""
    problems = []
    for text in texts:
        rows = ["".join(c.char for c in row) for row in screen]
        y = next((n for n, row in enumerate(rows) if text in row), None)
        if y is None:
            problems.append(f"{what}: {text!r} not on the screen")
            continue
        x = rows[y].index(text)
        end = len(rows[y].rstrip(" │▎▊"))
        region = Region(x, y, max(end - x, len(text)), 1)
        problems += [str(s) for s in shortfalls(screen, region, least, what)]
    return problems


def _divider_problems(screen: list[list[Cell]], app: PplxApp, least: float = DIVIDER) -> list[str]:
    """The chat list's and the sources panel's dividers (``│``) at ``least`` contrast with the
    cells on either side (QA: lighter than pplx-light's background, 1.08:1)."""
    problems = []
    ws = workspace(app)
    for widget, x in (
        (ws.chat_list, ws.chat_list.region.right - 1),
        (ws.sources, ws.sources.region.x),
    ):
        y = widget.region.y + widget.region.height // 2
        line, left, right = screen[y][x], screen[y][x - 1], screen[y][x + 1]
        for side in (left, right):
            ratio = contrast_ratio(line.colour, side.background)
            if ratio < least:
                problems.append(
                    f"divider of {type(widget).__name__}: {line.colour.hex} beside "
                    f"{side.background.hex} {ratio:.2f}:1 < {least:g}"
                )
    return problems


def _dialog_problems(screen: list[list[Cell]], app: PplxApp, what: str) -> list[str]:
    """Every row of the open dialog (its frame's title and subtitle too) at
    :data:`SECONDARY` contrast (QA: flexoki's titles 2.28:1, atom-one-light's key sheet
    sections 1.78:1, pplx-light's help text 2.6:1)."""
    if app.current_theme.ansi:  # (its warnings are the terminal's bright red: yellow here)
        return []
    dialog = app.screen.query(".dialog").first()
    return [str(s) for s in shortfalls(screen, dialog.region, SECONDARY, what)]


@pytest.mark.parametrize("themes", GROUPS, ids=lambda group: f"{group[0]}..{group[-1]}")
async def test_the_pickers_and_answer_extras_highlighted_rows_are_readable_in_every_theme(
    themes: list[str],
) -> None:
    """QA: the model picker's and the compare picker's highlighted model, and the image list's
    highlighted image, kept the plain lists' colours: a model's id and details in the theme's
    muted grey on the highlight (demo/sonar #ffff99 on yellow in pplx-high-contrast, 1.02:1).
    The highlighted related question was the theme's own highlight colours (2.36:1 in
    gruvbox)."""
    chat = phobos_chat(ChatStore(), ["How big is Phobos?"])
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: screen.conversation.selected is not None)
        screen.conversation.focus()
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.focused, RelatedQuestions))
        related = app.focused
        await _each_theme(
            pilot,
            themes,
            failures,
            lambda shown: [
                *_option_problems(
                    shown, related.scrollable_content_region, RELATED, 1, "related question"
                ),
                *_text_problems(shown, ANSWER_PARTS, "answer"),
                *_text_problems(shown, HELP_TEXTS, "help text"),
                *_divider_problems(shown, app),
            ],
        )
        screen.conversation.focus()
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.focused, ImageList))
        images = app.focused
        await _option_in_each_theme(pilot, themes, failures, images, IMAGE, 2, "image")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await pilot.pause()
        models = app.screen.query_one(OptionList)
        await _each_theme(
            pilot,
            themes,
            failures,
            lambda shown: [
                *_option_problems(
                    shown, models.scrollable_content_region, MARKED, 2, "model picker"
                ),
                *_dialog_problems(shown, app, "model picker"),
            ],
        )
        await pilot.press("escape", "ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.pause()
        ticks = app.screen.query_one(SelectionList)
        await _option_in_each_theme(pilot, themes, failures, ticks, MARKED, 1, "compare picker")
        await pilot.press("escape", "f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.pause()
        await _each_theme(
            pilot, themes, failures, lambda shown: _dialog_problems(shown, app, "key sheet")
        )
    report = "\n".join(
        f"{theme}:\n  " + "\n  ".join(problems) for theme, problems in failures.items()
    )
    assert not failures, f"text below the least contrast:\n{report}"


# -- without colour, and a focused fold ---------------------------------------------------------


def _scrollbar_problems(screen: list[list[Cell]], widget: Widget, what: str) -> list[str]:
    """``widget``'s vertical scrollbar: its thumb at :data:`DIVIDER` contrast with its track
    (QA, NO_COLOR: #1c1c1c on black, 1.23:1)."""
    region = widget.vertical_scrollbar.region
    column = [screen[y][region.x] for y in range(region.y, region.bottom)]
    shades = sorted({cell.background for cell in column}, key=str)
    if len(shades) != 2:
        return [f"{what}: no thumb and track to be seen ({[c.hex for c in shades]})"]
    ratio = contrast_ratio(*shades)
    if ratio < DIVIDER:
        return [f"{what}: {shades[0].hex} and {shades[1].hex} {ratio:.2f}:1 < {DIVIDER:g}"]
    return []


async def test_without_colour_headings_and_the_scrollbar_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA (NO_COLOR=1, flexoki): the headings were the dimmest text (``Code`` and the table's
    header #4e4e4e on #080808, 2.41:1) and the scrollbar's thumb all but invisible."""
    monkeypatch.setenv("NO_COLOR", "1")
    chat = phobos_chat(ChatStore(), ["How big is Phobos?"])
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=(120, 34)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: screen.conversation.selected is not None)
        # (laid out taller than the view: under load the first theme was measured before)
        bar = screen.conversation.vertical_scrollbar
        await until(pilot, lambda: screen.conversation.show_vertical_scrollbar and bar.size.height)
        await _each_theme(
            pilot,
            [*BUNDLED, "flexoki"],
            failures,
            lambda shown: [
                *_text_problems(shown, ANSWER_PARTS[:2], "answer"),
                *_scrollbar_problems(shown, screen.conversation, "scrollbar"),
            ],
        )
    assert app.no_color
    report = "\n".join(f"{theme}:\n  " + "\n  ".join(found) for theme, found in failures.items())
    assert not failures, f"text below the least contrast:\n{report}"


async def test_a_focused_reasoning_fold_s_title_reads() -> None:
    """QA: gruvbox's focused "▼ Reasoning (t)" was Textual's block cursor colours, 2.36:1."""
    store = ChatStore()
    chat = phobos_chat(store, ["How big is Phobos?"])
    chat.messages[1].reasoning = "Phobos is the larger moon; recall its size."
    store.save(chat)
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: screen.conversation.selected is not None)
        title = screen.query_one(CollapsibleTitle)
        title.focus()
        await until(pilot, lambda: title.has_focus)
        await _each_theme(
            pilot,
            [*BUNDLED, "gruvbox"],
            failures,
            lambda shown: [
                str(s) for s in shortfalls(shown, title.region, NORMAL, "reasoning title")
            ],
        )
    report = "\n".join(f"{theme}:\n  " + "\n  ".join(found) for theme, found in failures.items())
    assert not failures, f"text below the least contrast:\n{report}"


# -- in a terminal of 256 or 16 colours ---------------------------------------------------------

TERMINALS = {ColorSystem.EIGHT_BIT: "xterm-256color", ColorSystem.STANDARD: "xterm"}
"""The ``TERM`` of a terminal of each colour system (no ``COLORTERM``)."""
OTHER = 1.01
"""Contrast that only says "another colour": the nearest two of xterm's 16 are 1.012:1."""
LEAST = {ColorSystem.EIGHT_BIT: (SECONDARY, DIVIDER), ColorSystem.STANDARD: (OTHER, OTHER)}
"""The least contrast of text and of a divider with its background in each: in 16 colours,
the terminal's own shades (its palette is the user's), another colour than its background's."""
HEADINGS = ("Chats (", "Sources (")


MARKS = {"Deimos": NEW_ANSWER, "Dust storms": "answer failed"}
"""Chats listed with an unread mark (in the theme's success and warning colours)."""


def _uncited_chat() -> str:
    """A saved chat whose last answer (citing [1] and [2]) has six sources, titled and dated,
    with a snippet: [3]-[6] "○ not cited"; before it an answer that broke off on an error and
    one stopped (their labels and lines in the theme's warning and error colours). Other
    chats are listed with :data:`MARKS`."""
    store = ChatStore()
    for title, mark in MARKS.items():
        set_mark(titled_chat(store, title).id, mark)
    chat = store.new_chat()
    chat.title = "Phobos"
    endings = [
        ("Why?", MessageStatus.INTERRUPTED, "The connection ended."),
        ("How?", MessageStatus.INTERRUPTED, None),
        ("How big is Phobos?", MessageStatus.COMPLETE, None),
    ]
    for question, status, error in endings:
        chat.messages.append(Message(role="user", content=question))
        chat.messages.append(
            Message(
                role="assistant",
                content="Mars has two moons, Phobos [1] and Deimos [2].",
                provider="openrouter",
                model="perplexity/sonar-pro",
                status=status,
                error=error,
            )
        )
    chat.messages[-1].sources = [
        Source(
            index=n,
            url=f"https://s{n}.example/",
            title=f"Moons of Mars, part {n}",
            date="2024-03-12",
            snippet="Mars has two small moons, Phobos and Deimos.",
        )
        for n in range(1, 7)
    ]
    return store.save(chat).id


def _terminal_problems(screen: list[list[Cell]], app: PplxApp, system: ColorSystem) -> list[str]:
    """Every row of the sources panel (uncited ones too), of the chat list (unread marks too)
    and of each answer (its label, how it ended), the headings, the header and the
    placeholders, and the dividers, at :data:`LEAST` contrast; the highlighted source's site,
    date and snippet and the highlighted chat's date at :data:`SECONDARY` in 16 colours too. (An
    ANSI theme's colours are the terminal's: none is reduced.)"""
    if app.current_theme.ansi:
        return []
    text, divider = LEAST[system]
    ws = workspace(app)
    sources = _content(ws.sources.query_one(SourceList))
    rows = _rows(screen, sources, "[1] ")
    lit = Region(rows.x, rows.y + 1, rows.width, rows.height - 1)
    found = shortfalls(screen, lit, SECONDARY, "highlighted source")
    found += shortfalls(screen, sources, text, "sources")
    chats = _content(ws.chat_list.options)
    rows = _rows(screen, chats, "Phobos", format_date(ws.chat.updated_at))
    lit = Region(rows.x, rows.y + 1, rows.width, rows.height - 1)
    found += shortfalls(screen, lit, SECONDARY, "highlighted chat")
    found += shortfalls(screen, chats, text, "chats")
    for answer in ws.query(AnswerView):
        found += shortfalls(screen, answer.region, text, "answer")
    found += shortfalls(screen, ws.header.region, text, "header")
    problems = [str(s) for s in found]
    problems += _text_problems(screen, HEADINGS, "heading", text)
    problems += _text_problems(screen, HELP_TEXTS, "help text", text)
    return problems + _divider_problems(screen, app, divider)


@pytest.mark.parametrize("themes", GROUPS, ids=lambda group: f"{group[0]}..{group[-1]}")
@pytest.mark.parametrize("system", list(TERMINALS), ids=["256", "16"])
async def test_in_256_and_16_colours_text_and_dividers_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem, themes: list[str]
) -> None:
    """QA, TERM=xterm: solarized-dark's and monokai's uncited sources and the sources panel's
    divider were bright black on bright black. TERM=xterm-256color (no COLORTERM):
    solarized-dark's dividers 1.00:1, its headings and header 2.17:1, "Search (Esc clears)"
    1.89:1, the question's placeholder 1.65:1. The highlighted source's site, date and
    snippet: ANSI bright black on cyan in pplx-dark (1.21:1), faded only for truecolor."""
    monkeypatch.setenv("TERM", TERMINALS[system])
    monkeypatch.delenv("COLORTERM", raising=False)
    chat = _uncited_chat()
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat)
        await until(pilot, lambda: "not cited" in region_text(app, screen.sources))
        await until(
            pilot,
            lambda: all(f"● {m}" in region_text(app, screen.chat_list) for m in MARKS.values()),
        )
        sources = screen.sources.query_one(SourceList)
        for focused in (sources, screen.chat_list.options):
            focused.focus()
            await until(pilot, lambda: focused.has_focus)  # noqa: B023 (awaited here)
            await _each_theme(
                pilot,
                themes,
                failures,
                lambda shown: _terminal_problems(shown, app, system),
                system,
            )
    report = "\n".join(f"{theme}:\n  " + "\n  ".join(found) for theme, found in failures.items())
    assert not failures, f"text below the least contrast:\n{report}"
