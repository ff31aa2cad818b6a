"""Themes in the app (the palette switches them, app variables get defaults) and snapshots of
the real app and its dialogs (opened by their keys) under each theme (theme files: test_themes).

Update the snapshots after a deliberate change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from pplx_tui import models, values
from pplx_tui.config import Settings
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.themes import (
    DEFAULT_THEME,
    app_variable_defaults,
    register_themes,
)
from tests.support.tui import Notifications, send, type_text
from tests.support.waits import until

BUNDLED = ("pplx-dark", "pplx-light", "pplx-high-contrast")


# -- in an app ----------------------------------------------------------------------------------


def answer_sample() -> Content:
    """An answer with citation markers styled by the theme's ``citation-marker``."""
    marker = "bold $citation-marker"
    return Content.assemble(
        "Kyoto was Japan's capital for over a thousand years and keeps more than 1,600 temples ",
        ("[1]", marker),
        ("[2]", marker),
        ". Its gardens and the Gion district draw visitors all year ",
        ("[1]", marker),
        ".",
    )


class SampleApp(App[None]):
    """A small layout using the app's theme variables, for the theme tests (snapshots pin the
    real app)."""

    CSS = """
    .sample--header { height: 1; background: $panel; color: $text-primary; padding: 0 1; }
    .sample--body { height: 1fr; }
    .sample--answer { width: 2fr; padding: 1 2; }
    .sample--question { text-style: bold; margin-bottom: 1; }
    .sample--sources { width: 1fr; border-left: tall $panel; padding: 1 1; }
    .sample--sources-title { text-style: bold; color: $text-primary; }
    .sample--cited { color: $source-cited; }
    .sample--uncited { color: $source-uncited; }
    .sample--prompt { dock: bottom; margin-bottom: 1; }
    """

    BINDINGS = [
        ("ctrl+o", "noop('model')", "Model"),
        ("ctrl+k", "noop('key')", "API key"),
        ("ctrl+n", "noop('new')", "New chat"),
    ]

    def __init__(self, theme: str = DEFAULT_THEME) -> None:
        super().__init__()
        self.warnings = register_themes(self, theme)
        self.start_theme = theme

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Static("pplx · demo/sonar · 2 sources", classes="sample--header")
        with Horizontal(classes="sample--body"):
            with Vertical(classes="sample--answer"):
                yield Static("What is Kyoto known for?", classes="sample--question")
                yield Static(answer_sample())
            with Vertical(classes="sample--sources"):
                yield Static("Sources", classes="sample--sources-title")
                yield Static("1 kyoto.travel — Official guide", classes="sample--cited")
                yield Static("2 en.wikipedia.org — Kyoto", classes="sample--cited")
                yield Static("3 example.org — Not cited", classes="sample--uncited")
        yield Input(placeholder="Ask a follow-up…", classes="sample--prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = self.start_theme

    def action_noop(self, name: str) -> None:
        """Placeholder binding for the footer."""


def steady(pilot: Pilot[Any]) -> None:
    """Stop every cursor blinking so screenshots are stable."""
    for screen in pilot.app.screen_stack:
        for text_input in screen.query(Input):
            text_input.cursor_blink = False


async def test_palette_switches_to_a_registered_theme() -> None:
    app = SampleApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.warnings == []
        assert app.theme == "pplx-dark"
        app.action_change_theme()
        await pilot.pause()
        await type_text(pilot, "pplx-high")
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "pplx-high-contrast"


async def test_a_theme_config_toml_names_but_nobody_has_is_one_warning() -> None:
    """A typo in config.toml's ``theme`` started the app on the default without a word."""
    notes = Notifications()
    app = make_app(settings=Settings(theme="pplx-ligth"), demo=True)
    async with app.run_test(size=(120, 30), message_hook=notes) as pilot:
        await until(pilot, lambda: any("no theme" in text for text in notes.texts("warning")))
        [warning] = [text for text in notes.texts("warning") if "no theme" in text]
        assert "'pplx-ligth' (did you mean 'pplx-light'?); using pplx-dark" in warning
        assert app.theme == "pplx-dark"


async def test_builtin_theme_gets_app_variable_defaults() -> None:
    app = SampleApp(theme="nord")
    async with app.run_test() as pilot:
        await pilot.pause()
        uncited = app.query_one(".sample--uncited", Static)
        expected = app_variable_defaults(app.current_theme)["source-uncited"]
        assert uncited.styles.color == Color.parse(expected)
        app.theme = "pplx-dark"
        await pilot.pause()
        assert uncited.styles.color == Color.parse("#6f8c90")


# -- snapshots ----------------------------------------------------------------------------------


FROZEN = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        return FROZEN.astimezone(tz) if tz else FROZEN.replace(tzinfo=None)


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Chats created and updated at one fixed moment, shown in UTC."""
    monkeypatch.setattr(models, "datetime", _FrozenDatetime)
    monkeypatch.setattr(values, "datetime", _FrozenDatetime)  # utc_now lives there
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def real_app(theme: str) -> PplxApp:
    """The real app on the offline demo provider, with no key anywhere."""
    return make_app(settings=Settings(theme=theme), demo=True)


async def ask_demo(pilot: Pilot[Any]) -> None:
    """Ask the demo a question and wait for the whole answer."""
    await send(pilot, "What is Kyoto known for?")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.usefixtures("frozen_time")
@pytest.mark.parametrize("theme", BUNDLED)
def test_snapshot_real_app_answer(snap_compare: Callable[..., bool], theme: str) -> None:
    """The workspace after a demo answer: citation markers, cited sources, chat list."""
    assert snap_compare(real_app(theme), run_before=ask_demo, terminal_size=(110, 32))


@pytest.mark.usefixtures("frozen_time")
@pytest.mark.parametrize("theme", BUNDLED)
def test_snapshot_real_app_picker(snap_compare: Callable[..., bool], theme: str) -> None:
    """ctrl+o on the demo provider: every provider but demo asks for a key."""
    assert snap_compare(
        real_app(theme), press=["ctrl+o"], run_before=steady, terminal_size=(110, 32)
    )


def opened(
    open_keys: list[str], dialog: type[Screen[Any]], typed: str = ""
) -> Callable[[Pilot[Any]], Any]:
    """Press ``open_keys`` in the real app until ``dialog`` is on top, then type ``typed`` into
    its text field (then cursors stop)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*open_keys)
        await until(pilot, lambda: isinstance(pilot.app.screen, dialog))
        if typed:
            await type_text(pilot, typed, into=pilot.app.screen.query_one(Input))
        await pilot.pause()
        steady(pilot)

    return run_before


def kyoto_trip() -> PplxApp:
    """The real app (demo) on a saved chat named “Kyoto trip”, the chat list shown."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Kyoto trip"
    chat.messages = [models.Message(role="user", content="What is Kyoto known for?")]
    store.save(chat)
    return make_app(chat_id=chat.id, demo=True)


@pytest.mark.usefixtures("frozen_time")
def test_snapshot_picker_filtered_to_groq(snap_compare: Callable[..., bool]) -> None:
    run_before = opened(["ctrl+o"], ModelPickerScreen, "groq")
    assert snap_compare(real_app(DEFAULT_THEME), run_before=run_before, terminal_size=(100, 32))


@pytest.mark.usefixtures("frozen_time")
def test_snapshot_api_key_typed(snap_compare: Callable[..., bool]) -> None:
    run_before = opened(["ctrl+k"], ApiKeyScreen, "pplx-snapshot-key")
    assert snap_compare(real_app(DEFAULT_THEME), run_before=run_before, terminal_size=(100, 32))


@pytest.mark.usefixtures("frozen_time")
def test_snapshot_confirm(snap_compare: Callable[..., bool]) -> None:
    run_before = opened(["ctrl+b", "d"], ConfirmScreen)
    assert snap_compare(kyoto_trip(), run_before=run_before, terminal_size=(100, 24))


@pytest.mark.usefixtures("frozen_time")
def test_snapshot_rename(snap_compare: Callable[..., bool]) -> None:
    run_before = opened(["ctrl+b", "e"], RenameScreen)
    assert snap_compare(kyoto_trip(), run_before=run_before, terminal_size=(100, 24))
