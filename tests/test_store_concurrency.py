"""Two writers on one chat: nothing is dropped, deletions and renames are kept; notices added
from one thread while another takes them are each taken once."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore


def started(store: ChatStore) -> Chat:
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="first"))
    return chat


def contents(chat: Chat) -> list[str]:
    return [m.content for m in chat.messages]


def test_two_store_instances_appending_to_one_chat_keep_every_message() -> None:
    a, b = ChatStore(), ChatStore()
    chat_a = started(a)
    chat_b = b.load(chat_a.id)

    a.append_message(chat_a, Message(role="assistant", content="from a"))
    b.append_message(chat_b, Message(role="assistant", content="from b"))
    a.append_message(chat_a, Message(role="user", content="a again"))

    on_disk = ChatStore().load(chat_a.id)
    assert contents(on_disk) == ["first", "from a", "from b", "a again"]
    assert contents(chat_a) == contents(on_disk)  # save() hands back what it wrote


def test_a_message_deleted_by_one_writer_stays_deleted_while_new_ones_are_kept() -> None:
    a, b = ChatStore(), ChatStore()
    chat_a = started(a)
    a.append_message(chat_a, Message(role="assistant", content="regenerate me"))
    chat_b = b.load(chat_a.id)

    del chat_a.messages[-1]
    a.append_message(chat_a, Message(role="assistant", content="better answer"))
    b.append_message(chat_b, Message(role="user", content="from b"))

    assert contents(ChatStore().load(chat_a.id)) == ["first", "better answer", "from b"]


def test_the_saving_side_wins_for_a_message_both_hold() -> None:
    a, b = ChatStore(), ChatStore()
    chat_a = started(a)
    chat_b = b.load(chat_a.id)

    chat_a.messages[0].content = "edited by a"
    a.save(chat_a)
    chat_b.messages[0].content = "edited by b"
    b.save(chat_b)

    assert contents(ChatStore().load(chat_a.id)) == ["edited by b"]


def test_a_rename_elsewhere_survives_a_save_that_did_not_touch_the_title() -> None:
    a, b = ChatStore(), ChatStore()
    chat_a = started(a)

    b.rename(chat_a.id, "Renamed in b")
    a.append_message(chat_a, Message(role="assistant", content="answer"))

    loaded = ChatStore().load(chat_a.id)
    assert loaded.title == "Renamed in b" and contents(loaded) == ["first", "answer"]


def test_messages_from_another_writer_are_ordered_by_time() -> None:
    a, b = ChatStore(), ChatStore()
    chat_a = started(a)
    chat_b = b.load(chat_a.id)
    now = datetime.now(UTC)

    b.append_message(chat_b, Message(role="user", content="b early", created_at=now))
    late = Message(role="user", content="a late", created_at=now + timedelta(seconds=1))
    a.append_message(chat_a, late)

    assert contents(chat_a) == ["first", "b early", "a late"]


def test_a_store_that_never_loaded_the_chat_deletes_nothing() -> None:
    a = ChatStore()
    chat = started(a)
    a.append_message(chat, Message(role="assistant", content="answer"))
    stranger = Chat.model_validate_json(chat.model_dump_json())
    stranger.messages = stranger.messages[:1]

    ChatStore().append_message(stranger, Message(role="user", content="more"))

    assert contents(ChatStore().load(chat.id)) == ["first", "answer", "more"]


def test_two_processes_appending_concurrently_never_break_the_file_or_drop_a_message() -> None:
    store = ChatStore()
    chat = started(store)
    per_writer = 25
    children = []
    for name in ("left", "right"):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                writer = ChatStore(store.root)
                mine = writer.load(chat.id)
                for number in range(per_writer):
                    writer.append_message(mine, Message(role="user", content=f"{name} {number}"))
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0

    final = ChatStore().load(chat.id)
    written = contents(final)
    assert len(written) == 1 + 2 * per_writer
    for name in ("left", "right"):
        mine = [c for c in written if c.startswith(name)]
        assert mine == [f"{name} {n}" for n in range(per_writer)]  # each writer's order kept
    assert len({m.id for m in final.messages}) == len(final.messages)
    json.loads((store.root / f"{chat.id}.json").read_bytes())


def test_deleting_a_chat_removes_its_lock_file_and_the_id_can_be_reused() -> None:
    store = ChatStore()
    chat = started(store)
    store.delete(chat.id)

    assert not (store.root / ".locks" / f"{chat.id}.lock").exists()
    assert store.list_chats() == []
    reborn = Chat(id=chat.id)
    store.append_message(reborn, Message(role="user", content="again"))
    assert contents(ChatStore().load(chat.id)) == ["again"]


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Threads take turns every microsecond instead of every 5 ms: more interleavings to
    catch (what the test asserts holds for any interleaving; no timing is assumed)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def test_notices_added_from_threads_while_another_takes_them_are_each_taken_once(
    frequent_thread_switches: None,
) -> None:
    """The chat list's thread lists chats (notices about a corrupt or newer file come from
    there) while the UI thread takes the notices after a save: none is lost or taken twice."""
    store = ChatStore()
    adders, each = 8, 400
    expected = [f"{n}-{i}" for n in range(adders) for i in range(each)]
    taken: list[str] = []
    everyone_ready = threading.Barrier(adders + 1)
    added = threading.Event()

    def add(n: int) -> None:
        everyone_ready.wait()
        for i in range(each):
            store._notice(f"{n}-{i}")  # the callback the index and the loader call

    def take() -> None:
        everyone_ready.wait()
        while not added.is_set():
            taken.extend(store.take_notices())

    threads = [threading.Thread(target=add, args=(n,)) for n in range(adders)]
    taker = threading.Thread(target=take)
    for thread in [*threads, taker]:
        thread.start()
    for thread in threads:
        thread.join()
    added.set()
    taker.join()
    taken.extend(store.take_notices())

    assert sorted(taken) == sorted(expected)


class HeldAppends(deque[str]):
    """The store's notices, with each append held (the adding thread has found where to add)
    until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.go_on = threading.Event()

    def append(self, item: str) -> None:
        self.holding.set()
        self.go_on.wait()
        super().append(item)


def test_a_notice_added_while_they_are_taken_is_taken_next_time() -> None:
    """The interleaving that lost a notice, made to happen: a thread adding one has found the
    notices when another takes them (and reads what it took). Taking never waits for it."""
    store = ChatStore()
    store._notices = held = HeldAppends()  # type: ignore[assignment]
    adder = threading.Thread(target=store._notice, args=("a corrupt chat was set aside",))
    adder.start()
    held.holding.wait()

    first = list(store.take_notices())
    held.go_on.set()
    adder.join()

    assert first + store.take_notices() == ["a corrupt chat was set aside"]
