"""Listing and search through the index: fresh after changes behind its back, fast paths."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest

import pplx_tui.store.index as index_module
from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.store.files import ChatFiles

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def add(store: ChatStore, question: str, answer: str = "", *, days: int = 0, sources=()) -> Chat:
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content=question))
    if answer or sources:
        chat.messages.append(
            Message(
                role="assistant",
                content=answer,
                model="sonar",
                provider="perplexity",
                sources=[Source(index=i, url=u, title=t) for i, (t, u) in enumerate(sources, 1)],
            )
        )
    chat.created_at = chat.updated_at = T0 + timedelta(days=days)
    return store.save(chat, touch=False)


def ids(items) -> list[str]:
    return [getattr(item, "chat_id", None) or item.id for item in items]


def test_list_is_newest_first_with_title_models_and_count() -> None:
    store = ChatStore()
    old = add(store, "Old question", "answer", days=1)
    new = add(store, "New question", days=2)

    summaries = store.list_chats()

    assert ids(summaries) == [new.id, old.id]
    assert summaries[1].title == "Old question" and summaries[1].models == ("sonar",)
    assert summaries[1].message_count == 2 and summaries[1].updated_at == T0 + timedelta(days=1)
    assert ids(store.list_chats(limit=1)) == [new.id]


def test_a_warm_list_parses_no_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ChatStore()
    for day in range(5):
        add(store, f"q{day}", days=day)
    store.list_chats()
    parsed: list[str] = []
    real = index_module.parse_chat
    monkeypatch.setattr(index_module, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))

    assert len(ChatStore().list_chats()) == 5
    assert parsed == []
    chat = ChatStore().load(ids(store.list_chats())[0])
    ChatStore().append_message(chat, Message(role="assistant", content="more"))
    assert len(ChatStore().list_chats()) == 5
    assert parsed == [chat.id]  # only the chat that changed


def test_files_added_edited_or_removed_behind_its_back_are_noticed() -> None:
    store = ChatStore()
    first = add(store, "First question", days=1)
    second = add(store, "Second question", days=2)
    assert len(store.list_chats()) == 2

    shutil.copy(store.root / f"{first.id}.json", store.root / "0copied.json")
    path = store.root / f"{second.id}.json"
    raw = json.loads(path.read_bytes())
    raw["title"] = "Edited by hand, and longer"
    path.write_text(json.dumps(raw), encoding="utf-8")
    (store.root / f"{first.id}.json").unlink()

    summaries = {s.id: s for s in store.list_chats()}
    assert set(summaries) == {"0copied", second.id}
    assert summaries["0copied"].title == "First question"  # the file name is the id
    assert summaries[second.id].title == "Edited by hand, and longer"
    assert not (store.root / ".index" / f"{first.id}.txt").exists()


@pytest.mark.parametrize("damage", ["delete", "garbage", "wrong version", "wrong shape"])
def test_a_missing_or_bad_index_is_rebuilt(damage: str) -> None:
    store = ChatStore()
    chat = add(store, "Kept question", "answer about phobos")
    store.list_chats()
    index_file = store.root / ".index" / "index.json"
    if damage == "delete":
        shutil.rmtree(index_file.parent)
    elif damage == "garbage":
        index_file.write_bytes(b"\x00\x01")
    elif damage == "wrong version":
        index_file.write_text('{"version": 999, "schema": 1, "chats": {}}', encoding="utf-8")
    else:
        shape = {"version": 1, "schema": 1, "chats": {chat.id: {"title": "t"}, "x": []}}
        index_file.write_text(json.dumps(shape), encoding="utf-8")

    assert ids(ChatStore().list_chats()) == [chat.id]
    assert ids(ChatStore().search("phobos")) == [chat.id]
    assert json.loads(index_file.read_bytes())["version"] == index_module.INDEX_VERSION


def test_a_torn_search_text_is_rebuilt_from_the_chat() -> None:
    store = ChatStore()
    chat = add(store, "Question", "an answer about deimos")
    store.list_chats()
    text = store.root / ".index" / f"{chat.id}.txt"
    text.write_bytes(text.read_bytes()[:-10])

    assert ids(ChatStore().search("deimos")) == [chat.id]
    assert text.read_bytes().endswith(b"deimos")


def test_search_finds_questions_answers_and_source_titles_and_urls_newest_first() -> None:
    store = ChatStore()
    in_question = add(store, "Tell me about Phobos", "It is a moon.", days=1)
    in_answer = add(store, "Mars?", "Mars has PHOBOS and Deimos [1].", days=3)
    in_source = add(
        store, "Moons?", "Two.", days=2, sources=[("Phobos — NASA", "https://nasa.gov/p")]
    )
    add(store, "Jupiter?", "Many moons.", days=4)

    hits = store.search("phobos")

    assert ids(hits) == [in_answer.id, in_source.id, in_question.id]
    assert [(h.field, h.message_index) for h in hits] == [
        ("answer", 1),
        ("source", 1),
        ("question", 0),
    ]
    assert hits[0].snippet == "Mars has PHOBOS and Deimos [1]."
    assert hits[0].snippet[slice(*hits[0].highlight)] == "PHOBOS"
    assert hits[0].title == "Mars?"
    assert ids(store.search("nasa.gov/p")) == [in_source.id]
    assert ids(store.search("phobos", limit=2)) == [in_answer.id, in_source.id]


def test_every_word_must_match_and_the_snippet_prefers_the_whole_phrase() -> None:
    store = ChatStore()
    both = add(store, "Which moon is larger?", "Phobos is larger than Deimos.", days=1)
    add(store, "Only one word", "Deimos alone.", days=2)

    [hit] = store.search("  LARGER   than  ")
    assert hit.chat_id == both.id and hit.field == "answer"
    assert hit.snippet[slice(*hit.highlight)] == "larger than"
    assert ids(store.search("phobos deimos")) == [both.id]
    assert store.search("phobos jupiter") == []
    assert store.search("   ") == []


def test_a_query_never_matches_across_two_separate_texts() -> None:
    store = ChatStore()
    add(store, "ends with alpha", "beta starts this")

    assert store.search("alpha beta") != []  # both words, anywhere
    assert store.search("alpha") and store.search("beta")
    [hit] = store.search("alpha beta")
    assert hit.snippet[slice(*hit.highlight)] == "alpha"  # the phrase itself is nowhere


def test_snippets_are_one_clean_line_cut_at_words_around_the_match() -> None:
    store = ChatStore()
    filler = " ".join(f"word{n}" for n in range(60))
    answer = f"{filler}\n\nThe \x1b[31mneedle\x1b[0m is here.\n{filler}"
    add(store, "q", answer)

    [hit] = store.search("needle")

    assert hit.snippet.startswith("…word") and hit.snippet.endswith("…")
    assert "\n" not in hit.snippet and "\x1b" not in hit.snippet
    assert hit.snippet[slice(*hit.highlight)] == "needle"
    assert len(hit.snippet) < 200
    assert " word" in hit.snippet and "wor…" not in hit.snippet


def test_search_folds_case_beyond_ascii() -> None:
    store = ChatStore()
    chat = add(store, "q", "Die Straße nach Köln.")

    [hit] = store.search("STRASSE köln")

    assert hit.chat_id == chat.id and "strasse" in hit.snippet[slice(*hit.highlight)]


def test_titles_come_from_the_first_question_on_one_line_and_can_be_renamed() -> None:
    store = ChatStore()
    question = (
        "  What are the\nlargest moons of the outer planets, and how were they discovered by whom?"
    )
    chat = add(store, question)

    assert chat.title == "What are the largest moons of the outer planets, and how…"
    assert len(chat.title) <= 61
    assert store.rename(chat.id, "  Outer\nmoons ").title == "Outer moons"
    assert store.list_chats()[0].title == "Outer moons"
    assert store.rename(chat.id, "").title == chat.title
    assert ChatStore().load(chat.id).updated_at == chat.updated_at  # renaming is not activity


def refuse(*args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied")


@pytest.mark.parametrize("what", ["lock", "writes"])
def test_an_index_that_cannot_be_written_still_lists_and_searches(
    what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (simulated: the tests may run as root, who writes anywhere)."""
    store = ChatStore()
    add(store, "q", "about phobos")
    if what == "lock":
        monkeypatch.setattr(ChatFiles, "index_lock", refuse)
    else:
        monkeypatch.setattr(index_module, "write_atomic", refuse)
        monkeypatch.setattr(index_module, "_replace", refuse)

    fresh = ChatStore()
    assert len(fresh.list_chats()) == 1
    assert len(fresh.search("phobos")) == 1
    assert len(fresh.list_chats()) == 1
    [notice] = fresh.take_notices()  # said once, not on every listing
    assert "cannot be updated" in notice
