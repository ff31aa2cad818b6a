"""The bottom line: the keys that matter right now, from the screen's active bindings.

Textual's ``Footer`` builds one widget per key and rebuilds them all whenever the bindings
change (focus moves, an answer starts or stops), which is most of this app's start-up time.
The key bar draws the same information as one line of text; a click on a key presses it.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

__all__ = ["KeyBar"]

_KEPT = frozenset({"add_key", "command_palette"})
"""Actions the key bar keeps when the terminal is too narrow for every key."""


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

    def render(self) -> Content:
        app = self.app
        active = self.screen.active_bindings
        parts: list[Content] = []
        keys: list[str] = []
        seen: set[str] = set()
        entries = [a for a in active.values() if a.binding.show]
        if app.ENABLE_COMMAND_PALETTE and (palette := active.get(app.COMMAND_PALETTE_BINDING)):
            entries.append(palette)
        for node, binding, enabled, _tooltip in entries:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            # A widget may name what a key acts on ("Delete “Kyoto”"): binding_description.
            describe = getattr(node, "binding_description", None)
            named = describe(binding.action) if callable(describe) else None
            if named == "":
                continue  # not offered right now
            description = named or binding.description or binding.action.rsplit(".", 1)[-1]
            piece = Content.assemble(
                (f" {app.get_key_display(binding)} ", "bold $footer-key-foreground"),
                f"{description} ",
            ).stylize(Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"}))
            parts.append(piece if enabled else piece.stylize("dim"))
            keys.append(binding.action.rsplit(".", 1)[-1])
        width = self.size.width
        while parts and width and sum(p.cell_length for p in parts) > width:
            # Too long for the terminal: drop keys from the end, but never the API key
            # (ctrl+k) or the palette (every action is there).
            droppable = [n for n, key in enumerate(keys) if key not in _KEPT]
            if not droppable:
                break
            del parts[droppable[-1]], keys[droppable[-1]]
        return Content("").join(parts)
