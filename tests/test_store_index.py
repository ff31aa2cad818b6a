"""Listing and search through the index: fresh after changes behind its back, fast paths."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import pplx_tui.store.index as index_module
import pplx_tui.store.index_db as index_db
import pplx_tui.store.whole_reads as whole_reads
from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore

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
    real = whole_reads.parse_chat
    monkeypatch.setattr(whole_reads, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))

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


def test_a_chat_edited_in_place_to_the_same_size_is_noticed() -> None:
    store = ChatStore()
    chat = add(store, "Question about phobos", "An answer about deimos")
    assert store.list_chats()[0].title == "Question about phobos"
    assert ids(store.search("deimos")) == [chat.id]
    path = store.root / f"{chat.id}.json"
    inode, size, mtime = path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns
    data = path.read_bytes().replace(b"phobos", b"titan!").replace(b"deimos", b"charon")
    with path.open("r+b") as handle:  # as an editor saving in place: same inode, same size
        handle.write(data)
    os.utime(path, ns=(mtime + 1_000_000, mtime + 1_000_000))  # a later tick, whatever the clock
    assert (path.stat().st_ino, path.stat().st_size) == (inode, size)

    assert store.list_chats()[0].title == "Question about titan!"
    assert ids(store.search("charon")) == [chat.id] and store.search("deimos") == []
    assert ids(ChatStore().search("titan")) == [chat.id]


def db_file(store: ChatStore) -> Path:
    return store.root / ".index" / index_module.DB_NAME


DAMAGE_SQL = {
    # FTS5's own table gone: every search failed with "vtable constructor failed: docs".
    "no full-text table": "DROP TABLE docs_data",
    # Values no listing can show: "'str' object cannot be interpreted as an integer".
    "odd rows": "UPDATE chats SET created = 'soon', updated = 1e300",
    "no title": "UPDATE chats SET title = NULL, messages = 'two'",
}


@pytest.mark.parametrize(
    "damage", ["delete", "garbage", "truncated", "wrong version", "wrong shape", *DAMAGE_SQL]
)
def test_a_missing_or_bad_index_is_rebuilt(damage: str) -> None:
    store = ChatStore()
    chat = add(store, "Kept question", "answer about phobos")
    store.search("phobos")
    path = db_file(store)
    if damage == "delete":
        shutil.rmtree(path.parent)
    elif damage == "garbage":
        path.write_bytes(b"\x00\x01" * 5000)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage in DAMAGE_SQL:
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute(DAMAGE_SQL[damage])
            db.commit()
    else:
        path.unlink()
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("CREATE TABLE chats (title TEXT)")
            version = 999 if damage == "wrong version" else index_db.USER_VERSION
            db.execute(f"PRAGMA user_version = {version}")
            db.commit()

    (listed,) = ChatStore().list_chats()
    assert (listed.id, listed.title, listed.message_count) == (chat.id, "Kept question", 2)
    assert ids(ChatStore().search("phobos")) == [chat.id]
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == index_db.USER_VERSION
    assert ChatStore().take_notices() == []  # a cache miss, nothing to tell


def test_the_index_is_one_owner_only_file_and_no_temporary_is_left() -> None:
    store = ChatStore()
    add(store, "q", "about phobos")
    store.list_chats()
    store.search("phobos")
    ChatStore().search("deimos")

    assert [p.name for p in (store.root / ".index").iterdir()] == [index_module.DB_NAME]
    assert db_file(store).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_linked_index_is_never_followed(what: str, tmp_path: Path) -> None:
    store = ChatStore()
    add(store, "q", "about phobos")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(store.root / ".index", ignore_errors=True)
    if what == "folder":
        (store.root / ".index").symlink_to(elsewhere, target_is_directory=True)
    else:
        (store.root / ".index").mkdir()
        (elsewhere / index_module.DB_NAME).write_bytes(b"")
        db_file(store).symlink_to(elsewhere / index_module.DB_NAME)

    fresh = ChatStore()
    assert len(fresh.list_chats()) == 1 and len(fresh.search("phobos")) == 1
    assert [p.name for p in elsewhere.iterdir()] == ([] if what == "folder" else ["index.sqlite3"])
    assert all(p.stat().st_size == 0 for p in elsewhere.iterdir())
    [notice] = fresh.take_notices()
    assert "cannot be updated" in notice


def test_a_locked_index_is_a_cache_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ChatStore()
    add(store, "q", "about phobos")
    store.list_chats()
    monkeypatch.setattr(index_module, "BUSY_TIMEOUT", 0.05)
    add(store, "another", "about deimos")  # the index is stale now
    with contextlib.closing(sqlite3.connect(db_file(store), isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")  # another process writing for a long time
        fresh = ChatStore()
        assert len(fresh.list_chats()) == 2
        assert ids(fresh.search("deimos")) and fresh.take_notices() == []
        holder.execute("ROLLBACK")
    assert len(ChatStore().list_chats()) == 2


def test_a_rename_behind_its_back_reindexes_that_chat_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ChatStore()
    kept = add(store, "Question about phobos", "answer")
    changed = add(store, "Question about deimos", "answer", days=1)
    store.search("phobos")
    parsed: list[str] = []
    real = whole_reads.parse_chat
    monkeypatch.setattr(whole_reads, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))
    path = store.root / f"{changed.id}.json"
    path.write_text(path.read_text().replace("deimos", "titan"), encoding="utf-8")

    assert ids(ChatStore().search("titan")) == [changed.id]
    assert ChatStore().search("deimos") == [] and ids(ChatStore().search("phobos")) == [kept.id]
    assert parsed == [changed.id]


def test_search_finds_questions_answers_and_source_titles_and_urls() -> None:
    store = ChatStore()
    in_question = add(store, "Tell me about Phobos", "It is a moon.", days=1)
    in_answer = add(store, "Mars?", "Mars has PHOBOS and Deimos [1].", days=3)
    in_source = add(
        store, "Moons?", "Two.", days=2, sources=[("Phobos — NASA", "https://nasa.gov/p")]
    )
    add(store, "Jupiter?", "Many moons.", days=4)

    hits = {hit.chat_id: hit for hit in store.search("phobos")}

    assert set(hits) == {in_answer.id, in_source.id, in_question.id}
    assert [(hits[c.id].field, hits[c.id].message_index) for c in (in_answer, in_source)] == [
        ("answer", 1),
        ("source", 1),
    ]
    assert (hits[in_question.id].field, hits[in_question.id].message_index) == ("question", 0)
    assert hits[in_answer.id].snippet == "Mars has PHOBOS and Deimos [1]."
    assert hits[in_answer.id].snippet[slice(*hits[in_answer.id].highlight)] == "PHOBOS"
    assert hits[in_answer.id].title == "Mars?"
    assert ids(store.search("nasa.gov/p")) == [in_source.id]
    assert len(store.search("phobos", limit=2)) == 2


def test_the_best_match_comes_first_then_the_newest() -> None:
    store = ChatStore()
    once = add(store, "Moons?", "Phobos is one of the moons, with a long story to it.", days=3)
    often = add(store, "Phobos?", "Phobos: Phobos, Phobos and Phobos.", days=1)
    same_a = add(store, "titan", days=1)
    same_b = add(store, "titan", days=2)

    assert ids(store.search("phobos")) == [often.id, once.id]
    assert ids(store.search("titan")) == [same_b.id, same_a.id]


def test_prefix_and_phrase_queries() -> None:
    store = ChatStore()
    phrase = add(store, "q", "Phobos is larger than Deimos.", days=1)
    words = add(store, "q", "Than ever, Deimos is not larger.", days=2)

    assert set(ids(store.search("phob*"))) == {phrase.id}
    assert set(ids(store.search("larg*"))) == {phrase.id, words.id}
    assert ids(store.search('"larger than"')) == [phrase.id]
    assert set(ids(store.search("larger than"))) == {phrase.id, words.id}
    [hit] = store.search('"larger than" phobos')
    assert hit.snippet[slice(*hit.highlight)] == "larger than"
    assert store.search('"than larger"') == [] and store.search('"" *') == []


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
    assert store.search('"alpha beta"') == [] and store.search('"alpha beta*"') == []
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

    assert hit.chat_id == chat.id and hit.snippet[slice(*hit.highlight)] == "Straße"  # as written


@pytest.mark.parametrize(
    ("written", "query"), [("Die Straße", "strasse"), ("\u212aelvin, with the sign", "kelvin")]
)
def test_the_snippet_is_the_first_match_even_where_folding_is_more_than_lower_case(
    written: str, query: str
) -> None:
    store = ChatStore()
    chat = store.new_chat()
    for n, text in enumerate([f"nothing {n}" for n in range(5)] + [written, f"{query} again"]):
        chat.messages.append(Message(role="user" if n % 2 == 0 else "assistant", content=text))
    store.save(chat)

    [hit] = store.search(query)

    assert hit.message_index == 5  # not 6, where the query is written as typed


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


def read_only(self: index_module.ChatIndex) -> sqlite3.Connection:
    self._path.touch()
    self._db_inode = self._path.stat().st_ino
    return sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, isolation_level=None)


@pytest.mark.parametrize("what", ["open", "writes"])
def test_an_index_that_cannot_be_written_still_lists_and_searches(
    what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (simulated: the tests may run as root, who writes anywhere). Both
    say the same, naming the folder and what to do (QA: ``Permission denied`` from one,
    SQLite's ``attempt to write a readonly database`` from the other, and no hint)."""
    store = ChatStore()
    add(store, "q", "about phobos")
    assert len(store.list_chats()) == 1  # (the file read_only opens)
    add(store, "another", "about deimos")  # to be written into the index
    monkeypatch.setattr(
        index_module.ChatIndex, "_open_file", refuse if what == "open" else read_only
    )

    fresh = ChatStore()
    assert len(fresh.list_chats()) == 2
    assert len(fresh.search("phobos")) == 1
    assert len(fresh.list_chats()) == 2
    [notice] = fresh.take_notices()  # said once, not on every listing
    folder = store.root / ".index"
    assert notice == (
        f"the chat index cannot be updated: {folder} or a file in it cannot be written; chats "
        f"are listed from a copy in memory meanwhile (make them writable, or delete {folder}: "
        "it is rebuilt)"
    )


def indexed(store: ChatStore) -> int:
    """How many chats the index file holds."""
    with contextlib.closing(sqlite3.connect(db_file(store))) as db:
        return db.execute("SELECT count(*) FROM chats").fetchone()[0]


@pytest.mark.parametrize("what", ["open", "writes"])
def test_a_long_running_store_goes_back_to_the_index_file_once_it_can_be_written(
    what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder was read-only for a while (or another process held the index too long):
    the app worked from memory for the rest of its run, rebuilding it on each start. The next
    listing or search after RETRY_FILE_AFTER seconds tries the file again; a try that fails
    keeps the copy in memory (no chat read again) and says nothing more."""
    clock = [1000.0]
    monkeypatch.setattr(index_module, "monotonic", lambda: clock[0], raising=False)
    store = ChatStore()
    first = add(store, "q", "about phobos")
    assert len(store.list_chats()) == indexed(store) == 1
    real_open_file = index_module.ChatIndex._open_file
    monkeypatch.setattr(
        index_module.ChatIndex, "_open_file", refuse if what == "open" else read_only
    )
    app = ChatStore()
    assert ids(app.search("phobos")) == [first.id]
    newer = add(app, "q2", "about deimos")
    assert ids(app.search("deimos")) == [newer.id]
    parsed: list[str] = []
    real = whole_reads.parse_chat
    monkeypatch.setattr(whole_reads, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))

    clock[0] += getattr(index_module, "RETRY_FILE_AFTER", 30.0)
    assert ids(app.search("deimos")) == [newer.id] and parsed == []  # still cannot: memory
    assert indexed(app) == 1

    monkeypatch.setattr(index_module.ChatIndex, "_open_file", real_open_file)  # writable now
    clock[0] += 1
    assert ids(app.search("deimos")) == [newer.id]
    assert indexed(app) == 1  # not before the next try

    clock[0] += getattr(index_module, "RETRY_FILE_AFTER", 30.0)
    assert ids(app.search("deimos")) == [newer.id]
    assert len(app.list_chats()) == 2
    assert indexed(app) == 2
    [notice] = app.take_notices()
    assert "cannot be updated" in notice


def test_a_first_listing_of_many_chats_reads_their_heads_and_search_reads_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ChatStore()
    chats = [add(store, f"Question {n}", f"answer {n} about phobos", days=n) for n in range(3)]
    shutil.rmtree(store.root / ".index", ignore_errors=True)
    monkeypatch.setattr(index_module, "TEXTS_NOW", 1)
    parsed: list[str] = []
    real = whole_reads.parse_chat
    monkeypatch.setattr(whole_reads, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))

    summaries = ChatStore().list_chats()

    assert ids(summaries) == [c.id for c in reversed(chats)] and parsed == []
    newest = summaries[0]
    assert (newest.title, newest.message_count, newest.models) == ("Question 2", 2, ("sonar",))
    assert len(ChatStore().search("phobos")) == 3 and sorted(parsed) == sorted(c.id for c in chats)


def test_search_looks_at_an_answer_s_first_thousand_sources() -> None:
    """An answer may carry 10,000 sources: indexing every title and URL took ~0.2-0.6 s
    each time the chat changed; the first 1,000 are searched (README, Privacy and security)."""
    store = ChatStore()
    sources = [(f"Page {n} zeta{n}", f"https://example.org/{n}") for n in range(1, 1501)]
    chat = add(store, "Many?", "Yes [1].", sources=sources)

    assert ids(store.search("zeta1000")) == [chat.id]
    assert store.search("zeta1001") == []
    assert store.search("example.org/1500") == []


def test_a_word_said_many_times_costs_the_search_what_it_costs_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`pplx chats search "$(yes word | head -20000)"` ran for minutes: every copy of the word
    was one more FTS5 term and one more SQL test of every text. Counted in SQLite's steps."""
    store = ChatStore()
    add(store, "moon " * 50, "moon " * 300)
    steps: list[int] = []
    find = index_module.find

    def counted(db: sqlite3.Connection, terms, limit):  # type: ignore[no-untyped-def]
        steps.append(0)
        db.set_progress_handler(lambda: steps.__setitem__(-1, steps[-1] + 1) or 0, 1)
        try:
            return find(db, terms, limit)
        finally:
            db.set_progress_handler(None, 0)

    monkeypatch.setattr(index_module, "find", counted)
    twice, often = (store.search(" ".join(["moon"] * n)) for n in (2, 200))

    assert ids(twice) == ids(often) != []
    assert steps[1] <= steps[0] * 2, steps
