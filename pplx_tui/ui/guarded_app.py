"""What reaches the terminal, the clipboard and the browser, and where errors go.

Text from the web reaches the screen, the clipboard and the browser through :class:`GuardedApp`,
so it keeps three promises for every widget: notifications are plain text with control
sequences removed (never Textual markup: an error body's ``[/x]`` would crash the render, a
``[@click]`` would run an action), the clipboard gets cleaned text, and only http(s) URLs are
opened. An unexpected error that stops the app is captured instead of printed (Textual's
traceback shows local variables, which can hold a key); ``pplx`` logs it and prints one line.
A worker that fails is logged (:func:`~pplx_tui.ui.workers.log_failed_worker`).
"""

from __future__ import annotations

import io
import logging
from functools import partial
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.dom import DOMNode
from textual.notifications import Notification, Notify, SeverityLevel
from textual.worker import Worker

from pplx_tui.redact import redact_known
from pplx_tui.sanitize import clean_line, clean_text, safe_url
from pplx_tui.ui.warning_fold import WarningFold
from pplx_tui.ui.workers import log_failed_worker

__all__ = ["GuardedApp", "key_for_action", "notify_replacing", "unnotify_replacing"]

logger = logging.getLogger("pplx_tui.ui")


_CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m", "browsh"})
"""Browsers that run in the terminal, where they would take over the screen the app draws."""


def _graphical_browser() -> bool:
    """Whether ``webbrowser`` would start a browser of its own (not one in this terminal).

    A plain command is one ``webbrowser`` found on the path (lynx, w3m…) or the one the user
    named in ``$BROWSER`` (wslview over WSL, ``open``, a script of their own): that one is
    theirs to choose, unless it names a console browser.
    """
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is not webbrowser.GenericBrowser:
        return True
    return browser.basename.lower() not in _CONSOLE_BROWSERS


def _open_in_browser(url: str) -> None:
    """Open ``url`` with ``webbrowser`` in a process of its own, its output going nowhere.

    Browsers write to the terminal they are started from (Chrome's "Opening in existing
    browser session.", GTK warnings, a $BROWSER script's echo): over the screen the app draws.
    Waits for the command, as ``webbrowser`` does (so in a worker thread)."""
    import subprocess
    import sys

    subprocess.run(  # -I: not a webbrowser.py of the working directory
        [sys.executable, "-I", "-m", "webbrowser", "-t", url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # nor the terminal's ctrl+c
        check=False,
    )


class GuardedApp(App[None]):
    """An app whose notifications, clipboard, links and crashes are safe to show text from the
    web (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        # Textual prints the traceback of an error that stops the app, with local variables
        # (a key among them, perhaps): keep it here for `pplx` to log, redacted.
        self.error_console = Console(
            file=io.StringIO(), markup=False, highlight=False, color_system=None, width=120
        )
        self._replaceable: dict[str, Notification] = {}
        self._replaced_early: set[str] = set()
        """Identities of replaceable notifications replaced before they were shown."""
        self.warnings = WarningFold(self)
        """Warnings said while others are on screen share their toast
        (:func:`~pplx_tui.ui.warning_fold.warn`)."""

    @property
    def crash_report(self) -> str:
        """The traceback Textual would have printed for an error that stopped the app."""
        file = self.error_console.file
        return file.getvalue() if isinstance(file, io.StringIO) else ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        log_failed_worker(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, always as plain, cleaned text (``markup`` is ignored).

        Messages carry text from servers and files: as markup, ``[/x]`` would crash the
        render and ``[@click=…]`` would run an action.
        """
        super().notify(
            clean_text(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def notify_replacing(
        self,
        key: str,
        message: str,
        *,
        timeout: float = 4,
        severity: SeverityLevel = "information",
        title: str = "",
    ) -> None:
        """A notification that replaces the last one sent with the same ``key`` (stepping
        through citations on a narrow screen shows one "[n] title", not a pile)."""
        self.unnotify_replacing(key)
        note = Notification(clean_text(message), clean_line(title), severity, timeout, markup=False)
        self._replaceable[key] = note
        self.post_message(Notify(note))

    def unnotify_replacing(self, key: str) -> None:
        """Take down the last notification sent with ``key`` (shown, or on its way)."""
        old = self._replaceable.pop(key, None)
        if old is not None and old in self._notifications:
            self._unnotify(old)
        elif old is not None:  # still on its way: keys read in one burst run before it shows
            self._replaced_early.add(old.identity)

    def on_notify(self, event: Notify) -> None:
        """A notification replaced before it showed goes at once (``n`` held down stepped
        through citations faster than toasts showed: they piled up); one said again (same
        words, title and severity) replaces the one shown, its time starting over (a sentence
        typed in the conversation stacked three "This answer has no images…")."""
        note = event.notification
        if note.identity in self._replaced_early:
            self._replaced_early.discard(note.identity)
            event.prevent_default()  # Textual's own handler, which would show it, does not run
            return
        same = [
            shown
            for shown in self._notifications
            if (shown.message, shown.title, shown.severity)
            == (note.message, note.title, note.severity)
        ]
        for shown in same:  # Textual's own handler then shows the new one
            self._unnotify(shown, refresh=False)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen (no key in use in it), owner-only, in the Downloads folder
        or (none here) the data folder's ``screenshots`` (made if needed), and say its full
        path, or in one line why it could not be written (logged too)."""
        from platformdirs import user_downloads_path
        from textual._files import generate_datetime_filename

        from pplx_tui.atomic import write_atomic
        from pplx_tui.paths import data_dir
        from pplx_tui.ui.screenshot_svg import screenshot_svg

        folder = Path(path) if path else user_downloads_path()
        if not folder.is_dir():
            folder = data_dir() / "screenshots"
        saved = folder / (filename or generate_datetime_filename(self.title, ".svg"))
        try:
            write_atomic(saved, screenshot_svg(self).encode(), make_folders=True)
        except OSError as error:
            reason = error.strerror or str(error)
            logger.warning("screenshot not saved to %s: %s", saved, reason)
            self.notify(f"The screenshot could not be saved to {saved}: {reason}", severity="error")
            return
        self.notify(f"Screenshot saved to {saved}", timeout=6)

    def action_help_quit(self) -> None:
        """ctrl+c (Textual's reminder that it does not quit), in words: notifications here are
        plain text, so Textual's own ``[b]…[/b]`` would show as written."""
        if key := key_for_action(self, "quit"):
            self.notify(f"Press {key} to quit the app.", title="Do you want to quit?")

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` with terminal control sequences and the keys in use removed."""
        super().copy_to_clipboard(redact_known(clean_text(text)))

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the browser, only if it is an http(s) URL.

        Without a graphical browser (over SSH, in a container) the URL is copied instead: a
        console browser such as lynx would take over the terminal the app is drawing on.
        """
        if (safe := safe_url(url)) is None:
            self.notify("Only web (http/https) links are opened.", severity="warning")
            return
        if self.is_web:
            super().open_url(safe, new_tab=new_tab)
        elif not _graphical_browser():
            self.copy_to_clipboard(safe)
            self.notify(f"No web browser to open it here; the URL is copied: {safe}", timeout=6)
            return
        else:  # a $BROWSER command may wait for the browser it starts: not on the event loop
            self.run_worker(
                partial(_open_in_browser, safe), thread=True, group="browser", exit_on_error=False
            )
        self.notify(f"Opening {safe}", timeout=3)


def key_for_action(app: App[object], action: str) -> str | None:
    """The key bound to the app's ``action`` where the user is now, as the footer shows it (a
    key remapped in ``[keymap]`` is that key), or None if none is."""
    for active in app.active_bindings.values():
        if active.binding.action in (action, f"app.{action}"):
            return app.get_key_display(active.binding)
    return None


def unnotify_replacing(node: DOMNode, key: str) -> None:
    """Take down the notification last sent with ``key`` (:meth:`GuardedApp.unnotify_replacing`);
    nothing under another app."""
    if isinstance(app := node.app, GuardedApp):
        app.unnotify_replacing(key)


def notify_replacing(
    node: DOMNode,
    key: str,
    message: str,
    *,
    timeout: float = 4,
    severity: SeverityLevel = "information",
) -> None:
    """Say ``message`` in a notification that replaces the last one sent with ``key``
    (:meth:`GuardedApp.notify_replacing`); under another app, a plain notification."""
    app = node.app
    if isinstance(app, GuardedApp):
        app.notify_replacing(key, message, timeout=timeout, severity=severity)
    else:
        node.notify(message, timeout=timeout, severity=severity, markup=False)
