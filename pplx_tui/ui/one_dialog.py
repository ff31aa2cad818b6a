"""One dialog at a time: keys pressed together never stack one dialog on another.

A terminal hands the app every key of a burst before the first is handled, so the second key
(``m`` on an answer, Enter twice in the palette) still finds the state the first left, and
pushed the same dialog on top of the first (QA-34); ``m`` then ``s`` typed fast stacked the
search settings on the model picker. A dialog opens on top of another only when that one opens
it (the model picker's key dialog: see :meth:`OneOfEachDialog.open_over`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount

__all__ = ["OneOfEachDialog"]

logger = logging.getLogger("pplx_tui.ui")


class OneOfEachDialog(App[None]):
    """The app's part that opens dialogs and the command palette, one of each at a time."""

    # Textual's palette key, which it adds itself unless the app binds it, but capitalised as
    # the key bar's other keys (it showed "^p palette"). No id: a [keymap] does not move it.
    BINDINGS = [
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Palette",
            show=False,
            key_display=App.COMMAND_PALETTE_DISPLAY,
            priority=True,
            tooltip="Open the command palette",
        )
    ]

    def push_screen(  # type: ignore[override]
        self,
        screen: Screen[Any] | str,
        callback: Callable[[Any], object] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[Any]:
        """Push ``screen``, unless it is a dialog and a dialog is open or opening (on the
        stack): one of its class, or another (which may open one: :meth:`open_over`). The open
        one stays (on top, it has the focus); the refused one's callback is never called (a
        ``wait_for_dismiss`` caller gets ``None``, as for a dialog closed without a result)."""
        if (
            isinstance(screen, ModalScreen)
            and mode in (None, self.current_mode)
            and self._dialog_open(screen)
        ):
            logger.debug("a dialog is open: %s not opened", type(screen).__name__)
            if wait_for_dismiss:
                refused: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                refused.set_result(None)
                return refused
            return AwaitMount(self.screen, [])
        push: Callable[..., AwaitMount | asyncio.Future[Any]] = super().push_screen
        return push(screen, callback, wait_for_dismiss, mode=mode)

    def open_over(
        self,
        dialog: ModalScreen[Any],
        screen: ModalScreen[Any],
        callback: Callable[[Any], object] | None = None,
    ) -> None:
        """Open ``screen`` on top of ``dialog``, which asks for it (the model picker's key
        dialog for a provider without a key): only while ``dialog`` is on top, and ``screen``
        is not open already."""
        if self.screen is not dialog or self._open_already(screen):
            logger.debug("%s not opened over %s", type(screen).__name__, type(dialog).__name__)
            return
        super().push_screen(screen, callback)

    def _open_already(self, screen: ModalScreen[Any]) -> bool:
        return any(type(shown) is type(screen) for shown in self.screen_stack)

    def _dialog_open(self, screen: ModalScreen[Any]) -> bool:
        """Whether a dialog open (or opening) keeps ``screen`` from opening: one of its
        class, or any other on top."""
        stack = self.screen_stack
        return self._open_already(screen) or (bool(stack) and isinstance(stack[-1], ModalScreen))

    def action_command_palette(self) -> None:
        """Open the command palette: Textual's, running one command however many Enters
        reach it (see :class:`~pplx_tui.ui.commands.Palette`)."""
        from pplx_tui.ui.commands import Palette  # (textual.command costs start-up time)

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette of themes (the command palette's "Theme"), as Textual's, but a
        :class:`~pplx_tui.ui.commands.Palette` (a double Enter sets the theme once), opening
        on the theme in use."""
        from pplx_tui.ui.theme_palette import ThemePalette

        self.push_screen(ThemePalette())
