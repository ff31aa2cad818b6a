"""Answer text helpers: citation markers become source links, long answers cut into segments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pplx_tui.ui.citations import cited_numbers, marker_numbers, parser, source_number
from pplx_tui.ui.segments import Segmenter, split_segments


def links(markdown: str) -> list[tuple[str, str]]:
    """(href, text) of every link in ``markdown`` as the answer parser sees it."""
    found: list[tuple[str, str]] = []
    for block in parser().parse(markdown):
        children = block.children or []
        for number, token in enumerate(children):
            if token.type == "link_open":
                found.append((str(token.attrs["href"]), children[number + 1].content))
    return found


def test_markers_become_links_to_sources() -> None:
    assert links("Old [1][3]. Also [12].") == [
        ("#source-1", "[1]"),
        ("#source-3", "[3]"),
        ("#source-12", "[12]"),
    ]


def test_markers_in_code_and_link_text_are_left_alone() -> None:
    markdown = "Use `a[1]` and\n\n```\nx[2]\n```\n\n[see [4]](https://example.org) [5]"
    assert links(markdown) == [("https://example.org", "see [4]"), ("#source-5", "[5]")]
    assert marker_numbers(markdown) == [4, 5]


def test_bare_web_urls_become_links_without_trailing_punctuation() -> None:
    assert links("See https://example.org/a?b=1. Or http://x.io") == [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://x.io", "http://x.io"),
    ]
    assert links("javascript:alert(1) file:///etc/passwd") == []


def test_marker_helpers() -> None:
    assert marker_numbers("a [2] b [1][2] `[9]`") == [2, 1, 2]
    assert cited_numbers("a [2] b [1][2]") == {1, 2}
    assert source_number("#source-7") == 7
    assert source_number("#source-x") is None
    assert source_number("https://example.org/#source-1") is None


def test_segments_cut_at_blank_lines_outside_code() -> None:
    text = "para one\n\n```\ncode\n\nmore code\n```\n\npara two\n\n- item\n\n  indented\n"
    pieces = split_segments(text, limit=1)
    assert "".join(pieces) == text
    assert pieces == [
        "para one\n\n",
        "```\ncode\n\nmore code\n```\n\n",
        "para two\n\n",
        "- item\n\n  indented\n",
    ]


def test_segments_wait_for_the_limit() -> None:
    text = "a\n\nb\n\nc\n\n"
    assert split_segments(text, limit=100) == [text]
    assert split_segments(text, limit=4) == ["a\n\nb\n\n", "c\n\n"]


@given(
    st.lists(
        st.sampled_from(["word ", "\n", "\n\n", "```", "- ", "  ", "[1]", "|a|"]), max_size=80
    ),
    st.integers(min_value=1, max_value=40),
)
def test_streamed_segments_match_whole_text_segments(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    streamed: list[str] = [""]
    segmenter = Segmenter(limit)
    for part in parts:
        first, *more = segmenter.split(part)
        streamed[-1] += first
        streamed.extend(more)
    assert "".join(streamed) == text
    assert streamed == split_segments(text, limit)
    for piece in streamed[1:]:
        assert piece[:1] not in (" ", "\t", "\n")
