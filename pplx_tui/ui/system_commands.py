"""The palette's entries from Textual itself, as this app offers them.

Textual adds its own system commands to the palette. Its "Keys" docked a help panel on the
right that squeezed the answer to a sliver, listed a "source 0" that does not exist and did not
close with Esc: the app's own "Keys (cheat sheet)" (``?``) is the one offered. Its "Screenshot"
saved to a Downloads folder only, and said "Failed to save screenshot" without a reason where
there was none: here it is the app's own (:meth:`~.guarded_app.GuardedApp.action_screenshot`).
Theme and Quit are Textual's, which work as they are (Quit names its key, as every keyed entry
does: :func:`~pplx_tui.ui.commands.key_note`).
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App, SystemCommand

__all__ = ["system_commands"]

SCREENSHOT_DELAY = 0.1
"""Seconds before the screenshot is taken: the palette that asked for it has closed."""


def system_commands(app: App[object]) -> Iterator[SystemCommand]:
    """Theme, Quit and Screenshot (the palette's Textual entries this app keeps)."""
    yield SystemCommand("Theme", "Change the current theme", app.action_change_theme)
    from pplx_tui.ui.commands import class_bindings, key_note

    quit_key = next(
        (key_note(b, app, app.screen) for b in class_bindings(app) if b.action == "quit"), ""
    )
    help_text = f"Quit the app (an answer being written is kept){quit_key}"
    yield SystemCommand("Quit", help_text, app.action_quit)
    yield SystemCommand(
        "Screenshot",
        "Save an SVG picture of the screen (in Downloads, else the app's data folder)",
        lambda: app.set_timer(SCREENSHOT_DELAY, app.action_screenshot),
    )
