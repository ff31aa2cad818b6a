"""Writers killed mid-save leave no temporary files behind; links in the chats folder are
never followed (issue 13 items 3 and 4)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from pplx_tui.models import Message
from pplx_tui.store import ChatStore, StoreError
from pplx_tui.store.files import ChatFiles
from tests.support.cli import pplx


def killed_save(store: ChatStore, chat_id: str) -> list[Path]:
    """A real writer (a process forked from this one) adds a long message to the chat and is
    killed (SIGKILL) after writing its temporary file, before the rename; what is left."""
    pid = os.fork()
    if pid == 0:  # the writer: it ends by the kill, or with 1 if the save never got that far
        try:

            def die(descriptor: int) -> None:
                os.kill(os.getpid(), signal.SIGKILL)

            writer = ChatStore(store.root)
            chat = writer.load(chat_id)
            chat.messages.append(Message(role="user", content="x" * 2_000_000))
            os.fsync = die
            writer.save(chat)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    return temporaries(store)


def temporaries(store: ChatStore) -> list[Path]:
    return sorted(store.root.glob(".*.tmp"))


def a_chat(store: ChatStore) -> str:
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="hello"))
    return chat.id


def test_the_next_save_of_a_chat_removes_what_killed_writers_left() -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    (first,) = killed_save(store, chat_id)
    assert first.stat().st_size >= 2_000_000
    (second,) = killed_save(store, chat_id)  # its own save removed the first one's leftover
    assert second != first

    chat = ChatStore().load(chat_id)
    ChatStore().append_message(chat, Message(role="assistant", content="hi"))

    assert temporaries(store) == []
    assert [m.content for m in ChatStore().load(chat_id).messages] == ["hello", "hi"]


def test_start_up_removes_temporaries_of_chats_no_writer_holds() -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    assert killed_save(store, chat_id)

    ChatStore().list_chats()  # what the app and `pplx chats list` do first

    assert temporaries(store) == []


def test_a_live_writers_temporary_file_is_left_alone() -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    in_progress = store.root / f".{chat_id}.json.abc123.tmp"
    in_progress.write_bytes(b"{")
    # Its writer holds the chat's lock (as every writer does while its temporary file
    # exists): an flock, which a descriptor of its own holds against any other, here too.
    with ChatFiles(store.root).lock(chat_id):
        ChatStore().list_chats()
        assert in_progress.exists()
    ChatStore().list_chats()
    assert not in_progress.exists()


# -- links ----------------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def test_a_chat_file_that_is_a_link_is_not_read(outside: Path) -> None:
    store = ChatStore()
    real_id = a_chat(store)
    secret = outside / "secret.json"
    secret.write_bytes((store.root / f"{real_id}.json").read_bytes().replace(b"hello", b"SECRET"))
    (store.root / "linked.json").symlink_to(secret)

    shown = pplx("chats", "show", "linked")
    assert shown.returncode != 0 and "SECRET" not in shown.stdout
    assert "symbolic link" in shown.stderr and len(shown.stderr.strip().splitlines()) == 1
    with pytest.raises(StoreError, match="symbolic link"):
        ChatStore().load("linked")
    assert [s.id for s in ChatStore().list_chats()] == [real_id]
    assert "SECRET" not in pplx("chats", "search", "secret").stdout


def test_saving_over_a_chat_file_that_is_a_link_writes_nothing_outside(outside: Path) -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    chat = store.load(chat_id)
    target = outside / "victim.json"
    target.write_text("{}")
    path = store.root / f"{chat_id}.json"
    path.unlink()
    path.symlink_to(target)

    with pytest.raises(StoreError, match="symbolic link"):
        store.append_message(chat, Message(role="assistant", content="answer"))
    assert target.read_text() == "{}"


@pytest.mark.parametrize("folder", [".locks", ".corrupt"])
def test_store_folders_that_are_links_are_refused(outside: Path, folder: str) -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    if (store.root / folder).exists():
        os.rename(store.root / folder, outside.parent / "old")
    (store.root / folder).symlink_to(outside, target_is_directory=True)
    chat = store.load(chat_id)

    if folder == ".locks":
        with pytest.raises(StoreError, match="symbolic link"):
            store.append_message(chat, Message(role="assistant", content="answer"))
    else:
        (store.root / f"{chat_id}.json").write_text("not json")
        with pytest.raises(StoreError):
            ChatStore().load(chat_id)
    assert list(outside.iterdir()) == []


def test_a_lock_file_that_is_a_link_is_not_followed(outside: Path) -> None:
    store = ChatStore()
    chat_id = a_chat(store)
    chat = store.load(chat_id)
    lock = store.root / ".locks" / f"{chat_id}.lock"
    lock.unlink()
    lock.symlink_to(outside / "created-outside")

    with pytest.raises(StoreError, match="symbolic link"):
        store.append_message(chat, Message(role="assistant", content="answer"))
    assert list(outside.iterdir()) == []


def test_a_linked_corrupt_folder_leaves_a_bad_chat_in_place_and_lists_the_others(
    outside: Path,
) -> None:
    """One chat that did not parse, and `.corrupt/` a link: `pplx chats list` listed nothing,
    only the link's error (exit 2), and the app's chat list stayed empty."""
    store = ChatStore()
    good = a_chat(store)
    (store.root / "0000bad00000.json").write_text("not json")
    (store.root / ".corrupt").symlink_to(outside, target_is_directory=True)

    listed = pplx("chats", "list")

    assert listed.returncode == 0, listed.stderr
    assert good in listed.stdout and "0000bad00000" not in listed.stdout
    assert listed.stderr.count("\n") == 1 and "chat 0000bad00000 could not be read" in listed.stderr
    assert (store.root / "0000bad00000.json").exists() and list(outside.iterdir()) == []
