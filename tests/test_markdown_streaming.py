"""Streamed Markdown is drawn exactly as the same text given at once.

A streaming answer's text is parsed again only from its last block, its final blocks are laid
out once as they become final, and its last block only when drawn. Whatever the cuts between
the pieces (inside a word, a code fence, a table row, a list item), and however the appends,
lay-outs and draws interleave, the lines — text and styles — must be those of the whole text.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from pplx_tui.ui.citations import parser
from pplx_tui.ui.segments import Segmenter
from pplx_tui.ui.widgets import answer_writer
from pplx_tui.ui.widgets.markdown_blocks import EMPTY, build_tree, margins, render, stack_blocks
from pplx_tui.ui.widgets.markdown_text import MarkdownDocument

FRAGMENTS = [
    *("Some words [1] ", "more **bold** words ", "`code` and a [link](https://x.org) ", "\n"),
    *("\n\n", "## A heading\n\n", "# Title\n", "- item one\n", "- item two\n  continued\n"),
    *("1. first\n", "2. second\n", "   - nested\n", "- [ ] task\n", "> quoted line\n"),
    *("```python\n", "def f(x):\n    return x * 2\n", "```\n", "~~~\n", "    indented code\n"),
    *("| a | b |\n", "|---|---|\n", "| 1 | two words |\n", "---\n", "$$x^2$$\n", "[^1]: note\n"),
    *("Setext title\n===\n", "* star item\n", "+ plus item\n", "10) tenth\n", "<br>\n", "  "),
]
"""Pieces of answers; the text is cut anew, anywhere, before it is streamed."""


def drawn(lines: list[Content]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Lines as text and styled spans: what a draw of them shows."""
    return [
        (line.plain, [(span.start, span.end, str(span.style)) for span in line.spans])
        for line in lines
    ]


def whole(markdown: str, width: int, *, first: bool = True) -> list[tuple[str, list]]:
    """``markdown`` parsed at once and its blocks stacked, without the document's caches."""
    parts = [
        (margins(node), render(node, width, 0)) for node in build_tree(parser().parse(markdown))
    ]
    if not parts:
        return []
    top = parts[0][0][0] if first else max(parts[0][0][0] - 1, 0)
    return drawn([*[EMPTY] * top, *stack_blocks(parts), *[EMPTY] * parts[-1][0][1]])


def cut(text: str, points: list[int]) -> list[str]:
    """``text`` cut at ``points`` (anywhere, in any order, repeats allowed)."""
    bounds = sorted({0, len(text), *(min(p, len(text)) for p in points)})
    return [text[a:b] for a, b in pairwise(bounds)]


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30),
    st.lists(st.integers(min_value=0, max_value=1_200), max_size=25),
    st.lists(st.sampled_from(["prepare", "lines", "nothing"]), min_size=1, max_size=8),
    st.sampled_from([1, 23, 60]),
)
def test_text_streamed_in_any_slices_is_drawn_as_the_whole_text(
    fragments: list[str], points: list[int], steps: list[str], width: int
) -> None:
    markdown = "".join(fragments)
    document = MarkdownDocument(parser())
    for number, piece in enumerate(cut(markdown, points)):
        document.append(piece)
        step = steps[number % len(steps)]
        if step == "prepare":  # as a slice takes text in: final blocks laid out
            document.prepare(width)
        elif step == "lines":  # as a show draws it
            document.lines(width)
    assert document.source == markdown
    assert drawn(document.lines(width)) == whole(markdown, width)
    for other in (width + 17, width):  # a resize lays the final blocks out again
        assert drawn(document.lines(other)) == whole(markdown, other)


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60),
    st.lists(st.integers(min_value=0, max_value=2_500), max_size=12),
)
def test_segments_streamed_in_any_slices_are_drawn_as_the_whole_segments(
    fragments: list[str], points: list[int]
) -> None:
    """As :class:`AnswerWriter` takes text in: cut into segments, a chunk at a time (bigger
    while the last block is long), the live segment drawn between slices."""
    markdown = "".join(fragments)
    segmenter, whole_segmenter = Segmenter(limit=300), Segmenter(limit=300)
    documents = [MarkdownDocument(parser())]
    for piece in cut(markdown, points):
        position = 0
        while position < len(piece):
            size = min(max(answer_writer.CHUNK, documents[-1].tail_size), answer_writer.CHUNK_MAX)
            first, *more = segmenter.split(piece[position : position + size])
            position += size
            documents[-1].append(first)
            documents[-1].prepare(40)
            for text in more:
                documents.append(MarkdownDocument(parser(), text, first=False))
                documents[-1].prepare(40)
        documents[-1].lines(40)
    expected = whole_segmenter.split(markdown)
    assert [document.source for document in documents] == expected
    for number, (document, text) in enumerate(zip(documents, expected, strict=True)):
        assert drawn(document.lines(40)) == whole(text, 40, first=number == 0)


def test_a_long_last_block_is_taken_in_by_its_size() -> None:
    """A long list is one block, parsed again with each chunk: chunks grow with it."""
    document = MarkdownDocument(parser())
    items = "".join(f"- item {n} with a few words of text [1]\n" for n in range(200))
    document.append(items)
    assert document.tail_size == len(items)
    size = min(max(answer_writer.CHUNK, document.tail_size), answer_writer.CHUNK_MAX)
    assert size == answer_writer.CHUNK_MAX


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("1. one\n\n\n2", ". two\n"),  # "2" alone is a paragraph; "2. two" goes on with the list
        ("Some text\n```", "x`y\n"),  # a backtick in the info string: no fence after all
    ],
)
def test_an_unfinished_last_line_does_not_close_the_block_above(before: str, after: str) -> None:
    document = MarkdownDocument(parser())
    document.append(before)
    document.prepare(40)
    document.append(after)
    assert drawn(document.lines(40)) == whole(before + after, 40)
