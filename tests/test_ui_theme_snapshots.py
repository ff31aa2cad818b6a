"""Themes: the bundled files load, bad user files are skipped with a warning, the choice is
remembered; and snapshots of the real app and its dialogs (opened by their keys) under each theme.

Update the snapshots after a deliberate change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import stat
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
from textual.theme import Theme
from textual.widgets import Footer, Input, Static

from pplx_tui import models, paths, values
from pplx_tui.config import Settings, load_settings
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.theme_file import ThemeFile
from pplx_tui.ui.themes import (
    APP_VARIABLES,
    DEFAULT_THEME,
    app_variable_defaults,
    load_themes,
    register_themes,
    remember_theme,
)
from tests.support.tui import Notifications, send, type_text
from tests.support.waits import until

BUNDLED = ("pplx-dark", "pplx-light", "pplx-high-contrast")

GOOD_USER_THEME = """
name = "my-theme"
primary = "#ff00aa"
background = "#101010"
[variables]
citation-marker = "#ff00aa"
"""


# -- loading ------------------------------------------------------------------------------------


def test_bundled_themes_parse_with_app_variables() -> None:
    themes, warnings = load_themes()  # the test's config folder has no user themes
    assert warnings == []
    by_name = {theme.name: theme for theme in themes}
    assert set(by_name) == set(BUNDLED)
    assert DEFAULT_THEME in by_name
    assert not by_name["pplx-light"].dark
    assert by_name["pplx-dark"].dark and by_name["pplx-high-contrast"].dark
    for theme in themes:
        assert isinstance(theme, Theme)
        for variable in APP_VARIABLES:
            Color.parse(theme.variables[variable])
        generated = theme.to_color_system().generate()
        assert generated["primary"]


def test_bundled_dir_is_the_themes_folder() -> None:
    assert {p.stem for p in paths.bundled_themes_dir().glob("*.toml")} >= set(BUNDLED)


def test_high_contrast_text_is_full_strength() -> None:
    themes, _ = load_themes()
    theme = next(t for t in themes if t.name == "pplx-high-contrast")
    assert theme.text_alpha == 1.0
    assert Color.parse(theme.background or "").brightness < 0.05
    assert Color.parse(theme.foreground or "").brightness > 0.95


@pytest.mark.parametrize(
    ("file_text", "reason"),
    [
        ("name = 'broken\nprimary = '#fff'", "not valid TOML"),
        ("name = 'no-primary'", "`primary`"),
        ("name = 'bad-colour'\nprimary = 'not-a-colour'", "not a colour"),
        ("name = 'bad'\nprimary = '#fff'\n[variables]\ncitation-marker = 'bold'", "not a colour"),
        ("name = 'extra'\nprimary = '#fff'\nprimry = '#000'", "`primry`"),
        # QA: the reason was pydantic's "String should match pattern '^[A-Za-z][A-Za-z0-9_-]…'"
        ("name = 'has space'\nprimary = '#fff'", "`name`: 'has space' is not a theme name: a"),
        ("name = 'alpha'\nprimary = '#fff'\ntext_alpha = 3", "`text_alpha`"),
        # QA-24: only the first of several problems was named
        ("name = 'two bad'\nprimary = 'nope'", "(at most 64); `primary`: 'nope' is not a colour"),
        (b"\xff\xfe not utf-8", "cannot be read"),
    ],
)
def test_bad_user_theme_warns_and_others_still_load(file_text: str | bytes, reason: str) -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "good.toml").write_text(GOOD_USER_THEME)
    bad = user_dir / "bad.toml"
    if isinstance(file_text, bytes):
        bad.write_bytes(file_text)
    else:
        bad.write_text(file_text)
    (user_dir / "notes.txt").write_text("not a theme")

    themes, warnings = load_themes()

    assert {t.name for t in themes} == {*BUNDLED, "my-theme"}
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    assert str(bad) in warnings[0]
    assert reason in warnings[0]


def test_user_theme_replaces_bundled_one_of_the_same_name() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text("name = 'pplx-dark'\nprimary = '#123456'\n")
    (user_dir / "zz-copy.toml").write_text("name = 'pplx-dark'\nprimary = '#654321'\n")
    themes, warnings = load_themes()
    assert [t.name for t in themes].count("pplx-dark") == 1
    assert next(t for t in themes if t.name == "pplx-dark").primary == "#123456"
    assert len(warnings) == 1 and "zz-copy.toml" in warnings[0]


def test_default_user_dir_is_under_xdg_config() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text(GOOD_USER_THEME)
    themes, warnings = load_themes()
    assert "my-theme" in {t.name for t in themes}
    assert warnings == []


def test_theme_file_model_round_trip() -> None:
    theme = ThemeFile(name="x", primary="#fff", dark=False, variables={"source-cited": "red"})
    built = theme.to_theme()
    assert built.name == "x" and not built.dark and built.variables == {"source-cited": "red"}


def test_app_variable_defaults_for_builtin_themes() -> None:
    from textual.theme import BUILTIN_THEMES

    for theme in BUILTIN_THEMES.values():
        defaults = app_variable_defaults(theme)
        assert set(defaults) == set(APP_VARIABLES)


# -- remembering --------------------------------------------------------------------------------


def test_remember_theme_writes_config_0600() -> None:
    assert remember_theme("pplx-light") is None
    config = paths.config_file()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert load_settings().theme == "pplx-light"


def test_remember_theme_keeps_other_settings_and_skips_no_change() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('# my notes\ntheme = "pplx-light"\ndefault_provider = "groq"\n')
    assert remember_theme("pplx-light") is None
    assert config.read_text().startswith("# my notes")  # not rewritten
    assert remember_theme("pplx-high-contrast") is None
    settings = load_settings()
    assert settings.theme == "pplx-high-contrast"
    assert settings.default_provider == "groq"


def test_remember_default_theme_creates_no_file() -> None:
    assert remember_theme(DEFAULT_THEME) is None
    assert not paths.config_file().exists()


def test_remember_theme_with_broken_config_warns() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("theme = \n")
    warning = remember_theme("pplx-light")
    assert warning is not None and warning.startswith("Theme not saved")
    assert config.read_text() == "theme = \n"


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
