"""Faults of the disk and of the user's files, survived by the real app: a save the disk
refuses keeps the previous file and is retried, quitting mid-answer keeps the partial answer,
a malformed config or theme is one notification and the app starts on defaults.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.cli import main, tui_command
from pplx_tui.config_plain import PlainSettings
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens import chat_saver
from tests.support.app_faults import PARTIAL, SIZE, contents, run_as_pplx, saved, seed_chat
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import Notifications, ask, loopback_app, on_screen, send, until, workspace

pytestmark = pytest.mark.usefixtures("debug_log")


class DiskFault:
    """``os.replace`` (or ``os.fsync``, or any write under the data folder) fails while on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
        self.on = False
        real_replace, real_fsync, real_open = os.replace, os.fsync, os.open
        data = str(paths.data_dir())

        def replace(src: Any, dst: Any, **kw: Any) -> None:
            if self.on and kind == "enospc-replace":
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)
            real_replace(src, dst, **kw)

        def fsync(fd: int) -> None:
            import stat

            if self.on and kind == "enospc-fsync" and stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: Any = None) -> int:
            writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            inside = isinstance(path, (str, Path)) and os.path.abspath(path).startswith(data)
            if self.on and kind == "erofs" and writing and inside:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
            return real_open(path, flags, mode, dir_fd=dir_fd)

        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "open", open_)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("enospc-replace", "no space left on device"),
        ("enospc-fsync", "no space left on device"),
        ("erofs", "read-only file system"),
    ],
)
async def test_a_save_the_disk_refuses_keeps_the_file_and_is_retried(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, kind: str, reason: str
) -> None:
    chat_id = seed_chat()
    before = (paths.chats_dir() / f"{chat_id}.json").read_bytes()
    fault = DiskFault(monkeypatch, kind)
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))
    notes = Notifications()
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        fault.on = True
        await ask(pilot, "Which is larger?")

        errors = [t for t in notes.texts("error") if "could not be saved" in t]
        assert len(errors) == 1 and reason in errors[0]  # once, not for every save
        # QA: "could not be saved (Not a directory in /…/chats)" read oddly
        assert errors[0].startswith(f"The chat could not be saved in {paths.chats_dir()}")
        assert f" ({reason}). Its saved file is unchanged" in errors[0]
        assert on_screen(app, "The chat could not be saved") and on_screen(app, reason)
        assert on_screen(app, "Mars has two moons")  # shown, and kept
        assert (paths.chats_dir() / f"{chat_id}.json").read_bytes() == before
        assert not [p for p in paths.chats_dir().iterdir() if p.name.endswith(".tmp")]

        fault.on = False
        workspace(app).saver.retry_now()  # what the timer does
        await pilot.pause()
        assert contents(chat_id)[-2:] == ["Which is larger?", "Mars has two moons [1]"]
        assert "The chat is saved now." in notes.texts("information")
        assert not workspace(app).saver.unsaved


async def test_an_unsaved_chat_is_saved_by_the_timer_even_after_leaving_it(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = DiskFault(monkeypatch, "enospc-replace")
    loopback.queue(Reply(chunks=answer_frames(["First."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 0.1)
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        fault.on = True
        await ask(pilot, "One?")
        first = workspace(app).chat.id
        assert [c.id for c in workspace(app).saver.unsaved] == [first]
        await pilot.press("ctrl+n")  # the unsaved chat is still kept
        await pilot.pause()
        fault.on = False
        await until(pilot, lambda: not workspace(app).saver.unsaved)  # the timer
        assert contents(first) == ["One?", "First."]


async def test_the_next_save_takes_an_unsaved_chat_along(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = DiskFault(monkeypatch, "erofs")
    loopback.queue(Reply(chunks=answer_frames(["Two."])), Reply(chunks=answer_frames(["Three."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        fault.on = True
        await ask(pilot, "Two?")
        chat_id = workspace(app).chat.id
        assert not (paths.chats_dir() / f"{chat_id}.json").exists()
        fault.on = False
        await ask(pilot, "Three?")
        assert contents(chat_id) == ["Two?", "Two.", "Three?", "Three."]
        assert not workspace(app).saver.unsaved


@pytest.mark.parametrize("kind", ["enospc-replace", "erofs"])
def test_a_chat_still_unsaved_at_exit_is_reported(
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    """By its title, made from its question (``erofs``: the file was never written, and a
    chat not yet titled was named "a new chat"), and where its rescue copy is (a disk full
    everywhere: that no copy could be written either)."""
    fault = DiskFault(monkeypatch, kind)
    loopback.queue(Reply(chunks=answer_frames(["Kept in memory only."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback)

    async def session(pilot: Pilot[Any]) -> None:
        fault.on = True
        await ask(pilot, "Lost?")
        await pilot.press("ctrl+q")  # (it asks first: tests/test_faults_ui_quit.py)
        await until(pilot, lambda: app.screen is not workspace(app))
        await pilot.press("tab", "enter")  # quit anyway

    code = run_as_pplx(app, session)

    assert code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("pplx: the chat “Lost?” (")
    if kind == "erofs":
        assert "could not be saved; a copy is in " in line
    else:
        assert line.endswith(
            "could not be saved, nor a rescue copy written elsewhere (no space left on device)"
        )


def test_quitting_mid_answer_keeps_the_partial_answer(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    app = loopback_app(loopback)
    chat_ids: list[str] = []

    async def session(pilot: Pilot[Any]) -> None:
        screen = workspace(app)
        chat_ids.append(screen.chat.id)
        await send(pilot, "Quit now?")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await pilot.press("ctrl+q")

    assert run_as_pplx(app, session) == 0
    answer = saved(chat_ids[0])["messages"][-1]
    assert answer["content"] == "Mars has two moons [1]" and answer["status"] == "interrupted"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'theme = "pplx-light"\n[search\nrecency = "week"\n',
            "config.toml (line 2): not valid TOML",
        ),
        (
            'theme = "pplx-light"\n\n[search]\nrecency = "fortnight"\n',
            "'recency' in [search] must be",
        ),
    ],
    ids=["toml-syntax", "bad-field"],
)
async def test_a_malformed_config_starts_the_app_with_defaults_and_says_so(
    text: str, expected: str
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(text)
    config.chmod(0o600)
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await pilot.pause()
        (error,) = notes.texts("error")
        said = f"~/{config.relative_to(Path.home())}"  # (the home folder as ~)
        assert said in error and expected in error and "default settings" in error
        assert on_screen(app, "using the default settings")
        # The file's theme is kept where it can be read (it is the look chosen).
        theme = "pplx-dark" if "TOML" in expected else "pplx-light"
        assert app.settings == PlainSettings(theme=theme) and app.theme == theme
        await ask(pilot, "Does it work?")
        assert workspace(app).chat.messages[-1].status == "complete"
        app.theme = "pplx-high-contrast"  # cannot be remembered: the file is left alone
        await pilot.pause()
    assert config.read_text() == text


def test_several_mistakes_say_first_that_the_default_settings_are_used(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: "…; using the default settings" followed the last mistake listed, as if it were
    part of that one ("line 3: 'theme' must be text in quotes (got 3); using the …")."""
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = 3\n[search]\nmode = "x"\n')
    config.chmod(0o600)
    started: list[PplxApp] = []
    monkeypatch.setattr(tui_command, "run_app", lambda app: started.append(app) or 0)
    monkeypatch.setattr(tui_command, "on_a_terminal", lambda: True)

    assert main(["--demo"]) == 0

    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"pplx: {config} has 2 mistakes (using the default settings):"
    assert lines[1:] == [
        "  line 1: 'theme' must be text in quotes (got 3)",
        "  line 3: 'mode' in [search] must be 'web', 'academic' or 'sec' (got \"x\")",
    ]


def test_pplx_with_a_malformed_config_prints_one_line_and_starts_on_defaults(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("[search\n")
    config.chmod(0o600)
    started: list[PplxApp] = []
    monkeypatch.setattr(tui_command, "run_app", lambda app: started.append(app) or 0)
    monkeypatch.setattr(tui_command, "on_a_terminal", lambda: True)  # as a user starts it

    assert main(["--demo"]) == 0

    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"pplx: {config} (line 1): not valid TOML") and line.endswith(
        "; using the default settings"
    )
    (app,) = started
    assert app.settings == PlainSettings()


async def test_a_config_readable_by_others_is_a_notification() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "pplx-dark"\n')
    config.chmod(0o644)
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await pilot.pause()
        said = f"~/{config.relative_to(Path.home())}"  # (the home folder as ~)
        assert notes.texts("warning") == [
            f"{said} is readable by other users; run: chmod 600 {said}"
        ]
        assert on_screen(app, "is readable by other users")


async def test_a_malformed_theme_file_is_one_notification_and_a_fallback() -> None:
    themes = paths.config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.toml").write_text('name = "broken"\nprimary = \n')
    config = paths.config_file()
    config.write_text('theme = "broken"\n')
    config.chmod(0o600)
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await pilot.pause()
        (warning,) = notes.texts("warning")
        assert "broken.toml" in warning
        assert app.theme == "pplx-dark"
        await ask(pilot, "Still fine?")
        assert workspace(app).chat.messages[-1].status == "complete"


async def test_start_up_warnings_about_keys_and_themes_are_in_the_log_too(
    debug_log: Path,
) -> None:
    """QA: keymap and theme mistakes were toasts only: gone after ten seconds, nowhere to read
    them again. Each is in pplx.log as well."""
    themes = paths.user_themes_dir()
    themes.mkdir(parents=True)
    (themes / "nocolour.toml").write_text('name = "nocolour"\n')
    config = paths.config_file()
    config.write_text('theme = "pplx-ligth"\n[keymap]\n"app.pick_modle" = "f6"\n')
    config.chmod(0o600)
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: any(n.title == "3 warnings" for n in app._notifications))
    logged = debug_log.read_text()
    (toast,) = notes.texts("warning")  # the three share one toast, a line each (as many as fit)
    for warning in toast.split("\n"):
        if warning.startswith("• "):  # (its paths in the home folder shortened to ~ to fit)
            whole = warning.removeprefix("• ").replace(" ~/", f" {Path.home()}/")
            assert f"WARNING pplx_tui.ui: {whole}\n" in logged
    assert "'primary' is missing" in logged and "app.pick_modle" in logged
    assert "pplx-ligth" in logged
