"""Search folds accents (``emigre`` finds ``émigré``) and finds a word inside a Chinese,
Japanese or Korean run (``日本語`` in ``日本語のタイトル``): each such character is a word of its
own in the index and in the query, which searches them as a phrase."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from pplx_tui.models import Chat, Message
from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.store import ChatStore
from pplx_tui.store.index_db import DB_NAME
from tests.support.cli import pplx


def chat_of(store: ChatStore, title: str, question: str, answer: str) -> Chat:
    chat = store.new_chat()
    chat.title = title
    chat.messages.append(Message(role="user", content=question))
    chat.messages.append(Message(role="assistant", content=answer, model="sonar"))
    return store.save(chat)


@pytest.mark.parametrize(
    ("query", "field", "shown"),
    [
        ("emigre", "title", "émigré"),
        ("EMIGRÉ", "title", "émigré"),
        ("naive cafe", "answer", "naïve café"),
        ("uber", "question", "Über"),
        ("Café", "answer", "café"),
        ("strasse", "answer", "Straße"),
    ],
)
def test_accents_are_folded(query: str, field: str, shown: str) -> None:
    store = ChatStore()
    chat = chat_of(store, "The émigré writers", "Über Paris?", "A naïve café in the Straße.")
    chat_of(store, "Another", "Nothing here?", "No.")

    [hit] = store.search(query)

    assert (hit.chat_id, hit.field) == (chat.id, field)
    assert hit.snippet[slice(*hit.highlight)].casefold() == shown.casefold()


@pytest.mark.parametrize(
    ("query", "field", "shown"),
    [
        ("日本語", "title", "日本語"),
        ("タイトル", "title", "タイトル"),
        ("首都", "answer", "首都"),
        ("京は日本", "answer", "京は日本"),
        ("東京 首都", "answer", "東京"),
        ("한국어", "question", "한국어"),
        ("タイ*", "title", "タイ"),
    ],
)
def test_a_word_inside_a_cjk_run_is_found(query: str, field: str, shown: str) -> None:
    """QA: a word inside a Japanese title (``日本語のタイトル``) was found neither by ``日本語``
    nor by ``タイトル``: FTS5's unicode61 takes a run of such characters for one word."""
    store = ChatStore()
    chat = chat_of(store, "日本語のタイトル", "한국어를 배우고 싶어요?", "東京は日本の首都です。")
    chat_of(store, "本日の天気", "今日は?", "晴れ。")  # 本日: 日 and 本 in the other order

    [hit] = store.search(query)

    assert (hit.chat_id, hit.field) == (chat.id, field)
    assert hit.snippet[slice(*hit.highlight)] == shown
    assert store.search("日本語のタイトルです") == []  # a phrase: every character, in order


def test_the_command_finds_them_too() -> None:
    store = ChatStore()
    chat = chat_of(store, "日本語のタイトル émigré", "Question?", "Answer.")

    for query in ("emigre", "タイトル"):
        found = pplx("chats", "search", query)
        assert found.returncode == 0 and found.stdout.split()[0] == chat.id, found


def test_an_index_that_did_not_fold_accents_is_rebuilt() -> None:
    """The index of the previous version (accents kept, a CJK run one word) would answer
    ``emigre`` with nothing: it is built again, not used as it is nor failed on."""
    chat = chat_of(ChatStore(), "The émigré writers", "Question?", "日本語のタイトル")
    assert ChatStore().search("phobos") == []  # the index holds every text
    path = ChatStore().root / ".index" / DB_NAME
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "DROP TABLE docs;"
            " CREATE VIRTUAL TABLE docs USING fts5 (title, questions, answers, sources,"
            " tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');"
            " INSERT INTO docs (rowid, title, questions, answers, sources)"
            " SELECT rowid, 'the émigré writers', 'question?', '日本語のタイトル', '' FROM chats;"
            " UPDATE texts SET folded = NULL;"
            f" PRAGMA user_version = {6000 + SCHEMA_VERSION};"
        )

    for query in ("emigre", "タイトル"):
        [hit] = ChatStore().search(query)
        assert hit.chat_id == chat.id


def emoji_chat(store: ChatStore) -> Chat:
    """A chat with emoji in its title, question and answer (one written onto a word), and one
    without."""
    chat_of(store, "Plain words", "Why rockets?", "Fuel.")
    return chat_of(
        store, "A naïve 🚀 launch", "Why 👩‍🔬 and 👍🏽?", "Because science🚀 is ❤️ to us."
    )


@pytest.mark.parametrize(
    ("query", "field", "shown"),
    [
        ("🚀", "answer", "🚀"),
        ("👩‍🔬", "question", "👩‍🔬"),
        ("👍", "question", "👍"),
        ("❤️", "answer", "❤"),
        ("❤", "answer", "❤"),
        ("naïve 🚀", "title", "naïve 🚀"),
        ("science 🚀", "answer", "science🚀"),
    ],
)
def test_emoji_are_found(query: str, field: str, shown: str) -> None:
    """QA: ``pplx chats search 🚀`` said no chat matches, and so did the app's list, though a
    chat's title held it: FTS5's unicode61 takes emoji for spaces between words. Each emoji
    is a word of its own, as a CJK character is."""
    store = ChatStore()
    chat = emoji_chat(store)

    [hit] = store.search(query)

    assert (hit.chat_id, hit.field) == (chat.id, field)
    assert hit.snippet[slice(*hit.highlight)].startswith(shown)
    assert store.search("🛸") == []


def test_the_command_finds_emoji() -> None:
    chat = emoji_chat(ChatStore())

    found = pplx("chats", "search", "🚀")

    assert found.returncode == 0 and found.stdout.split()[0] == chat.id, found


def test_an_index_that_did_not_hold_emoji_is_rebuilt() -> None:
    """The index of the previous version (emoji left out of its search documents) would
    answer ``🚀`` with nothing: it is built again."""
    chat = emoji_chat(ChatStore())
    assert ChatStore().search("phobos") == []  # the index holds every text
    path = ChatStore().root / ".index" / DB_NAME
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "UPDATE docs SET title = 'a naive launch', questions = 'why and', answers = ''"
            " WHERE rowid = (SELECT rowid FROM chats WHERE title LIKE 'A na%');"
            f" PRAGMA user_version = {7000 + SCHEMA_VERSION};"
        )

    [hit] = ChatStore().search("🚀")
    assert hit.chat_id == chat.id
