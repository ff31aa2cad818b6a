"""What every dialog shares: it sits in the middle of the screen, in a framed, titled panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from pplx_tui.ui.dialog_keys import TakesKeysOnceFocused
from pplx_tui.ui.one_dialog import OneOfEachDialog
from pplx_tui.ui.resize_guard import LayoutOnNewSize
from pplx_tui.ui.scroll_paint import PaintScrollWithLayout
from pplx_tui.ui.selection_copy import SaysSelectionCopied
from pplx_tui.ui.toast_size import stand_as_under

__all__ = ["Dialog"]

ResultType = TypeVar("ResultType")


class Dialog(
    TakesKeysOnceFocused,
    LayoutOnNewSize,
    PaintScrollWithLayout,
    SaysSelectionCopied,
    ModalScreen[ResultType],
):
    """A modal dialog that dismisses with its result; its panel is the container with class
    ``dialog`` (each dialog sets its width, and anything else it draws otherwise).

    It closes once: a second Enter of a burst reaches it after the first closed it (keys are
    handled in the focused widget's own queue), and Textual's ``dismiss`` pops whatever screen
    is on top, the workspace under it included (the app ended with an error, QA-34).

    Keys typed with the one that opened it reach it once it has its focus
    (:class:`~pplx_tui.ui.dialog_keys.TakesKeysOnceFocused`).
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog {
        height: auto;
        max-height: 100%;  /* taller than the terminal: it scrolls within its frame */
        overflow-y: auto;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        background: $panel;
        padding: 1 2;
    }
    """

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        stand_as_under(self)

    @property
    def closed(self) -> bool:
        """Whether the dialog is no longer open (dismissed, or not yet pushed)."""
        return self not in self.app.screen_stack

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self.closed:
            return AwaitComplete()
        return super().dismiss(result)

    def open_dialog(
        self, dialog: ModalScreen[Any], callback: Callable[[Any], object] | None = None
    ) -> None:
        """Open ``dialog`` on top of this one (no other dialog opens on a dialog: see
        :class:`~pplx_tui.ui.one_dialog.OneOfEachDialog`)."""
        app = self.app
        if isinstance(app, OneOfEachDialog):
            app.open_over(self, dialog, callback)
        else:
            app.push_screen(dialog, callback)
