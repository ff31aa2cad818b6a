"""Markdown laid out as lines of :class:`~textual.content.Content`, for :class:`MarkdownText`.

Textual's ``Markdown`` widget mounts one widget per block (a three-item list is 14 widgets),
and every widget costs CSS matching, a mount and a place in each later layout of the screen.
An answer needs none of that: it is read, not edited. Here a top-level block (paragraph,
heading, list, quote, code, table, rule) becomes plain lines of styled text for a given width,
remembered per width, and one widget draws them all.

The look follows Textual's ``Markdown``: the same margins between blocks, bullets, heading and
code colours (component classes of :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`,
named here as ``.markdown-text--…`` style strings and resolved when drawn, so a theme change
needs no re-layout). Links carry Textual's ``@click`` meta ``link(href)``, as in ``Markdown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.content import Content, Span
from textual.style import Style

__all__ = [
    "EMPTY",
    "Block",
    "Node",
    "align_line",
    "build_tree",
    "inline_content",
    "stack_blocks",
    "warm_up",
]

BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]
"""Bullets of unordered lists, by nesting depth (as Textual's ``Markdown``)."""
EMPTY = Content("")
_SPACES = re.compile(r"\s+")
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
}
_INLINE_STYLES = {"em_open": "em", "strong_open": "strong", "s_open": "s"}


def _style(name: str) -> str:
    return f".markdown-text--{name}"


@dataclass(eq=False, slots=True)
class Node:
    """A block token with the blocks nested in it and its inline text, if any."""

    kind: str
    token: Token
    children: list[Node] = field(default_factory=list)
    inline: Token | None = None


def build_tree(tokens: Iterable[Token]) -> list[Node]:
    """markdown-it's flat token stream as a tree of block :class:`Node` objects."""
    root: list[Node] = []
    stack: list[Node] = []
    for token in tokens:
        if token.nesting == 1:
            node = Node(token.type.removesuffix("_open"), token)
            (stack[-1].children if stack else root).append(node)
            stack.append(node)
        elif token.nesting == -1:
            if stack:
                stack.pop()
        elif token.type == "inline":
            if stack:
                stack[-1].inline = token
        else:
            (stack[-1].children if stack else root).append(Node(token.type, token))
    return root


class Block:
    """One top-level block and its lines, remembered for the last width asked.

    A final block (given its ``source`` and ``parser``) lets its tokens go once laid out:
    they are many small objects that every full garbage collection would walk again, for an
    answer that stays on screen. Another width (a resize) parses the block's source again.
    """

    __slots__ = ("_lines", "_parser", "_source", "_width", "bottom", "node", "top")

    def __init__(
        self, node: Node, source: str | None = None, parser: MarkdownIt | None = None
    ) -> None:
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


def margins(node: Node) -> tuple[int, int]:
    """Blank lines above and below a top-level block."""
    if node.kind == "heading":
        return (2, 1) if node.token.tag in ("h1", "h2") else (1, 1)
    return _MARGINS.get(node.kind, (0, 1))


def align_line(line: Content, width: int, align: str = "left") -> Content:
    """``line`` padded to ``width`` cells, placed ``left``, ``center`` or ``right``."""
    space = max(width - line.cell_length, 0)
    left = space if align == "right" else space // 2 if align == "center" else 0
    return line.pad(left, space - left)


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


def render(node: Node, width: int, depth: int) -> list[Content]:
    """The lines of ``node`` at ``width``; ``depth`` counts the lists it is nested in."""
    kind = node.kind
    if kind == "paragraph":
        return inline_content(node.inline).wrap(width)
    if kind == "heading":
        return _heading(node, width)
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, width, depth)
    if kind == "blockquote":
        return _quote(node, width, depth)
    if kind in ("fence", "code_block"):
        return _code(node.token, width)
    if kind == "table":
        from pplx_tui.ui.widgets.markdown_table import render_table

        return render_table(node, width)
    if kind == "hr":
        return [Content.styled("─" * width, _style("rule"))]
    if kind == "html_block":
        return Content(node.token.content.rstrip("\n")).wrap(width)
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


def _heading(node: Node, width: int) -> list[Content]:
    style = _style(node.token.tag)
    align = "center" if node.token.tag == "h1" else "left"
    lines = inline_content(node.inline).wrap(width)
    return [align_line(line.rstrip(), width, align).stylize_before(style) for line in lines]


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
        indent = len(symbol)
        # Textual's list items keep one cell free on the right.
        body = _children(item.children, max(width - indent - 1, 1), depth + 1) or [EMPTY]
        bullet = Content.styled(symbol, _style("bullet"))
        blank = Content(" " * indent)
        lines.extend((bullet if n == 0 else blank) + line for n, line in enumerate(body))
    return lines


def _quote(node: Node, width: int, depth: int) -> list[Content]:
    inner = max(width - 3, 1)
    bar = Content.styled("▌", _style("quote-bar"))
    lines = []
    for line in _children(node.children, inner, depth) or [EMPTY]:
        padded = Content.assemble(bar, " ", line, " " * (inner - line.cell_length), " ")
        lines.append(padded.stylize_before(_style("quote")))
    return lines


def _code(token: Token, width: int) -> list[Content]:
    """A code block: highlighted, padded 1 line and 2 cells, long lines folded (not cut)."""
    from textual.highlight import highlight

    code = token.content.rstrip("\n")
    language = token.info.split()[0] if token.info.strip() else ""
    # An unnamed language is shown as text: guessing runs every Pygments lexer.
    content = highlight(code, language=language or "text") if code else EMPTY
    inner = max(width - 4, 1)
    style = _style("fence")
    blank = Content(" " * width).stylize_before(style)
    lines = [blank]
    for line in content.split("\n", allow_blank=True):
        line = line.expand_tabs(4)
        for part in line.fold(inner) if line.cell_length > inner else [line]:
            padded = Content.assemble("  ", part, " " * (width - 2 - part.cell_length))
            lines.append(padded.stylize_before(style))
    lines.append(blank)
    return lines


def warm_up() -> None:
    """Load the code highlighter (Pygments and its Python lexer: ~35 ms the first time).

    Meant for a thread before an answer's text arrives, so that the first code block does not
    stall the screen.
    """
    from textual.highlight import highlight

    highlight("x = 1", language="python")


# -- inline text ---------------------------------------------------------------------------


def inline_content(token: Token | None) -> Content:
    """An inline token's text and styles (after Textual's ``MarkdownBlock``)."""
    if token is None or not token.children:
        return EMPTY
    text: list[str] = []
    spans: list[Span] = []
    open_styles: list[tuple[str | Style, int]] = []
    position = 0

    def add(part: str) -> None:
        nonlocal position
        text.append(part)
        position += len(part)

    def close() -> None:
        if open_styles:
            style, start = open_styles.pop()
            spans.append(Span(start, position, style))

    for child in token.children:
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            spans.append(Span(position, position + len(child.content), _style("code-inline")))
            add(child.content)
        elif kind in _INLINE_STYLES:
            open_styles.append((_style(_INLINE_STYLES[kind]), position))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            open_styles.append((Style.from_meta({"@click": f"link({href!r})"}), position))
        elif kind == "image":
            start = position
            add("🖼  ")
            if alt := "".join(c.content for c in child.children or ()):
                add(f"({alt})")
            href = str(child.attrs.get("src", ""))
            spans.append(Span(start, position, Style.from_meta({"@click": f"link({href!r})"})))
        elif kind == "html_inline":
            add(child.content)
        elif kind.endswith("_close"):
            close()
    while open_styles:  # unbalanced input
        close()
    return Content("".join(text), spans=spans)
