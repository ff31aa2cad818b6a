"""A one-line choice among a few words, all in view: ``any  hour  day [week] month  year``.

Left/right (or ``h``/``l``) move the choice at once, so a setting changes in one key press;
a click on a word chooses it. Posts :class:`Choice.Changed`. Its keys (and its dialog's, such as
Enter) run as they reach it, in turn with the keys around them; a key with no use here goes no
further (:mod:`~pplx_tui.ui.widgets.keys_in_turn`).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from pplx_tui.ui.widgets.keys_in_turn import run_in_place

__all__ = ["Choice"]


class Choice(Widget, can_focus=True):
    """Pick one of ``options`` (``(value, word)`` pairs) with the arrow keys."""

    DEFAULT_CSS = """
    Choice {
        height: 1;
        width: auto;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous", show=False),
        Binding("right,l", "move(1)", "Next", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[object, str]],
        value: object = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        values = [v for v, _ in self.options]
        self.set_reactive(Choice.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> object:
        return self.options[self.index][0]

    @value.setter
    def value(self, value: object) -> None:
        values = [v for v, _ in self.options]
        self.index = values.index(value) if value in values else 0

    def render(self) -> Content:
        # Focused, the chosen word is reversed, a cursor seen in every theme, in 256 colours
        # and without colour (a background such as $boost was the dialog's own in most themes).
        chosen = "bold reverse $text" if self.has_focus else "bold $text"
        pieces = []
        for number, (_, word) in enumerate(self.options):
            if number == self.index:
                pieces.append(Content.styled(f"[{word}]", chosen))
            else:
                pieces.append(Content(f" {word} "))
        return Content("").join(pieces)

    async def _on_key(self, event: events.Key) -> None:
        # Run here, not once bubbled up to the app: by then a Down read after it could have
        # moved the focus to the next row, which took the arrow instead (or a text row, the
        # End and ctrl+u the choice has no use for).
        await run_in_place(self, event)

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self))

    def on_click(self, event: Click) -> None:
        x = event.x
        for number, (_, word) in enumerate(self.options):
            x -= len(word) + 2
            if x < 0:
                self.index = number
                return
