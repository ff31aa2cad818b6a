"""`pplx ask` ended by a signal other than Ctrl-C: `timeout 60 pplx ask …`, `kill`, a service
manager (SIGTERM), or `kill -HUP` (SIGHUP). Real processes: only a process gets a signal.

Python's default for both was to die on the spot: the question and the partial answer, paid
for, were never saved. They now end the answer as Ctrl-C does.
"""

from __future__ import annotations

import io
import os
import selectors
import signal
import sys
import threading

import pytest

from pplx_tui.export import export_chat
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_lines import STOPPED_NOTE
from tests.support.cli import answer_frames, pplx, saved_chat, saved_id
from tests.support.cli_faults import PARTIAL, ask_on_a_terminal, ask_process, read_until
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import on_screen, until


@pytest.mark.parametrize("ctrl_c_ignored", [False, True], ids=["foreground", "script-job"])
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_terminating_signal_keeps_and_saves_the_partial_answer(
    loopback: LoopbackServer, number: signal.Signals, ctrl_c_ignored: bool
) -> None:
    """``script-job``: `pplx ask … & kill $!` in a bash script, which starts its ``&`` jobs with
    SIGINT ignored. SIGTERM copied Ctrl-C's handler, and there was none: it killed the process
    on the spot (exit 143, the answer cut, nothing saved)."""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process = ask_process("--save", "q", server=loopback, ctrl_c_ignored=ctrl_c_ignored)
    try:
        assert process.stdout is not None
        shown = read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        process.send_signal(number)
        rest, stderr_bytes = process.communicate(timeout=20)
    finally:
        process.kill()
    stderr = stderr_bytes.decode()

    assert process.returncode == 130, stderr
    assert "pplx: interrupted; the partial answer is kept" in stderr
    assert "Traceback" not in stderr
    assert (shown + rest).decode().startswith("Mars has two moons [1]")
    question, answer = saved_chat(saved_id(stderr))["messages"]
    assert question["content"] == "q"
    assert answer["content"] == "Mars has two moons [1]" and answer["status"] == "interrupted"


def test_a_terminal_that_hung_up_still_gets_the_answer_saved(loopback: LoopbackServer) -> None:
    """The terminal closed (ssh dropped): SIGHUP, then every write to it fails with EIO.
    Writing the "interrupted" line (or the sources list) failed, and the answer was never
    saved. (Stdout is a pipe here, to see the partial answer arrive.)"""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process, controller = ask_on_a_terminal("--save", "q", server=loopback)
    try:
        assert process.stdout is not None
        read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        os.close(controller)  # the terminal is gone: writes to it fail with EIO from now on
        process.send_signal(signal.SIGHUP)
        process.wait(timeout=20)
    finally:
        process.kill()

    assert process.returncode == 130
    [summary] = ChatStore().list_chats()
    question, answer = ChatStore().load(summary.id).messages
    assert question.content == "q"
    assert answer.content == "Mars has two moons [1]" and answer.status == "interrupted"


def test_an_interrupted_answer_not_saved_is_not_said_to_be_kept(loopback: LoopbackServer) -> None:
    """QA: without --save, "the partial answer is kept", though it was only printed."""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process = ask_process("q", server=loopback)
    try:
        assert process.stdout is not None
        read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert process.returncode == 130, stderr
    assert stderr.decode() == (
        "pplx: interrupted; the partial answer is not saved (add --save to keep it)\n"
    )
    assert ChatStore().list_chats() == []


def test_interrupted_while_thinking_says_no_answer_had_begun(loopback: LoopbackServer) -> None:
    """Stopped while a reasoning model thought: no partial answer was there to keep."""
    frames = answer_frames(["<think>Counting ", "the moons.</think>", "Two."])
    loopback.queue(Reply(chunks=frames, hang_after=1))
    process, controller = ask_on_a_terminal("--save", "q", server=loopback)
    try:
        told = read_until(controller, b"pplx: thinking")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        told += read_until(controller, b"saved chat")
    finally:
        process.kill()
        os.close(controller)

    assert process.returncode == 130
    said = told.decode().replace("\r\n", "\n")
    assert "\r\x1b[Kpplx: interrupted before the answer began\npplx: saved chat " in said
    [summary] = ChatStore().list_chats()
    answer = ChatStore().load(summary.id).messages[1]
    assert (answer.content, answer.reasoning, answer.status) == ("", "Counting ", "interrupted")


async def test_ctrl_c_is_recorded_as_the_users_stop_as_escape_in_the_app_is(
    loopback: LoopbackServer,
) -> None:
    """QA: `pplx ask --save` stopped with Ctrl-C saved ``error: "interrupted"``: the app then
    showed a bare "interrupted" line (as for a server's failure) and the export "The answer
    broke off here: interrupted". It is the user's stop, saved as Escape in the app saves one."""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process = ask_process("--save", "q", server=loopback)
    try:
        assert process.stdout is not None
        read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 130
    chat_id = saved_id(stderr.decode())
    answer = ChatStore().load(chat_id).messages[1]
    assert (answer.status, answer.error, answer.error_kind) == ("interrupted", None, None)

    markdown = export_chat(ChatStore().load(chat_id), "md").decode()
    assert "*(The answer was interrupted here.)*" in markdown and "broke off" not in markdown
    app = make_app(chat_id=chat_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: on_screen(app, STOPPED_NOTE))


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_signal_that_lands_as_the_loop_goes_to_sleep_still_stops_the_answer(
    loopback: LoopbackServer, number: signal.Signals
) -> None:
    """Under load, a Ctrl-C sometimes went unheeded until the server sent something again
    (never, for a stalled one): its Python handler runs only when the main thread runs Python
    code, and the signal had landed just as the loop went to sleep waiting for the server.
    Here it lands on another thread, which leaves the sleeping loop as unaware."""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    main, ended, slept_through = threading.main_thread(), threading.Event(), threading.Event()

    def signal_while_the_loop_sleeps() -> None:
        while not (PARTIAL[-1] in _shown() and _sleeping_in_select(main)):
            if ended.wait(0.01):
                return
        signal.pthread_kill(threading.get_ident(), number)  # its C handler runs here
        if not ended.wait(20):
            slept_through.set()
            signal.pthread_kill(main.ident or 0, number)  # wake it: the test ends either way

    helper = threading.Thread(target=signal_while_the_loop_sleeps, daemon=True)
    helper.start()
    try:
        result = pplx("ask", "--save", "q", server=loopback)
    finally:
        ended.set()
        helper.join()

    assert not slept_through.is_set(), "the loop slept through the signal"
    assert result.returncode == 130, result.stderr
    assert result.stdout.startswith("Mars has two moons [1]")
    answer = saved_chat(saved_id(result.stderr))["messages"][1]
    assert (answer["content"], answer["status"]) == ("Mars has two moons [1]", "interrupted")


def _shown() -> str:
    """What ``pplx`` (run in this process, its stdout replaced) has printed so far."""
    buffer = getattr(sys.stdout, "buffer", None)
    return buffer.getvalue().decode() if isinstance(buffer, io.BytesIO) else ""


def _sleeping_in_select(thread: threading.Thread) -> bool:
    """Whether ``thread`` waits in its event loop's selector (for the stalled server)."""
    frame = sys._current_frames().get(thread.ident or 0)
    return frame is not None and frame.f_code.co_filename == selectors.__file__
