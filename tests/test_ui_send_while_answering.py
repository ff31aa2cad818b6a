"""A question sent while the chat's answer is still streaming: the first Enter sends nothing
and says so (the answer is paid for); Enter again sends it, stopping that answer."""

from __future__ import annotations

import threading

from pplx_tui.models import MessageStatus
from pplx_tui.ui.app import PplxApp
from tests.support.tui import Notifications, agent_app, send, settle, until, workspace


async def test_the_first_enter_while_answering_holds_the_question_and_the_second_sends(
    agent,
) -> None:
    """QA: at 100x30 a second question sent while a long answer streamed stopped that answer
    without a word ("Stopped here"). The first Enter leaves the question in the box and says
    the answer is still being written, naming Enter and Esc; Enter again sends and stops it."""
    gate = threading.Event()
    agent.gates.append(gate)
    notes = Notifications()
    app = agent_app(agent)
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "first question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        chat_id = screen.chat.id

        await send(pilot, "second question")
        await until(pilot, lambda: any("still being written" in t for t in notes.texts()))
        (said,) = [t for t in notes.texts() if "still being written" in t]
        assert "Enter again sends this and stops it (Esc only stops it)" in said, said
        assert screen.prompt.text == "second question"
        assert chat_id in screen.answering.working
        assert [m.content for m in screen.chat.messages if m.role == "user"] == ["first question"]

        await pilot.press("enter")
        await until(pilot, lambda: len([m for m in screen.chat.messages if m.role == "user"]) == 2)
        first_answer = screen.chat.messages[1]
        assert first_answer.status == MessageStatus.INTERRUPTED
        assert screen.prompt.text == ""
    gate.set()


def held(app: PplxApp) -> bool:
    """Whether the line saying a question was held back is shown."""
    return any("still being written" in note.message for note in app._notifications)


async def test_escape_after_a_question_held_back_takes_its_line_down(agent) -> None:
    """QA: "Enter again sends this and stops it" stood beside "Stopped here" after Escape
    stopped the answer: it spoke of an answer no longer being written."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = workspace(app)
        await send(pilot, "first question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await send(pilot, "second question")
        await until(pilot, lambda: held(app))

        await pilot.press("escape")
        await until(pilot, lambda: screen.chat.messages[-1].status == MessageStatus.INTERRUPTED)
        await settle(pilot)
        assert not held(app)  # at once: its own time (5 s) has not run out
        assert screen.prompt.text == "second question"
    gate.set()
