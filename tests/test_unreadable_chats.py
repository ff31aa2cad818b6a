"""A chat file the user cannot read (chmod 000, another user's) costs that chat alone: the list
and the search leave it out and say so once (QA: one such file among 2,007 made `pplx chats
list` and `search` fail and the app's list show no chat at all), and `pplx ask --chat` on it is
one line and exit 1. A file set aside is owner-only; a corrupt file that cannot be set aside,
and a `.locks/` folder that cannot be written, say so.

Permissions are enforced by the ``as-user`` fault (:mod:`tests.support.faults`): root, who may
run these tests, reads and writes whatever the permission bits say.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import pplx_tui.store.index as index_module
from pplx_tui import paths
from pplx_tui.cli import tui_command
from pplx_tui.models import Chat
from pplx_tui.store import ChatFinder, ChatStore
from tests.support.chats import titled_chat
from tests.support.cli import pplx
from tests.support.cli_faults import assert_clean_failure
from tests.support.faults import inject
from tests.support.tui import demo_app, send, until, workspace

TITLES = ("Kyoto", "Lisbon", "Oslo")


def unreadable_among_three() -> tuple[Chat, Path]:
    """Three chats titled :data:`TITLES`, and a fourth whose file is chmod 000 (and its path)."""
    store = ChatStore()
    for title in TITLES:
        titled_chat(store, title)
    hidden = titled_chat(store, "Zanzibar")
    path = store.root / f"{hidden.id}.json"
    path.chmod(0)
    return hidden, path


def left_out(chat: Chat, path: Path) -> str:
    """The notice of ``chat``, whose file at ``path`` cannot be read."""
    what = f"cannot read {path} (Permission denied)"
    return f"chat {chat.id} is left out of the list and search: {what}"


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch) -> None:
    inject("as-user", monkeypatch)


@pytest.mark.parametrize("read", ["whole", "heads"])
def test_chats_list_leaves_out_an_unreadable_chat_and_says_so(
    read: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``heads``: a first listing of many chats reads each one's head only (another path)."""
    hidden, path = unreadable_among_three()
    if read == "heads":
        monkeypatch.setattr(index_module, "TEXTS_NOW", 0)

    result = pplx("chats", "list", fault="as-user")

    assert result.returncode == 0, result.stderr
    assert all(title in result.stdout for title in TITLES), result.stdout
    assert "Zanzibar" not in result.stdout
    assert result.stderr.splitlines() == [f"pplx: warning: {left_out(hidden, path)}"]


def test_chats_search_finds_the_other_chats_and_says_one_was_left_out() -> None:
    hidden, path = unreadable_among_three()

    result = pplx("chats", "search", "kyoto", fault="as-user")

    assert result.returncode == 0, result.stderr
    assert "Kyoto" in result.stdout
    assert result.stderr.splitlines() == [f"pplx: warning: {left_out(hidden, path)}"]


@pytest.mark.usefixtures("as_user")
def test_a_long_running_store_says_it_once_and_lists_the_chat_once_it_can_be_read() -> None:
    hidden, path = unreadable_among_three()
    finder = ChatFinder()
    assert sorted(s.title for s in finder.list_chats()) == list(TITLES)
    assert finder.take_notices() == [left_out(hidden, path)]

    titled_chat(ChatStore(), "Quito")  # saved meanwhile (by this app or another process)
    assert len(finder.list_chats()) == 4
    assert [hit.title for hit in finder.search("kyoto")] == ["Kyoto"]
    assert finder.take_notices() == []  # not again at each listing

    path.chmod(0o600)  # (its stamp is as it was: mtime, size and inode)
    assert "Zanzibar" in {s.title for s in finder.list_chats()}
    assert [hit.title for hit in finder.search("zanzibar")] == ["Zanzibar"]


@pytest.mark.usefixtures("as_user", "debug_log")
async def test_the_app_lists_the_other_chats_with_one_warning_and_lists_new_ones() -> None:
    """QA: ``Chats (0)``, ``No chats yet``, a warning in the log at each reload, and a new
    question saved but never listed."""
    hidden, path = unreadable_among_three()
    app = demo_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        chat_list = workspace(app).chat_list
        await until(pilot, lambda: len(chat_list.entries) == 3)
        await until(pilot, lambda: app._notifications)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: len(chat_list.entries) == 4)
        warnings = [n.message for n in app._notifications if "left out" in n.message]
        said = Path("~") / path.relative_to(Path.home())  # (the toast says the home as ~)
        assert warnings == [left_out(hidden, said)]
    log = paths.log_file().read_text()
    assert "chat list not read" not in log
    assert log.count("is left out of the list") == 1


@pytest.mark.usefixtures("as_user")
async def test_opening_a_listed_chat_that_became_unreadable_says_why() -> None:
    """A chmod leaves the file's stamp as it was: the chat stays listed, and opening it raised
    out of the app."""
    chat = titled_chat(ChatStore(), "Kyoto")
    path = paths.chats_dir() / f"{chat.id}.json"
    app = demo_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: len(screen.chat_list.entries) == 1)
        path.chmod(0)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: app._notifications)
        assert [(n.severity, n.message) for n in app._notifications] == [
            ("error", f"The chat could not be opened: cannot read {path} (Permission denied)")
        ]
        assert screen.chat.id != chat.id


@pytest.mark.parametrize("command", ["ask", "runs wait", "the app"])
def test_opening_an_unreadable_chat_is_one_line_and_exit_1(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pplx ask --chat``, ``pplx runs wait`` and ``pplx --chat`` on it. QA: ``unexpected error
    (PermissionError …)``, exit 5 (the network's) and a traceback in the log; ``chats show``
    on it said what the file is and why, exit 1."""
    hidden, path = unreadable_among_three()
    monkeypatch.setattr(tui_command, "on_a_terminal", lambda: True)  # as a user starts it
    args = {
        "ask": ("ask", "--demo", "--chat", hidden.id, "Why?"),
        "runs wait": ("runs", "wait", hidden.id),
        "the app": ("--demo", "--chat", hidden.id),
    }[command]

    result = pplx(*args, fault="as-user")

    assert assert_clean_failure(result, 1) == [
        f"pplx: cannot write or read {path}: Permission denied"
    ]
    assert result.stdout == ""
    log = paths.log_file()
    assert not log.exists() or "Traceback" not in log.read_text()


def test_a_file_set_aside_is_owner_only() -> None:
    """It was moved with the mode it had (0644: written by hand), where chat files are 0600."""
    store = ChatStore()
    store.root.mkdir(parents=True)
    (store.root / "0broken.json").write_text("{", encoding="utf-8")
    (store.root / "0broken.json").chmod(0o644)

    assert store.list_chats() == []

    [moved] = (store.root / ".corrupt").iterdir()
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    [notice] = store.take_notices()
    assert str(moved) in notice


def test_a_locks_folder_that_cannot_be_written_is_named() -> None:
    """QA: ``could not be saved (Permission denied in …/chats)``: the chats folder, which can be
    written, not ``.locks/``, which cannot."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    locks = store.root / ".locks"
    locks.chmod(0o500)
    try:
        result = pplx("ask", "--demo", "--save", "How many moons?", fault="as-user")
    finally:
        locks.chmod(0o700)

    assert result.returncode == 1, result.stderr
    assert (
        f"pplx: the chat could not be saved in {locks} (permission denied); nothing was written"
        in result.stderr.splitlines()
    )


def test_a_chats_folder_that_cannot_be_written_is_named_not_its_locks() -> None:
    """QA: with the chats folder read-only (``chmod -R a-w``), the error named ``…/chats/.locks``,
    where the lock failed first: the folder the user made read-only is the chats folder."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    folders = (store.root / ".locks", store.root)
    for folder in folders:
        folder.chmod(0o500)
    try:
        result = pplx("ask", "--demo", "--save", "How many moons?", fault="as-user")
    finally:
        for folder in folders:
            folder.chmod(0o700)

    assert result.returncode == 1, result.stderr
    assert (
        f"pplx: the chat could not be saved in {store.root} (permission denied); nothing was "
        "written" in result.stderr.splitlines()
    )


@pytest.mark.usefixtures("as_user")
def test_a_corrupt_file_that_cannot_be_set_aside_is_said_once_with_why() -> None:
    """In a chats folder the user cannot write: it was warned about at every listing, and never
    said it could not be moved."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    assert len(store.list_chats()) == 1  # (the index is made: its folder can be written)
    (store.root / "0broken.json").write_text("{", encoding="utf-8")
    store.root.chmod(0o500)
    try:
        finder = ChatFinder()
        assert [s.title for s in finder.list_chats()] == ["Kyoto"]
        [notice] = finder.take_notices()
        assert [s.title for s in finder.list_chats()] == ["Kyoto"]
        assert finder.take_notices() == []
    finally:
        store.root.chmod(0o700)
    assert notice.startswith("chat 0broken could not be read (")
    assert notice.endswith(
        f"; it could not be moved to {store.root / '.corrupt'} (Permission denied)"
    )
    assert (store.root / "0broken.json").exists()
