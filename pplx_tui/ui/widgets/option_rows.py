"""Rows of an ``OptionList``: laid out again when its width changes without a resize, and
lines that wrap under their own text (a hanging indent)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList

__all__ = ["HangingLines", "RewrappingOptionList"]


class RewrappingOptionList(OptionList):
    """Rows wrapped for the width they are drawn in.

    Textual's ``OptionList`` keeps each row's lines (and heights) as first laid out, per
    style, not per width, and forgets them only on a resize. Its focus border narrows the rows
    without one, so the chat list, focused, drew its rows laid out two columns wider: titles
    lost their last letters and a row its date line (QA-30). Listed again, it laid the rows out
    while its scrollbar was gone (no rows yet); the scrollbar came back and they were drawn two
    columns narrower than laid out.
    """

    _laid_out_width = -1

    def _update_lines(self) -> None:
        # Called before every draw (render_lines) and as options are added.
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            self._laid_out_width = width
            self._line_cache.clear()
            self._option_render_cache.clear()
            self.refresh()
        super()._update_lines()


class HangingLines(Visual):
    """Lines, each wrapped ``indent`` cells in: its first ``indent`` cells (spaces, or a
    marker such as ``● ``) stand in the margin, and what does not fit goes on under its text,
    not at the row's left edge (QA: at 80 columns a model's details went on under the
    provider's name, a chat's title under the ``▸`` of the open chat)."""

    def __init__(self, lines: Sequence[tuple[int, Content]]) -> None:
        """``lines``: ``(indent, line)`` pairs, each ``line`` one line of text."""
        self._lines = [(indent, line[:indent], line[indent:]) for indent, line in lines]

    def __str__(self) -> str:
        return self.content.plain

    @property
    def content(self) -> Content:
        """The lines as one text, with their styles (what is drawn, but for the wrapping)."""
        return Content("\n").join(head + body for _, head, body in self._lines)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (
                indent + body.get_optimal_width(rules, container_width)
                for indent, _, body in self._lines
            ),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(
            max(1, body.get_height(rules, max(1, width - indent)))
            for indent, _, body in self._lines
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        margin_style = style.rich_style
        for indent, head, body in self._lines:
            indent = min(indent, max(0, width - 1))
            text = body.render_strips(width - indent, None, style, options) or [
                Strip.blank(width - indent, margin_style)
            ]
            margin = head.render_strips(indent, 1, style, options) if indent else []
            first = margin[0].crop_pad(indent, 0, 0, margin_style) if margin else None
            blank = Strip.blank(indent, margin_style)
            for number, strip in enumerate(text):
                strips.append(Strip.join([first if number == 0 and first else blank, strip]))
        return strips[:height] if height is not None else strips
