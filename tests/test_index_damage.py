"""A damaged search index is rebuilt from the chat files, and ``pplx chats search`` says so once.

The index is a cache beside the chats (the JSON files are the truth). A file damaged by hand or
by the disk (bytes overwritten, cut short, not SQLite at all, FTS5's own tables broken so that
``MATCH`` fails or finds nothing) made searches silently miss chats, or find them with no
snippet; it is noticed (when opened, or when a search reads it), set aside and built again,
with one line on stderr, and no chat file is touched.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import pplx_tui.store.index as index_module
import pplx_tui.store.search as search_module
from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.store.index_db import DB_NAME
from pplx_tui.store.index_repair import NOTICE
from tests.support.cli import pplx

CHATS = 40
REBUILT = f"pplx: warning: {NOTICE}\n"


def seed() -> ChatStore:
    """Chats enough that the index spans many pages, each found by its own word."""
    store = ChatStore()
    for number in range(CHATS):
        chat = store.new_chat()
        chat.add(Message(role="user", content=f"question {number} about phobos"))
        chat.add(Message(role="assistant", content=f"answer{number} " + "deimos orbits " * 200))
        store.save(chat)
    return store


def index_file(store: ChatStore) -> Path:
    return store.root / ".index" / DB_NAME


def chat_files(store: ChatStore) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in store.root.glob("*.json")}


def run_sql(statement: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute(statement)
            db.commit()

    return damage


def overwrite_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(b"\xff" * (size // 3))


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"this is no database, someone's notes\n" * 200)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "bytes overwritten mid-file": overwrite_middle,
    "cut short": cut_short,
    "not SQLite": not_sqlite,
    # MATCH found nothing, silently: FTS5 had lost the map to its terms' pages.
    "full-text term map gone": run_sql("DELETE FROM docs_idx"),
    # MATCH raised "database disk image is malformed".
    "full-text pages garbled": run_sql("UPDATE docs_data SET block = randomblob(length(block))"),
    # Found nothing: the documents no longer under their chats' rows.
    "chats and documents apart": run_sql("UPDATE chats SET rowid = rowid + 1000"),
    # Found every chat with an empty snippet.
    "snippet texts gone": run_sql("DELETE FROM texts"),
    # "UnicodeDecodeError" escaped from the search, an unexpected error.
    "a text no UTF-8": run_sql("UPDATE texts SET body = CAST(x'ff' || body AS TEXT)"),
}


def assert_sound(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.execute("INSERT INTO docs (docs) VALUES ('integrity-check')")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_rebuilt_and_said_once(damage: str) -> None:
    store = seed()
    before = pplx("chats", "search", "phobos", "--limit", "100", key=None)
    assert before.returncode == 0 and before.stdout.count("phobos") == CHATS, before
    assert before.stdout.count("    question 1 (the title)") == CHATS  # (found in the title)
    one = pplx("chats", "search", "answer7", key=None)
    files = chat_files(store)

    DAMAGE[damage](index_file(store))

    after = pplx("chats", "search", "phobos", "--limit", "100", key=None)
    assert (after.returncode, after.stdout, after.stderr) == (0, before.stdout, REBUILT)
    again = pplx("chats", "search", "answer7", key=None)
    assert (again.returncode, again.stdout, again.stderr) == (0, one.stdout, "")
    assert chat_files(store) == files  # never a chat file rewritten, moved or lost
    assert [p.name for p in index_file(store).parent.iterdir()] == [DB_NAME]
    assert_sound(index_file(store))


def test_a_listing_over_a_damaged_index_rebuilds_it_too() -> None:
    store = seed()
    listed = pplx("chats", "list", key=None)
    found = pplx("chats", "search", "answer3", key=None)
    not_sqlite(index_file(store))

    after = pplx("chats", "list", key=None)

    assert (after.returncode, after.stdout, after.stderr) == (0, listed.stdout, REBUILT)
    again = pplx("chats", "search", "answer3", key=None)
    assert (again.returncode, again.stdout, again.stderr) == (0, found.stdout, "")


@pytest.mark.parametrize("case", ["missing", "another version"])
def test_a_missing_or_outdated_index_is_built_without_a_word(case: str) -> None:
    store = seed()
    before = pplx("chats", "search", "answer5", key=None)
    path = index_file(store)
    if case == "missing":
        path.unlink()
    else:
        run_sql("PRAGMA user_version = 4001")(path)

    after = pplx("chats", "search", "answer5", key=None)

    assert (after.returncode, after.stdout, after.stderr) == (0, before.stdout, "")


def test_a_search_that_finds_nothing_in_a_sound_index_rebuilds_nothing() -> None:
    store = seed()
    store.search("phobos")
    inode = index_file(store).stat().st_ino
    accented = store.new_chat()  # no plain ASCII word in it to check the index with
    accented.add(Message(role="user", content="Émile à Zürich — 東京"))
    store.save(accented)

    for query in ("nowhere", "zzz*", '"phobos answer7"'):
        fresh = ChatStore()
        assert fresh.search(query) == [] and fresh.take_notices() == []
    only = ChatStore()
    for summary in only.list_chats():
        if summary.id != accented.id:
            only.delete(summary.id)
    assert only.search("nowhere") == [] and only.take_notices() == []
    assert index_file(store).stat().st_ino == inode


def test_a_sound_index_is_never_checked_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking every page (integrity_check, FTS5's integrity-check) costs as much as reading
    the whole index: no start, listing or search does it on a sound index."""
    store = seed()
    store.search("phobos")
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = connect(*args, **kwargs)  # type: ignore[arg-type]
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    fresh = ChatStore()
    fresh.list_chats()
    assert len(fresh.search("answer9")) == 1 and fresh.search("nowhere") == []

    assert statements and not [s for s in statements if "check" in s.lower()]


def test_two_stores_rebuilding_at_once_keep_one_sound_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two windows find the same damage; the first rebuilds the index while the second is
    still reading the damaged file. The second then removed the first one's new index and
    built another (had the first still been writing it, its journal, left beside the path,
    would have been played into the second one's file): the first one's index is kept."""
    store = seed()
    store.search("phobos")
    first, second = ChatStore(), ChatStore()
    assert first.search("answer1") and second.search("answer2")  # both have it open
    DAMAGE["full-text pages garbled"](index_file(store))
    real_find = search_module.find
    rebuilt: list[int] = []

    def find_after_the_other_rebuilt(db: sqlite3.Connection, terms, limit):  # type: ignore[no-untyped-def]
        if not rebuilt:
            rebuilt.append(0)
            assert len(first.search("answer3")) == 1  # the first window rebuilds meanwhile
            rebuilt[0] = index_file(store).stat().st_ino
        return real_find(db, terms, limit)

    monkeypatch.setattr("pplx_tui.store.index.find", find_after_the_other_rebuilt)

    assert len(second.search("answer4")) == 1
    assert index_file(store).stat().st_ino == rebuilt[0]  # the first one's index was kept
    assert first.take_notices() == [NOTICE]
    assert second.take_notices() == []  # (the first one said it)
    assert_sound(index_file(store))
    assert all(len(ChatStore().search(f"answer{n}")) == 1 for n in range(CHATS))


def test_a_damaged_index_another_process_is_writing_is_left_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Removed mid-write, the writer's journal would be taken for the new file's: the search
    works from memory this time, and the next one rebuilds the file."""
    store = seed()
    store.search("phobos")
    path = index_file(store)
    DAMAGE["chats and documents apart"](path)
    inode = path.stat().st_ino
    monkeypatch.setattr(index_module, "BUSY_TIMEOUT", 0.05)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        meanwhile = ChatStore()
        assert len(meanwhile.search("answer3")) == 1 and meanwhile.take_notices() == []
        assert path.stat().st_ino == inode
        writer.execute("ROLLBACK")

    later = ChatStore()
    assert len(later.search("answer3")) == 1 and later.take_notices() == [NOTICE]
    assert_sound(path)


def test_a_writer_never_writes_to_an_index_file_replaced_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Between this process's look at the file and its write lock, another one removed it
    (damaged) and built a new one: the write goes to the new one, none to the removed file."""
    store = seed()
    first = ChatStore()
    first.list_chats()
    statements: list[str] = []
    first._index._db.set_trace_callback(statements.append)  # type: ignore[union-attr]
    chat = store.new_chat()
    chat.add(Message(role="user", content="a new question about titan"))
    store.save(chat)
    looks = []
    real_same_file = index_module.ChatIndex._same_file

    def replaced_after_a_look(index: index_module.ChatIndex) -> bool:
        same = real_same_file(index)
        if index is first._index and not looks:
            looks.append(same)
            index_file(store).unlink()  # (as remove_damaged does)
            ChatStore().list_chats()
        return same

    monkeypatch.setattr(index_module.ChatIndex, "_same_file", replaced_after_a_look)

    assert chat.id in [summary.id for summary in first.list_chats()]
    assert looks == [True]
    assert not [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert [h.chat_id for h in ChatStore().search("titan")] == [chat.id]
