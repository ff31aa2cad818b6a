"""The multi-line question box: Enter sends, ctrl+j (or shift+enter where the terminal tells it
apart) starts a new line.

Both keys are bindings with ids, so a keymap can swap them
(``"prompt.submit" = "ctrl+s"`` and ``"prompt.newline" = "enter"``).

Enter typed while pplx starts, before it has the terminal, reaches it as a line feed: the
terminal's line discipline (ICRNL, still on then) turns its carriage return into ctrl+j. A
ctrl+j read before the box was mounted is therefore taken as the Enter key.
"""

from __future__ import annotations

from time import monotonic

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from pplx_tui.ui.dialog_keys import OpensDialogs, keys_go_on
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.toast_size import stand_above
from pplx_tui.ui.widgets.keys_in_turn import (
    binds,
    hand_on,
    is_typed,
    move_focus_now,
    moves_focus,
    run_binding_now,
)

__all__ = ["PromptInput"]


PLACEHOLDER = "Ask anything…  (Enter sends, ctrl+j starts a new line)"
"""The question box's placeholder (naming the keys a ``[keymap]`` gives when it moves them)."""


def placeholders(submit: str, newline: str) -> tuple[str, ...]:
    """The default placeholder naming ``submit`` and ``newline``, then shorter ones for a
    narrower box, longest first (QA: at 80 columns beside the sources it was cut to "Ask
    anything…  (Enter sends, ctrl+j", the hint broken off mid-way)."""
    ask = "Ask anything…"
    return (
        f"{ask}  ({submit} sends, {newline} starts a new line)",
        f"{ask}  ({submit} sends, {newline} new line)",
        f"{ask}  ({submit} sends)",
        ask,
    )


class PromptInput(OpensDialogs, TextArea):
    """A :class:`~textual.widgets.TextArea` that posts :class:`Submitted` instead of a newline."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 12;
        border: tall $border-blurred;
        padding: 0 1;
        &:focus {
            border: tall $border;
        }
        &.-busy {
            border-title-color: $text-muted;
        }
        /* Textual's $text 40% (2.8:1 on a light theme's surface), kept at 3:1 (theme_guard) */
        & .text-area--placeholder {
            color: $placeholder;
        }
    }
    """

    BINDINGS = [
        Binding(
            "enter",
            "submit",
            "Send",
            id="prompt.submit",
            tooltip="Send the question (while an answer streams: the first press says so, "
            "{prompt.submit} again sends it and stops that answer)",
        ),
        Binding(
            "ctrl+j,shift+enter",
            "newline",
            "New line",
            id="prompt.newline",
            tooltip="Start a new line in the question",
            show=False,
        ),
    ]

    class Submitted(Message):
        """The user sent a question (already stripped; never empty)."""

        def __init__(self, prompt: PromptInput, text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

        @property
        def control(self) -> PromptInput:
            return self.prompt

    def __init__(
        self,
        *,
        placeholder: str = PLACEHOLDER,
        in_turn: frozenset[str] = frozenset(),
        dialogs: frozenset[str] = frozenset(),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
            classes=classes,
        )
        self._in_turn = in_turn
        """Ids of the screen's bindings that also run in turn with the keys typed around them
        (ctrl+n: a question typed right after it belongs to the new chat; ctrl+b, ctrl+f: the
        keys after them go to the chat list, its search), or the app's (ctrl+o, ctrl+k: to the
        dialog they open)."""
        self._dialogs = dialogs
        """Those of ``in_turn`` that open a dialog: the app keeps the keys typed after them until
        it has its focus (:mod:`~pplx_tui.ui.dialog_keys`)."""
        self._placeholders: tuple[str, ...] = ()
        """The default placeholder and its shorter forms (:func:`placeholders`), or none for
        one given."""

    def on_mount(self) -> None:
        self._mounted_at = monotonic()
        if self.placeholder == PLACEHOLDER:
            keys = key_named(self.app, "prompt.submit"), key_named(self.app, "prompt.newline")
            self._placeholders = placeholders(*keys)
            self.placeholder = self._placeholders[0]
            self._fit_placeholder()

    def on_resize(self) -> None:
        self._fit_placeholder()
        stand_above(self)

    def _fit_placeholder(self) -> None:
        """The longest default placeholder the box shows whole on its line (the rest of a
        longer one went to a second line, out of sight), or its first words and "…"."""
        width = self.content_size.width
        if not self._placeholders or width <= 0:  # (not laid out yet, or no room at all)
            return
        fits = [text for text in self._placeholders if cell_len(text) <= width]
        shortest = self._placeholders[-1]
        self.placeholder = fits[0] if fits else shortest[: max(width - 1, 0)] + "…"

    def opens_dialog(self, event: events.Key) -> bool:
        if is_typed(event):
            return False
        if moves_focus(self, event):
            return True
        if not self._dialogs:
            return False
        nodes = (self.screen, self.app)
        return any(binds(self, node, event.key, self._dialogs) for node in nodes)

    async def _on_key(self, event: events.Key) -> None:
        opens = self.opens_dialog(event)
        try:
            await self._handle_key(event)
        finally:
            if opens:  # the app kept the keys typed after it: they go on to the dialog
                await keys_go_on(self.app)

    async def _handle_key(self, event: events.Key) -> None:
        if await hand_on(self, event):
            # Handed to the box with a key that has since moved the focus or opened a dialog
            # (ctrl+b, Down, Enter read at once: Enter sent the question): it goes there.
            return
        if await move_focus_now(self, event):
            return
        # Textual calls each class's handler in turn: preventing the default here keeps
        # TextArea from inserting Enter as text, so the key reaches the bindings instead.
        if event.key == "enter":
            event.prevent_default()
        key = event.key
        if key == "ctrl+j" and event.time < self._mounted_at:
            key = "enter"  # typed ahead: the Enter key (see the module's docstring)
            event.prevent_default()
            event.stop()
        if await self._run_own_binding(key, typed=is_typed(event)):
            event.prevent_default()
            event.stop()

    async def _run_own_binding(self, key: str, *, typed: bool = False) -> bool:
        """Run this box's binding for ``key`` now, in turn with the keys typed around it
        (:mod:`~pplx_tui.ui.widgets.keys_in_turn`), or the screen's, for the ids in
        ``in_turn``: ctrl+n, a pasted question and Enter sent the question in the chat being
        left. A ``typed`` key (a character) stays text here even if the keymap gives it a
        screen binding.
        """
        if await run_binding_now(self, self, key):
            return True
        if typed or not self._in_turn:
            return False
        return await run_binding_now(
            self, self.screen, key, self._in_turn
        ) or await run_binding_now(self, self.app, key, self._in_turn)

    def action_submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        self.clear()
        self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")

    def load_text(self, text: str) -> None:
        """Put ``text`` in the box with the cursor at its end (a question sent back, refused):
        what is typed next goes on after it, not in front."""
        super().load_text(text)
        self.move_cursor(self.document.end)
