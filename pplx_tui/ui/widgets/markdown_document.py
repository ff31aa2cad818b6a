"""The Markdown text behind :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`:
:class:`MarkdownDocument`, a Textual ``Visual`` that can grow at its end.

Its source is kept as top-level blocks (:mod:`.markdown_blocks`): the blocks before the last
one are final, so appending text parses only the last block again. A final block is laid out
once, when it becomes final, and its lines are kept stacked; the last block is laid out again
only when the text is drawn, not per append (a streaming answer takes text in by the chunk and
shows it a few times a second). Drawn lines (strips) are remembered per line while the text
streams, so a repaint redraws only the lines that changed.
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

from pplx_tui.ui.widgets.markdown_blocks import EMPTY, Block, build_tree

if TYPE_CHECKING:
    from pplx_tui.ui.citations import Parser
    from pplx_tui.ui.widgets.markdown_common import Node

__all__ = ["MarkdownDocument", "draw_line", "first_change"]


class MarkdownDocument(Visual):
    """Markdown source that may grow at its end, and its lines for the last width asked."""

    def __init__(self, parser: Parser, markdown: str = "", *, first: bool = True) -> None:
        """``first``: this text starts the message (a later piece drops one leading blank)."""
        self._parser = parser
        self._first = first
        self._final: list[Block] = []
        self._final_source: list[str] = []
        self._tail = ""
        """Source of the last top-level block, which the next text may still change."""
        self._tail_blocks: list[Block] = []
        self._head: list[Content] = []
        """Lines of the final blocks stacked (with the margin above the first), at
        ``_head_width``: laid out once each as they become final, not again per append."""
        self._head_width = -1
        self._head_count = 0
        """How many final blocks ``_head`` holds."""
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
        """Add ``text`` at the end; only the last block is parsed again (nothing is laid out:
        :meth:`prepare` lays out the blocks that became final, :meth:`lines` the rest)."""
        if not text:
            return
        self._tail += text
        nodes = build_tree(self._parser.parse(self._tail))
        if (open_from := self._open_from(nodes)) > 0:
            # The blocks before are closed: no later text can change them.
            offsets = _line_offsets(self._tail)
            last = len(offsets) - 1
            starts = [
                offsets[min((n.token.map or (0, 0))[0], last)] for n in nodes[: open_from + 1]
            ]
            for node, start, end in zip(nodes, starts, starts[1:], strict=False):
                self._final.append(Block(node, self._tail[start:end], self._parser))
            cut = starts[-1]
            self._final_source.append(self._tail[:cut])
            self._tail = self._tail[cut:]
            nodes = nodes[open_from:]
        self._tail_blocks = [Block(node) for node in nodes]
        self._version += 1

    def _open_from(self, nodes: list[Node]) -> int:
        """The index of the first of ``nodes`` (the tail's top-level blocks) that later text
        may still change: the last one, which may go on, or an earlier one while those after
        it start on the unfinished last line (a "1" there may yet be "1. item", an item of the
        list above: Markdown closes a block only at a complete line that does not go on with
        it)."""
        partial = -1 if self._tail.endswith("\n") else self._tail.count("\n")
        index = len(nodes) - 1
        while index > 0:
            start = nodes[index].token.map
            if start is None:
                return 0  # nowhere to cut
            if start[0] != partial:
                return index
            index -= 1
        return 0

    @property
    def tail_size(self) -> int:
        """Characters of the last block, which each :meth:`append` parses again."""
        return len(self._tail)

    def prepare(self, width: int) -> None:
        """Lay out the blocks that became final for ``width`` (the last block waits for
        :meth:`lines`: it may still change, so it is laid out when drawn)."""
        if width != self._head_width:
            self._head_width, self._head_count, self._head = width, 0, []
        final = self._final
        for index in range(self._head_count, len(final)):
            self._head.extend(
                [EMPTY] * self._gap(final[index - 1] if index else None, final[index])
            )
            self._head.extend(final[index].lines(width))
        self._head_count = len(final)

    def lines(self, width: int) -> list[Content]:
        """All lines at ``width`` cells: blocks with the margins between them."""
        key = (width, self._version)
        if key != self._lines_key:
            self.prepare(width)
            lines = list(self._head)
            above = self._final[-1] if self._final else None
            for block in self._tail_blocks:
                lines.extend([EMPTY] * self._gap(above, block))
                lines.extend(block.lines(width))
                above = block
            if above is not None:
                lines.extend([EMPTY] * above.bottom)
            self._lines, self._lines_key = lines, key
        return self._lines

    def blocks(self, width: int) -> list[tuple[int, list[Content]]]:
        """Each top-level block at ``width`` cells: the line it starts on in :meth:`lines`, and
        its lines (what :mod:`.text_places` finds a place by, whatever the width)."""
        found: list[tuple[int, list[Content]]] = []
        start, above = 0, None
        for block in (*self._final, *self._tail_blocks):
            start += self._gap(above, block)
            lines = block.lines(width)
            found.append((start, lines))
            start += len(lines)
            above = block
        return found

    def _gap(self, above: Block | None, block: Block) -> int:
        """Blank lines above ``block``: the larger of two margins, or its own at the top (one
        less in a segment that does not start the message)."""
        if above is None:
            return block.top if self._first else max(block.top - 1, 0)
        return max(above.bottom, block.top)

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


def _line_offsets(text: str) -> list[int]:
    """Where each line of ``text`` starts (line numbers from 0), then ``len(text)``."""
    offsets = [0]
    newline = text.find("\n")
    while newline != -1:
        offsets.append(newline + 1)
        newline = text.find("\n", newline + 1)
    if offsets[-1] != len(text):
        offsets.append(len(text))
    return offsets
