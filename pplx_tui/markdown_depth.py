"""Markdown nested too deep for markdown-it, made shallow before it is parsed: nothing is lost.

markdown-it stops at 20 levels of nesting (``maxNesting`` of its ``commonmark`` and
``gfm-like`` presets, Rich's own parser too): past that depth it dropped not only the deeper
blocks but every line after them, so an answer with a list nested 60 levels deep ended at its
ninth level. Raising the limit would let a 10,000-deep list recurse as deep.

:func:`shallow` rewrites the lines of each container (list item or quote) that begins at
:data:`DEEPEST` levels: their quote and list markers are taken off, and each line that began
a list item is one item of a single list there. A list alone is drawn nine levels deep, its
deeper items at the ninth level's indentation; quotes alone sixteen, the deeper quotes' text in
the sixteenth. Code in such a container loses its indentation. The text keeps its lines (token
maps still point at the source's lines). :func:`limit_nesting` adds it to a parser, before it
reads blocks. Core module: no Textual.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore

__all__ = ["DEEPEST", "limit_nesting", "shallow"]

DEEPEST = 16
"""The nesting level whose containers are made flat: markdown-it's limit (20) less the levels
of the one list they may become (3) and one to spare."""
_PREFIX = re.compile(r"^[ \t>*+\-.)\d]{4,}", re.MULTILINE)
"""What begins a line nested at all deep: each level takes a column of indentation or markers
at least (a quote ``>`` one, a list two)."""
_MARKER = re.compile(r"[ \t]*(?:>|([-*+]|\d{1,9}[.)])(?:[ \t]|$))")
_LINES = "pplx_flat_lines"
"""The key of the rewritten lines (by line number) in the detecting parse's ``env``."""


def limit_nesting(md: MarkdownIt) -> MarkdownIt:
    """``md`` that reads its source made :func:`shallow` first."""
    md.core.ruler.after("normalize", "shallow", _shallow_rule)
    return md


def shallow(markdown: str) -> str:
    """``markdown`` with what is nested :data:`DEEPEST` levels deep or more made flat; the same
    text (at the cost of a search) when nothing is."""
    if not any(len(found.group().expandtabs(4)) >= DEEPEST for found in _PREFIX.finditer(markdown)):
        return markdown
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    flat: dict[int, str] = {}
    _detector().parse(markdown, {_LINES: flat})
    if not flat:
        return markdown
    lines = markdown.split("\n")
    for number, line in flat.items():
        lines[number] = line
    return "\n".join(lines)


def _shallow_rule(state: StateCore) -> None:
    state.src = shallow(state.src)


@cache
def _detector() -> MarkdownIt:
    """A block parser that finds the containers :data:`DEEPEST` levels deep."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").disable("inline")
    md.block.ruler.before("table", "too_deep", _too_deep_rule)
    return md


def _too_deep_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Take the rest of a container that begins too deep, its lines rewritten flat."""
    if state.level < DEEPEST or silent:
        return False
    flat: dict[int, str] = state.env[_LINES]
    line = last = start
    while line < end:
        if not state.isEmpty(line):
            if line > start and state.sCount[line] < state.blkIndent:
                break
            flat[line] = _flat_line(state, line, first=line == start)
            last = line + 1
        line += 1
    state.line = last
    return True


def _flat_line(state: StateBlock, line: int, *, first: bool) -> str:
    """The line without its own quote and list markers, indented as its container's text,
    and an item of the container's list if it began one."""
    src = state.src
    begin = state.bMarks[line] + state.tShift[line]
    line_start = src.rfind("\n", 0, state.bMarks[line]) + 1
    # (the first line keeps the markers of the containers it opens; quote markers of the
    # containers outside are before bMarks on every line)
    prefix = src[line_start:begin] if first else src[line_start : state.bMarks[line]]
    if not first:
        prefix += " " * state.blkIndent
    position, marker = begin, None
    end = state.eMarks[line]
    while (found := _MARKER.match(src, position, end)) and found.end() > position:
        marker = found.group(1) or marker
        position = found.end()
    text = src[position:end].lstrip(" \t")
    return prefix + (f"{marker} " if marker else "") + text
