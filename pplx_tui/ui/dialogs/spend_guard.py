"""A second Enter before a dialog starts a new (paid) request.

The model picker (``m``), the search settings editor (``s``, a comparison's second column) and
the compare picker (``v``, ctrl+t) ask a question again from an answer. They open on a letter
typed on the answer, so the rest of a line meant for the question box lands in them ("so long"
+ Enter: ``s`` opens the editor, ``l`` changes the recency, Enter saved and sent). Like ``r``'s
"Ask again" dialog, where only its button says yes, an Enter there is not enough: the first
Enter only shows what would be asked (this line, in the warning colour, with the focus on it),
the second Enter asks. Any other key goes back to the dialog (and does there what it does);
so does a click elsewhere. A click on a choice is deliberate and needs no second Enter; nor do
requests that all go to the offline demo, which is free.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from pplx_tui.sanitize import clean_line

__all__ = ["SpendGuard", "quoted"]


def quoted(question: str, width: int = 60) -> str:
    """``question`` on one line in quotes, cut to ``width`` characters (or "it" if empty)."""
    line = clean_line(question)
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    return f"“{line}”" if line else "it"


class SpendGuard(Static, can_focus=True):
    """Hidden until :meth:`check` arms it; then it holds the focus until a key is pressed."""

    DEFAULT_CSS = """
    SpendGuard {
        display: none;
        height: auto;
        width: 1fr;
        margin: 1 0 0 0;
        padding: 0 1;
        color: $text-warning;
        text-style: bold;
        border-left: outer $warning;
        &:focus {
            background: $warning 15%;
        }
    }
    """

    class Shown(Message):
        """The line has been laid out (what it pushed down may need scrolling into view)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._go: Callable[[], object] | None = None
        self._back_to: Widget | None = None

    @property
    def armed(self) -> bool:
        """Whether the next Enter asks."""
        return self._go is not None

    def check(
        self,
        what: str,
        go: Callable[[], object],
        requests: int = 1,
        *,
        free: int = 0,
    ) -> None:
        """An Enter that would ask ``what`` (e.g. "Ask “…” again with Sonar Pro") in
        ``requests`` requests (``free`` of them to the offline demo, which costs nothing):
        armed, or all free, ``go`` runs now; else this line says what the next Enter asks and
        takes the focus."""
        if (self._go is not None and self._focused) or free >= requests:
            # Armed (a priority Enter binding of the dialog), or nothing to guard: the demo
            # is free and offline (its second Enter and "a new request" line guarded nothing).
            self.disarm()
            go()
            return
        self._back_to = self.screen.focused if self.screen.focused is not self else None
        self._go = go
        cost = "a new request" if requests == 1 else f"{requests} new requests"
        paying = requests - free
        if paying == requests:
            cost += ", which may cost money"
        elif paying > 0:
            cost += f", {paying} of which may cost money"
        self.update(Content(f"{what}: {cost}. Enter asks; other keys go back."))
        self.display = True
        self.focus()

    def disarm(self) -> None:
        """Hide the line (the focus goes back to where it was); the next Enter only shows it
        again. The dialog calls this when what would be asked changes."""
        self._go = None
        self.display = False
        if self._focused:
            self._give_focus_back()

    def _give_focus_back(self) -> None:
        back_to, self._back_to = self._back_to, None
        if back_to is not None and back_to.is_attached:
            self.screen.set_focus(back_to)
        else:
            self.screen.focus_next()

    def on_focus(self) -> None:
        """The focus :meth:`check` asked for came after the line was hidden (QA: Enter and
        ctrl+u read together in the filter: ctrl+u hid it first); it goes straight back, or
        the hidden line kept every key typed after."""
        if self._go is None:
            self._give_focus_back()

    def on_key(self, event: events.Key) -> None:
        """Enter asks; any other key goes back to where the focus was and acts there (Escape
        only goes back)."""
        event.stop()
        event.prevent_default()
        go = self._go
        self.disarm()
        if event.key == "enter" and go is not None:
            go()
        elif event.key != "escape" and not self._focused:  # (else it came back here: dropped)
            self.app.post_message(events.Key(event.key, event.character))

    @property
    def _focused(self) -> bool:
        """Whether the screen's focus is here now (``has_focus`` follows a moment later, when
        the focus event is handled: a key posted on at once came back here and was lost)."""
        return self.screen.focused is self

    def on_blur(self) -> None:
        self._go = None
        self.display = False

    def on_resize(self) -> None:
        if self.display:
            self.post_message(self.Shown())
