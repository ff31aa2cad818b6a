"""Screens that lay themselves out again only when their size changes."""

from __future__ import annotations

from typing import Any

from textual import events

__all__ = ["LayoutOnNewSize"]


class LayoutOnNewSize:
    """Mixed into a screen before ``Screen``: a resize to the size it is already laid out at
    is no change.

    A screen lays itself out as it is first shown and then gets the same size once or twice
    more (the resize it sends itself for that layout; at start, the app's first size too):
    Textual laid out and repainted the whole screen for each (the app's start, every dialog
    opened). A layout asked for since (a widget mounted) is done on the next frame, as ever;
    a real change of size is handled by ``Screen`` as before.
    """

    def on_resize(self: Any, event: events.Resize) -> None:
        if event.size == self._size:
            event.prevent_default()  # not handed to Screen._on_resize
