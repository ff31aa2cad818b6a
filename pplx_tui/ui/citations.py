"""Citation markers in answers: a Markdown parser that turns ``[n]`` into links, and helpers.

Answers cite their sources with ``[n]`` or ``[web:n]`` markers (:mod:`pplx_tui.citations`
defines them). The parser below (a markdown-it core rule) rewrites each marker outside code
into a link to ``#source-n`` labelled ``[n]`` (so ``[web:12]`` reads like the ``[12]`` of the
sources panel), so a marker renders in the link colour (the theme's ``citation-marker``) and a
click on it selects the source instead of opening anything. Bare ``http(s)://`` URLs become
links too (markdown-it's own linkify keeps state between calls, so it is not used: one parser
instance is shared by every answer). An escaped bracket is text: ``\\[5\\]`` reads "[5]", no
marker (the rule runs before markdown-it joins an escape's text to the text around it), as
:func:`pplx_tui.citations.cited_numbers` reads it. Questions are parsed by
:func:`plain_parser`: links only, and each line break kept; a reasoning by
:func:`reasoning_parser`: links only (its ``[n]`` is text, as ``pplx ask --reasoning`` prints
it: the reasoning cites nothing, its answer does).

Both parsers also read LaTeX math (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``: markdown-it
would otherwise eat the backslashes as escapes) and footnotes: ``[^1]`` becomes a
``footnote_ref`` token and a ``[^1]: text`` line a ``footnote`` block (each block is parsed on
its own while an answer streams, so a reference cannot wait for its definition).

A marker of four digits or more is one only where the answer has that source
(:func:`pplx_tui.citations.is_marker`): an answer's text is parsed by its own
:class:`AnswerParser`, which hands the shared parser the answer's source numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from typing import TYPE_CHECKING, Protocol

from pplx_tui.citations import MARKER_PATTERN, is_marker
from pplx_tui.markdown_depth import limit_nesting
from pplx_tui.markdown_marks import FOOTNOTE_PATTERN, FOOTNOTE_REF_PATTERN
from pplx_tui.math_text import DISPLAY_BRACKETS
from pplx_tui.sanitize import clean_url, is_web_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

__all__ = [
    "SOURCE_HREF",
    "AnswerParser",
    "Parser",
    "parser",
    "plain_parser",
    "reasoning_parser",
    "source_number",
]

SOURCE_HREF = "#source-"
"""Prefix of the links that citation markers become."""

_MARKER_OR_FOOTNOTE = re.compile(MARKER_PATTERN + "|" + FOOTNOTE_REF_PATTERN)
_URL = re.compile(r"https?://[^\s<>\"'`\[\]]+[^\s<>\"'`\[\].,;:!?)]")
_FOOTNOTE = re.compile(FOOTNOTE_PATTERN)
_DISPLAY_MATH = re.compile(DISPLAY_BRACKETS, re.MULTILINE)
_parsers: dict[tuple[bool, bool], MarkdownIt] = {}
_SOURCES = "pplx_sources"
"""The key of the answer's source numbers in a parse's ``env``."""


class Parser(Protocol):
    """What draws Markdown needs of a parser: :class:`MarkdownIt`, or an :class:`AnswerParser`."""

    def parse(self, src: str) -> list[Token]: ...


class AnswerParser:
    """:func:`parser` for one answer: ``known`` is its source numbers, kept up to date by the
    answer as its sources come (a marker of four digits or more names one of them)."""

    def __init__(self, known: Container[int]) -> None:
        self.known = known

    def parse(self, src: str) -> list[Token]:
        return parser().parse(src, {_SOURCES: self.known})


def parser() -> MarkdownIt:
    """The shared Markdown parser for answers: ``[n]`` markers and bare URLs become links."""
    return _parser(markers=True, typed_lines=False)


def plain_parser() -> MarkdownIt:
    """The shared Markdown parser for questions: bare URLs become links, ``[n]`` stays text,
    each line break is kept."""
    return _parser(markers=False, typed_lines=True)


def reasoning_parser() -> MarkdownIt:
    """The shared Markdown parser for reasonings: bare URLs become links, ``[n]`` stays text."""
    return _parser(markers=False, typed_lines=False)


def _parser(*, markers: bool, typed_lines: bool) -> MarkdownIt:
    if (markers, typed_lines) not in _parsers:
        # Imported here: an empty chat's first frame parses no Markdown (~0.1 s saved).
        from markdown_it import MarkdownIt
        from markdown_it.common.normalize_url import normalizeLink
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.texmath import texmath_plugin

        md = limit_nesting(MarkdownIt("gfm-like"))
        # Only web links are links: any other (mailto:, a relative path, javascript:) stays
        # text, its target shown, as `pplx ask` and the exports show it; a target is read
        # as clean_url reads it (no invisible characters, an ASCII host).
        md.validateLink = is_web_url  # type: ignore[method-assign]
        md.normalizeLink = lambda url: normalizeLink(clean_url(url))  # type: ignore[method-assign]
        # An autolink's text too: markdown-it's own shows invisible characters and turns an
        # xn-- host into its letters (xn--pple-43d.com: a Cyrillic look-alike of apple.com).
        md.normalizeLinkText = clean_url  # type: ignore[method-assign]
        md.options["linkify"] = False
        md.disable("linkify", ignoreInvalid=True)
        texmath_plugin(md, delimiters="brackets")
        _display_math_on_whole_lines(md)  # (before dollarmath's rules of the same names)
        # Prices ("$5 and $10") are not math: no space inside, no digit after the closing $.
        dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
        md.block.ruler.before(
            "reference", "footnote", _footnote_rule, {"alt": ["paragraph", "reference"]}
        )
        # Before text_join: an escape's bracket is a token of its own there (``text_special``).
        md.core.ruler.before(
            "text_join", "citations", lambda state: _citations_rule(state, markers)
        )
        md.core.ruler.push("links", _links_rule)
        if typed_lines:
            md.core.ruler.push("line_breaks", _line_breaks_rule)
        _parsers[markers, typed_lines] = md
    return _parsers[markers, typed_lines]


def _display_math_on_whole_lines(md: MarkdownIt) -> None:
    """texmath's ``\\[…\\]`` block rules, taken only where the math ends its line (see
    :data:`~pplx_tui.math_text.DISPLAY_BRACKETS`): they read ``\\[5\\] starts it`` as the math
    "5" and dropped the rest of the line. So checked, they may also end a paragraph: the math
    on the lines after "found from" was read as the paragraph's text."""
    from mdit_py_plugins.texmath.index import make_block_func, rules

    def on_whole_lines(
        rule: Callable[[StateBlock, int, int, bool], bool],
    ) -> Callable[[StateBlock, int, int, bool], bool]:
        def rule_here(state: StateBlock, start: int, end: int, silent: bool) -> bool:
            begin = state.bMarks[start] + state.tShift[start]
            return bool(_DISPLAY_MATH.match(state.src, begin)) and rule(state, start, end, silent)

        return rule_here

    for block in rules["brackets"]["block"]:
        # As a line of a paragraph too ("found from" then "\\[" on the next line).
        md.block.ruler.at(
            block["name"], on_whole_lines(make_block_func(block)), {"alt": ["paragraph"]}
        )


def source_number(href: str) -> int | None:
    """The source number a clicked marker link points at, or ``None`` for any other link."""
    number = href[len(SOURCE_HREF) :]
    if href.startswith(SOURCE_HREF) and number.isascii() and number.isdigit():  # not "²"
        return int(number)
    return None


def _line_breaks_rule(state: StateCore) -> None:
    """A question keeps the lines it was typed on: each soft break (a single newline, which
    Markdown joins into a space) becomes a hard one."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "softbreak":
                child.type = "hardbreak"


def _citations_rule(state: StateCore, markers: bool) -> None:
    """``[n]`` markers (where ``markers``) and footnote references become tokens. Run before
    ``text_join``: an escape's bracket is a token of its own there (``text_special``), so
    ``\\[5\\]`` is no marker."""
    known = state.env.get(_SOURCES, ())

    def found(text: str) -> Iterator[re.Match[str]]:
        for match in _MARKER_OR_FOOTNOTE.finditer(text):
            if match.group(2) or (markers and is_marker(match.group(1), known)):
                yield match

    _rewrite_inline(state, "[", found)


def _links_rule(state: StateCore) -> None:
    """Bare URLs become links. Run after ``text_join``: an escape or an entity in a URL
    (``\\_``, ``&amp;``) is part of it there."""
    _rewrite_inline(state, "://", _URL.finditer)


def _rewrite_inline(
    state: StateCore, needle: str, found: Callable[[str], Iterator[re.Match[str]]]
) -> None:
    """Each text outside links of the inline blocks holding ``needle``, with what ``found``
    finds in it made tokens (:func:`_tokens`)."""
    for block in state.tokens:
        if block.type == "inline" and block.children and needle in block.content:
            block.children = list(_rewrite(block.children, found))


def _rewrite(
    children: list[Token], found: Callable[[str], Iterator[re.Match[str]]]
) -> Iterator[Token]:
    depth = 0
    for token in children:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        if token.type != "text" or depth > 0:
            yield token
            continue
        text = token.content
        position = 0
        for match in found(text):
            if match.start() > position:
                yield _text(text[position : match.start()])
            position = match.end()
            yield from _tokens(match)
        if position == 0:
            yield token
        elif position < len(text):
            yield _text(text[position:])


def _tokens(match: re.Match[str]) -> Iterator[Token]:
    """The tokens of a marker or footnote reference (:data:`_MARKER_OR_FOOTNOTE`), or of a
    bare URL (:data:`_URL`)."""
    from markdown_it.token import Token

    if match.re is _MARKER_OR_FOOTNOTE and match.group(2):
        yield Token("footnote_ref", "", 0, meta={"label": match.group(2)})
        return
    if match.re is _MARKER_OR_FOOTNOTE:
        number = int(match.group(1))
        href, label, markup = f"{SOURCE_HREF}{number}", f"[{number}]", "citation"
    else:
        href = label = match.group()
        markup = "linkify"
    link = Token("link_open", "a", 1, attrs={"href": href})
    link.markup = markup
    yield link
    yield _text(label)
    yield Token("link_close", "a", -1)


def _footnote_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``[^label]: text`` (and indented lines after it): a ``footnote`` block."""
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    match = _FOOTNOTE.match(state.src, begin)
    if match is None or match.end() > state.eMarks[start]:
        return False
    if silent:
        return True
    line = start + 1
    while line < end and not state.isEmpty(line) and state.sCount[line] - state.blkIndent >= 2:
        line += 1
    text = state.src[match.end() : state.eMarks[line - 1]]
    opening = state.push("footnote_open", "div", 1)
    opening.meta = {"label": match.group(1)}
    opening.map = [start, line]
    inline = state.push("inline", "", 0)
    inline.content = " ".join(part.strip() for part in text.splitlines())
    inline.map = [start, line]
    inline.children = []
    state.push("footnote_close", "div", -1)
    state.line = line
    return True


def _text(content: str) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0)
    token.content = content
    return token
