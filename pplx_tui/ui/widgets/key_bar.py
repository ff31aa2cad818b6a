"""The bottom line: the keys that matter right now, from the screen's active bindings.

Textual's ``Footer`` builds one widget per key and rebuilds them all whenever the bindings
change (focus moves, an answer starts or stops), which is most of this app's start-up time.
The key bar draws the same information as one line of text; a click on a key presses it.

A wide terminal has room for more: the keys a node lists in ``KEY_BAR_MORE`` (binding ids of
keys not shown by default, most wanted first) fill what the line leaves, the focused widget's
first (QA: at 200 columns the conversation showed ``a Alt  m Re-ask  ^e Edit`` and never r, s,
v, f or i). When the line is too long they go right after the workspace's least needed keys
(new chat, model), so an 80-column terminal shows what it did.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import App
from textual.binding import ActiveBinding
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from pplx_tui.ui.keys_in_force import textual_keymap
from pplx_tui.ui.widgets.key_bar_order import as_declared

__all__ = ["KeyBar"]

_KEY_PRESSED = "key_bar.key"
"""The meta of each key's part of the line: the key a click there presses."""

_KEPT = frozenset({"add_key", "command_palette"})
"""Actions the key bar keeps when the terminal is too narrow for every key."""

_KEPT_LONGEST = ("focus_prompt", "retry", "toggle_sources", "toggle_chats")
"""Of the screen's and the app's keys, those kept longest (but for :data:`_KEPT_LAST`), most
needed first: the way out of an edit (shown only then), retry an answer, then show the sources
and the chats, panels a narrow terminal hides (at 60 columns ctrl+s went first, being near the
end of the line, and the sources could not be found)."""

_KEPT_LAST = "stop"
"""The key the bar gives up last (after the focused widget's own): while an answer streams,
the one that ends it (at 40 columns it went while the question box kept ``⏎ Send``)."""

_OWN_KEPT_LONGEST = frozenset({"toggle_reasoning"})
"""Of the focused widget's keys, those kept after its others have gone: ``t``, the one way to a
reasoning answer's folded thinking, shown only on such an answer (at 80 columns it went, near
the end of the line, where ``c Copy URL`` stayed, which does nothing until a citation is
marked)."""


class KeyBar(Widget):
    """One line of ``key Description`` pairs for the bindings with ``show=True``.

    A widget owning bindings may define ``binding_description(action) -> str | None`` to say
    what a key acts on right now (``""``: leave the key out for now); the binding's own
    description is the fallback.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it. (Not by Textual's ``@click``: a clickable span is drawn
        in the theme's link colour and style, over the key's own colour and the bar's: every
        theme drew its keys in ``$link-color``, ansi-dark all of the bar in blue, 2.23:1.)"""
        key = event.style.meta.get(_KEY_PRESSED)
        if isinstance(key, str):
            event.stop()
            self.app.simulate_key(key)

    def render(self) -> Content:
        app = self.app
        active = self.screen.active_bindings
        # The keys a [keymap] moves, back in their places (Textual lists them last).
        moved = textual_keymap(getattr(app, "keymap", {}))
        chain = [node for node, _ in self.screen._modal_binding_chain] if moved else []
        in_order = as_declared(list(active.values()), moved, chain)
        entries = [a for a in in_order if a.binding.show]
        if app.ENABLE_COMMAND_PALETTE and (palette := active.get(app.COMMAND_PALETTE_BINDING)):
            entries.append(palette)
        more = _more(in_order)
        parts: list[Content] = []
        keys: list[str] = []
        ranks: list[int] = []  # how soon each key goes when the line is too long (_drop_rank)
        wide: list[bool] = []  # the screen's or the app's key, not the focused widget's
        seen: set[str] = set()
        shown: set[str] = set()  # descriptions (a second "Compare" from the screen is not added)
        for active_binding, extra in [*((a, None) for a in entries), *more]:
            node, binding, enabled, _tooltip = active_binding
            if binding.action in seen:
                continue
            # A widget may name what a key acts on ("Delete “Kyoto”"): binding_description.
            describe = getattr(node, "binding_description", None)
            named = describe(binding.action) if callable(describe) else None
            if named == "":
                continue  # not offered right now (the screen's ctrl+r: r may be)
            seen.add(binding.action)
            description = named or binding.description or binding.action.rsplit(".", 1)[-1]
            if extra is not None and description in shown:
                continue
            shown.add(description)
            piece = Content.assemble(
                (f" {app.get_key_display(binding)} ", "bold $footer-key-foreground"),
                f"{description} ",
            ).stylize(Style.from_meta({_KEY_PRESSED: binding.key}))
            action = binding.action.rsplit(".", 1)[-1]
            screen_wide = isinstance(node, (Screen, App))
            at = _place(wide, keys, screen_wide) if extra is not None else len(parts)
            parts.insert(at, piece if enabled else piece.stylize("dim"))
            keys.insert(at, action)
            ranks.insert(at, _drop_rank(action, screen_wide) if extra is None else extra)
            wide.insert(at, screen_wide)
        width = self.size.width
        while parts and width and sum(p.cell_length for p in parts) > width:
            # Too long for the terminal: drop keys (see _drop_rank), never the API key
            # (ctrl+k) or the palette (every action is there).
            droppable = [n for n, key in enumerate(keys) if key not in _KEPT]
            if not droppable:
                break
            drop = max(droppable, key=lambda n: (ranks[n], n))
            del parts[drop], keys[drop], ranks[drop], wide[drop]
        return Content("").join(parts)


_MORE_RANK = 100
"""The drop rank of the focused widget's first key added for a wide terminal (the next: one
more, and so on): after the screen's other keys (new chat, model: in the question box's line
and the palette), before those of :data:`_KEPT_LONGEST`."""
_OTHERS_RANK = 1000
"""The drop rank of the screen's and the app's keys not in :data:`_KEPT_LONGEST`."""
_SCREEN_MORE_RANK = 2000
"""The drop rank of the screen's first key added for a wide terminal: before all others."""


def _more(active: Iterable[ActiveBinding]) -> list[tuple[ActiveBinding, int]]:
    """The active keys the nodes list in ``KEY_BAR_MORE`` (not shown by default), the focused
    widget's first, each with its drop rank (:data:`_MORE_RANK`, :data:`_SCREEN_MORE_RANK`:
    the last listed first)."""
    nodes: list[DOMNode] = []  # the focused widget first, the app last (the bindings' order)
    found: dict[tuple[int, int], ActiveBinding] = {}
    for active_binding in active:
        node, binding = active_binding.node, active_binding.binding
        listed: tuple[str, ...] = getattr(node, "KEY_BAR_MORE", ())
        if binding.show or binding.id not in listed:
            continue
        if node not in nodes:
            nodes.append(node)
        found[(nodes.index(node), listed.index(binding.id))] = active_binding
    return [
        (found[at], n + (_SCREEN_MORE_RANK if isinstance(found[at].node, Screen) else _MORE_RANK))
        for n, at in enumerate(sorted(found))
    ]


def _place(wide: list[bool], keys: list[str], screen_wide: bool) -> int:
    """Where a key added for a wide terminal goes in the line so far (``wide``: whether each
    of its ``keys`` is the screen's or the app's): a widget's after the widget's keys, the
    screen's before the palette key."""
    if screen_wide:
        return len(keys) - 1 if keys and keys[-1] == "command_palette" else len(keys)
    own = [n for n, is_wide in enumerate(wide) if not is_wide]
    return own[-1] + 1 if own else 0


def _drop_rank(action: str, screen_wide: bool) -> int:
    """How soon a key goes when the line is too long (the higher, the sooner; the same: the
    one nearer the end first). The screen's and the app's keys go first, then those added for
    a wide terminal (:func:`_more`), then those of :data:`_KEPT_LONGEST`; the focused widget's
    own keys (what acts where the user is), those of :data:`_OWN_KEPT_LONGEST` after the rest;
    :data:`_KEPT_LAST` last of all."""
    if action == _KEPT_LAST:
        return -2
    if not screen_wide:
        return -1 if action in _OWN_KEPT_LONGEST else 0
    if action in _KEPT_LONGEST:
        return 1 + _KEPT_LONGEST.index(action)
    return _OTHERS_RANK
