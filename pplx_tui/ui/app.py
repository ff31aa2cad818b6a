"""The Textual app: settings, themes, keymap, command palette and start-up; where questions go
(targets, clients, the model and key dialogs) is its part :class:`~.target_app.TargetApp`.

The app knows no screen: :func:`pplx_tui.ui.factory.make_app` (the one factory the CLI and the
tests use) installs the workspace as the app's :data:`WORKSPACE` mode. App-wide state flows
down: the target the next question goes to is :attr:`PplxApp.target`, and every change of it
(a model chosen in the picker, a key saved) is published on
:attr:`PplxApp.target_changed_signal`, which the workspace subscribes to. Dialogs open one at a
time (:class:`~.one_dialog.OneOfEachDialog`).

What reaches the terminal, the clipboard and the browser is cleaned by its base class,
:class:`~pplx_tui.ui.guarded_app.GuardedApp`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
from collections.abc import Callable, Coroutine, Iterable, Sequence
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.signal import Signal

from pplx_tui import gc_hold
from pplx_tui.providers import Catalog
from pplx_tui.session import Target, wait_notice_seconds
from pplx_tui.ui.binding_ids import keymap_warnings, usable_keymap
from pplx_tui.ui.clients import ClientPool
from pplx_tui.ui.dialog_keys import KeysWaitForDialogs
from pplx_tui.ui.guarded_app import GuardedApp
from pplx_tui.ui.keys_in_force import resolve_keymap, textual_keymap
from pplx_tui.ui.one_dialog import OneOfEachDialog
from pplx_tui.ui.quit_guard import AsksBeforeQuitting
from pplx_tui.ui.target_app import TargetApp
from pplx_tui.ui.themes import DEFAULT_THEME, app_variable_defaults, register_themes, remember_theme
from pplx_tui.ui.timers import LateTimersFire
from pplx_tui.ui.toast_size import small

if TYPE_CHECKING:
    from rich.color import ColorSystem
    from textual.app import SystemCommand
    from textual.command import Provider
    from textual.driver import Driver
    from textual.screen import Screen
    from textual.theme import Theme

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.config_read import AnySettings
    from pplx_tui.live_models import LiveLists
    from pplx_tui.models import Chat
    from pplx_tui.store.chat_store import ChatStore
    from pplx_tui.values import ChatDefaults

__all__ = ["WORKSPACE", "PplxApp"]

logger = logging.getLogger("pplx_tui.ui")

ClientFactory = Callable[[Target, str], "ChatClient"]
"""A client for a target; the second argument names the key in force that adds an API key
(the offline demo's answers say it)."""

WORKSPACE = "workspace"
"""The app's mode whose base screen is the workspace (added by the factory)."""


def _workspace_commands() -> type[Provider]:
    # Imported when the palette first opens (textual.command costs start-up time).
    from pplx_tui.ui.commands import PplxCommands

    return PplxCommands


_LINUX_DRIVER = "textual.drivers.linux_driver.LinuxDriver"
"""Textual's driver on Linux and macOS, which :meth:`PplxApp.get_driver_class` replaces."""


class PplxApp(
    LateTimersFire, AsksBeforeQuitting, TargetApp, OneOfEachDialog, KeysWaitForDialogs, GuardedApp
):
    """pplx-tui. Build it with :func:`pplx_tui.ui.factory.make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "pplx"
    DEFAULT_MODE = WORKSPACE
    COMMANDS = App.COMMANDS | {_workspace_commands}
    BINDINGS = [
        Binding(
            "ctrl+o",
            "pick_model",
            "Model",
            id="app.pick_model",
            tooltip="Choose the provider and model for the next question",
        ),
        Binding(
            "ctrl+k",
            "add_key",
            "API key",
            id="app.add_key",
            priority=True,
            tooltip="Add an API key (saved to config.toml, owner-only)",
        ),
    ]

    _css_variables_made: tuple[Theme, bool, ColorSystem, dict[str, str]] | None = None
    """The theme, colour settings and variables :meth:`get_css_variables` made last (a class
    attribute: Textual asks before this class's ``__init__`` runs)."""
    _on_own_theme = False
    """Whether the app's theme is chosen (:meth:`_start_on_theme`): until then, Textual asks
    for the variables of its own default theme, which are replaced before any CSS is read."""

    def __init__(
        self,
        settings: AnySettings,
        catalog: Catalog,
        target: Target,
        store: ChatStore | None,
        *,
        defaults: ChatDefaults,
        client_factory: ClientFactory,
        live_lists: LiveLists,
        notices: Sequence[tuple[str, SeverityLevel]] = (),
    ) -> None:
        super().__init__()
        self.settings = settings
        self.catalog = catalog
        self.live_lists = live_lists
        self._store = store
        self.defaults = defaults
        """What a new chat is asked with (system prompt, search, sampling)."""
        self.keymap, self._refused_keys = resolve_keymap(
            self._normalize_keymap(usable_keymap(settings.keymap))
        )
        """Binding id → keys in force from config.toml's ``[keymap]`` (applied when the app
        starts): keys a terminal sends, none another action has (:mod:`.keys_in_force`)."""
        self.target = target
        self.base_urls = {target.provider.name: target.base_url} if target.base_url else {}
        self.target_changed_signal = Signal(self, "target_changed")
        self.key_saved_signal = Signal(self, "key_saved")
        self._refused = {}
        self._clients = ClientPool(self, client_factory)
        self._notices = list(notices)
        self.wait_notice = wait_notice_seconds() or math.inf
        """Seconds of silence from the server before "waiting for the server…" is shown."""
        self.unsaved: list[str] = []
        """Set on exit: one line for each chat that could still not be saved."""
        self._signals: list[signal.Signals] = []
        self.last_key = 0.0
        """When the last key was pressed (``time.monotonic``): a streaming answer draws
        less while the user types."""
        self.first_frame = asyncio.Event()
        """Set once the first frame is on screen: the start-up work after it waits for it."""
        self._remember_keys()
        self._theme_warnings = register_themes(self, settings.theme)
        self._start_on_theme(
            settings.theme if settings.theme in self.available_themes else DEFAULT_THEME
        )

    def _post_message(self, message: Message) -> Coroutine[Any, Any, bool]:  # type: ignore[override]
        """Keys are noted when the terminal's input thread hands them over (it calls this and
        runs the coroutine on the event loop), not when the app's queue reaches them: the
        answer's work steps aside at once, not after a few more slices (issue 12, echo)."""
        if isinstance(message, events.Key):
            self.last_key = monotonic()
        return super()._post_message(message)

    def _start_on_theme(self, name: str) -> None:
        """Start on theme ``name``. Setting ``theme`` before the app runs costs a refresh of
        the CSS once the workspace is mounted (a reparse, a restyle of every widget and a
        layout). A theme as dark as Textual's default needs none: its name and its colours are
        set before the CSS is first read. (A light one also changes how ANSI colours are
        shown: Textual's way.)"""
        self._on_own_theme = True
        theme = self.get_theme(name)
        if theme is None or theme.dark != self.current_theme.dark:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.set_class(True, f"-theme-{name}", update=False)
        self.stylesheet.set_variables(self.get_css_variables())
        self._filters_for_theme()

    def watch_theme(self) -> None:
        self._filters_for_theme()

    def _filters_for_theme(self) -> None:
        """The colour filters for the theme in use. Textual picks its ``NO_COLOR`` filter for
        the theme it is made with (greys of each colour; for an ANSI theme, the terminal's
        own default colours) and keeps it: an ANSI theme chosen later was drawn in greys of
        colours that have no value, black on black (QA). And a theme set before the first
        frame (:meth:`_start_on_theme`) skips Textual's watcher, which turns the conversion
        of ANSI colours off for an ANSI theme: ansi-dark in config.toml was drawn in the
        app's colours, not the terminal's (QA)."""
        from textual.filter import Monochrome, NoColor

        self._refresh_truecolor_filter(self.ansi_theme)
        if self.no_color:
            wanted = NoColor if self.native_ansi_color else Monochrome
            self._filters = [
                wanted() if isinstance(each, (NoColor, Monochrome)) else each
                for each in self._filters
            ]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = monotonic()
        await super().on_event(event)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette entries that work here (Theme, Quit, Screenshot): see
        :mod:`~pplx_tui.ui.system_commands`."""
        from pplx_tui.ui.system_commands import system_commands

        return system_commands(self)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def get_css_variables(self) -> dict[str, str]:
        """Textual's variables of the theme, with the colours the app draws text in kept
        readable on their grounds (:mod:`~pplx_tui.ui.theme_guard`).

        Made once a theme: Textual asks three times as the app starts, for the same theme,
        and each making is ~10 ms of the first frame."""
        if not self._on_own_theme:
            return {}
        from pplx_tui.ui.contrast import terminal_colours

        theme, mono, system = self.current_theme, self.no_color, terminal_colours(self.console)
        made = self._css_variables_made
        if made is None or made[0] is not theme or made[1:3] != (mono, system):
            from pplx_tui.ui.theme_guard import guard

            variables = guard(
                super().get_css_variables(), dark=theme.dark, mono=mono, system=system
            )
            made = self._css_variables_made = (theme, mono, system, variables)
        self.theme_variables = dict(made[3])
        return self.theme_variables

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on Linux and macOS one that reads the size of the terminal the
        app draws on (stderr) when stdout is not a terminal (:mod:`.terminal_driver`)."""
        driver = super().get_driver_class()
        if f"{driver.__module__}.{driver.__qualname__}" != _LINUX_DRIVER:
            return driver  # Windows', or one named by TEXTUAL_DRIVER
        from pplx_tui.ui.terminal_driver import TerminalDriver

        return TerminalDriver

    def on_resize(self, event: events.Resize) -> None:
        """The terminal's size as the app already has it is no change. Textual sends the
        terminal's size at start and the driver sends it again; Textual keeps the second as
        pending and, once idle, has the screen lay out and repaint everything for it: one
        whole frame of start-up spent on nothing (in every test too)."""
        self.set_class(small(event.size), "-small")
        if event.size == self._size and self._resize_timer is None:
            event.prevent_default()  # not handed to App._on_resize

    def on_ready(self) -> None:
        """Textual is ready after the first layout, but draws nothing until it runs (or while
        it batches): the first frame is the next refresh. Work begun before it was drawn (the
        start-up threads) held the GIL while it was rendered."""
        self.call_after_refresh(self._first_frame_drawn)

    def _first_frame_drawn(self) -> None:
        gc_hold.release()  # start-up is over
        self.first_frame.set()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(textual_keymap(self.keymap))
        # Keymap and theme mistakes are in the log too: a toast goes, the log can be read again.
        # What went wrong at start is one toast (several covered an 80x24 screen: QA).
        # The themes' first: config.toml's theme not used, else it was counted in "and N more".
        for warning in self._theme_warnings:
            logger.warning("%s", warning)
            self.warnings.warn(warning, logged=True)
        if self.settings.keymap:
            told = (self.settings.keymap, self.keymap, self._refused_keys)
            # The log names every id and key; the toast a few ("and 1 more — see pplx.log").
            for line in keymap_warnings(*told, named=None):
                logger.warning("%s", line)
            for line in keymap_warnings(*told):
                self.warnings.warn(line, logged=True)
        for text, severity in self._notices:
            self.warnings.warn(text, severity)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._exit_on_signals()
        logger.debug("tui started on %s %s", self.target.provider.name, self.target.model.id)

    def _exit_on_signals(self) -> None:
        """A closed terminal (SIGHUP) or a polite kill (SIGTERM) ends the app as ctrl+q does,
        so a streaming answer is kept and saved (everyday bug 4)."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.exit)
                self._signals.append(number)

    def _theme_changed(self, theme: object) -> None:
        if warning := remember_theme(self.theme):
            self.notify(warning, severity="warning")

    async def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        await self._clients.aclose()

    @property
    def store(self) -> ChatStore:
        """Every saved chat. Made on first use when not given (the app starting on a new chat):
        its class loads the chat models (pydantic), which the first frame does without."""
        if self._store is None:
            from pplx_tui.store.chat_store import ChatStore

            self._store = ChatStore()
        return self._store

    def new_chat(self) -> Chat:
        """A new, empty chat asked with the defaults and the current target."""
        from pplx_tui.models import ChatSettings  # (loaded with the store, see `store`)

        defaults = self.defaults
        settings = ChatSettings(
            provider=self.target.provider.name,
            model=self.target.model.id,
            system_prompt=defaults.system_prompt,
            search=defaults.search,
            sampling=defaults.sampling,
        )
        return self.store.new_chat(settings)  # (a copy of the settings)
