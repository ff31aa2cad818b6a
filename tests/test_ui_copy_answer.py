"""`y` copies the selected answer with its sources as Markdown that reads as it does in the app
and in the export (QA: "Sources:" and "[1] [Title](url)" lines ran together into one paragraph
when pasted into a Markdown viewer, and a title with "]" in it broke its link)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from pplx_tui.export import export_chat
from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.conversation import Conversation
from tests.support.tui import until, workspace

TITLES = ["Foo ] bar", "<details> and std::vector<int>", "__init__ *magic*"]


async def _copied_by_y(chat_id: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `y` on the chat's selected (last) answer puts on the clipboard."""
    app = make_app(chat_id=chat_id)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        conversation = workspace(app).query_one(Conversation)
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("y")
        await until(pilot, lambda: bool(copied))
    return copied[-1]


async def test_y_copies_the_sources_as_a_list_with_their_titles_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content="Which pages?"))
    chat.messages.append(
        Message(
            role="assistant",
            content="Three pages [1][2][3].",
            provider="demo",
            model="demo/sonar",
            sources=[
                Source(index=n, url=f"https://example.com/{n}", title=title)
                for n, title in enumerate(TITLES, 1)
            ],
        )
    )
    store.save(chat)
    copied = await _copied_by_y(chat.id, monkeypatch)

    tokens = MarkdownIt("gfm-like").parse(copied)
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_inline", "html_block")]
    assert [t.type for t in tokens if t.type.startswith("bullet_list")] == [
        "bullet_list_open",
        "bullet_list_close",
    ]
    assert sum(t.type == "list_item_open" for t in tokens) == len(TITLES)
    text = "".join(t.content for t in inline if t.type == "text")
    for title in TITLES:
        assert title in text, (title, copied)
    hrefs = [t.attrGet("href") for t in inline if t.type == "link_open"]
    assert hrefs == [f"https://example.com/{n}" for n in (1, 2, 3)]
    assert copied.startswith("Three pages [1][2][3].\n\n")


async def test_y_copies_the_sources_with_the_marks_the_export_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: `y` copied the list without the export's marks: no "○ not cited" on a source the
    answer does not cite, no line for a marker that names no source (README: `y` copies the
    sources "as the export writes them")."""
    store = ChatStore()
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content="Which pages?"))
    chat.messages.append(
        Message(
            role="assistant",
            content="One page [1], and a marker naming none [99].",
            provider="demo",
            model="demo/sonar",
            sources=[
                Source(index=n, url=f"https://example.com/{n}", title=f"Page {n}") for n in (1, 2)
            ],
        )
    )
    store.save(chat)
    exported = export_chat(chat, "md").decode()
    copied = await _copied_by_y(chat.id, monkeypatch)

    listed = copied.split("**Sources**\n\n", 1)[1]
    assert listed == (
        "- [1] Page 1 — <https://example.com/1>\n"
        "- [2] Page 2 — <https://example.com/2> · ○ not cited\n"
        "- *[99] names no source of this answer*\n"
    )
    assert listed in exported
