"""Markdown shown as the text it reads as, where no renderer draws it: search-hit snippets
(the app's chat list and ``pplx chats search``), sources' snippets.

:func:`plain_snippet` parses (for a search hit's few words); :func:`without_heading_marks`
only drops heading hashes, cheap enough for every source of a 10,000-source answer.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["cut_at_word", "plain_snippet", "without_heading_marks"]

_LEFTOVER = re.compile(
    # Half of **bold** (or ***bold italic***, against its word): a run of markers wrapping
    # no text, as ``5 *** stars`` or a masked key ``key=***``, is text and stays.
    r"(?:(?<=[^\s*_])(?:\*\*|__)|(?<=[^\W_])\*\*\*)(?![^\s.,;:!?)\]…])"  # closing half …
    r"|(?<![^\s(\[…])(?:(?:\*\*|__)(?=[^\s*_])|\*\*\*(?=[^\W_]))"  # … or opening half
    r"|`+"  # a backtick of `code`
    r"|(?<!\S)#{1,6}(?=\s)"  # a heading's hashes (its line joined to the text)
    r"|\]\([^)\s]*\)?"  # the end of a link whose start was cut off: ](url)
    r"|\[(?=[^\]]*$)"  # the start of one whose end was cut off: [text
)
_CUT_OPENING = re.compile(r"(?<![^\s(\[…·])\*(?=[^\s*])(?=[^*]*…$)")
"""The ``*`` opening emphasis whose end the snippet's cut left out: the last star, at a
word's start, in a snippet cut at its end (elsewhere a lone star is text: ``*args``)."""
_CUT_CLOSING = re.compile(r"^(…[^*]*[^\s*])\*(?![^\s.,;:!?)\]…])")
"""The ``*`` closing emphasis whose start the cut left out: the first star, after a word, in
a snippet cut at its start."""
_MARKUP = re.compile(r"[\\`*_~<>&$!\n\r\0]|\]\(")
"""What can make Markdown's inline parser give more or less than the text itself: escapes,
code, emphasis, strike-through, HTML and autolinks, entities, math, images, line breaks, and a
link (``[1]`` alone, as answers cite, stays text: there are no reference definitions)."""
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)", re.MULTILINE)


def plain_snippet(markdown: str) -> str:
    """A search hit's snippet as the text it reads as: ``**two moons**`` shows ``two moons``,
    a link its text, code and math their content, raw HTML (``<int>``) itself."""
    if _MARKUP.search(markdown) is None:
        text = markdown  # what the parser gives: no markup (a search need not import it)
    else:
        tokens = _parser().parseInline(markdown)
        children = (tokens[0].children or []) if tokens else []
        # An answer's raw HTML is text to the app and the exports (markdown_html): so here.
        kept = ("text", "code_inline", "math_inline", "math_inline_double", "html_inline")
        text = "".join(
            token.content if token.type in kept else " " if token.type.endswith("break") else ""
            for token in children
        )
    # A snippet is cut at spaces (and its lines joined), so its Markdown is often unpaired.
    # Twice: a half link ``[text](ur`` loses its ``](ur`` first, then its ``[``.
    text = " ".join(_LEFTOVER.sub("", _LEFTOVER.sub("", text)).split())
    if "*" in text:
        text = _CUT_CLOSING.sub(r"\1", _CUT_OPENING.sub("", text))
    return text


def without_heading_marks(text: str) -> str:
    """``text`` without Markdown heading marks at its lines' starts (``# Phobos`` → ``Phobos``):
    a fetched page's snippet is often its Markdown."""
    return _HEADING.sub("", text) if "#" in text else text


@cache
def _parser() -> MarkdownIt:
    # Imported here: markdown_it is not needed for the app's first frame or most commands.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    md = MarkdownIt("gfm-like")
    md.options["linkify"] = False
    md.disable("linkify", ignoreInvalid=True)
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    texmath_plugin(md, delimiters="brackets")
    return md


def cut_at_word(line: str, length: int) -> str:
    """``line`` if it fits in ``length`` characters, else cut at a word near there, with "…"."""
    if len(line) <= length:
        return line
    cut = line.rfind(" ", 0, length)
    return line[: cut if cut > length // 2 else length].rstrip(" ,;:.-") + "…"
