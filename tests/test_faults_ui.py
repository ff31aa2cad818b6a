"""Faults survived by the real app: no crash, the clear message on screen, nothing lost.

Every test drives the app with a pilot (``App.run_test``) against the loopback server, and
checks the same three things as ``test_faults_cli``: the app is still running (or, for a bug
that stops it, ``pplx`` reports it in one line and logs the traceback), the message a user
needs is on the screen, and the chat file parses and holds everything shown before the fault.
The disk refusing and bad files are ``test_faults_ui_files``.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.events import Done, SourcesUpdate, TextDelta
from pplx_tui.models import Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens.answer_stream import AnswerStream
from pplx_tui.ui.screens.answering import WAITING
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.question_view import QuestionView
from tests.support.app_faults import PARTIAL, SIZE, contents, run_as_pplx, saved, seed_chat
from tests.support.cli import KEY, SOURCES, answer_frames, chunk
from tests.support.faults import IN_BAND_ERROR
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    region_text,
    send,
    settle,
    svg_lines,
    until,
    workspace,
)

pytestmark = pytest.mark.usefixtures("debug_log")


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
        assert on_screen(app, "partial answer is kept") and on_screen(app, reason)
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


@pytest.mark.parametrize(
    ("frames", "reason"),
    [
        (answer_frames(PARTIAL, finished=False), "ended before the answer was finished"),
        ([*answer_frames(PARTIAL, finished=False), *sse(IN_BAND_ERROR)], "Provider disconnected"),
    ],
    ids=["dropped", "in-band-error"],
)
async def test_a_broken_stream_in_view_is_said_once_on_the_answer(
    loopback: LoopbackServer, frames: list[bytes], reason: str
) -> None:
    """QA: an answer that broke off said so four times: its label ("broke off"), the line
    under it ("broke off: partial answer kept"), the reason under its text, and a toast. The
    reason under the text says what broke and that the partial answer is kept, its button how to
    ask again; with the answer in view, no toast repeats it."""
    loopback.queue(Reply(chunks=frames))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await ask(pilot, "Which is larger?")
        view = workspace(app).query(AnswerView).last()
        await until(pilot, lambda: "Retry (ctrl+r)" in region_text(app, view))
        await settle(pilot)
        shown = region_text(app, view)
        assert shown.count(reason) == 1 and shown.count("partial answer") == 1, shown
        assert "broke off" not in shown, shown
        assert notes.texts("warning") == [] and notes.texts() == []


async def test_a_broken_stream_out_of_view_is_told_in_one_short_toast(
    loopback: LoopbackServer,
) -> None:
    """The user scrolled up while it streamed: one short toast says it broke off, that the
    partial answer is kept and the key that asks again (the reason is on the answer)."""
    words = [f"Paragraph {n} about the moons of Mars.\n\n" for n in range(80)]
    reply = Reply(chunks=answer_frames(words, finished=False), hang_after=40)
    loopback.queue(reply)
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        screen = workspace(app)
        await send(pilot, "Which is larger?")
        await until(pilot, lambda: on_screen(app, "Paragraph 30 about"))
        screen.conversation.focus()
        await pilot.press("home")
        await until(pilot, lambda: not screen.conversation.following)
        reply.resume()
        await until(pilot, lambda: bool(notes.texts()))
        await settle(pilot)
        (said,) = notes.texts()
        assert said == "The answer broke off; the partial answer is kept (ctrl+r asks again).", said


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

        def alive(kind: type) -> int:
            gc.collect()
            return sum(1 for o in gc.get_objects() if isinstance(o, kind))

        # A view drawn a moment ago is held until its last drawing timer has run (its
        # writer's): waited for, as a leak holds views for good.
        await until(pilot, lambda: alive(AnswerView) <= per_chat, what="views of the chat left")
        assert alive(QuestionView) <= per_chat
        assert alive(AnswerStream) == 0
        assert len(app.workers) <= 3
        assert len(ChatStore().list_chats()) == 2


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
