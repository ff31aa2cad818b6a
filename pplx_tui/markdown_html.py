"""An answer's own HTML made inert in the Markdown export: shown as written, never rendered.

A model writing ``std::vector<int>`` outside backticks, ``<details>`` or ``<!--`` made GitHub,
pandoc and markdown-it take it for HTML: ``<int>`` vanished, and an unclosed ``<details>`` or
comment hid the rest of the document. The answer's Markdown (lists, tables, code, links,
citation markers) is kept as is: only the ``<`` of each piece of HTML that markdown-it finds
(``html_inline``, ``html_block``) is escaped, ``\\<``, with the others on its first line (one in a
comment or an attribute is a tag once the first is escaped); code is left as written.

The lines of an HTML block that begin with a tag are escaped at once; what is left of the block
is then paragraph text, whose inline HTML a second parse finds. The cost is kept to the answers
that may hold HTML (an export of thousands of answers): text with no ``<`` before a letter,
``/``, ``!`` or ``?`` outside its code holds none and is not parsed at all; else its blocks are
parsed, and the inline text only of the blocks that have such a ``<``. Core module: no Textual.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from pplx_tui.markdown_depth import limit_nesting

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["inert_html"]

_MAYBE_HTML = re.compile(r"<[A-Za-z/!?]")
"""What every HTML tag, comment, declaration or processing instruction begins with."""
_FENCE = re.compile(
    r"^ {0,3}(?:(`{3,})[^`\n]*\n[\s\S]*?^ {0,3}\1`*|(~{3,})[^\n]*\n[\s\S]*?^ {0,3}\2~*)[ \t]*$",
    re.MULTILINE,
)
"""A fenced code block at a line's start, closed (an unclosed one is left: the parser decides)."""
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)[^\n]+?(?<!`)\1(?!`)")
"""A code span within a line (one over several lines is left: the next may begin a block)."""
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|^ {0,3}\[[^\]\n]+\]:.*$", re.MULTILINE)
"""A link's target and title, or a link reference definition: a backtick there may end a code
span or open none."""
_LINE_START_TAG = re.compile(r"[ \t>]*<")
"""A line of an HTML block that begins with a tag (after indentation or quote markers)."""
_PASSES = 4
"""Parses that place the HTML before the last resort, every ``<`` escaped (an answer with HTML
takes two or three)."""


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # What GitHub reads besides CommonMark (its tables hold inline HTML in their cells).
    # Inline text is parsed only where it may hold HTML (see _tokens).
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")
    return limit_nesting(md)  # (HTML past markdown-it's depth was not found)


def inert_html(markdown: str) -> str:
    """``markdown`` with the ``<`` of each HTML tag or comment outside code escaped."""
    if not _MAYBE_HTML.search(markdown) or not _MAYBE_HTML.search(_outside_code(markdown)):
        return markdown
    for passes in range(_PASSES + 1):
        tokens = _tokens(markdown)
        if not any(_is_html(token) for token in tokens):
            return markdown
        opens = _html_opens(markdown, tokens)
        if not opens or passes == _PASSES:
            break
        markdown = _escaped_at(markdown, opens)
    return _escape_every_lt(markdown)


def _outside_code(markdown: str) -> str:
    """``markdown`` without what is surely code: closed fences, and code spans within a line
    unless a link's target holds a backtick."""
    text = _FENCE.sub("", markdown)
    if any("`" in target[0] for target in _LINK_TARGET.finditer(text)):
        return text  # (which code span it ends depends on what opened first: parse)
    return _CODE_SPAN.sub("", text)


def _tokens(markdown: str) -> list[Token]:
    """The block tokens, with the inline text of those that may hold HTML parsed."""
    parser = _parser()
    env: dict[str, object] = {}
    tokens = parser.parse(markdown, env)
    for token in tokens:
        if token.type == "inline" and _MAYBE_HTML.search(token.content):
            token.children = []
            parser.inline.parse(token.content, parser, env, token.children)
    return tokens


def _is_html(token: Token) -> bool:
    if token.type == "inline":
        return any(child.type == "html_inline" for child in token.children or ())
    return token.type == "html_block"


def _html_opens(markdown: str, tokens: list[Token]) -> set[int]:
    """Where each HTML piece's ``<`` is, as offsets in ``markdown``."""
    starts = _line_starts(markdown)
    opens: set[int] = set()
    cursors: dict[int, int] = {}  # a table row's cells share their line: searched in turn
    for token in tokens:
        if token.map is None:
            continue
        first, end = token.map
        if token.type == "html_block":
            for line in range(first, end):
                if found := _LINE_START_TAG.match(markdown, starts[line]):
                    opens.add(found.end() - 1)
        elif _is_html(token):
            cursor = cursors.get(first, starts[first])
            cursors[first] = _inline_opens(markdown, token, cursor, starts[end], opens)
    return opens


def _inline_opens(markdown: str, token: Token, cursor: int, end: int, opens: set[int]) -> int:
    """Add the ``<`` of each ``html_inline`` of ``token`` (its text within
    ``markdown[cursor:end]``) to ``opens``, passing over its code spans; where it stopped."""
    for child in token.children or ():
        if child.type == "code_inline":
            cursor = _past_code(markdown, child.markup, cursor, end)
        elif child.type == "html_inline":
            head = child.content.split("\n", 1)[0]
            at = _unescaped(markdown, head, cursor, end)
            if at < 0:  # not found where it was read: safe all the same, later
                return cursor
            cursor = at + len(head)
            # (each "<" of it: one in a comment or an attribute is a tag once the first is not)
            inner = (at + found.start() for found in re.finditer("<", markdown[at:cursor]))
            opens.update(place for place in inner if not _backslashed(markdown, place))
    return cursor


def _past_code(markdown: str, ticks: str, cursor: int, end: int) -> int:
    """Just after the code span opened by the run ``ticks`` at or after ``cursor``."""
    run = re.compile(rf"(?<!`){re.escape(ticks)}(?!`)")
    while (opening := run.search(markdown, cursor, end)) and _backslashed(
        markdown, opening.start()
    ):
        cursor = opening.end()
    if opening is None:
        return cursor
    closing = run.search(markdown, opening.end(), end)
    return closing.end() if closing else opening.end()


def _unescaped(markdown: str, text: str, start: int, end: int) -> int:
    """Where ``text`` is next in ``markdown[start:end]``, not after a backslash; -1: nowhere."""
    at = markdown.find(text, start, end)
    while at >= 0 and _backslashed(markdown, at):
        at = markdown.find(text, at + 1, end)
    return at


def _backslashed(markdown: str, at: int) -> bool:
    """Whether the character at ``at`` is escaped (after an odd number of backslashes)."""
    count = 0
    while at - count > 0 and markdown[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _line_starts(markdown: str) -> list[int]:
    """Each line's offset, then the text's end twice (where the lines after the last start)."""
    starts = [0, *(found.end() for found in re.finditer("\n", markdown))]
    return [*starts, len(markdown), len(markdown)]


def _escaped_at(markdown: str, opens: set[int]) -> str:
    parts: list[str] = []
    position = 0
    for at in sorted(opens):
        parts += [markdown[position:at], "\\"]
        position = at
    parts.append(markdown[position:])
    return "".join(parts)


def _escape_every_lt(markdown: str) -> str:
    """Every ``<`` not escaped yet, escaped (in code too, shown with its backslash): the last
    resort for HTML that several parses could not place."""
    found = (place.start() for place in re.finditer("<", markdown))
    return _escaped_at(markdown, {at for at in found if not _backslashed(markdown, at)})
