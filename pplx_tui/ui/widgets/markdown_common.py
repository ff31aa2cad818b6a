"""What every Markdown block renderer shares: the block tree, styles by name, inline text.

The renderer is split by block kind (:mod:`.markdown_blocks` holds the table of renderers,
:mod:`.markdown_table` the tables); this module is what they all use and imports none of them.
Styles are named ``.markdown-text--…`` (component classes of
:class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`, declared here in :data:`MARKDOWN_CSS`
and resolved when drawn, so a theme change needs no re-layout).

Links carry Textual's ``@click`` meta ``link(href)``; web links also carry the URL itself
(an OSC 8 hyperlink in terminals that have them). Citation markers (``#source-n``), links and
footnote references each have their own style, so a reader tells them apart at a glance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content, Span
from textual.style import Style

from pplx_tui.markdown_marks import superscript
from pplx_tui.math_text import latex_to_text
from pplx_tui.sanitize import safe_url

if TYPE_CHECKING:
    from markdown_it.token import Token  # annotations only: markdown_it loads with the parser

__all__ = [
    "BULLETS",
    "COMPONENT_CLASSES",
    "EMPTY",
    "MARKDOWN_CSS",
    "Node",
    "align_line",
    "build_tree",
    "inline_content",
    "style",
]

BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]
"""Bullets of unordered lists, by nesting depth (as Textual's ``Markdown``)."""
EMPTY = Content("")
CITATION_HREF = "#source-"
"""Links to a source (what the citation parser makes of ``[n]``)."""
_SPACES = re.compile(r"\s+")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_STYLES = {"em_open": "em", "strong_open": "strong", "s_open": "s"}
COMPONENT_CLASSES = frozenset(
    f"markdown-text--{name}"
    for name in (
        *("em", "strong", "s", "code-inline", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("bullet", "task-done", "task-open", "quote", "quote-bar"),
        *("fence", "fence-frame", "fence-label", "table-header", "table-lines", "rule"),
        *("link", "citation", "citation-cursor", "footnote", "footnote-ref", "math", "found"),
    )
)
"""Every style name the renderer uses (a widget drawing its lines declares them)."""

MARKDOWN_CSS = """
& > .markdown-text--em { text-style: italic; }
& > .markdown-text--strong { text-style: bold; }
& > .markdown-text--s { text-style: strike; }
&:dark > .markdown-text--code-inline { background: $warning 10%; color: $text-warning; }
&:light > .markdown-text--code-inline { background: $error 5%; color: $text-error; }
&:ansi > .markdown-text--code-inline { background: ansi_default; }
& > .markdown-text--h1 {
    color: $markdown-h1-color;
    background: $markdown-h1-background;
    text-style: $markdown-h1-text-style;
}
& > .markdown-text--h2 {
    color: $markdown-h2-color;
    background: $markdown-h2-background;
    text-style: $markdown-h2-text-style;
}
& > .markdown-text--h3 {
    color: $markdown-h3-color;
    background: $markdown-h3-background;
    text-style: $markdown-h3-text-style;
}
& > .markdown-text--h4 {
    color: $markdown-h4-color;
    background: $markdown-h4-background;
    text-style: $markdown-h4-text-style;
}
& > .markdown-text--h5 {
    color: $markdown-h5-color;
    background: $markdown-h5-background;
    text-style: $markdown-h5-text-style;
}
& > .markdown-text--h6 {
    color: $markdown-h6-color;
    background: $markdown-h6-background;
    text-style: $markdown-h6-text-style;
}
& > .markdown-text--bullet { color: $text-primary; }
&:light > .markdown-text--bullet { color: $text-secondary; }
& > .markdown-text--task-done { color: $text-success; text-style: bold; }
& > .markdown-text--task-open { color: $text-muted; text-style: bold; }
& > .markdown-text--quote { background: $boost; }
& > .markdown-text--quote-bar { color: $text-primary 50%; }
&:light > .markdown-text--quote-bar { color: $text-secondary; }
& > .markdown-text--fence { color: rgb(210,210,210); background: black 10%; }
&:light > .markdown-text--fence { color: $foreground; background: white 30%; }
&:ansi > .markdown-text--fence { color: ansi_default; background: ansi_default; }
& > .markdown-text--fence-frame { color: $fence-frame; }
& > .markdown-text--fence-label { color: $text-accent; text-style: bold; }
& > .markdown-text--table-header { color: $table-header; text-style: bold; }
& > .markdown-text--table-lines { color: $table-lines; }
& > .markdown-text--rule { color: $secondary; }
& > .markdown-text--link { color: $text-accent; text-style: underline; }
& > .markdown-text--citation { color: $citation-marker; text-style: not underline; }
& > .markdown-text--citation-cursor {
    color: $citation-cursor-foreground;
    background: $citation-marker;
    text-style: bold not underline;
}
& > .markdown-text--footnote { color: $text-muted; }
& > .markdown-text--footnote-ref { color: $text-accent; text-style: not underline; }
& > .markdown-text--math { color: $text-secondary; text-style: italic; }
& > .markdown-text--found { text-style: reverse bold; }
"""
"""The look of the renderer's style names, nested in the CSS of the widget that draws them."""


def style(name: str) -> str:
    """The style called ``name`` (a component class, resolved when the line is drawn)."""
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


def align_line(line: Content, width: int, align: str = "left") -> Content:
    """``line`` padded to ``width`` cells, placed ``left``, ``center`` or ``right``."""
    space = max(width - line.cell_length, 0)
    left = space if align == "right" else space // 2 if align == "center" else 0
    return line.pad(left, space - left)


def inline_content(token: Token | None) -> Content:
    """An inline token's text and styles (after Textual's ``MarkdownBlock``)."""
    if token is None or not token.children:
        return EMPTY
    text: list[str] = []
    spans: list[Span] = []
    open_styles: list[tuple[list[str | Style], int]] = []
    position = 0

    def add(part: str, *styles: str | Style) -> None:
        nonlocal position
        text.append(part)
        spans.extend(Span(position, position + len(part), s) for s in styles)
        position += len(part)

    for child in token.children:
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            add(child.content, style("code-inline"))
        elif kind in ("math_inline", "math_inline_double"):  # ($$…$$ within a line: inline too)
            add(latex_to_text(child.content), style("math"))
        elif kind == "footnote_ref":
            add(superscript(str(child.meta.get("label", ""))), style("footnote-ref"))
        elif kind in _INLINE_STYLES:
            open_styles.append(([style(_INLINE_STYLES[kind])], position))
        elif kind == "link_open":
            open_styles.append((link_styles(str(child.attrs.get("href", ""))), position))
        elif kind == "image":
            start = position
            add("🖼  ")
            if alt := "".join(c.content for c in child.children or ()):
                add(f"({alt})")
            for link_style in link_styles(str(child.attrs.get("src", ""))):
                spans.append(Span(start, position, link_style))
        elif kind == "html_inline":
            add("\n" if _BREAK.fullmatch(child.content.strip()) else child.content)
        elif kind.endswith("_close") and open_styles:
            styles, start = open_styles.pop()
            spans.extend(Span(start, position, s) for s in styles)
    while open_styles:  # unbalanced input
        styles, start = open_styles.pop()
        spans.extend(Span(start, position, s) for s in styles)
    return Content("".join(text), spans=spans)


def link_styles(href: str) -> list[str | Style]:
    """The styles of a link to ``href``: a click posts it; a web link is also a hyperlink."""
    click = Style.from_meta({"@click": f"link({href!r})"})
    if href.startswith(CITATION_HREF):
        return [click, style("citation")]
    url = safe_url(href)
    return [click + Style(link=url) if url else click, style("link")]
