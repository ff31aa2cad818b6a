"""The bottom line: the keys that matter right now, from the screen's active bindings.

Textual's ``Footer`` builds one widget per key and rebuilds them all whenever the bindings
change (focus moves, an answer starts or stops), which is most of this app's start-up time.
The key bar draws the same information as one line of text; a click on a key presses it.
"""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

__all__ = ["KeyBar"]

_KEPT = frozenset({"add_key", "command_palette"})
"""Actions the key bar keeps when the terminal is too narrow for every key."""

_KEPT_LONGEST = ("stop", "retry", "toggle_sources", "toggle_chats")
"""Of the screen's and the app's keys, those kept longest, most needed first: stop or retry an
answer, then show the sources and the chats, panels a narrow terminal hides (at 60 columns
ctrl+s went first, being near the end of the line, and the sources could not be found)."""

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

    def render(self) -> Content:
        app = self.app
        active = self.screen.active_bindings
        parts: list[Content] = []
        keys: list[str] = []
        screen_wide: list[bool] = []  # the screen's or the app's key, not the focused widget's
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
            screen_wide.append(isinstance(node, (Screen, App)))
        width = self.size.width
        while parts and width and sum(p.cell_length for p in parts) > width:
            # Too long for the terminal: drop keys (see _drop_rank), never the API key
            # (ctrl+k) or the palette (every action is there).
            droppable = [n for n, key in enumerate(keys) if key not in _KEPT]
            if not droppable:
                break
            drop = max(droppable, key=lambda n: (_drop_rank(keys[n], screen_wide[n]), n))
            del parts[drop], keys[drop], screen_wide[drop]
        return Content("").join(parts)


def _drop_rank(action: str, screen_wide: bool) -> int:
    """How soon a key goes when the line is too long (the higher, the sooner; the same: the
    one nearer the end first). The screen's and the app's keys go first, those of
    :data:`_KEPT_LONGEST` last of them; the focused widget's own keys (what acts where the user
    is) go last, those of :data:`_OWN_KEPT_LONGEST` after the rest."""
    if not screen_wide:
        return -1 if action in _OWN_KEPT_LONGEST else 0
    if action in _KEPT_LONGEST:
        return 1 + _KEPT_LONGEST.index(action)
    return 1 + len(_KEPT_LONGEST)
