"""Markdown laid out as lines of :class:`~textual.content.Content`, for :class:`MarkdownText`.

Textual's ``Markdown`` widget mounts one widget per block (a three-item list is 14 widgets),
and every widget costs CSS matching, a mount and a place in each later layout of the screen.
An answer needs none of that: it is read, not edited. Here a top-level block (paragraph,
heading, list, quote, code, table, rule, math, footnote) becomes plain lines of styled text
for a given width, remembered per width, and one widget draws them all.

Each kind of block has its renderer in :data:`BLOCKS` (as Textual's ``Markdown.BLOCKS``);
what renderers share (the block tree, inline text, style names) is in :mod:`.markdown_common`.
The look follows Textual's ``Markdown``: the same margins between blocks, bullets, heading
colours; code blocks are framed with their language, task lists show boxes, footnotes are
set apart, and LaTeX math is shown as Unicode text (:mod:`pplx_tui.math_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from pplx_tui.markdown_marks import TASK_DONE, superscript, task_box
from pplx_tui.math_text import latex_to_text
from pplx_tui.ui.widgets.markdown_common import (
    BULLETS,
    EMPTY,
    Node,
    align_line,
    build_tree,
    inline_content,
    style,
)
from pplx_tui.ui.widgets.markdown_table import render_table

if TYPE_CHECKING:
    from pplx_tui.ui.citations import Parser

__all__ = ["BLOCKS", "EMPTY", "Block", "build_tree", "render", "stack_blocks", "warm_up"]

# Margins (lines above, below) of top-level blocks, as Textual's Markdown CSS has them.
_MARGINS = {
    "paragraph": (0, 1),
    "bullet_list": (0, 1),
    "ordered_list": (0, 1),
    "table": (0, 1),
    "html_block": (0, 1),
    "blockquote": (1, 1),
    "fence": (1, 1),
    "code_block": (1, 1),
    "hr": (1, 1),
    "math_block": (1, 1),
    "footnote": (0, 1),  # the next paragraph is not glued under it (QA Q13)
}


class Block:
    """One top-level block and its lines, remembered for the last width asked.

    A final block (given its ``source`` and ``parser``) lets its tokens go once laid out:
    they are many small objects that every full garbage collection would walk again, for an
    answer that stays on screen. Another width (a resize) parses the block's source again.
    """

    __slots__ = ("_lines", "_parser", "_source", "_width", "bottom", "node", "top")

    def __init__(self, node: Node, source: str | None = None, parser: Parser | None = None) -> None:
        self.node: Node | None = node
        self.top, self.bottom = margins(node)
        self._source = source
        self._parser = parser
        self._width = -1
        self._lines: list[Content] = []

    def lines(self, width: int) -> list[Content]:
        """The block's lines at ``width`` cells (none wider)."""
        if width != self._width:
            self._width = width
            width = max(width, 1)
            if self.node is not None:
                self._lines = render(self.node, width, 0)
            elif self._source is not None and self._parser is not None:
                nodes = build_tree(self._parser.parse(self._source))
                self._lines = stack_blocks([(margins(n), render(n, width, 0)) for n in nodes])
            if self._source is not None:
                self.node = None
        return self._lines


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def margins(node: Node) -> tuple[int, int]:
    """Blank lines above and below a top-level block."""
    if node.kind == "heading":
        return (2, 1) if node.token.tag in ("h1", "h2") else (1, 1)
    return _MARGINS.get(node.kind, (0, 1))


def stack_blocks(parts: Sequence[tuple[tuple[int, int], list[Content]]]) -> list[Content]:
    """Lines of blocks one above the other; the gap between two is the larger margin."""
    lines: list[Content] = []
    previous = 0
    for index, ((top, bottom), block_lines) in enumerate(parts):
        if index:
            lines.extend([EMPTY] * max(previous, top))
        lines.extend(block_lines)
        previous = bottom
    return lines


# -- blocks --------------------------------------------------------------------------------


Renderer = Callable[[Node, int, int], list[Content]]
"""A block renderer: ``(node, width, depth)`` to lines no wider than ``width``; ``depth``
counts the lists the block is nested in."""


def render(node: Node, width: int, depth: int) -> list[Content]:
    """The lines of ``node`` at ``width`` (by its renderer in :data:`BLOCKS`)."""
    renderer = BLOCKS.get(node.kind)
    if renderer is not None:
        return renderer(node, width, depth)
    if node.inline is not None:
        return inline_content(node.inline).wrap(width)
    return _children(node.children, width, depth)


def _children(children: Sequence[Node], width: int, depth: int) -> list[Content]:
    """Blocks nested in a list item or quote: no paragraph margins, as in ``Markdown``."""
    parts = []
    for child in children:
        top, bottom = margins(child)
        if child.kind in ("paragraph", "bullet_list", "ordered_list"):
            top = bottom = 0
        parts.append(((top, bottom), render(child, width, depth)))
    return stack_blocks(parts)


def _paragraph(node: Node, width: int, depth: int) -> list[Content]:
    return inline_content(node.inline).wrap(width)


def _heading(node: Node, width: int, depth: int) -> list[Content]:
    tag = style(node.token.tag)
    align = "center" if node.token.tag == "h1" else "left"
    lines = inline_content(node.inline).wrap(width)
    return [align_line(line.rstrip(), width, align).stylize_before(tag) for line in lines]


def _list(node: Node, width: int, depth: int) -> list[Content]:
    items = [child for child in node.children if child.kind == "list_item"]
    if node.kind == "ordered_list":
        try:
            start = int(node.token.attrs.get("start", 1) or 1)
        except (TypeError, ValueError):
            start = 1
        numbers = [f"{number}. " for number in range(start, start + len(items))]
        size = max((len(n) for n in numbers), default=0) + 1
        symbols = [n.rjust(size) for n in numbers]
    else:
        symbols = [BULLETS[depth % len(BULLETS)]] * len(items)
    lines: list[Content] = []
    for symbol, item in zip(symbols, items, strict=True):
        box = _task_box(item)
        bullet = Content.styled(symbol, style("bullet"))
        if box is not None:
            bullet = Content.styled(box[0].rjust(len(symbol)), style(box[1]))
        indent = bullet.cell_length
        # Textual's list items keep one cell free on the right.
        body = _children(item.children, max(width - indent - 1, 1), depth + 1) or [EMPTY]
        if box is not None and body:
            body[0] = body[0][len("[ ] ") :]
        blank = Content(" " * indent)
        lines.extend((bullet if n == 0 else blank) + line for n, line in enumerate(body))
    return lines


def _task_box(item: Node) -> tuple[str, str] | None:
    """``(box, style)`` for a task list item (``- [ ] to do``, ``- [x] done``), else ``None``."""
    first = item.children[0] if item.children else None
    if first is None or first.kind != "paragraph" or first.inline is None:
        return None
    children = first.inline.children or []
    if not children or children[0].type != "text":
        return None
    box = task_box(children[0].content)
    return None if box is None else (box, "task-done" if box == TASK_DONE else "task-open")


def _quote(node: Node, width: int, depth: int) -> list[Content]:
    inner = max(width - 3, 1)
    bar = Content.styled("▌", style("quote-bar"))
    lines = []
    for line in _children(node.children, inner, depth) or [EMPTY]:
        padded = Content.assemble(bar, " ", line, " " * (inner - line.cell_length), " ")
        lines.append(padded.stylize_before(style("quote")))
    return lines


def _code(node: Node, width: int, depth: int) -> list[Content]:
    """A code block in a frame named with its language; long lines folded (not cut)."""
    token = node.token
    code = token.content.rstrip("\n")
    language = token.info.split()[0] if token.info.strip() else ""
    # An unnamed language is shown as text: guessing runs every Pygments lexer.
    content = _highlight(code, language or "text") if code else EMPTY
    if width < 6:  # no room for a frame
        return [part for line in content.split("\n", allow_blank=True) for part in line.fold(width)]
    inner = width - 4
    frame, fence = style("fence-frame"), style("fence")
    label = (
        Content.styled(f" {language[: inner - 2]} ", style("fence-label")) if language else EMPTY
    )
    top = Content.assemble(("╭─", frame), label, ("─" * (width - 3 - label.cell_length), frame))
    lines = [top + Content.styled("╮", frame)]
    side = Content.styled("│", frame)
    for line in content.split("\n", allow_blank=True):
        line = line.expand_tabs(4)
        for part in line.fold(inner) if line.cell_length > inner else [line]:
            padded = Content.assemble(" ", part, " " * (inner + 1 - part.cell_length))
            lines.append(Content.assemble(side, padded.stylize_before(fence), side))
    lines.append(Content.styled("╰" + "─" * (width - 2) + "╯", frame))
    return lines


_highlighted: dict[tuple[str, str], Content] = {}
HIGHLIGHTED_KEPT = 8
"""Code blocks whose highlighting is kept: a streaming code block is laid out again when it
becomes final, or after a resize, mostly with the text it had (Pygments is the dearest part
of laying out an answer: ~0.7 ms for a 5-line Python block)."""


def _highlight(code: str, language: str) -> Content:
    """``code`` highlighted as ``language``, kept for the next lay-out of the same block."""
    from textual.highlight import highlight

    key = (code, language)
    if (content := _highlighted.get(key)) is None:
        content = _highlighted[key] = highlight(code, language=language)
        if len(_highlighted) > HIGHLIGHTED_KEPT:
            del _highlighted[next(iter(_highlighted))]
    return content


def _table(node: Node, width: int, depth: int) -> list[Content]:
    return render_table(node, width)


def _rule(node: Node, width: int, depth: int) -> list[Content]:
    return [Content.styled("─" * width, style("rule"))]


def _html(node: Node, width: int, depth: int) -> list[Content]:
    text = node.token.content.rstrip("\n")
    return Content(_BREAK.sub("\n", text)).wrap(width)


def _math(node: Node, width: int, depth: int) -> list[Content]:
    """Display math (``$$…$$``, ``\\[…\\]``): centred lines of Unicode text, the equation's
    number (``\\[…\\] (1)``) after its last line. A matrix, cases or aligned equations are
    centred as one block (their columns lined up), where the width allows."""
    laid_out = "\\begin" in node.token.content
    text = latex_to_text(node.token.content, display=laid_out)
    lines = [line.rstrip() if laid_out else line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if node.token.type == "math_block_eqno" and lines:
        lines[-1] += f"  ({node.token.info})"
    block = max((cell_len(line) for line in lines), default=0)
    if laid_out and block <= width:
        left = (width - block) // 2
        return [
            Content(line).pad(left, width - left - cell_len(line)).stylize_before(style("math"))
            for line in lines
        ]
    wrapped = [part for line in lines for part in Content(line.strip()).wrap(width)]
    return [align_line(line, width, "center").stylize_before(style("math")) for line in wrapped]


def _footnote(node: Node, width: int, depth: int) -> list[Content]:
    """A footnote (``[^1]: text``): its number, then its text with a hanging indent."""
    mark = superscript(str(node.token.meta.get("label", ""))) + " "
    body = inline_content(node.inline).wrap(max(width - len(mark), 1)) or [EMPTY]
    lines = [
        (Content(mark) if n == 0 else Content(" " * len(mark))) + line
        for n, line in enumerate(body)
    ]
    return [line.stylize_before(style("footnote")) for line in lines]


BLOCKS: dict[str, Renderer] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _quote,
    "fence": _code,
    "code_block": _code,
    "table": _table,
    "hr": _rule,
    "html_block": _html,
    "math_block": _math,
    "math_block_eqno": _math,
    "footnote": _footnote,
}
"""Renderers of top-level and nested blocks by token kind (as Textual's ``Markdown.BLOCKS``)."""


def warm_up() -> None:
    """Load the code highlighter (Pygments and its Python lexer: ~35 ms the first time).

    Meant for a thread before an answer's text arrives, so that the first code block does not
    stall the screen.
    """
    from textual.highlight import highlight

    highlight("x = 1", language="python")
