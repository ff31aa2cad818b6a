"""When an answer began and ended, as saved: ``created_at`` is when its question was sent (a
background run's: when the run started), ``finished_at`` when it ended.

QA: every answer's ``created_at`` was a few µs after its ``finished_at`` (an answer stopped
after streaming for 3 s read created 07:57:22.679952, finished 07:57:22.679891): the message
was made when the answer ended, and got that moment as its start too.
"""

from __future__ import annotations

import signal
import threading

from pplx_tui.models import Message, MessageStatus, utc_now
from pplx_tui.store import ChatStore
from tests.support.agent_runs import RunScript
from tests.support.cli import answer_frames, pplx, saved_id
from tests.support.cli_faults import PARTIAL, ask_process, read_until
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import agent_app, on_screen, send, until, workspace
from tests.test_ui_compare_targets import compare_with_high

WIDE = (150, 40)


def assert_in_order(question: Message, answer: Message) -> None:
    assert answer.finished_at is not None
    assert question.created_at <= answer.created_at <= answer.finished_at


async def test_an_answer_stopped_midway_began_before_the_stop_and_ended_at_it(agent) -> None:
    gate = threading.Event()
    agent.gates.append(gate)  # the answer holds after its first half
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "a long one")
        chat_id = screen.chat.id
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        streaming = utc_now()
        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
    gate.set()
    question, answer = ChatStore().load(chat_id).messages
    assert answer.status == MessageStatus.INTERRUPTED
    assert_in_order(question, answer)
    assert answer.created_at < streaming < answer.finished_at  # type: ignore[operator]


async def test_compared_answers_and_a_background_run_each_began_before_they_ended(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        await compare_with_high(pilot)
        chat_id = workspace(app).chat.id
        agent.finish()
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
    question, *answers = ChatStore().load(chat_id).messages
    assert len(answers) == 2
    for answer in answers:
        assert_in_order(question, answer)
    [run] = [a.run for a in answers if a.run is not None]
    [ran] = [a for a in answers if a.run is not None]
    assert ran.created_at == run.started_at  # the run's answer began when the run started


def test_pplx_ask_save_records_the_answer_after_its_question(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))
    result = pplx("ask", "--save", "q", server=loopback)
    assert result.returncode == 0, result.stderr
    question, answer = ChatStore().load(saved_id(result.stderr)).messages
    assert_in_order(question, answer)


def test_pplx_ask_stopped_by_ctrl_c_began_before_the_stop(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process = ask_process("--save", "q", server=loopback)
    try:
        assert process.stdout is not None
        read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        streaming = utc_now()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    question, answer = ChatStore().load(saved_id(stderr.decode())).messages
    assert_in_order(question, answer)
    assert answer.created_at < streaming < answer.finished_at  # type: ignore[operator]
