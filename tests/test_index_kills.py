"""A process killed while it writes the chat index leaves an index that finds every chat.

The index kept its rollback journal in memory: a writer killed mid-transaction (kill -9, the
OOM killer, a closed terminal's SIGKILL) left half its pages in the file, and later searches
silently missed chats whose texts that writer had been adding, for good (their files had not
changed, so nothing read them again).
"""

from __future__ import annotations

import subprocess
import sys

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from tests.support.cli import ROOT

CHATS = 240

KILLED_MID_SEARCH = """
import os, signal
from pplx_tui.store import ChatStore
from pplx_tui.store.indexer import Indexer

added = Indexer._insert_texts
count = 0

def insert_then_die(self, db, chat_id, chat):
    global count
    added(self, db, chat_id, chat)
    count += 1
    if count == {at}:
        os.kill(os.getpid(), signal.SIGKILL)

Indexer._insert_texts = insert_then_die
ChatStore().search("phobos")
"""


def test_a_search_killed_while_indexing_leaves_an_index_that_finds_every_chat() -> None:
    store = ChatStore()
    for number in range(CHATS):
        chat = store.new_chat()
        chat.add(Message(role="user", content=f"question {number} " + "moons " * 500))
        chat.add(Message(role="assistant", content=f"answer{number} phobos " + "deimos " * 3000))
        store.save(chat)
    assert len(store.list_chats()) == CHATS  # listed: their texts wait for the first search

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_SEARCH.format(at=CHATS * 2 // 3)], cwd=ROOT, timeout=120
    )

    assert killed.returncode == -9
    fresh = ChatStore()
    missed = [n for n in range(CHATS) if len(fresh.search(f"answer{n}")) != 1]
    assert missed == []
    assert [p.name for p in (store.root / ".index").iterdir()] == ["index.sqlite3"]
