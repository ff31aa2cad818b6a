"""The line above the conversation that says what the app chose for the user (the offline
demo when there is no key, a model that was replaced…).

A click on it (or the palette's "Hide the notice") hides it. Hiding the no-key notice is
remembered in config.toml (``demo_notice = false``), so it stays hidden at the next start;
other notices stay hidden until the app ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.widgets import Static

from pplx_tui.config_plain import ConfigError
from pplx_tui.sanitize import clean_line
from pplx_tui.session import is_no_key_notice
from pplx_tui.ui.keys_in_force import add_key_named

__all__ = ["NoticeBar"]


class NoticeBar(Static):
    """Notices as one line of text (never markup); hidden when there is none to show."""

    DEFAULT_CSS = """
    NoticeBar {
        width: 1fr;
        height: auto;
        padding: 0 1;
        background: $warning-muted;
        color: $text-warning;
    }
    NoticeBar.-hidden {
        display: none;
    }
    """

    def __init__(self, notices: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.tooltip = "Click to hide this notice"
        self.notices: tuple[str, ...] = ()
        """The notices shown now."""
        self._hidden: set[str] = set()
        self._pending = tuple(notices)

    def on_mount(self) -> None:
        self.show(self._pending)

    def show(self, notices: Sequence[str]) -> None:
        """Show ``notices``, but not those hidden before."""
        settings = getattr(self.app, "settings", None)
        no_key_hidden = settings is not None and not settings.demo_notice
        self.notices = tuple(
            n
            for n in notices
            if n not in self._hidden and not (no_key_hidden and is_no_key_notice(n))
        )
        text = " ".join(clean_line(add_key_named(self.app, n)) for n in self.notices)
        self.update(Content(text) + Content.styled("  ✕ hide", "dim") if text else "")
        self.set_class(not text, "-hidden")

    def hide(self) -> None:
        """Hide the notices shown now; the no-key one for good (in config.toml)."""
        shown, self.notices = self.notices, ()
        self._hidden.update(shown)
        self.update("")
        self.add_class("-hidden")
        settings = getattr(self.app, "settings", None)
        if not any(is_no_key_notice(n) for n in shown) or settings is None:
            return
        settings.demo_notice = False
        from pplx_tui.config import update_config  # pydantic checks the file it writes

        try:
            update_config({"demo_notice": False})
        except (ConfigError, OSError) as error:
            self.notify(f"Hidden until the app ends; not saved: {error}", severity="warning")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.hide()
