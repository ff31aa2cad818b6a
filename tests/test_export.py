"""Markdown and JSON export, and importing a JSON export back."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pplx_tui.export import export_chat, to_json
from pplx_tui.models import (
    SCHEMA_VERSION,
    Chat,
    ChatSettings,
    Image,
    Message,
    MessageStatus,
    Source,
)
from pplx_tui.store import MAX_IMPORT_BYTES, ChatStore, ImportRejectedError
from tests.support.cli import pplx

EXPECTED = Path(__file__).parent / "expected" / "chat_export.md"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
T1 = datetime(2025, 3, 1, 9, 42, tzinfo=UTC)


def research_chat() -> Chat:
    """Two questions answered by two models, with sources, reasoning and an interruption."""
    return Chat(
        id="01jnq8x2k4m6p8r0",
        title="Moons of Mars",
        created_at=T0,
        updated_at=T1,
        settings=ChatSettings(system_prompt="Answer briefly.\nCite sources."),
        messages=[
            Message(id="m1", role="user", content="How many moons does Mars have?", created_at=T0),
            Message(
                id="m2",
                role="assistant",
                content="Mars has two moons, **Phobos** and **Deimos** [1][2].",
                reasoning="The user asks about Mars. Recall: Phobos, Deimos.",
                provider="openrouter",
                model="perplexity/sonar",
                sources=[
                    Source(index=2, url="https://esa.int/deimos", title="Deimos | ESA"),
                    Source(
                        index=1,
                        url="https://science.nasa.gov/mars/moons/",
                        title="Mars Moons",
                        date="2024-05-01",
                        snippet="Mars has two small moons.",
                    ),
                ],
                created_at=T0,
            ),
            Message(id="m3", role="user", content="Which one is larger?", created_at=T1),
            Message(
                id="m4",
                role="assistant",
                content="Phobos is larger [1]; it measures about 22 km",
                provider="perplexity",
                model="sonar-pro",
                status=MessageStatus.INTERRUPTED,
                sources=[
                    Source(index=1, url="javascript:alert(1)", title="Phobos\x1b]8;;x\x07 facts")
                ],
                created_at=T1,
            ),
            Message(id="m5", role="user", content="And their orbits?", created_at=T1),
            Message(
                id="m6",
                role="assistant",
                status=MessageStatus.ERROR,
                error="Rate limited by openrouter; try again in a minute.",
                provider="openrouter",
                model="perplexity/sonar",
                created_at=T1,
            ),
        ],
    )


def test_markdown_export_matches_the_expected_document() -> None:
    markdown = export_chat(research_chat(), "md", reasoning=True).decode()

    if os.environ.get("PPLX_UPDATE_EXPECTED"):
        EXPECTED.write_text(markdown, encoding="utf-8")
    assert markdown == EXPECTED.read_text(encoding="utf-8")


def test_markdown_names_each_model_keeps_markers_and_numbers_sources() -> None:
    markdown = export_chat(research_chat(), "md").decode()

    assert "**Assistant** · perplexity/sonar (openrouter)" in markdown
    assert "**Assistant** · sonar-pro (perplexity)" in markdown
    assert "[1][2]." in markdown
    first_sources = markdown.split("**Sources**")[1]
    assert first_sources.index(
        "- [1] Mars Moons (2024-05-01) — <https://science.nasa.gov/mars/moons/>"
    ) < (first_sources.index("- [2] Deimos | ESA — <https://esa.int/deimos>"))
    assert "Reasoning" not in markdown and "Recall" not in markdown  # left out unless asked


def test_an_answer_that_broke_off_says_why_where_it_stops() -> None:
    """QA: an answer cut by a dropped connection read "(The answer was interrupted here.)" in
    `pplx chats show` and the export, like one the user stopped: the reason was lost."""
    chat = research_chat()
    chat.messages[3].error = "The connection to OpenRouter ended before the answer was finished."

    markdown = export_chat(chat, "md").decode()

    assert (
        "*(The answer broke off here: The connection to OpenRouter ended before the answer was"
        " finished.)*" in markdown
    )
    assert "interrupted here" not in markdown


def test_an_answers_footnotes_stay_footnotes() -> None:
    """QA-28: a footnote definition ("[^1]: text", drawn as "¹ text" in the app) was taken for
    a link reference definition with a target that is not a web URL and escaped, so the
    export showed "\\[^1]: The footnote text." and its "[^1]" pointed at nothing."""
    chat = research_chat()
    chat.messages[1].content = "Phobos is doomed[^1].\n\n[^1]: It will break up.\n[x]: javascript:y"

    markdown = export_chat(chat, "md").decode()

    assert "\n[^1]: It will break up.\n" in markdown
    assert "\\[x]: javascript:y" in markdown  # a reference definition is still defused


def test_an_answer_cut_inside_a_code_block_leaves_the_rest_of_the_export_out_of_it() -> None:
    """QA-32: an answer stopped (or cut by max_tokens) inside a fenced code block left the
    fence open in the Markdown export: its "interrupted" note, its sources and every later
    question and answer were drawn as code in any Markdown viewer."""
    from markdown_it import MarkdownIt

    chat = research_chat()
    chat.messages[3].content = "Phobos is larger [1]:\n\n```python\nsize = 22"

    markdown = export_chat(chat, "md").decode()

    fences = [t for t in MarkdownIt().parse(markdown) if t.type == "fence"]
    assert [t.content for t in fences] == ["size = 22\n"], fences
    assert "*(The answer was interrupted here.)*" in markdown


def test_markdown_is_inert_on_a_terminal_and_links_only_web_urls() -> None:
    markdown = export_chat(research_chat(), "md", reasoning=True).decode()

    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in markdown)
    assert "<javascript:" not in markdown and "`javascript:alert(1)`" in markdown


def test_titles_from_the_web_show_as_written_in_rendered_markdown() -> None:
    """QA: a source titled "std::vector<int>" lost "<int>" in the rendered export (an unknown
    HTML tag), "<!-- notes" hid the rest of the document and "__init__" turned bold. Titles,
    related questions and image captions are plain text: Markdown and HTML in them are escaped.
    """
    titles = ["Using std::vector<int> & <!-- notes", "__init__ *magic* [draft] `x`"]
    chat = Chat(
        id="01jnq8x2k4m6p8r0",
        title="vector<int> *notes*",
        created_at=T0,
        updated_at=T0,
        messages=[
            Message(id="q", role="user", content="Vectors?", created_at=T0),
            Message(
                id="a",
                role="assistant",
                content="Two pages [1][2].",
                sources=[
                    Source(index=n, url=f"https://example.com/{n}", title=title)
                    for n, title in enumerate(titles, 1)
                ],
                related_questions=["Is <T> a template?"],
                images=[Image(image_url="https://example.com/i.png", title="<b>chart</b>")],
                created_at=T0,
            ),
        ],
    )
    html = MarkdownIt("commonmark").render(export_chat(chat, "md").decode())

    assert "<h1>vector&lt;int&gt; *notes*</h1>" in html
    assert "Using std::vector&lt;int&gt; &amp; &lt;!-- notes" in html
    assert "__init__ *magic* [draft] `x`" in html
    assert "Is &lt;T&gt; a template?" in html and "&lt;b&gt;chart&lt;/b&gt;" in html
    assert "Two pages [1][2]." in html  # the answer's own Markdown is left as it is


def test_an_untitled_empty_chat_exports() -> None:
    assert (
        export_chat(Chat(id="0x", created_at=T0, updated_at=T0), "md")
        .decode()
        .startswith("# Untitled chat\n")
    )


def test_json_export_is_the_chat_file_and_imports_back_under_a_new_id() -> None:
    """Beside the chat it came from once that chat has other messages (QA-43: while it has the
    same ones, the export is already saved)."""
    store = ChatStore()
    chat = research_chat()
    store.save(chat, touch=False)
    exported = to_json(store.load(chat.id))
    assert exported == (store.root / f"{chat.id}.json").read_bytes()
    path = store.root.parent / "export.json"
    path.write_bytes(exported)
    store.append_message(store.load(chat.id), Message(role="user", content="And Deimos?"))

    imported = store.import_file(path)

    assert imported.chat.id != chat.id and imported.beside == chat.id
    assert imported.chat.model_dump(exclude={"id"}) == chat.model_dump(exclude={"id"})
    assert {s.id for s in store.list_chats()} == {chat.id, imported.chat.id}


def test_an_import_keeps_a_free_id_and_replaces_a_hostile_one(tmp_path: Path) -> None:
    store = ChatStore()
    raw = json.loads(to_json(research_chat()))
    path = tmp_path / "in.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert store.import_file(path).chat.id == "01jnq8x2k4m6p8r0"

    raw["id"] = "../../outside"
    raw["messages"] = raw["messages"][:2]  # not the chat saved above
    path.write_text(json.dumps(raw), encoding="utf-8")
    hostile = store.import_file(path).chat
    assert hostile.id not in ("../../outside", "01jnq8x2k4m6p8r0")
    assert (store.root / f"{hostile.id}.json").is_file()
    assert not (store.root.parent.parent / "outside.json").exists()


def test_an_old_export_without_message_ids_gets_stable_ones(tmp_path: Path) -> None:
    raw = json.loads(to_json(research_chat()))
    for message in raw["messages"]:
        del message["id"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(raw), encoding="utf-8")

    chat = ChatStore().import_file(path).chat

    assert len({m.id for m in chat.messages}) == 6
    assert [m.id for m in ChatStore().load(chat.id).messages] == [m.id for m in chat.messages]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a pplx-tui chat export"),
        (b'{"id": "abc"}', "no schema_version"),
        (b'{"schema_version": 1, "id": "a", "messages": [{"role": "robot"}]}', "messages.0.role"),
        (
            json.dumps({"schema_version": SCHEMA_VERSION + 1, "id": "a", "messages": []}).encode(),
            "newer pplx-tui",
        ),
    ],
)
def test_import_rejects_what_is_not_a_chat(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)

    with pytest.raises(ImportRejectedError, match=message):
        ChatStore().import_file(path)
    assert not ChatStore().root.exists()


def test_import_rejects_huge_files_missing_files_and_folders(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)

    with pytest.raises(ImportRejectedError, match=r"is 20,971,521 bytes; .* at most 20,971,520"):
        ChatStore().import_file(huge)
    with pytest.raises(ImportRejectedError, match="cannot read"):
        ChatStore().import_file(tmp_path / "missing.json")
    with pytest.raises(ImportRejectedError, match="not a file"):
        ChatStore().import_file(tmp_path)


def _question_under_a_question(show_second: bool) -> Chat:
    """A chat as versions before 80c4807 saved it: a question asked while another waited for
    its answer went after that question, so the first question's children are a question
    and an answer."""
    chat = Chat(id="01oldshapechat1", title="Old shape")
    chat.add(Message(role="user", content="First question?"))
    chat.add(Message(role="assistant", content="First answer."))
    one = chat.add(Message(role="user", content="Question one?"))
    two = chat.add(Message(role="user", content="Question two?"), after=one.id)
    chat.add(Message(role="assistant", content="Answer one."), after=one.id)
    second = chat.add(Message(role="assistant", content="Answer two."), after=two.id)
    if not show_second:
        chat.choose(chat.messages[4].id)
    else:
        chat.choose(second.id)
    ChatStore().save(chat)
    return chat


@pytest.mark.parametrize("show_second", [False, True])
def test_a_question_saved_under_a_question_is_shown_as_a_question(show_second: bool) -> None:
    """QA: a question an older version saved under a question was exported (and printed by
    ``pplx chats show``) as an alternative answer to that question, or the other answer was
    left out; each message is labelled by its own role, every message written once."""
    chat = _question_under_a_question(show_second)
    shown = pplx("chats", "show", chat.id)
    exported = export_chat(chat, "md").decode()

    assert shown.returncode == 0 and shown.stdout.rstrip() == exported.rstrip()
    blocks = [block.strip() for block in exported.split("\n\n")]
    for text, role in [
        ("Question one?", "**You**"),
        ("Question two?", "**You**"),
        ("Answer one.", "**Assistant**"),
        ("Answer two.", "**Assistant**"),
    ]:
        assert blocks.count(text) == 1, (text, exported)
        assert blocks[blocks.index(text) - 1].startswith(role), (text, exported)
    assert "of 2" not in exported
