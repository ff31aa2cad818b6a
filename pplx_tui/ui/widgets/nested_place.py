"""Where a widget sits in a scrolling container's content, however deep in it."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget

__all__ = ["region_in"]


def region_in(container: Widget, widget: Widget, region: Region | None = None) -> Region:
    """``region`` of ``widget`` (all of it by default) in ``container``'s scrolled content.

    Each widget's place is relative to its parent's inside (past the parent's border and
    padding): an answer in a comparison's column sits two containers below the conversation,
    and its own place is its row's (QA: a find's hit there scrolled to the chat's top)."""
    region = Region(0, 0, *widget.size) if region is None else region
    while (parent := widget.parent) is not container and isinstance(parent, Widget):
        region = region.translate(widget.virtual_region.offset)
        region = region.translate(parent.styles.gutter.top_left)
        widget = parent
    return region.translate(widget.virtual_region.offset)
