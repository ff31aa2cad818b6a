"""Each dialog open once: a key pressed twice at once never stacks a dialog on itself.

A terminal hands the app every key of a burst before the first is handled, so the second key
(``m`` on an answer, Enter twice in the palette) still finds the state the first left, and
pushed the same dialog on top of the first (QA-34).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount

__all__ = ["OneOfEachDialog"]

logger = logging.getLogger("pplx_tui.ui")


class OneOfEachDialog(App[None]):
    """The app's part that opens dialogs and the command palette, one of each at a time."""

    def push_screen(  # type: ignore[override]
        self,
        screen: Screen[Any] | str,
        callback: Callable[[Any], object] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[Any]:
        """Push ``screen``, unless it is a dialog already open (one of its class on the
        stack). The open one stays (on top, it has the focus); the refused one's callback is
        never called (a ``wait_for_dismiss`` caller gets ``None``, as for a dialog closed
        without a result)."""
        if (
            isinstance(screen, ModalScreen)
            and mode in (None, self.current_mode)
            and any(type(shown) is type(screen) for shown in self.screen_stack)
        ):
            logger.debug("%s is open already: not opened again", type(screen).__name__)
            if wait_for_dismiss:
                refused: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                refused.set_result(None)
                return refused
            return AwaitMount(self.screen, [])
        push: Callable[..., AwaitMount | asyncio.Future[Any]] = super().push_screen
        return push(screen, callback, wait_for_dismiss, mode=mode)

    def action_command_palette(self) -> None:
        """Open the command palette: Textual's, running one command however many Enters
        reach it (see :class:`~pplx_tui.ui.commands.Palette`)."""
        from pplx_tui.ui.commands import Palette  # (textual.command costs start-up time)

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette of themes (the command palette's "Theme"), as Textual's, but a
        :class:`~pplx_tui.ui.commands.Palette`: a double Enter sets the theme once."""
        from textual.theme import ThemeProvider

        from pplx_tui.ui.commands import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))
