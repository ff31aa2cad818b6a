"""The Markdown text behind :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`:
:class:`MarkdownDocument`, a Textual ``Visual`` that can grow at its end.

Its source is kept as top-level blocks (:mod:`.markdown_blocks`): the blocks before the last
one are final, so appending text parses only the last block again. Lines are laid out per
width and remembered; drawn lines (strips) are remembered per line while the text streams,
so a repaint redraws only the lines that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from pplx_tui.ui.widgets.markdown_blocks import EMPTY, Block, build_tree, stack_blocks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt  # annotations only: markdown_it loads with the parser

__all__ = ["MarkdownDocument", "draw_line", "first_change"]


class MarkdownDocument(Visual):
    """Markdown source that may grow at its end, and its lines for the last width asked."""

    def __init__(self, parser: MarkdownIt, markdown: str = "", *, first: bool = True) -> None:
        """``first``: this text starts the message (a later piece drops one leading blank)."""
        self._parser = parser
        self._first = first
        self._final: list[Block] = []
        self._final_source: list[str] = []
        self._tail = ""
        """Source of the last top-level block, which the next text may still change."""
        self._tail_blocks: list[Block] = []
        self._version = 0
        self._lines_key: tuple[int, int] = (-1, -1)
        self._lines: list[Content] = []
        self._strips_key: tuple[int, Style] | None = None
        self._strips: dict[int, tuple[Content, Strip]] = {}
        """Strips by line number, with the line drawn (a repaint redraws changed lines only)."""
        if markdown:
            self.append(markdown)

    @property
    def source(self) -> str:
        return "".join(self._final_source) + self._tail

    def append(self, text: str) -> None:
        """Add ``text`` at the end; only the last block is parsed again."""
        if not text:
            return
        self._tail += text
        nodes = build_tree(self._parser.parse(self._tail))
        last_map = nodes[-1].token.map if nodes else None
        if len(nodes) > 1 and last_map is not None:
            # Every block before the last one is closed: no later text can change it.
            cut = _line_offset(self._tail, last_map[0])
            starts = [_line_offset(self._tail, (n.token.map or (0, 0))[0]) for n in nodes[:-1]]
            for node, start, end in zip(nodes[:-1], starts, [*starts[1:], cut], strict=True):
                self._final.append(Block(node, self._tail[start:end], self._parser))
            self._final_source.append(self._tail[:cut])
            self._tail = self._tail[cut:]
            nodes = nodes[-1:]
        self._tail_blocks = [Block(node) for node in nodes]
        self._version += 1

    def lines(self, width: int) -> list[Content]:
        """All lines at ``width`` cells: blocks with the margins between them."""
        key = (width, self._version)
        if key != self._lines_key:
            blocks = [*self._final, *self._tail_blocks]
            parts = [((b.top, b.bottom), b.lines(width)) for b in blocks]
            if parts and not self._first:
                (top, bottom), first_lines = parts[0]
                parts[0] = ((max(top - 1, 0), bottom), first_lines)
            lines = stack_blocks(parts)
            if parts:
                lines = [*[EMPTY] * parts[0][0][0], *lines, *[EMPTY] * blocks[-1].bottom]
            self._lines, self._lines_key = lines, key
        return self._lines

    # -- the Visual protocol -----------------------------------------------------------------

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        # MarkdownText draws line by line (render_line); this serves other users of a Visual.
        lines = self.lines(width)[:height]
        return [draw_line(line, y, style, options.get_style) for y, line in enumerate(lines)]

    def strip(
        self,
        y: int,
        width: int,
        style: Style,
        resolve: Callable[[str | Style], Style],
        link_style: RichStyle | None,
    ) -> Strip:
        """Line ``y`` at ``width``, drawn on ``style``; remembered until the line changes.

        While text streams in, a repaint then redraws only the lines that changed.
        """
        if self._strips_key != (width, style):
            self._strips_key = (width, style)
            self._strips.clear()
        line = self.lines(width)[y]
        cached = self._strips.get(y)
        if cached is None or not (cached[0] is line or cached[0].is_same(line)):
            cached = self._strips[y] = (line, draw_line(line, y, style, resolve, link_style))
        return cached[1]

    def forget_strips(self) -> None:
        """Drop the drawn lines (their styles changed, or the text will not change again)."""
        self._strips_key = None
        self._strips.clear()


def draw_line(
    line: Content,
    y: int,
    style: Style,
    resolve: Callable[[str | Style], Style],
    link_style: RichStyle | None = None,
) -> Strip:
    """One line as a strip: every piece carries its offset (for text selection), and links
    get ``link_style`` under their own (a link's style carries ``@click`` meta)."""
    segments: list[Segment] = []
    x = 0
    for text, text_style in line.render(style, end="", parse_style=resolve):
        rich_style = (style + text_style).rich_style_with_offset(x, y)
        if link_style is not None and "@click" in text_style.meta:
            # Under the link's own style (a marker, a link and a footnote look different).
            rich_style = style.rich_style + link_style + rich_style
        segments.append(Segment(text, rich_style))
        x += len(text)
    return Strip(segments, line.cell_length)


def first_change(before: list[Content], after: list[Content]) -> int:
    """The index of the first line that differs (lines of unchanged blocks are the same objects)."""
    for index, (old, new) in enumerate(zip(before, after, strict=False)):
        if old is not new and not old.is_same(new):
            return index
    return min(len(before), len(after))


def _line_offset(text: str, line: int) -> int:
    """The index in ``text`` where line number ``line`` (from 0) starts."""
    offset = 0
    for _ in range(line):
        newline = text.find("\n", offset)
        if newline == -1:
            return len(text)
        offset = newline + 1
    return offset
