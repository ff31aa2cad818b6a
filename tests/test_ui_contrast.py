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

import pytest
from rich.color import ColorSystem
from textual.color import Color
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widgets import OptionList, SelectionList

from pplx_tui import paths
from pplx_tui.models import Chat, Message, MessageStatus, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.contrast import NORMAL, SECONDARY, contrast_ratio, muted_on, reduced
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.theme_guard import DIVIDER
from pplx_tui.ui.unread_marks import set_mark
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.chat_rows import NEW_ANSWER, format_date
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.source_list import SourceList
from tests.support.chats import phobos_chat, titled_chat
from tests.support.contrast import (
    Grid,
    Measure,
    content,
    dialog_problems,
    divider_problems,
    each_theme,
    focused,
    highlight_problems,
    marker_problems,
    measured,
    muted_problems,
    option_problems,
    report,
    rows_between,
    scrollbar_problems,
    shortfalls,
    text_problems,
)
from tests.support.tui import ask, demo_app, region_text, until, workspace

BUNDLED = sorted(path.stem for path in paths.bundled_themes_dir().glob("*.toml"))
TEXTUAL = sorted(name for name in BUILTIN_THEMES if name != "textual-ansi")
"""Textual's themes as the palette offers them (``App.available_themes``: not its ANSI one)."""
THEMES = [*BUNDLED, *TEXTUAL]
"""Every theme, switched to by ``app.theme`` in one app a test (a failure names its theme):
an app's start costs as much as a few themes."""
SIZE = (150, 40)
"""Wide enough for the chat list and the sources panel beside the answer."""


def test_the_themes_measured_are_every_theme_the_palette_offers() -> None:
    app = demo_app()
    assert sorted(THEMES) == sorted(app.available_themes)


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


def _highlights(app: PplxApp, focus: str, other: Chat) -> Measure:
    """Everything measured in the current theme, the source list or the chat list focused (the
    other's highlight blurred): both highlights, the markers, every row of both lists, the
    ``other`` chat's date (not highlighted) muted."""
    screen = workspace(app)
    sources, options = screen.query_one(SourceList), screen.chat_list.options
    title, date = "How many", format_date(screen.chat.updated_at)

    def measure(shown: Grid) -> list[str]:
        state = "focused" if focus == "sources" else "blurred"
        problems = highlight_problems(
            shown, rows_between(shown, content(sources), "[1] "), f"source ({state})"
        )
        state = "focused" if focus == "chats" else "blurred"
        problems += highlight_problems(
            shown, rows_between(shown, content(options), title, date), f"chat ({state})"
        )
        other_rows = rows_between(
            shown, content(options), other.title, format_date(other.updated_at)
        )
        if not getattr(app.current_theme, "ansi", False):  # (the terminal's own colours)
            problems += muted_problems(shown, other_rows, "chat (not highlighted)")
        problems += marker_problems(shown, app)
        for widget, what in ((sources, "sources"), (options, "chats")):  # every row
            problems += [str(s) for s in shortfalls(shown, content(widget), SECONDARY, what)]
        return sorted(set(problems))

    return measure


async def test_highlighted_rows_and_markers_are_readable_in_every_theme() -> None:
    other = titled_chat(ChatStore(), "Kyoto")
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        screen = workspace(app)
        screen.conversation.focus()
        await pilot.press("n")  # the reading cursor on the first marker: measured with the rest
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        sources, options = screen.query_one(SourceList), screen.chat_list.options
        await each_theme(
            pilot,
            THEMES,
            failures,
            [
                focused(pilot, sources, _highlights(app, "sources", other)),
                focused(pilot, options, _highlights(app, "chats", other)),
            ],
        )
    assert not failures, report(failures)


# -- the pickers' and the answer extras' highlighted rows ---------------------------------------

MARKED = "Demo Sonar (offline)"
"""The current model's name: the row highlighted as the model picker (ctrl+o) and the compare
picker (ctrl+t, ticked) open."""
IMAGE = "Phobos from MRO"
"""The title of :func:`~tests.support.chats.phobos_chat`'s image."""
RELATED = "→ How big is Phobos?"
"""Its first related question (highlighted as the list takes the focus)."""
ANSWER_PARTS = ("About: How big", "moon ", "print('phobos')")
"""Rows of :data:`~tests.support.chats.RICH_ANSWER` measured whole: its heading, its table's
header and its code (QA: flexoki's headings 2.28-2.93:1, ansi-light's code dark on dark)."""
HELP_TEXTS = ("Search (Esc clears)", "Ask anything")
"""The chat list's and the question box's placeholders (QA: 2.6-2.8:1 in pplx-light)."""


def _not_ansi(app: PplxApp) -> list[str]:
    """:data:`THEMES` but the ANSI ones, whose colours are the terminal's (as it shows them)."""
    return [name for name in THEMES if not getattr(app.get_theme(name), "ansi", False)]


async def _dialog(pilot: Pilot[PplxApp], keys: tuple[str, ...], kind: type) -> None:
    """``keys`` pressed until a ``kind`` of dialog is open and drawn."""
    app = pilot.app
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(app.screen, kind))
    await pilot.pause()


async def test_the_pickers_highlighted_model_and_the_dialogs_read_in_every_theme() -> None:
    """QA: the model picker's and the compare picker's highlighted model kept the plain list's
    colours: a model's id and details in the theme's muted grey on the highlight (demo/sonar
    #ffff99 on yellow in pplx-high-contrast, 1.02:1). (Each dialog is open over the workspace
    as it starts, the compare picker's question typed: a dialog covers what is under it, and a
    theme restyles all of it.)"""
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _dialog(pilot, ("ctrl+o",), ModelPickerScreen)
        models = app.screen.query_one(OptionList).scrollable_content_region

        def model_picker(shown: Grid) -> list[str]:
            return [
                *option_problems(shown, models, MARKED, 2, "model picker"),
                *dialog_problems(shown, app, "model picker"),
            ]

        await each_theme(pilot, THEMES, failures, [measured(model_picker)])
        await pilot.press("escape")
        workspace(app).prompt.insert("How big is Phobos?")  # (what ctrl+t compares)
        await _dialog(pilot, ("ctrl+t",), ComparePickerScreen)

        # As tall as its rows and centred, the dialog stands a row higher where a theme draws
        # its buttons taller (the ANSI themes): the rows are found in each theme.
        def compare_picker(shown: Grid) -> list[str]:
            ticks = app.screen.query_one(SelectionList).scrollable_content_region
            return option_problems(shown, ticks, MARKED, 1, "compare picker")

        await each_theme(pilot, THEMES, failures, [measured(compare_picker)])
        await _dialog(pilot, ("escape", "f1"), KeysScreen)
        await each_theme(
            pilot,
            _not_ansi(app),  # (dialog_problems measures none)
            failures,
            [measured(lambda shown: dialog_problems(shown, app, "key sheet"))],
        )
    assert not failures, report(failures)


async def test_the_answer_extras_highlighted_rows_are_readable_in_every_theme() -> None:
    """QA: the image list's highlighted image kept the plain list's colours. The highlighted
    related question was the theme's own highlight colours (2.36:1 in gruvbox). With them, the
    answer's heading, table and code, the placeholders and the dividers."""
    chat = phobos_chat(ChatStore(), ["How big is Phobos?"])
    app = demo_app()
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: screen.conversation.selected is not None)

        related, images = screen.query_one(RelatedQuestions), screen.query_one(ImageList)

        def related_question(shown: Grid) -> list[str]:
            region = related.scrollable_content_region
            return [
                *option_problems(shown, region, RELATED, 1, "related question"),
                *text_problems(shown, ANSWER_PARTS, "answer"),
                *text_problems(shown, HELP_TEXTS, "help text"),
                *divider_problems(shown, app),
            ]

        def image(shown: Grid) -> list[str]:
            region = images.scrollable_content_region
            return option_problems(shown, region, IMAGE, 2, "image")

        await each_theme(
            pilot,
            THEMES,
            failures,
            # (as the answer's f and i focus them)
            [focused(pilot, related, related_question), focused(pilot, images, image)],
        )
    assert not failures, report(failures)


# -- without colour --------------------------------------------------------------------------------


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

        def headings_and_bar(shown: Grid) -> list[str]:
            return [
                *text_problems(shown, ANSWER_PARTS[:2], "answer"),
                *scrollbar_problems(shown, screen.conversation, "scrollbar"),
            ]

        await each_theme(pilot, [*BUNDLED, "flexoki"], failures, [measured(headings_and_bar)])
    assert app.no_color
    assert not failures, report(failures)


# -- in a terminal of 256 or 16 colours ---------------------------------------------------------

TERMINALS = {ColorSystem.EIGHT_BIT: "xterm-256color", ColorSystem.STANDARD: "xterm"}
"""The ``TERM`` of a terminal of each colour system (no ``COLORTERM``)."""
OTHER = 1.01
"""Contrast that only says "another colour": the nearest two of xterm's 16 are 1.012:1."""
DIVIDERS = {ColorSystem.EIGHT_BIT: DIVIDER, ColorSystem.STANDARD: OTHER}
"""The least contrast of a divider with what is beside it in each: in 16 colours another
colour. (Text: :data:`~pplx_tui.ui.contrast.SECONDARY` in xterm's palette in both.)"""
HEADINGS = ("Chats (", "Sources (")
MARKS = {"Deimos": NEW_ANSWER, "Dust storms": "answer failed"}
"""Chats listed with an unread mark (in the theme's success and warning colours)."""


LAST_ANSWER = """Mars has two moons, Phobos [1] and Deimos [2].

- Phobos: `cwnd_after 1064` km
1. Deimos

| moon | km |
|---|---|
| Phobos | 22.5 |

```python
def orbit(n): return n * 1064
```"""
"""Markers, a list's bullet and number, inline code, a table's header and highlighted code
(QA, TERM=xterm: pplx-light's markers and header cyan on bright white, 1.98:1, textual-light's
markers and code yellow, 1.70:1; ansi-light's bullets and numbers cyan, 1.98:1)."""


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
    chat.messages[-1].content = LAST_ANSWER
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


def _terminal_problems(screen: Grid, app: PplxApp, system: ColorSystem) -> list[str]:
    """Every row of the sources panel (uncited ones too, the highlighted one's site, date and
    snippet), of the chat list (unread marks too) and of each answer (its label, how it ended,
    :data:`LAST_ANSWER`), the headings, the header and the placeholders at :data:`SECONDARY`
    contrast; the dividers at :data:`DIVIDERS`."""
    text = SECONDARY
    ws = workspace(app)
    found = shortfalls(screen, content(ws.sources.query_one(SourceList)), text, "sources")
    found += shortfalls(screen, content(ws.chat_list.options), text, "chats")
    for answer in ws.query(AnswerView):  # (as much of it as the conversation shows)
        found += shortfalls(
            screen, answer.region.intersection(ws.conversation.region), text, "answer"
        )
    found += shortfalls(screen, ws.header.region, text, "header")
    problems = [str(s) for s in found]
    problems += text_problems(screen, HEADINGS, "heading", text)
    problems += text_problems(screen, HELP_TEXTS, "help text", text)
    return problems + divider_problems(screen, app, DIVIDERS[system])


@pytest.mark.parametrize("system", list(TERMINALS), ids=["256", "16"])
async def test_in_256_and_16_colours_text_and_dividers_read_in_every_theme(
    monkeypatch: pytest.MonkeyPatch, system: ColorSystem
) -> None:
    """QA, TERM=xterm: solarized-dark's and monokai's uncited sources and the sources panel's
    divider were bright black on bright black. TERM=xterm-256color (no COLORTERM):
    solarized-dark's dividers 1.00:1, its headings and header 2.17:1, "Search (Esc clears)"
    1.89:1, the question's placeholder 1.65:1. The highlighted source's site, date and
    snippet: ANSI bright black on cyan in pplx-dark (1.21:1), faded only for truecolor.
    TERM=xterm: light themes' placeholders light grey on bright white (1.26:1), and
    :data:`LAST_ANSWER`'s. (Each theme measured with the sources focused and with the chats
    focused; the ANSI themes too, their colours in xterm's palette, as QA measured them.)"""
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

        def measure(shown: Grid) -> list[str]:
            return _terminal_problems(shown, app, system)

        sources = screen.sources.query_one(SourceList)
        states = [
            focused(pilot, sources, measure),
            focused(pilot, screen.chat_list.options, measure),
        ]
        await each_theme(pilot, THEMES, failures, states, system)
    assert not failures, report(failures)


DIALOG_THEMES = ["pplx-dark", "pplx-light", "textual-light", "ansi-light"]
"""QA's themes in 16 colours: pplx-dark's dialog titles and help lines cyan on bright black
(2.02:1), ansi-light's search settings labels cyan on white (1.98:1)."""


async def test_in_16_colours_the_dialogs_titles_labels_and_help_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TERM=xterm: the search settings (their labels in ``$text-secondary``), the key sheet and
    the model picker, every row and the frame's title and help line at :data:`SECONDARY`, in
    :data:`DIALOG_THEMES` (the colours behind them, every theme's, are measured above)."""
    monkeypatch.setenv("TERM", TERMINALS[ColorSystem.STANDARD])
    monkeypatch.delenv("COLORTERM", raising=False)
    app = demo_app()
    failures: dict[str, list[str]] = {}

    def dialog(what: str) -> Measure:
        def measure(shown: Grid) -> list[str]:
            region = app.screen.query_one(".dialog").region
            return [str(s) for s in shortfalls(shown, region, SECONDARY, what)]

        return measure

    async with app.run_test(size=SIZE) as pilot:
        for keys, kind, what in (
            (("ctrl+g",), SearchSettingsScreen, "search settings"),
            (("escape", "f1"), KeysScreen, "key sheet"),
            (("escape", "ctrl+o"), ModelPickerScreen, "model picker"),
        ):
            await _dialog(pilot, keys, kind)
            await each_theme(
                pilot, DIALOG_THEMES, failures, [measured(dialog(what))], ColorSystem.STANDARD
            )
    assert not failures, report(failures)
