"""The palette of themes (the command palette's "Theme"), opening on the theme in use.

Textual's highlights the first entry of its list (``ansi-dark``) whatever the theme: the one in
use was to be found by hand, and Enter at once chose ansi-dark (QA).
"""

from __future__ import annotations

from textual.command import Command, CommandInput, CommandList
from textual.theme import ThemeProvider
from textual.worker import Worker, WorkerState

from pplx_tui.ui.commands import Palette

__all__ = ["ThemePalette"]


class ThemePalette(Palette):
    """A :class:`~pplx_tui.ui.commands.Palette` of the themes, the one in use highlighted
    while nothing is typed."""

    def __init__(self) -> None:
        super().__init__(providers=[ThemeProvider], placeholder="Search for themes…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Run before Palette's own (Textual calls each class's handler), which may pick the
        # highlighted entry for an Enter pressed while the list was being filled.
        if (
            event.worker.group == self._GATHER_COMMANDS_GROUP
            and event.state is WorkerState.SUCCESS
            and not self.query_one(CommandInput).value.strip()
        ):
            self._highlight(self.app.theme)

    def _highlight(self, theme: str) -> None:
        commands = self.query_one(CommandList)
        for index in range(commands.option_count):
            option = commands.get_option_at_index(index)
            if isinstance(option, Command) and option.hit.text == theme:
                commands.highlighted = index
                return
