"""Text boxes whose own keys (backspace, ctrl+u, the arrows…) apply in turn with the
characters typed around them.

Textual types a character in the focused box at once, but runs a box's binding only once its
key has bubbled up to the app, after the box has typed the characters queued behind it
(Textual issue 6605). Keys read together, from a fast typist while a frame is drawn, a text
expander or tmux ``send-keys``, were applied out of order: ctrl+u then "notes.md" cleared the
box after typing the name; "ab", backspace, "c" gave "ba". Here a box runs its own bindings as
its key arrives, looked up with the user's keymap applied, as the app would.
"""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input

__all__ = ["TextInput", "is_typed", "run_binding_now"]


def is_typed(event: events.Key) -> bool:
    """Whether ``event`` is a character typed as text (never run as a binding here)."""
    return event.is_printable and len(event.character or "") == 1


async def run_binding_now(
    widget: Widget, node: DOMNode, key: str, ids: frozenset[str] | None = None
) -> bool:
    """Run ``node``'s (non-priority) binding for ``key`` now; ``ids``: only those bindings.
    False when there is none, or its action does not run (it then bubbles up as before)."""
    bindings = node._bindings.copy()
    if widget.app._keymap:  # the user's keymap, as Textual applies it to the binding chain
        bindings.apply_keymap(widget.app._keymap)
    for binding in bindings.key_to_bindings.get(key, ()):
        if binding.priority or (ids is not None and binding.id not in ids):
            continue
        if await widget.app.run_action(binding.action, node):
            return True
    return False


class TextInput(Input):
    """A one-line :class:`~textual.widgets.Input` whose keys apply in the order typed."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, this one first: a key run here is
        # neither typed by Input's own handler nor run again by the app.
        if not is_typed(event) and await run_binding_now(self, self, event.key):
            event.prevent_default()
            event.stop()
