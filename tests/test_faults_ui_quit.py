"""Nothing is lost however the app ends while a chat cannot be saved (QA: read-only chats
folder, disk full, another process holding the chat's lock): ctrl+q asks first; quitting
anyway, SIGTERM or a held lock leaves a rescue copy that ``pplx chats import`` adds back, and
the quit never waits 3 x 10 s on a lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.cli import main
from pplx_tui.ui.dialogs.quit_unsaved import QuitUnsavedScreen
from pplx_tui.ui.screens import chat_saver
from tests.support.app_faults import PARTIAL, SIZE, contents, run_as_pplx, seed_chat
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import Notifications, ask, loopback_app, on_screen, send, until, workspace
from tests.test_faults_ui_files import DiskFault

pytestmark = pytest.mark.usefixtures("debug_log")

RESCUED = re.compile(
    r"^pplx: the chat “(?P<title>[^”]*)” \((?P<id>\w+)\) could not be saved; a copy is in "
    r"(?P<path>\S+) \(to add it back: pplx chats import (?P=path)\)$"
)


def rescued_file(line: str) -> tuple[str, Path]:
    """The title a rescue line names, and the rescue copy it points to (owner-only)."""
    found = RESCUED.match(line)
    assert found, line
    path = Path(found["path"])
    assert path.parent == paths.state_dir() / "rescued"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    return found["title"], path


async def until_asked(pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, QuitUnsavedScreen))


def test_ctrl_q_asks_first_while_a_chat_is_unsaved(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Escape keeps working; "Save and quit" says what is still refused, and quits once the
    folder takes the chat."""
    fault = DiskFault(monkeypatch, "erofs")
    loopback.queue(Reply(chunks=answer_frames(["Kept."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback)
    chat_ids: list[str] = []

    async def session(pilot: Pilot[Any]) -> None:
        fault.on = True
        await ask(pilot, "Lost?")
        chat_ids.append(workspace(app).chat.id)
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        assert on_screen(app, "This chat could not be saved: “Lost?”")
        assert on_screen(app, "Quit anyway") and on_screen(app, "Save and quit")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        await pilot.press("n")  # save and quit: still refused
        await until(pilot, lambda: app.screen is workspace(app))
        assert on_screen(app, "Still not saved: “Lost?”")
        fault.on = False
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        await pilot.press("n")

    assert run_as_pplx(app, session) == 0
    assert contents(chat_ids[0]) == ["Lost?", "Kept."]
    assert capsys.readouterr().err == ""
    assert not (paths.state_dir() / "rescued").exists()


@pytest.mark.parametrize("how", ["quit anyway", "SIGTERM"])
def test_a_chat_still_unsaved_at_exit_is_rescued_and_can_be_imported(
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    fault = DiskFault(monkeypatch, "erofs")
    loopback.queue(Reply(chunks=answer_frames(["Kept in a rescue copy."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback)

    async def session(pilot: Pilot[Any]) -> None:
        fault.on = True
        await ask(pilot, "Lost?")
        if how == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
            return
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        await pilot.press("tab", "enter")  # to "Quit anyway"

    assert run_as_pplx(app, session) == 1
    (line,) = capsys.readouterr().err.splitlines()
    title, path = rescued_file(line)
    assert title == "Lost?"
    rescued = json.loads(path.read_bytes())
    assert [m["content"] for m in rescued["messages"]] == ["Lost?", "Kept in a rescue copy."]

    fault.on = False
    assert main(["chats", "import", str(path)]) == 0
    chat_id = capsys.readouterr().out.strip()
    assert contents(chat_id) == ["Lost?", "Kept in a rescue copy."]


def test_a_lock_held_elsewhere_at_quit_is_not_waited_on_for_long(
    loopback: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: ctrl+q froze the app ~28 s (three 10 s lock waits), then lost the answer."""
    chat_id = seed_chat()
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    app = loopback_app(loopback, chat_id=chat_id)
    lock = paths.chats_dir() / ".locks" / f"{chat_id}.lock"
    quit_at: list[float] = []
    held: list[int] = []

    async def session(pilot: Pilot[Any]) -> None:
        screen = workspace(app)
        await send(pilot, "Quit now?")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        held.append(os.open(lock, os.O_RDWR | os.O_CREAT, 0o600))  # as another process's
        fcntl.flock(held[0], fcntl.LOCK_EX)
        quit_at.append(time.monotonic())
        await pilot.press("ctrl+q")

    try:
        assert run_as_pplx(app, session) == 1
    finally:
        for descriptor in held:
            os.close(descriptor)
    assert time.monotonic() - quit_at[0] < 5
    (line,) = capsys.readouterr().err.splitlines()
    title, path = rescued_file(line)
    assert title == "Moons of Mars"
    answer = json.loads(path.read_bytes())["messages"][-1]
    assert answer["content"] == "Mars has two moons [1]" and answer["status"] == "interrupted"


async def test_a_new_chat_not_saved_claims_no_saved_file(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = DiskFault(monkeypatch, "erofs")
    loopback.queue(Reply(chunks=answer_frames(["First."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        fault.on = True
        await ask(pilot, "New?")
        (error,) = [t for t in notes.texts("error") if "could not be saved" in t]
        assert "saved file" not in error
        assert error.endswith(". Everything shown is kept here and saved again in 3600 s.")
        fault.on = False


def test_a_rescue_copy_goes_to_the_temporary_folder_if_the_state_folder_refuses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pplx_tui.store.rescue import rescue
    from tests.support.faults import moons_chat

    paths.state_dir().mkdir(parents=True, exist_ok=True)
    (paths.state_dir() / "rescued").write_text("a file where the folder should be")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    chat = moons_chat()
    path = rescue(chat)
    assert path.parent == tmp_path / f"pplx-rescued-{os.getuid()}"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_bytes())["id"] == chat.id


def test_save_and_quit_with_the_lock_held_elsewhere_waits_briefly_then_quit_anyway_rescues(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pplx_tui.store import files

    chat_id = seed_chat()
    loopback.queue(Reply(chunks=answer_frames(["Held."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    monkeypatch.setattr(files, "LOCK_TIMEOUT", 0.2)  # (the answer's own save gives up sooner)
    app = loopback_app(loopback, chat_id=chat_id)
    lock = paths.chats_dir() / ".locks" / f"{chat_id}.lock"
    held = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)

    async def session(pilot: Pilot[Any]) -> None:
        fcntl.flock(held, fcntl.LOCK_EX)
        await ask(pilot, "Which is larger?")
        await until(pilot, lambda: bool(workspace(app).saver.unsaved))
        monkeypatch.setattr(files, "LOCK_TIMEOUT", 10.0)
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        started = time.monotonic()
        await pilot.press("n")  # save and quit: the lock is still held
        await until(pilot, lambda: app.screen is workspace(app))
        assert time.monotonic() - started < 5
        assert on_screen(app, "Still not saved: “Moons of Mars”")
        await pilot.press("ctrl+q")
        await until_asked(pilot)
        await pilot.press("tab", "enter")

    try:
        assert run_as_pplx(app, session) == 1
    finally:
        os.close(held)
    (line,) = capsys.readouterr().err.splitlines()
    _, path = rescued_file(line)
    assert [m["content"] for m in json.loads(path.read_bytes())["messages"]][-2:] == [
        "Which is larger?",
        "Held.",
    ]
