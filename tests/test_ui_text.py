"""Answer text: citation markers become source links, long answers are cut into segments, and
the Markdown renderer (``MarkdownText``) draws blocks, links and streamed text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import MonkeyPatch
from rich.style import Style as RichStyle
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.style import Style

from pplx_tui.citations import cited_numbers, marker_numbers
from pplx_tui.models import Message
from pplx_tui.ui.citations import parser, plain_parser, source_number
from pplx_tui.ui.segments import Segmenter, split_segments
from pplx_tui.ui.themes import app_variable_defaults
from pplx_tui.ui.widgets import answer_writer
from pplx_tui.ui.widgets.markdown_table import column_widths
from pplx_tui.ui.widgets.markdown_text import SLACK_MIN, MarkdownDocument, MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.waits import until


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


def test_web_markers_become_links_labelled_with_their_number() -> None:
    assert links("Cheap [web:11][web:2]; `[web:3]` [web:0].") == [
        ("#source-11", "[11]"),
        ("#source-2", "[2]"),
        ("#source-0", "[0]"),
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
    assert source_number("#source-\u00b2") is None  # a digit to isdigit(), not to int()
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


def test_segments_are_not_cut_inside_a_fence_of_another_kind() -> None:
    """A ``~~~`` fence showing a ``` fence (or a longer fence a shorter one) is one block:
    cut inside, its end was drawn as text and its last line opened a fence."""
    for text in ("~~~\n```\n\nx\n~~~\n\nafter\n", "````\n```\n\nx\n````\n\nafter\n"):
        assert split_segments(text, limit=1) == [text[: text.index("after")], "after\n"]


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


# -- the Markdown renderer behind answers (MarkdownText) ----------------------------------


def plain_lines(markdown: str, width: int = 60, *, pieces: list[str] | None = None) -> list[str]:
    """The lines ``markdown`` is drawn as (fed in ``pieces`` when given, as a stream is)."""
    document = MarkdownDocument(parser())
    for piece in pieces if pieces is not None else [markdown]:
        document.append(piece)
    return [line.plain.rstrip() for line in document.lines(width)]


def test_blocks_are_laid_out_like_textual_markdown() -> None:
    markdown = (
        "Intro [1].\n\n## Why\n\n- **a** one\n  - nested\n- b\n\n3. three\n4. four\n\n"
        "> quoted\n\n```python\nx = 1\n```\n\n---\nend"
    )
    assert plain_lines(markdown, 30) == [
        "Intro [1].",
        "",
        "",
        "Why",
        "",
        "• a one",
        "  ▪ nested",
        "• b",
        "",
        " 3. three",
        " 4. four",
        "",
        "▌ quoted",
        "",
        "╭─ python ───────────────────╮",
        "│ x = 1                      │",
        "╰────────────────────────────╯",
        "",
        "─" * 30,
        "",
        "end",
        "",
    ]


def test_tables_are_boxed_and_fit_the_width() -> None:
    markdown = "| A | Long header |\n|---|--:|\n| x | 1 [2] |\n| yy | 22 |\n"
    assert plain_lines(markdown) == [
        "┌────┬─────────────┐",
        "│ A  │ Long header │",
        "├────┼─────────────┤",
        "│ x  │       1 [2] │",
        "│ yy │          22 │",
        "└────┴─────────────┘",
        "",
    ]
    narrow = plain_lines("| a | b |\n|---|---|\n| " + "word " * 12 + "| c |\n", 24)
    assert all(len(line) <= 24 for line in narrow)
    assert "".join(narrow).count("word") == 12  # wrapped, never cut
    assert column_widths([10, 40, 5], 30, [4, 8, 3]) == [10, 15, 5]
    assert column_widths([3, 4], 30, [3, 4]) == [3, 4]


def test_long_code_lines_fold_and_nothing_is_wider_than_the_width() -> None:
    lines = plain_lines("```\n" + "x" * 50 + "\n```\n\n" + "y " * 40, 20)
    assert all(len(line) <= 20 for line in lines)
    assert "".join(lines).count("x") == 50


def test_links_carry_their_target_and_questions_keep_markers_as_text() -> None:
    document = MarkdownDocument(parser(), "See [2] and https://example.org/a.")
    spans = document.lines(80)[0].spans
    targets = [span.style.meta.get("@click") for span in spans if isinstance(span.style, Style)]
    assert targets == ["link('#source-2')", "link('https://example.org/a')"]
    question = MarkdownDocument(plain_parser(), "Is [2] right? https://example.org")
    spans = question.lines(80)[0].spans
    targets = [span.style.meta.get("@click") for span in spans if isinstance(span.style, Style)]
    assert targets == ["link('https://example.org')"]


@settings(deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("word ", "[1] ", "\n", "\n\n", "## H\n\n", "- item\n", "1. one\n", "```py\n"),
                *("```\n", "| a | b |\n", "|---|---|\n", "> q\n", "**b** ", "`c` ", "  ", "---\n"),
            ]
        ),
        max_size=40,
    )
)
def test_streamed_text_is_drawn_as_the_whole_text(parts: list[str]) -> None:
    markdown = "".join(parts)
    assert plain_lines(markdown, pieces=parts) == plain_lines(markdown)
    # Final blocks let their tokens go once laid out; another width parses them again.
    document = MarkdownDocument(parser())
    for part in parts:
        document.append(part)
    for width in (60, 23, 60):
        lines = [line.plain.rstrip() for line in document.lines(width)]
        assert lines == plain_lines(markdown, width)


class AnswerApp(App[None]):
    """One answer in a scroll view, as in the conversation."""

    def __init__(self, message: Message | None = None) -> None:
        super().__init__()
        self.message = message
        self.clicked: list[int] = []
        self.opened: list[str] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield AnswerView(self.message, provider="demo", model="demo/sonar")

    def on_answer_view_citation_clicked(self, event: AnswerView.CitationClicked) -> None:
        self.clicked.append(event.number)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


async def test_a_click_on_a_marker_selects_its_source_and_web_links_open() -> None:
    message = Message(role="assistant", content="First [2] then https://example.org/x here.")
    app = AnswerApp(message)
    async with app.run_test(size=(80, 12)) as pilot:
        text = app.query_one(MarkdownText)
        line = text.document.lines(text.size.width)[0].plain
        await pilot.click(MarkdownText, offset=(line.index("[2]") + 1, 0))
        await pilot.click(MarkdownText, offset=(line.index("https") + 3, 0))
        await pilot.pause()
    assert app.clicked == [2]
    assert app.opened == ["https://example.org/x"]


async def test_a_streamed_answer_ends_drawn_as_the_saved_one(monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(answer_writer, "SHOW_INTERVAL", 0.05)
    text = "".join(f"Paragraph {n} cites [{n % 4 + 1}] and says more.\n\n" for n in range(400))
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        view.begin()
        for start in range(0, len(text), 37):
            await view.add_text(text[start : start + 37])
        # All of it drawn (a loaded machine draws a burst a budget at a time), then laid out.
        # Shown at most 20 times a second: each show lays out the text so far, and a show after
        # every slice (~370 of a growing 13 KB text) took 2 s alone, over 20 s in a full run at
        # load 5 and over a minute once in CI. This wait allows a minute.
        await until(pilot, lambda: "Paragraph 399" in shown_lines(view), timeout=60)
        live = view.query(MarkdownText).last()
        assert live.streaming
        lines = len(live.document.lines(live.size.width))
        assert live.size.height >= lines + SLACK_MIN  # room to grow into while streaming
        await view.finish(Message(role="assistant", content=text))
        await until(pilot, lambda: not view.is_drawing)
        await pilot.pause()
        assert not live.streaming and live.size.height == lines
        segments = view.query(MarkdownText)
        streamed = [line.plain for s in segments for line in s.document.lines(76)]
        assert len(view.query(".answer-view--segment")) > 1  # cut into segments
        assert view.cited == {1, 2, 3, 4}
    saved = AnswerApp(Message(role="assistant", content=text))
    async with saved.run_test(size=(80, 24)):
        segments = saved.query_one(AnswerView).query(MarkdownText)
        assert [line.plain for s in segments for line in s.document.lines(76)] == streamed


def shown_lines(view: AnswerView) -> str:
    """The last segment's text as far as it is shown and laid out (the text is taken in first,
    shown up to a show interval later, and laid out in the next frame)."""
    live = view.query(MarkdownText).last()
    lines = live.document.lines(live.size.width) if live.size.width else []
    return "\n".join(line.plain for line in lines) if live.size.height >= len(lines) else ""


def _drawn_styles(app: App[None], word: str) -> list[RichStyle]:
    """The styles ``word`` is drawn with on the screen (what the user sees), top to bottom."""
    frame = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [
        segment.style or RichStyle()
        for row in frame.strips
        for strip in row
        for segment in strip
        if word in segment.text
    ]


async def test_a_theme_change_redraws_styled_text_as_a_fresh_one_draws_it() -> None:
    """Text styles (inline code here: ``:dark`` and ``:light`` rules) are styled when first
    drawn; a theme change styles them again and redraws the text in the new theme, the same as
    text first drawn in that theme."""
    message = Message(role="assistant", content="Run `make` now.")
    app = AnswerApp(message)
    async with app.run_test(size=(80, 16)) as pilot:
        await until(pilot, lambda: len(_drawn_styles(app, "make")) == 1)
        (dark,) = _drawn_styles(app, "make")
        app.theme = "textual-light"
        await until(pilot, lambda: _drawn_styles(app, "make") != [dark])
        fresh = AnswerView(message, provider="demo", model="demo/sonar")
        await app.query_one(VerticalScroll).mount(fresh)
        await until(pilot, lambda: len(_drawn_styles(app, "make")) == 2)
        redrawn, first_drawn_light = _drawn_styles(app, "make")
        assert redrawn == first_drawn_light != dark
        assert redrawn.bgcolor != dark.bgcolor
