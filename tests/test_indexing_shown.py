"""A search that must first index many chats says so: ``pplx chats search`` with one line on
a terminal's stderr, the app's chat list in its header (QA: 12 s of ``Chats (2004)`` over the
whole list, then the hits; 8.4 s of nothing from the command)."""

from __future__ import annotations

import shutil
import threading
from typing import Any

import pytest

import pplx_tui.store.index as index_module
from pplx_tui.store import ChatFinder, ChatStore
from pplx_tui.store.indexer import Indexer
from pplx_tui.ui.widgets.chat_list import ChatList
from tests.support.chats import titled_chat
from tests.support.cli import pplx
from tests.support.tui import demo_app, region_text, type_text, until, workspace

CHATS = 5


def chats_not_indexed(monkeypatch: pytest.MonkeyPatch) -> ChatStore:
    """``CHATS`` chats, their index removed, and five counting as many to index."""
    store = ChatStore()
    for number in range(CHATS):
        titled_chat(store, f"Moon{number}")
    shutil.rmtree(store.root / ".index", ignore_errors=True)
    monkeypatch.setattr(index_module, "LONG_INDEXING", CHATS)
    monkeypatch.setattr(index_module, "TEXTS_NOW", 0)  # a listing reads heads only, as for 2,000
    return store


def test_the_command_says_once_that_it_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    chats_not_indexed(monkeypatch)

    found = pplx("chats", "search", "moon3", tty=("stderr", "stdout"))
    again = pplx("chats", "search", "moon2", tty=("stderr", "stdout"))

    assert found.returncode == 0 and found.stdout.startswith(ChatStore().list_chats()[1].id)
    assert found.stderr == f"pplx: indexing {CHATS} chats (once)…\n"
    assert again.stderr == ""  # indexed


def test_the_command_says_nothing_of_it_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    chats_not_indexed(monkeypatch)

    found = pplx("chats", "search", "moon3", tty=("stdout",))

    assert found.returncode == 0 and found.stderr == ""


async def test_the_chat_list_says_it_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    chats_not_indexed(monkeypatch)
    held = threading.Event()
    index_texts = Indexer._index_texts

    def slow(self: Indexer, *args: Any) -> None:
        held.wait(timeout=30)
        index_texts(self, *args)

    monkeypatch.setattr(Indexer, "_index_texts", slow)
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == CHATS)
        await pilot.press("ctrl+f")
        await type_text(pilot, "moon3")
        title = chat_list.query_one(".chat-list--title")
        await until(pilot, lambda: f"Indexing {CHATS} chats…" in region_text(app, title))
        held.set()
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Moon3"])
        assert "Found in 1 chat" in region_text(app, title)


def hold_searches(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on each search waits for the event returned (as behind a long indexing)."""
    held = threading.Event()
    search = ChatFinder.search

    def slow(self: ChatFinder, *args: Any, **options: Any) -> Any:
        held.wait(timeout=30)
        return search(self, *args, **options)

    monkeypatch.setattr(ChatFinder, "search", slow)
    return held


async def test_hits_of_the_words_before_are_dimmed_and_not_opened_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: while a search indexed, the list kept the hits of the words before, bright, and a
    click opened one. They are dimmed while the box's words are looked for, and a click on
    one opens nothing (Enter waits for the new hits and opens the best)."""
    store = ChatStore()
    for number in range(CHATS):
        titled_chat(store, f"Moon{number}")
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        options = chat_list.options
        await until(pilot, lambda: len(chat_list.entries) == CHATS)
        await pilot.press("ctrl+f")
        await type_text(pilot, "moon1")
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Moon1"])
        held = hold_searches(monkeypatch)
        await pilot.press("backspace", "2")
        await until(pilot, lambda: options.has_class("-outdated"))
        await pilot.click(options, offset=(4, 0))
        held.set()
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Moon2"])
        await pilot.pause()
        assert not options.has_class("-outdated")
        assert screen.chat.title not in ("Moon1", "Moon2")


async def test_no_chat_holds_the_words_before_is_not_said_of_the_new_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: a long query typed after one that found nothing showed ``No chat holds
    “zzzqqq”`` for 1-3 s: the list says it is looking for the new words meanwhile."""
    store = ChatStore()
    titled_chat(store, "Moon")
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f")
        await type_text(pilot, "zzzqqq")
        await until(pilot, lambda: "No chat holds “zzzqqq”" in region_text(app, chat_list))
        held = hold_searches(monkeypatch)
        await pilot.press("space", "m", "o")
        await until(pilot, lambda: "Searching for “zzzqqq mo”…" in region_text(app, chat_list))
        assert "No chat holds" not in region_text(app, chat_list)
        held.set()
        await until(pilot, lambda: "No chat holds “zzzqqq mo”" in region_text(app, chat_list))
