"""Text boxes whose own keys (backspace, ctrl+u, the arrows…) apply in turn with the
characters typed around them.

Textual types a character in the focused box at once, but runs a box's binding only once its
key has bubbled up to the app, after the box has typed the characters queued behind it
(Textual issue 6605). Keys read together, from a fast typist while a frame is drawn, a text
expander or tmux ``send-keys``, were applied out of order: ctrl+u then "notes.md" cleared the
box after typing the name; "ab", backspace, "c" gave "ba". Here a box runs its own bindings as
its key arrives, looked up with the user's keymap applied, as the app would.

The same goes for a key that moves the focus or opens a dialog: run as it arrives, and the
keys read with it that reach the widget it left are handed on (:func:`hand_on`); the app keeps
those read after a key that opens a dialog until the dialog has its focus
(:mod:`~pplx_tui.ui.dialog_keys`, :mod:`.panel_keys`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.widgets import Input

from pplx_tui.ui.dialog_keys import TakesKeysOnceFocused

__all__ = [
    "TextInput",
    "binds",
    "hand_on",
    "is_typed",
    "move_focus_now",
    "moves_focus",
    "run_binding_now",
    "run_in_place",
    "settled",
]

_FOCUS_ACTIONS = frozenset({"app.focus_next", "app.focus_previous"})
"""The screen's Tab and shift+tab."""


def is_typed(event: events.Key) -> bool:
    """Whether ``event`` is a character typed as text (never run as a binding here)."""
    return event.is_printable and len(event.character or "") == 1


async def run_binding_now(
    widget: Widget, node: DOMNode, key: str, ids: frozenset[str] | None = None
) -> bool:
    """Run ``node``'s (non-priority) binding for ``key`` now; ``ids``: only those bindings.
    False when there is none, or its action does not run (it then bubbles up as before)."""
    for binding in _bindings(widget, node, key, ids):
        if await widget.app.run_action(binding.action, node):
            return True
    return False


async def run_in_place(widget: Widget, event: events.Key) -> None:
    """Run the binding the app would run for ``event`` with ``widget`` focused (its own, else
    its containers' and its screen's; a dialog's chain ends at the dialog), now, and stop
    ``event`` here whether one ran or not. Bubbled up to the app, a key ran the binding of the
    widget focused by then: ctrl+u read on a choice of the search settings editor, with Down
    Down after it, cleared the date box they reached after the text typed there (QA)."""
    for node in widget.ancestors_with_self:
        if await run_binding_now(widget, node, event.key) or node.is_modal:
            break
    event.prevent_default()
    event.stop()


def binds(widget: Widget, node: DOMNode, key: str, ids: frozenset[str]) -> bool:
    """Whether ``node`` has a (non-priority) binding for ``key`` among ``ids``."""
    return any(True for _ in _bindings(widget, node, key, ids))


def _bindings(
    widget: Widget, node: DOMNode, key: str, ids: frozenset[str] | None
) -> Iterator[Binding]:
    bindings = node._bindings.copy()
    if widget.app._keymap:  # the user's keymap, as Textual applies it to the binding chain
        bindings.apply_keymap(widget.app._keymap)
    for binding in bindings.key_to_bindings.get(key, ()):
        if not binding.priority and (ids is None or binding.id in ids):
            yield binding


class TextInput(Input):
    """A one-line :class:`~textual.widgets.Input` whose keys apply in the order typed."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, this one first: a key run here is
        # neither typed by Input's own handler nor run again by the app.
        if not is_typed(event) and await run_binding_now(self, self, event.key):
            event.prevent_default()
            event.stop()


async def hand_on(widget: Widget, event: events.Key) -> bool:
    """Hand ``event`` on if a key read with it has since opened a dialog, or moved the focus
    out of ``widget``: posted to the app again (which gives it to the focused widget), once
    the dialog has its focus. ``False``: the key is ``widget``'s (or a widget's in it)."""
    app = widget.app
    focused = widget.screen.focused
    if app.screen is widget.screen and (
        focused is widget or (focused is not None and widget in focused.ancestors)
    ):
        return False
    event.prevent_default()
    event.stop()
    if isinstance(dialog := app.screen, TakesKeysOnceFocused):
        await dialog.ready_for_keys()
    app.post_message(events.Key(event.key, event.character))
    return True


def moves_focus(widget: Widget, event: events.Key) -> bool:
    """Whether ``event`` is the screen's Tab or shift+tab as it reaches ``widget``: the app
    keeps the keys read after it until it has run (as for a key that opens a dialog,
    :mod:`~pplx_tui.ui.dialog_keys`), so they reach the widget it focuses in the order typed."""
    return any(
        binding.action in _FOCUS_ACTIONS
        for binding in _bindings(widget, widget.screen, event.key, None)
    )


async def move_focus_now(widget: Widget, event: events.Key) -> bool:
    """Run the screen's Tab / shift+tab for ``event`` as it reaches ``widget``: the keys read
    with it then go on to the widget it focuses (:func:`hand_on`). Run once bubbled up to the
    app, Tab left them to ``widget``: Tab and Home read together in the question box moved its
    cursor, and the chat's first answer was not selected (QA)."""
    screen = widget.screen
    for binding in _bindings(widget, screen, event.key, None):
        if binding.action in _FOCUS_ACTIONS and await widget.app.run_action(binding.action, screen):
            event.prevent_default()
            event.stop()
            return True
    return False


async def settled(node: MessagePump) -> None:
    """Wait until ``node`` has handled the messages posted to it so far (in order)."""
    done = asyncio.Event()
    if node.call_later(done.set):
        await done.wait()
