"""Driving the real app in pilot tests: build it on the loopback server, ask, read the screen.

``screen_lines`` reads the text of the frame ``app.export_screenshot()`` draws (what a user
sees, notifications included); ``Notifications`` collects every notification the app sends through
``run_test(message_hook=…)``.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import unicodedata
from typing import Any

from rich.cells import get_character_cell_size
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets.option_list import OptionDoesNotExist
from textual.worker import WorkerCancelled

from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.widgets.find_bar import FindBar
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support import agent_runs
from tests.support.agent_runs import AgentRunServer
from tests.support.cli import KEY
from tests.support.loopback import LoopbackServer
from tests.support.waits import until

_CELL = 12.2
"""Width of one terminal cell in Textual's screenshots."""
_EDGES = " ▌▐▊▎│┃"
"""Border and scrollbar characters at the edges of a widget's rows."""
_TEXT = re.compile(
    r'<text [^>]*x="(?P<x>[\d.]+)"[^>]*clip-path="url\(#[\w-]*?line-(?P<line>\d+)\)"[^>]*>'
    r"(?P<text>[^<]*)</text>"
)


def use_key(variable: str, key: str) -> None:
    """Put ``key`` in the environment as ``variable``, as a user's shell would, for the test
    (conftest's ``isolated_home`` takes it away afterwards)."""
    os.environ[variable] = key


def loopback_app(server: LoopbackServer, *, key: str = KEY, **options: Any) -> PplxApp:
    """The app asking OpenRouter's ``perplexity/sonar`` at the loopback server."""
    use_key("OPENROUTER_API_KEY", key)
    return make_app(
        provider="openrouter",
        model="perplexity/sonar",
        base_url=server.base_url + "/api/v1",
        **options,
    )


def agent_app(
    server: LoopbackServer | AgentRunServer,
    model: str = "fast",
    *,
    key: str = agent_runs.KEY,
    **options: Any,
) -> PplxApp:
    """The app asking Perplexity's Agent API (preset or model ``model``) at ``server``."""
    use_key("PERPLEXITY_API_KEY", key)
    return make_app(provider="perplexity", model=model, base_url=server.base_url, **options)


def workspace(app: PplxApp) -> ResearchScreen:
    """The workspace screen (the base of the app's screen stack)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, ResearchScreen)
    return screen


def demo_app(**options: Any) -> PplxApp:
    """The app on the offline demo provider, no key anywhere."""
    return make_app(demo=True, **options)


def cited_in_panel(app: PplxApp) -> set[int]:
    """The numbers of the sources the sources panel marks as cited."""
    panel = workspace(app).query_one(SourcesPanel)
    return {s.index for s in panel.sources if panel.is_cited(s.index)}


async def send(pilot: Pilot[Any], question: str) -> None:
    """Put ``question`` in the prompt and press Enter (the answer is still to come)."""
    app = pilot.app
    assert isinstance(app, PplxApp)
    await until(pilot, lambda: bool(workspace(app).query("#prompt")))  # an auto-pilot is early
    prompt = workspace(app).prompt
    prompt.focus()
    prompt.insert(question)
    await pilot.press("enter")


async def researching(pilot: Pilot[Any], question: str = "How do tardigrades survive?") -> None:
    """Ask ``question`` of a background-run model and wait until its run has found sources
    (it is researching: followed, not yet answered)."""
    await send(pilot, question)
    app = pilot.app
    assert isinstance(app, PplxApp)
    screen = workspace(app)
    await until(pilot, lambda: bool(screen.pending and screen.pending.builder.sources))


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the stream worker and for the answer to be finished and shown."""
    app = pilot.app
    assert isinstance(app, PplxApp)
    for worker in list(app.workers):
        # An exclusive worker superseded meanwhile (the header's day-cost read, started again
        # as each compared answer ends) is cancelled: done, not a failure.
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await until(pilot, lambda: workspace(app).pending is None)
    await pilot.pause()


async def ask(pilot: Pilot[Any], question: str) -> None:
    await send(pilot, question)
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str, *, into: Widget | None = None) -> None:
    """Type ``text`` into the focused field (or ``into``, focused first) as key presses, and
    wait until the field holds it.

    The keys are the events ``pilot.press`` sends, handled in order by the same bindings and
    widgets, but queued at once: ``pilot.press`` waits for an idle app after every key (about
    60 ms a key here). For plain text only; press keys that move the focus with ``pilot.press``.
    """
    app = pilot.app
    if into is not None:
        into.focus()
        await until(pilot, lambda: app.focused is into, what=f"{into!r} never had the focus")
    else:  # a screen just pushed focuses its first field a moment later
        await until(pilot, lambda: app.focused is not None, what="nothing has the focus")
    field = app.focused
    assert field is not None
    for char in text:
        key = events.Key(char if char.isalnum() else _character_to_key(char), char)
        key.set_sender(app)
        app.post_message(key)
    await until(pilot, lambda: text in _field_text(field), what=f"{field!r} never held {text!r}")
    await pilot.pause()  # and what the field's change set off (a filter, a search) is done


def _field_text(field: Widget) -> str:
    value = getattr(field, "value", None)
    return value if isinstance(value, str) else str(getattr(field, "text", ""))


async def palette_text(pilot: Pilot[Any], query: str, help_text: str) -> str:
    """Open the command palette, type ``query``, and give back the screen's text (rows joined
    by spaces) once a command with ``help_text`` is listed; then close the palette."""
    from textual.command import CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await type_text(pilot, query)
    await until(pilot, lambda: help_text in " ".join(screen_lines(app)))
    text = " ".join(screen_lines(app))
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
    return text


def frame(app: App[Any]) -> list[list[Strip]]:
    """The frame ``app.export_screenshot()`` draws, notifications included, read before it is
    made an SVG (7x cheaper than parsing the SVG): each row's strips."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.strips  # (a full update: a LayoutUpdate)


def frame_cells(app: App[Any]) -> list[list[str]]:
    """:func:`frame` as rows of cells, one character each (a wide one is followed by a space)."""
    rows = []
    for row in frame(app):
        cells: list[str] = []
        for strip in row:
            for segment in strip:
                if segment.control:
                    continue
                for character in segment.text:
                    cells.append(character)
                    if get_character_cell_size(character) == 2:
                        cells.append(" ")
        rows.append(cells)
    return rows


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as lines of text, one character a cell (a wide one is followed by a space),
    notifications included (trailing spaces are dropped): read from :func:`frame`."""
    return ["".join(cells).replace("\xa0", " ").rstrip() for cells in frame_cells(app)]


def screen_text(app: App[Any]) -> str:
    """The screen as one text, its rows joined by newlines."""
    return "\n".join(screen_lines(app))


def svg_lines(svg: str) -> list[str]:
    """The rows of a Textual screenshot as text, each character in its column."""
    rows: dict[int, dict[int, str]] = {}
    for match in _TEXT.finditer(svg):
        text = html.unescape(match["text"]).replace("\xa0", " ").replace("\n", "")
        row = rows.setdefault(int(match["line"]), {})
        column = round(float(match["x"]) / _CELL)
        for character in text:
            row[column] = character
            column += 2 if unicodedata.east_asian_width(character) in "WF" else 1
    lines = []
    for number in range(max(rows, default=-1) + 1):
        cells = rows.get(number, {})
        lines.append("".join(cells.get(c, " ") for c in range(max(cells, default=-1) + 1)))
    return lines


def region_text(app: PplxApp, widget: Widget, lines: list[str] | None = None) -> str:
    """What ``widget``'s part of the screen (or of ``lines``, read from it) shows, rows joined
    by spaces, spaces squeezed."""
    region = widget.region
    shown = screen_lines(app) if lines is None else lines
    rows = [line[region.x : region.right] for line in shown[region.y : region.bottom]]
    return " ".join(" ".join(row.strip(_EDGES) for row in rows).split())


def on_screen(app: PplxApp, text: str) -> bool:
    """Whether ``text`` is on the screen: in one row, in one side panel, or in a notification."""
    wanted = " ".join(text.split())
    lines = screen_lines(app)
    if any(wanted in " ".join(line.split()) for line in lines):
        return True
    screen = app.screen
    places = [*screen.query("Toast"), *screen.query("#main, #sources, #chats, AnswerView")]
    return any(wanted in region_text(app, place, lines) for place in places if place.display)


class Notifications(list[tuple[str, str]]):
    """``(severity, message)`` of every notification; pass as ``message_hook``."""

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.append((message.notification.severity, message.notification.message))

    def texts(self, severity: str | None = None) -> list[str]:
        return [text for kind, text in self if severity in (None, kind)]


def row_text(app: PplxApp, chat_id: str) -> str:
    """The chat's row in the list, or "" while the list (loaded after the first frame) lacks it."""
    options = workspace(app).chat_list.options
    try:
        return str(options.get_option(chat_id).prompt)
    except OptionDoesNotExist:
        return ""


async def find_in_chat(pilot: Pilot[Any], text: str) -> FindBar:
    """From the conversation, ctrl+f, ``text`` typed and Enter: the find bar (its first find
    is on its way, not waited for)."""
    screen = workspace(pilot.app)
    screen.conversation.focus()
    await pilot.press("ctrl+f")
    bar = screen.query_one(FindBar)
    await until(pilot, lambda: bar.has_focus)
    await type_text(pilot, text)
    await pilot.press("enter")
    return bar
