"""Faults survived by the real app: no crash, the clear message on screen, nothing lost.

Every test drives the app with a pilot (``App.run_test``) against the loopback server, and
checks the same three things as ``test_faults_cli``: the app is still running (or, for a bug
that stops it, ``pplx`` reports it in one line and logs the traceback), the message a user
needs is on the screen, and the chat file parses and holds everything shown before the fault.
"""

from __future__ import annotations

import errno
import gc
import json
import os
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.cli import tui_command
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.events import Done, SourcesUpdate, TextDelta
from pplx_tui.config_plain import PlainSettings
from pplx_tui.models import Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens import chat_saver
from pplx_tui.ui.screens.answering import WAITING
from tests.support.cli import KEY, SOURCES, answer_frames, chunk
from tests.support.faults import IN_BAND_ERROR, moons_chat
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    send,
    settle,
    svg_lines,
    until,
    workspace,
)

SIZE = (120, 40)
PARTIAL = ["Mars has ", "two moons [1]"]


pytestmark = pytest.mark.usefixtures("debug_log")


def saved(chat_id: str) -> dict[str, Any]:
    """The chat file as JSON, straight from disk (it must parse)."""
    return json.loads((paths.chats_dir() / f"{chat_id}.json").read_bytes())


def run_as_pplx(app: PplxApp, session: Callable[[Pilot[Any]], Awaitable[None]]) -> int:
    """``pplx`` running ``app`` to its end (:func:`tui_command.run_app`), without a terminal,
    driven by ``session``; its exit code."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "run", partial(app.run, headless=True, size=SIZE, auto_pilot=session))
        return tui_command.run_app(app)


def contents(chat_id: str) -> list[str]:
    return [m["content"] for m in saved(chat_id)["messages"]]


def seed_chat() -> str:
    chat = moons_chat()
    chat.title = "Moons of Mars"
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    return ChatStore().save(chat).id


# -- the stream breaks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frames", "reason"),
    [
        (answer_frames(PARTIAL, finished=False), "ended before the answer was finished"),
        ([*answer_frames(PARTIAL, finished=False), *sse(IN_BAND_ERROR)], "Provider disconnected"),
    ],
    ids=["dropped", "in-band-error"],
)
async def test_a_broken_stream_keeps_shows_and_saves_the_partial_answer(
    loopback: LoopbackServer, frames: list[bytes], reason: str
) -> None:
    chat_id = seed_chat()
    loopback.queue(Reply(chunks=frames))
    notes = Notifications()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await ask(pilot, "Which is larger?")

        answer = workspace(app).chat.messages[-1]
        assert answer.status == "interrupted" and answer.content == "Mars has two moons [1]"
        assert answer.error and reason in answer.error
        assert on_screen(app, "Mars has two moons")
        assert on_screen(app, "broke off: partial answer kept")
        assert [t for t in notes.texts("warning") if reason in t]
        assert on_screen(app, reason)
        assert contents(chat_id) == [
            "How many moons does Mars have?",
            "Two [1].",
            "Which is larger?",
            "Mars has two moons [1]",
        ]
        last = saved(chat_id)["messages"][-1]
        assert last["status"] == "interrupted" and reason in last["error"]
        assert [s["url"] for s in last["sources"]] == [s["url"] for s in SOURCES]

        loopback.queue(Reply(chunks=answer_frames(["Phobos."])))
        await pilot.press("ctrl+r")  # the app goes on: retry asks again
        await settle(pilot)
        shown = [m.content for m in ChatStore().load(chat_id).active_path()]
        assert shown[-2:] == ["Which is larger?", "Phobos."]
        # The partial answer stays, as an alternative of the question.
        assert contents(chat_id)[-2:] == ["Mars has two moons [1]", "Phobos."]


async def test_a_stalled_stream_says_so_and_escape_keeps_the_partial_answer(
    monkeypatch: pytest.MonkeyPatch,
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    monkeypatch.setenv("PPLX_WAIT_NOTICE", "0.2")
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = workspace(app)
        await send(pilot, "Slow?")

        def waiting_after_the_partial() -> bool:  # a loaded machine may say so before it came
            pending = screen.pending
            return (
                pending is not None
                and pending.builder.content == "Mars has two moons [1]"
                and screen.header.busy == WAITING
            )

        await until(pilot, waiting_after_the_partial)
        assert on_screen(app, "waiting for the server… (Esc to stop)")

        await pilot.press("escape")
        await settle(pilot)

        assert screen.header.busy == "" and not on_screen(app, "waiting for the server")
        answer = screen.chat.messages[-1]
        assert answer.status == "interrupted" and answer.content == "Mars has two moons [1]"
        assert on_screen(app, "interrupted")
        assert contents(screen.chat.id) == ["Slow?", "Mars has two moons [1]"]


async def test_the_waiting_notice_goes_when_the_server_speaks_again(
    monkeypatch: pytest.MonkeyPatch,
    loopback: LoopbackServer,
) -> None:
    frames = answer_frames(["Slow ", "but ", "sure."])
    # The server goes silent after a keep-alive, until the test lets it go on.
    reply = Reply(chunks=[*frames[:1], b": keep-alive\n\n", *frames[1:]], hang_after=2)
    loopback.queue(reply)
    monkeypatch.setenv("PPLX_WAIT_NOTICE", "0.2")
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = workspace(app)
        await send(pilot, "Slow?")
        await until(pilot, lambda: screen.header.busy == WAITING)
        reply.resume()
        await until(pilot, lambda: screen.header.busy != WAITING)
        await settle(pilot)
        assert screen.chat.messages[-1].content == "Slow but sure."
        assert screen.chat.messages[-1].status == "complete"


async def test_a_rate_limited_question_says_a_retry_is_coming(loopback: LoopbackServer) -> None:
    """QA: while a 429's Retry-After was waited out the answer read "Asking · 12s", then
    "waiting for the server…": nothing said the server had refused and a retry was coming."""
    limited = json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "2"})
    loopback.queue(limited, Reply(chunks=answer_frames(["Two moons."])))
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await send(pilot, "Moons?")
        await until(pilot, lambda: on_screen(app, "Rate limited (429): asking again in"))
        await settle(pilot)
        assert screen.chat.messages[-1].content == "Two moons."
        assert not on_screen(app, "Rate limited")


# -- the disk refuses ----------------------------------------------------------------------------


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
        ("enospc-replace", "No space left on device"),
        ("enospc-fsync", "No space left on device"),
        ("erofs", "Read-only file system"),
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


def test_a_chat_still_unsaved_at_exit_is_reported(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fault = DiskFault(monkeypatch, "enospc-replace")
    loopback.queue(Reply(chunks=answer_frames(["Kept in memory only."])))
    monkeypatch.setattr(chat_saver, "RETRY_SECONDS", 3600)
    app = loopback_app(loopback)

    async def session(pilot: Pilot[Any]) -> None:
        fault.on = True
        await ask(pilot, "Lost?")
        await pilot.press("ctrl+q")

    code = run_as_pplx(app, session)

    assert code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("pplx: the chat “Lost?” (") and line.endswith("could not be saved")


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


# -- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "pplx-light"\n[search\nrecency = "week"\n', "config.toml: "),
        ('theme = "pplx-light"\n\n[search]\nrecency = "fortnight"\n', "field `search.recency`"),
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
        assert str(config) in error and expected in error and "default settings" in error
        assert on_screen(app, "using the default settings")
        assert app.settings == PlainSettings() and app.theme == "pplx-dark"
        await ask(pilot, "Does it work?")
        assert workspace(app).chat.messages[-1].status == "complete"
        app.theme = "pplx-high-contrast"  # cannot be remembered: the file is left alone
        await pilot.pause()
    assert config.read_text() == text


def test_pplx_with_a_malformed_config_prints_one_line_and_starts_on_defaults(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pplx_tui.cli import main

    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("[search\n")
    config.chmod(0o600)
    started: list[PplxApp] = []
    monkeypatch.setattr(tui_command, "run_app", lambda app: started.append(app) or 0)

    assert main(["--demo"]) == 0

    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"pplx: {config}: ") and line.endswith("; using the default settings")
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
        assert notes.texts("warning") == [
            f"{config} is readable by other users; run: chmod 600 {config}"
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


# -- size ----------------------------------------------------------------------------------------


async def test_a_1_mb_answer_to_a_100_kb_pasted_question(loopback: LoopbackServer) -> None:
    line = "A long line of the answer — ünïcode 東京 and a marker [1].\n"  # one 1 MB paragraph
    answer = line * (1_000_000 // len(line) + 1)
    parts = [answer[i : i + 32768] for i in range(0, len(answer), 32768)]
    question = "Why? " * 20_000 + "End."
    loopback.queue(Reply(chunks=answer_frames(parts)))
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        workspace(app).prompt.focus()
        app.post_message(events.Paste(question))  # as the terminal sends a paste
        await until(pilot, lambda: len(workspace(app).prompt.text) == len(question))
        await pilot.press("enter")
        await settle(pilot)

        assert loopback.requests[0].json["messages"][-1]["content"] == question
        chat_id = workspace(app).chat.id
        assert contents(chat_id) == [question, answer]
        assert saved(chat_id)["messages"][1]["status"] == "complete"
        assert workspace(app).conversation.selected is not None
        assert workspace(app).conversation.selected.text == answer
        await pilot.press("ctrl+n")  # and the app is still responsive
        await pilot.pause()
        assert workspace(app).chat.messages == []


class QuickClient:
    """A short answer with one source, as fast as it can (a stand-in for the demo)."""

    async def stream(self, request: object, **_: object) -> Any:
        yield SourcesUpdate((Source(index=1, url="https://example.org/a", title="A"),))
        yield TextDelta("A short answer [1].")
        yield Done("stop")

    async def aclose(self) -> None:
        return None


async def test_many_questions_leave_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questions in two chats: only the open chat's views and answers stay alive.

    Four a chat show a leak as well as ten (twice the views, more than three workers).

    (``bench/bench_memory.py`` measures the process with tracemalloc over 200 questions.)
    """
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.question_view import QuestionView

    # The app's clients come from make_client (called when a client is first needed).
    monkeypatch.setattr("pplx_tui.client.make_client", lambda *args, **kwargs: QuickClient())
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = workspace(app)
        per_chat = 4
        for number in range(2 * per_chat):
            if number == per_chat:
                await pilot.press("ctrl+n")
            await screen.ask(f"Question {number}?")
            await settle(pilot)
        assert screen.chat.messages[-1].content == "A short answer [1]."  # the stand-in's
        await pilot.pause()
        gc.collect()

        def alive(kind: type) -> int:
            return sum(1 for o in gc.get_objects() if isinstance(o, kind))

        assert alive(AnswerView) <= per_chat and alive(QuestionView) <= per_chat
        assert alive(AnswerStream) == 0
        assert len(app.workers) <= 3
        assert len(ChatStore().list_chats()) == 2


# -- bugs ----------------------------------------------------------------------------------------


async def test_a_bug_while_showing_an_answer_costs_that_answer_only(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)), Reply(chunks=answer_frames(["Fine."])))
    real_add = AnswerBuilder.add

    def add(self: AnswerBuilder, event: object) -> None:
        raise RuntimeError(f"boom while holding {KEY}")

    monkeypatch.setattr(AnswerBuilder, "add", add)
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ask(pilot, "Boom?")
        answer = workspace(app).chat.messages[-1]
        assert answer.status == "error"
        assert answer.error == "Something went wrong (RuntimeError); see the log."
        assert on_screen(app, "Something went wrong (RuntimeError); see the log.")
        assert contents(workspace(app).chat.id) == ["Boom?", ""]

        monkeypatch.setattr(AnswerBuilder, "add", real_add)
        await ask(pilot, "Again?")
        assert workspace(app).chat.messages[-1].content == "Fine."
    log = paths.log_file().read_text()
    assert "Traceback (most recent call last)" in log and "RuntimeError: boom" in log
    assert KEY not in log and KEY[:12] not in log


async def test_a_failing_chat_list_is_logged_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: ChatStore, limit: int | None = None) -> list[Any]:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(ChatStore, "list_chats", broken)
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ask(pilot, "Still here?")
        assert workspace(app).chat.messages[-1].status == "complete"
    log = paths.log_file().read_text()
    assert "RuntimeError: index exploded" in log and "Traceback" in log


def test_a_bug_that_stops_the_app_is_one_line_and_a_logged_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    app = make_app(demo=True)

    async def session(pilot: Pilot[Any]) -> None:
        def handler() -> None:
            secret = KEY  # a local variable Textual's traceback would print
            raise RuntimeError(f"boom with {secret}")

        app.call_later(handler)
        await until(pilot, lambda: app.return_code is not None, what="the app stopping")

    code = run_as_pplx(app, session)

    assert code == 5
    err = capsys.readouterr().err
    log = paths.log_file()
    assert err.splitlines() == [
        f"pplx: unexpected error (RuntimeError: boom with ***); the details are in {log}"
    ]
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom with ***" in text
    assert KEY not in text + err and KEY[:12] not in text + err


async def test_server_errors_and_sources_with_markup_are_shown_as_text(
    loopback: LoopbackServer,
) -> None:
    """Text from the server that looks like Textual markup is shown as it is, never parsed."""
    evil = "[@click=app.quit]click[/] [/closing] [b]"
    sources = [{**SOURCES[0], "title": f"Title {evil}", "date": f"2024 {evil}"}]
    frames = sse(chunk("Answer [1].", search_results=sources), done=True)
    loopback.queue(Reply(chunks=frames))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=(160, 40), message_hook=notes, notifications=True) as pilot:
        await ask(pilot, "Markup?")
        assert on_screen(app, f"Title {evil}")
        assert on_screen(app, f"2024 {evil}")
        app.notify(f"Note {evil}")
        await pilot.pause()
        assert on_screen(app, f"Note {evil}")
        assert app.is_running


async def test_an_error_body_with_markup_is_shown_as_text(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(400, {"error": {"message": "model [/closing] unknown [b]"}}))
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Markup?")
        assert on_screen(app, "(400: model [/closing] unknown")
        assert app.is_running


def test_screen_lines_reads_a_screenshot() -> None:
    """The helper the checks above rely on reads what a screenshot shows."""
    svg = (
        '<text class="a" x="0" y="20" clip-path="url(#terminal-line-0)">&#160;pplx&#160;</text>'
        '<text class="b" x="73" y="20" clip-path="url(#terminal-line-0)">Kyoto</text>'
        '<text class="b" x="0" y="44" clip-path="url(#terminal-line-1)">next</text>'
    )
    assert svg_lines(svg) == [" pplx Kyoto", "next"]
