"""An answer's own HTML is shown as written in the Markdown export, its Markdown kept as is.

QA: a model writing ``std::vector<int>`` outside backticks, ``<details>`` or ``<!--`` in an
answer made GitHub, pandoc and markdown-it hide ``<int>``, or everything after it in a fold or
a comment. Checked by parsing the export as viewers do (markdown-it, GFM-like)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pplx_tui import markdown_html
from pplx_tui.export import export_chat
from pplx_tui.models import Source
from tests.test_export_plain_text import chat_of, reply, tokens

HTML_ANSWER = (
    "Use std::vector<int> here [1].\n"
    "\n"
    "<details>\n"
    "<summary>Folded</summary>\n"
    "\n"
    "hidden <b>text</b>\n"
    "\n"
    "</details>\n"
    "\n"
    "After <!-- a comment --> this, `<kept>` and <span\n"
    "class=x>a tag over two lines</span>.\n"
    "\n"
    "| a | <b>b</b> |\n"
    "|---|---|\n"
    "| `<c>` | <i>d</i> <i>e</i> |\n"
    "\n"
    "- item <em>x</em>\n"
    "  <div>\n"
    "  inside</div>\n"
    "\n"
    "> quoted <em>q</em>\n"
    "> <div>block</div>\n"
    "\n"
    "```cpp\n"
    "std::vector<int> v; // <details>\n"
    "```\n"
    "\n"
    "    <indented code/>\n"
    "\n"
    "An escaped \\<b> stays.\n"
    "\n"
    "<!-- this one never ends\n"
    "\n"
    "nor hides this"
)

RICH_ANSWER = (
    "## Moons\n"
    "\n"
    "Mars has **two** moons [1][2], and *x < y* while a<b; see "
    "<https://science.nasa.gov/mars/> and [ESA](https://esa.int/deimos).\n"
    "\n"
    "1. Phobos — `std::vector<int>` [1]\n"
    "2. Deimos\n"
    "   - small & dark\n"
    "\n"
    "| Moon | Size |\n"
    "|------|-----:|\n"
    "| Phobos | 22 km |\n"
    "\n"
    "> A quote [2].\n"
    "\n"
    "```html\n"
    "<details><summary>code</summary></details>\n"
    "```\n"
    "\n"
    "    <!-- indented code -->\n"
    "\n"
    "Done \\<b>, 3 > 2."
)

SOURCES = [Source(index=n, url=f"https://example.com/{n}", title=f"Page {n}") for n in (1, 2)]


def export(content: str) -> str:
    return export_chat(chat_of("Q?", reply(content, sources=SOURCES)), "md").decode()


def test_no_html_of_an_answer_reaches_a_viewer_and_its_text_shows() -> None:
    markdown = export(HTML_ANSWER)

    found = tokens(markdown)
    assert not [t for t in found if t.type in ("html_inline", "html_block")], markdown
    text = "".join(t.content for t in found if t.type == "text")
    for shown in (
        "std::vector<int> here",
        "<details>",
        "<summary>Folded</summary>",
        "hidden <b>text</b>",
        "<!-- a comment -->",
        "<b>b</b>",
        "<i>d</i> <i>e</i>",
        "<em>x</em>",
        "<div>block</div>",
        "<!-- this one never ends",
        "An escaped <b> stays.",
        "nor hides this",
    ):
        assert shown in text, shown
    code = [t.content for t in found if t.type in ("code_inline", "fence", "code_block")]
    assert code[1:] == [  # (the first: the chat's id)
        "<kept>",
        "<c>",
        "std::vector<int> v; // <details>\n",
        "<indented code/>\n",
    ], code
    assert markdown.index("**Sources**") > markdown.index("nor hides this")


def test_the_markdown_of_the_html_answer_is_kept() -> None:
    """The table, the list and the quote are still a table, a list and a quote."""
    found = tokens(export(HTML_ANSWER))

    kinds = {t.type for t in found}
    assert {"table_open", "bullet_list_open", "blockquote_open", "fence"} <= kinds
    rows, row = [], []
    for token in found:
        if token.type in ("th_open", "td_open"):
            row.append("")
        elif token.type == "tr_close":
            rows, row = [*rows, row], []
        elif row and token.type == "text":
            row[-1] += token.content
        elif row and token.type == "code_inline":
            row[-1] += f"`{token.content}`"
    assert rows == [["a", "<b>b</b>"], ["`<c>`", "<i>d</i> <i>e</i>"]]


def test_a_rich_answer_without_html_exports_unchanged() -> None:
    markdown = export(RICH_ANSWER)

    assert "\n" + RICH_ANSWER + "\n" in markdown
    assert not [t for t in tokens(markdown) if t.type in ("html_inline", "html_block")]


@pytest.mark.parametrize(
    "answer",
    [
        "See [a](https://x.org/a`b) <b>bold</b> and `c`.",
        "See [a][r] <b>bold</b> and `c`.\n\n[r]: https://x.org/a`b",
        "```\ncode\n```\n<details>\n\n```\nmore\n```",
        "`not closed <b>x</b>\n\nhere` <b>y</b>",
    ],
    ids=["link-target", "reference", "fences-around", "span-over-a-blank-line"],
)
def test_html_beside_what_looks_like_code_is_found(answer: str) -> None:
    """Answers whose ``<`` is all in code are not parsed: a backtick that opens no code span
    must not hide HTML from that check."""
    found = tokens(export(answer))

    assert not [t for t in found if t.type in ("html_inline", "html_block")], answer


@pytest.mark.parametrize("passes", [0, 1])
def test_html_not_placed_in_a_few_parses_is_escaped_all_the_same(
    monkeypatch: pytest.MonkeyPatch, passes: int
) -> None:
    """The last resort (only odd text needs it): every ``<`` escaped, in code too."""
    monkeypatch.setattr(markdown_html, "_PASSES", passes)

    markdown = export(HTML_ANSWER)

    found = tokens(markdown)
    assert not [t for t in found if t.type in ("html_inline", "html_block")], markdown
    text = "".join(t.content for t in found if t.type == "text")
    assert "<summary>Folded</summary>" in text and "nor hides this" in text


PIECES = [
    *("<b>", "</b>", "<div>", "</div>", "<!--", "-->", "<details>", "<?x?>", "<!X>", "<a\nhref=x>"),
    *("`", "``", "```\n", "~~~\n", "\n", "\n\n", "> ", "- ", "1. ", "  ", "    ", "x", "*"),
    *("[a](u`v)", "]:", "|", "|---|\n", "\\", "<https://a.b>", "&lt;"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join))
def test_no_mix_of_html_and_markdown_leaves_html_in_the_export(answer: str) -> None:
    found = tokens(export(answer))

    assert not [t for t in found if t.type in ("html_inline", "html_block")], answer
