"""The Markdown export shows the user's own text as written (a question, the system prompt) and
a model's reasoning inside its fold, names the search it was asked with and which sources an
answer did not cite. Checked by parsing the export as viewers do (markdown-it)."""

from __future__ import annotations

from datetime import UTC, datetime

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pplx_tui.export import export_chat
from pplx_tui.models import Chat, ChatSettings, Message, Source
from pplx_tui.values import SearchSettings

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
QUESTION = (
    "What is std::vector<int> and <details>?\n"
    "# not a heading\n"
    "1. not a list\n"
    "| a | b |\n"
    "|---|---|\n"
    "\n"
    "<!-- nor a comment -->\n"
    "    not code either\n"
    "ends with a backslash \\"
)


def chat_of(question: str, answer: Message, **settings: object) -> Chat:
    return Chat(
        id="01jnq8x2k4m6p8r0",
        title="Vectors",
        created_at=T0,
        updated_at=T0,
        settings=ChatSettings(**settings),  # type: ignore[arg-type]
        messages=[Message(id="q", role="user", content=question, created_at=T0), answer],
    )


def reply(content: str = "An answer.", **fields: object) -> Message:
    return Message(id="a", role="assistant", content=content, created_at=T0, **fields)  # type: ignore[arg-type]


def tokens(markdown: str) -> list[Token]:
    """Every token, inline children too, as GitHub-like viewers parse the document."""
    found: list[Token] = []
    for token in MarkdownIt("gfm-like").parse(markdown):
        found += [token, *(token.children or [])]
    return found


def test_a_question_shows_as_typed_with_its_line_breaks() -> None:
    """QA: "What is std::vector<int> and <details>?" was exported as is: viewers took <int> and
    <details> for HTML, and everything after the question disappeared in a fold."""
    chat = chat_of(QUESTION, reply("See below."), system_prompt="Be <b>brief</b>.\n# Rules")
    markdown = export_chat(chat, "md").decode()

    found = tokens(markdown)
    assert not [t for t in found if t.type in ("html_inline", "html_block")], markdown
    assert not [t for t in found if t.type in ("table_open", "ordered_list_open", "code_block")]
    headings = [t.tag for t in found if t.type == "heading_open"]
    assert headings == ["h1"], markdown  # the chat's title only
    text = "".join(t.content for t in found if t.type == "text")
    for line in QUESTION.splitlines():
        assert line.strip() in text, line
    assert "Be <b>brief</b>." in text and "# Rules" in text
    breaks = sum(t.type == "hardbreak" for t in found)
    assert breaks >= len(QUESTION.splitlines()) - 3  # one per line but the paragraphs' last
    assert "See below." in text


def test_reasoning_cannot_close_its_fold() -> None:
    """QA: reasoning with "</details>" in it closed the fold early: a crafted "# INJECTED
    heading" after it came out under the answer's own text."""
    thought = "Thinking about <T>.\n</details>\n\n# INJECTED heading\n\n<details>\nmore"
    markdown = export_chat(chat_of("Q?", reply(reasoning=thought)), "md", reasoning=True).decode()

    found = tokens(markdown)
    html = [t.content.strip() for t in found if t.type in ("html_inline", "html_block")]
    assert html == ["<details>\n<summary>Reasoning</summary>", "</details>"], html
    assert [t.tag for t in found if t.type == "heading_open"] == ["h1"]
    text = "".join(t.content for t in found if t.type == "text")
    assert "# INJECTED heading" in text and "</details>" in text
    assert markdown.index("INJECTED") < markdown.index("\n</details>")


def test_the_search_line_names_the_domains_as_written() -> None:
    """QA: --domain nature.com --domain arxiv.org was exported as "2 domains"."""
    search = SearchSettings(
        domains=["nature.com", "arxiv.org", "-reddit.com"], recency="week", mode="academic"
    )
    markdown = export_chat(chat_of("Q?", reply(search=search)), "md").decode()

    assert "*Search: week · nature.com, arxiv.org, -reddit.com · academic*" in markdown


def test_sources_the_answer_did_not_cite_are_marked_as_in_the_app() -> None:
    sources = [
        Source(index=n, url=f"https://example.com/{n}", title=f"Page {n}") for n in (1, 2, 3)
    ]
    markdown = export_chat(
        chat_of("Q?", reply("Only [1] and [3].", sources=sources)), "md"
    ).decode()

    assert "- [1] Page 1 — <https://example.com/1>\n" in markdown
    assert "- [2] Page 2 — <https://example.com/2> · ○ not cited\n" in markdown
    assert "- [3] Page 3 — <https://example.com/3>\n" in markdown


def test_an_untitled_source_is_named_by_its_site_as_the_sources_panel_names_it() -> None:
    """QA: a source without a title was written ``- [3] 2024-02-08 — `mailto:x@y.z```, the date
    reading as its title. It keeps the shape of the others, its site standing in for the title
    (the sources panel's title for it); a link with no site, shown as code, comes first."""
    from pplx_tui.ui.widgets.source_rows import title_of

    sources = [
        Source(index=1, url="https://www.example.com/a", title="", date="2024-02-08"),
        Source(index=2, url="https://example.org/b", title="  "),
        Source(index=3, url="mailto:x@y.z", title="", date="2024-02-08"),
        Source(index=4, url="", title="", date="2024-02-08"),
    ]
    markdown = export_chat(
        chat_of("Q?", reply("See [1], [2], [3] and [4].", sources=sources)), "md"
    ).decode()

    items = [line for line in markdown.splitlines() if line.startswith("- [")]
    assert items == [
        "- [1] example.com (2024-02-08) — <https://www.example.com/a>",
        "- [2] example.org — <https://example.org/b>",
        "- [3] `mailto:x@y.z` (2024-02-08)",
        "- [4] (2024-02-08)",
    ]
    assert [title_of(source) for source in sources[:3]] == [
        "example.com",
        "example.org",
        "mailto:x@y.z",
    ]
