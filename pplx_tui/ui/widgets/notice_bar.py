"""The line above the conversation that says what the app chose for the user (the offline
demo when there is no key, a model that was replaced…).

A small screen shows the no-key notice short (QA at 50x16: the whole text took 7 of the 16
rows): the whole text where it takes an eighth of the screen's rows at most (3 at 80x24).

A click on it (or the palette's "Hide the notice") hides it. Hiding the no-key notice is
remembered in config.toml (``demo_notice = false``), so it stays hidden at the next start;
other notices stay hidden until the app ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from pplx_tui.config_plain import ConfigError
from pplx_tui.sanitize import clean_line
from pplx_tui.session import is_no_key_notice
from pplx_tui.ui.keys_in_force import add_key_named, key_named

__all__ = ["NoticeBar"]

ROWS_PER_NOTICE_ROW = 8
"""The whole text is shown where it takes no more than one row in this many of the screen's."""
_HIDE = Content.styled("  ✕ hide", "$notice-hide")
_CROSS = Content.styled("  ✕", "$notice-hide")
"""The hint, for a short notice that would wrap with the whole (QA at 40x12)."""


class NoticeBar(Widget):
    """Notices as one line of text (never markup); hidden when there is none to show."""

    DEFAULT_CSS = """
    NoticeBar {
        width: 1fr;
        height: auto;
        padding: 0 1;
        background: $warning-muted;
        color: $notice-text;
    }
    NoticeBar.-hidden {
        display: none;
    }
    """

    def __init__(self, notices: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tooltip = "Click to hide this notice"
        self.notices: tuple[str, ...] = ()
        """The notices shown now."""
        self._hidden: set[str] = set()
        self._pending = tuple(notices)
        self._whole = self._short = self._shortest = Content("")

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
        whole = [clean_line(add_key_named(self.app, n)) for n in self.notices]
        short = f"Offline demo: {key_named(self.app, 'app.add_key')} adds a key"
        self._whole = _shown(whole)
        shorts = list(dict.fromkeys(short if is_no_key_notice(n) else n for n in whole))
        self._short = _shown(shorts)
        self._shortest = _shown(shorts, _CROSS)
        self.set_class(not whole, "-hidden")
        self.refresh(layout=True)

    def _fitted(self, width: int, rows: int) -> Content:
        """The whole text if it takes no more rows than the short one, or than the screen
        (``rows``) can spare; else the short one, with "✕" alone if that takes fewer rows."""
        short = len(self._short.wrap(width))
        if len(self._whole.wrap(width)) <= max(short, rows // ROWS_PER_NOTICE_ROW):
            return self._whole
        return self._shortest if short > len(self._shortest.wrap(width)) else self._short

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._fitted(width, viewport.height).wrap(width)) if self.notices else 0

    def render(self) -> Content:
        return self._fitted(self.content_size.width, self.screen.size.height)

    def hide(self) -> None:
        """Hide the notices shown now; the no-key one for good (in config.toml)."""
        shown, self.notices = self.notices, ()
        self._hidden.update(shown)
        self._whole = self._short = self._shortest = Content("")
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


def _shown(notices: list[str], hint: Content = _HIDE) -> Content:
    """``notices`` on one line, then the ``hint`` that a click hides them ("" if none)."""
    return Content(" ".join(notices)) + hint if notices else Content("")
