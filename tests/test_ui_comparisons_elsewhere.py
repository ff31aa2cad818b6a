"""A comparison keeps working when its chat is left, as an answer alone does (QA: ctrl+n, or
another chat opened from the list, stopped every column and cancelled a deep-research column's
run at Perplexity, without a word). Its chat is marked answering, the header counts it
elsewhere, its columns are kept as they end, and the chat shows them again as they are.
ctrl+t in a chat still researching is refused, as Enter is there."""

from __future__ import annotations

import threading
from typing import Any

from textual.pilot import Pilot

from pplx_tui.models import MessageStatus
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.agent_runs import RunScript
from tests.support.answers import focus_conversation, pick_model, reply, saved, stalled_moons
from tests.support.compare_picks import ask_beside
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    Notifications,
    agent_app,
    ask,
    loopback_app,
    on_screen,
    researching,
    row_text,
    send,
    until,
    workspace,
)
from tests.test_ui_comparisons import AND_SONAR_PRO
from tests.test_ui_comparisons import compare as compare_openrouter

WIDE = (150, 40)
HALF = "A quick a"
"""The first half of a streamed Agent API answer (``agent_runs.streamed_answer``)."""
WHOLE = "A quick answer [1]."


async def compare(pilot: Pilot[Any], model: str) -> str:
    """Ask the app's model (``fast``) and ``model`` side by side, with ctrl+t; the chat's id."""
    screen = workspace(pilot.app)  # type: ignore[arg-type]
    await ask_beside(pilot, "How do tardigrades survive?", model)
    await until(pilot, lambda: bool(screen.alternatives.comparing))
    return screen.chat.id


def answers(chat_id: str) -> dict[str, Any]:
    """The saved chat's answers by model."""
    return {m.model: m for m in saved(chat_id).messages if m.role == "assistant"}


async def test_streamed_columns_go_on_in_another_chat_and_come_back_as_they_are(agent) -> None:
    gates = [threading.Event(), threading.Event()]
    agent.gates.extend(gates)  # both columns stop after half their answer
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_id = await compare(pilot, "low")
        comparison = screen.query_one(Comparison)
        await until(pilot, lambda: all(HALF in view.text for view in comparison.views))

        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)
        await until(pilot, lambda: "⟳ answering" in row_text(app, chat_id))
        await until(pilot, lambda: on_screen(app, "⟳ 1 elsewhere"))
        assert not on_screen(app, "comparing 2 answers")

        await screen.open_chat(chat_id)  # back while both still stream
        comparison = screen.query_one(Comparison)
        assert [view.model for view in comparison.views] == ["fast", "low"]
        assert all(HALF in view.text for view in comparison.views)
        assert on_screen(app, "comparing 2 answers")
        assert not on_screen(app, "elsewhere")

        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)
        for gate in gates:
            gate.set()  # both end while their chat is not on screen
        await until(pilot, lambda: not screen.alternatives.live)
        await until(pilot, lambda: "new answer" in row_text(app, chat_id))
        assert not on_screen(app, "elsewhere")
        kept = answers(chat_id)
        assert {model: m.status for model, m in kept.items()} == {
            "fast": MessageStatus.COMPLETE,
            "low": MessageStatus.COMPLETE,
        }
        assert saved(chat_id).active_path()[-1].model == "fast"  # the first column's

        await screen.open_chat(chat_id)
        comparison = screen.query_one(Comparison)
        assert [view.model for view in comparison.views] == ["fast", "low"]
        assert all(WHOLE in view.text for view in comparison.views)
    assert not any(r.path.endswith("/cancel") for r in agent.requests)


async def test_a_compared_run_is_not_cancelled_by_leaving_and_fills_in_elsewhere(agent) -> None:
    """QA: ctrl+n once ``fast`` had answered beside ``high`` cancelled high's run."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_id = await compare(pilot, "high")
        await until(pilot, lambda: answers(chat_id).get("fast") is not None)
        await until(pilot, lambda: on_screen(app, "Researching (background run)"))
        # Marked as a run alone is, in the open chat too (QA: its date).
        await until(pilot, lambda: "⟳ answering" in row_text(app, chat_id))

        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)
        await until(pilot, lambda: on_screen(app, "⟳ 1 elsewhere"))
        [run_id] = list(agent.runs)
        polled = agent.polls(run_id)
        await until(pilot, lambda: agent.polls(run_id) > polled)  # still followed
        assert answers(chat_id)["high"].running

        agent.finish()
        await until(pilot, lambda: not answers(chat_id)["high"].running)
        await until(pilot, lambda: "new answer" in row_text(app, chat_id))
        assert answers(chat_id)["high"].status == MessageStatus.COMPLETE
        await screen.open_chat(chat_id)
        comparison = screen.query_one(Comparison)
        assert [view.model for view in comparison.views] == ["fast", "high"]
        assert "Tardigrades survive" in comparison.views[1].text
    assert not any(r.path.endswith("/cancel") for r in agent.requests)


async def test_a_compared_run_goes_on_when_another_chat_is_opened_and_back(agent) -> None:
    """The same from the chat list: another chat opened, then this one again while the run
    goes on: its column is shown researching and fills in there."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: screen.chat.messages and screen.pending is None)
        other = screen.chat.id
        await pilot.press("ctrl+n")
        chat_id = await compare(pilot, "high")
        await until(pilot, lambda: answers(chat_id).get("fast") is not None)

        await screen.open_chat(other)
        await until(pilot, lambda: on_screen(app, "⟳ 1 elsewhere"))
        await screen.open_chat(chat_id)
        await until(pilot, lambda: on_screen(app, "Researching (background run)"))
        assert on_screen(app, "comparing 2 answers")
        comparison = screen.query_one(Comparison)
        assert WHOLE in comparison.views[0].text
        # Numbered as before (QA of this fix: "[1 fast]  3 high", the run's answer counted
        # twice).
        assert [view.place for view in comparison.views] == [(1, 2), (2, 2)]
        agent.finish()
        await until(pilot, lambda: "Tardigrades survive" in comparison.views[1].text)
        await until(pilot, lambda: not on_screen(app, "comparing 2 answers"))
    assert not any(r.path.endswith("/cancel") for r in agent.requests)
    assert answers(chat_id)["high"].status == MessageStatus.COMPLETE


async def test_the_header_keeps_saying_it_compares_when_another_chat_s_answer_ends(agent) -> None:
    """QA: once another chat's answer ended, the header dropped "comparing 2 answers…" while
    the ``high`` column still ran."""
    gate = threading.Event()
    agent.gates.append(gate)  # the first chat's answer waits halfway
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        first = screen.chat.id
        await until(pilot, lambda: screen.pending is not None)
        await pilot.press("ctrl+n")
        chat_id = await compare(pilot, "high")
        await until(pilot, lambda: answers(chat_id).get("fast") is not None)
        await until(pilot, lambda: on_screen(app, "⟳ 1 elsewhere"))
        gate.set()
        await until(pilot, lambda: first not in screen.answering.working)
        await until(pilot, lambda: not on_screen(app, "elsewhere"))
        assert on_screen(app, "comparing 2 answers")
        agent.finish()


async def test_ctrl_t_in_a_chat_still_researching_is_refused_as_enter_is(agent) -> None:
    """QA: ctrl+t sent a follow-up comparison there, and the deep-research answer became
    "interrupted … stopped before the answer began"."""
    agent.scripts.append(RunScript(hold=True))
    app, notes = agent_app(agent, model="high"), Notifications()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await researching(pilot)
        screen.prompt.insert("And in space?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: any("still researching" in t for t in notes.texts()))
        await pilot.pause()
        assert not isinstance(app.screen, ComparePickerScreen)
        assert screen.prompt.text == "And in space?"
        assert screen.answering.of(screen.chat.id) is not None  # still followed
        agent.finish()
    assert not any(r.path.endswith("/cancel") for r in agent.requests)


async def test_deleting_a_chat_comparing_elsewhere_ends_its_comparison_and_run(agent) -> None:
    """Deleting the chat from the list while its comparison goes on elsewhere stops it there
    and cancels its run, as for an answer alone; the dialog says so."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_id = await compare(pilot, "high")
        await until(pilot, lambda: answers(chat_id).get("fast") is not None)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)

        screen.chats.delete(chat_id, "How do tardigrades survive?")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Its background run is still going" in app.screen.message, app.screen.message
        await pilot.press("tab", "enter")
        await until(pilot, lambda: any(r.path.endswith("/cancel") for r in agent.requests))
        assert not screen.alternatives.live
        await until(pilot, lambda: not row_text(app, chat_id))
        assert not on_screen(app, "elsewhere")
    (run,) = agent.runs.values()
    assert run.cancelled


async def test_a_column_asked_again_comes_back_with_the_turns_after_the_comparison(
    loopback: LoopbackServer,
) -> None:
    """A column asked again (m) while later questions follow another: left and shown again
    while it streams, the chat shows the comparison in its place, the later turns after it."""
    loopback.default = lambda request: reply(f"{request.json['model']} answers.")
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await compare_openrouter(pilot, "How many moons?", *AND_SONAR_PRO)
        chat_id = screen.chat.id
        await ask(pilot, "And Phobos?")
        held = stalled_moons()
        loopback.queue(held)
        comparison = screen.query_one(Comparison)
        screen.conversation.select(comparison.views[1])
        await focus_conversation(pilot)
        await pilot.press("m")
        await pick_model(pilot, "perplexity/sonar-reasoning-pro")
        await until(pilot, lambda: "Two moons" in comparison.views[1].text)

        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)
        await screen.open_chat(chat_id)
        comparison = screen.query_one(Comparison)
        assert [view.model for view in comparison.views] == [
            "perplexity/sonar",
            "perplexity/sonar-reasoning-pro",
        ]
        assert "Two moons" in comparison.views[1].text
        turns = list(screen.conversation.query_children(".-turn"))
        assert turns.index(comparison) == 1
        assert [type(turn).__name__ for turn in turns[2:]] == ["QuestionView", "AnswerView"]
        await until(pilot, lambda: on_screen(app, "And Phobos?"))
        held.resume()
        await until(pilot, lambda: not screen.alternatives.live)
        assert comparison.views[1].message is not None
        assert comparison.views[1].message.status == MessageStatus.COMPLETE
    assert [m.content for m in saved(chat_id).active_path()][-2:] == [
        "And Phobos?",
        "perplexity/sonar answers.",
    ]
