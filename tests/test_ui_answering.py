"""Several chats answering at once, background runs in the app, and runs that outlive it.

The app talks to the loopback Agent API (tests.support.agent_runs): ``fast`` questions stream
(held mid-answer by a gate when a test wants them working), ``high`` questions are background
runs that stay queued/in progress until the script lets them end.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.config import Settings
from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.screens.run_follower import RunFollower
from pplx_tui.ui.widgets.chat_list import ChatList
from tests.support.agent_runs import RunScript
from tests.support.loopback import RecordedRequest, Reply, json_reply
from tests.support.spend import spend_today
from tests.support.tui import (
    Notifications,
    agent_app,
    on_screen,
    researching,
    row_text,
    send,
    until,
    workspace,
)

WIDE = (150, 40)


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polls every 0.1 s: quick, yet the app is idle between them (at 0.02 s it never was, and
    every pilot key waited out the idle check's 1 s limit twice)."""
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


def saved_answer(chat_id: str):
    return ChatStore().load(chat_id).messages[-1]


async def answer_then_new_chat(pilot: Pilot[Any], first_words: str = "") -> str:
    """Ask "first question", wait until its answer has begun (with ``first_words``), and open
    a new chat, leaving that one answering; returns its id."""
    screen = workspace(pilot.app)
    await send(pilot, "first question")
    first = screen.chat.id

    def begun() -> bool:
        content = screen.pending.builder.content if screen.pending else ""
        return bool(content) and first_words in content

    await until(pilot, begun)
    await pilot.press("ctrl+n")  # leaving the chat does not stop its answer
    await until(pilot, lambda: screen.chat.id != first and not screen.chat.messages)
    return first


async def working(pilot: Pilot[Any], chat_id: str) -> None:
    await until(pilot, lambda: chat_id in workspace(pilot.app).answering.working)


async def test_two_chats_answer_at_once_and_the_chat_list_marks_them(agent) -> None:
    gate = threading.Event()
    agent.gates.append(gate)  # the first chat's answer holds after its first half
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        first = await answer_then_new_chat(pilot, "A quick")
        await send(pilot, "second question")
        second = screen.chat.id
        await until(pilot, lambda: second not in screen.answering.working)
        await until(pilot, lambda: first in {e.id for e in screen.chat_list.entries})

        assert first in screen.answering.working  # still answering, in the background
        assert "answering" in row_text(app, first)
        assert saved_answer(second).status == MessageStatus.COMPLETE
        # With the chat list hidden (below 140 columns) the header still says so.
        assert "⟳ 1 elsewhere" in str(screen.header.render())

        gate.set()
        await until(pilot, lambda: first not in screen.answering.working)
        assert "elsewhere" not in str(screen.header.render())
        await until(pilot, lambda: "new answer" in row_text(app, first))
        answer = saved_answer(first)
        assert answer.status == MessageStatus.COMPLETE
        assert answer.content == "A quick answer [1]."

        await screen.open_chat(first)
        await pilot.pause()
        assert on_screen(app, "A quick answer")
        assert on_screen(app, "1 source, 1 cited")  # not "1 sources"
        assert "new answer" not in row_text(app, first)


async def test_an_unread_answer_is_still_marked_after_a_restart_until_opened(agent) -> None:
    """QA: "● new answer" (and "● answer failed") vanished when the app was closed: a
    researcher who quit lost track of unread answers. The mark stays until the chat is
    opened, in this start or a later one."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        first = await answer_then_new_chat(pilot, "A quick")
        gate.set()
        await until(pilot, lambda: "new answer" in row_text(app, first))

    again = agent_app(agent)
    async with again.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: "new answer" in row_text(again, first))
        await workspace(again).open_chat(first)
        await until(pilot, lambda: "new answer" not in row_text(again, first))

    third = agent_app(agent)
    async with third.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: first in {e.id for e in workspace(third).chat_list.entries})
        assert "new answer" not in row_text(third, first)


READY_TITLES = ["Why is the sky blue", "How do bees navigate", "What is dark matter", "Why tides"]


@pytest.fixture
def runs_ended_meanwhile(agent) -> None:
    """Four chats whose background runs (`pplx ask --background`) end at their next poll."""
    from tests.support.agent_runs import KEY
    from tests.support.cli import pplx

    for title in READY_TITLES:
        agent.scripts.append(RunScript(polls=1))
        started = pplx(
            "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
            "--model", "high", title, PERPLEXITY_API_KEY=KEY,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr


async def test_answers_ready_at_start_are_one_notice_not_a_pile_over_the_question_box(
    agent, runs_ended_meanwhile: None
) -> None:
    """QA: after a restart at 80x24, four runs that had ended meanwhile were four stacked
    "The answer in “…” is ready." toasts covering the question box. Answers ready together
    are one notice naming them (the chat list marks each), and "Following 4 background runs
    started earlier" said with them is in it, not a toast of its own above it."""
    from pplx_tui.runs import unfinished_runs

    app = agent_app(agent)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: not unfinished_runs(ChatStore()))
        await until(pilot, lambda: not screen.answering.working)
        await pilot.pause()
        said = [n for n in app._notifications if "ready" in n.title + n.message]
        said += [n for n in app._notifications if "Following" in n.message and n not in said]
        assert len(said) == 1, [n.message for n in said]
        assert said[0].title == "4 answers are ready"
        assert said[0].message.startswith("Following 4 background runs started earlier")
        named = [title for title in READY_TITLES if title in said[0].message]
        assert len(named) == 3 and "and 1 more" in said[0].message, said[0].message
        await until(pilot, lambda: len(_toasts(app)) == 1)


def _toasts(app: Any) -> list[Any]:
    from textual.widgets._toast import Toast

    return list(app.screen.query(Toast))


async def test_escape_stops_only_the_open_chats_answer_and_quitting_keeps_the_others(
    agent,
) -> None:
    first_gate, second_gate = threading.Event(), threading.Event()
    agent.gates += [first_gate, second_gate]
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        first = await answer_then_new_chat(pilot)
        await send(pilot, "second question")
        second = screen.chat.id
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))

        await pilot.press("escape")  # stops the answer on screen, not the other chat's
        await until(pilot, lambda: second not in screen.answering.working)
        assert first in screen.answering.working
        await until(pilot, lambda: saved_answer(second).status == MessageStatus.INTERRUPTED)
        assert saved_answer(second).content == "A quick a"
        await until(pilot, lambda: on_screen(app, "stopped: partial answer kept"))
    first_gate.set()
    second_gate.set()
    # Quitting while the first chat still answered kept what it had, marked interrupted.
    kept = saved_answer(first)
    assert kept.status == MessageStatus.INTERRUPTED and kept.content == "A quick a"


async def test_opening_a_saved_chat_from_the_list_leaves_the_answer_streaming(agent) -> None:
    spend_today(0.01, provider="perplexity", model="high")  # a saved chat to open
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: bool(screen.chat_list.entries))  # the list loads in a worker
        saved = screen.chat_list.entries[0].id
        await send(pilot, "first question")
        asked = screen.chat.id
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))

        screen.chat_list.post_message(ChatList.ChatChosen(screen.chat_list, saved))  # Enter on it
        await until(pilot, lambda: screen.chat.id == saved)
        assert asked in screen.answering.working
        gate.set()
        await until(pilot, lambda: "new answer" in row_text(app, asked))
        await until(pilot, lambda: saved_answer(asked).role == "assistant")
        answer = saved_answer(asked)
        assert answer.role == "assistant" and answer.status == MessageStatus.COMPLETE
        assert answer.content == "A quick answer [1]."


async def test_coming_back_shows_the_answer_so_far_and_it_streams_on(agent) -> None:
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        first = await answer_then_new_chat(pilot)
        await pilot.pause()
        assert screen.pending is None and not on_screen(app, "A quick")

        await screen.open_chat(first)
        await until(pilot, lambda: on_screen(app, "A quick"))
        assert screen.pending is not None and screen.pending.view is not None
        gate.set()
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: on_screen(app, "A quick answer [1]."))
        assert saved_answer(first).status == MessageStatus.COMPLETE


async def test_a_deep_research_question_runs_in_the_background_with_live_progress(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: isinstance(screen.pending, RunFollower))
        follower = screen.pending
        assert isinstance(follower, RunFollower)
        await until(
            pilot,
            lambda: follower.snapshot is not None and follower.snapshot.status == "in_progress",
        )
        await until(pilot, lambda: on_screen(app, "Researching (background run)"))
        # The search it made comes with a later poll.
        await until(pilot, lambda: on_screen(app, "“tardigrade cryptobiosis survival"))
        # The run id was saved as soon as the provider took the question, and its status as
        # it changes (what `pplx runs` in another terminal shows).
        await until(
            pilot, lambda: saved_answer(screen.chat.id).run.status == "in_progress", timeout=5
        )
        assert saved_answer(screen.chat.id).running

        agent.finish()
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
        answer = saved_answer(screen.chat.id)
        assert answer.status == MessageStatus.COMPLETE and len(answer.sources) == 4
        assert answer.usage is not None and answer.usage.cost_usd == pytest.approx(0.0281)


async def test_a_run_that_ended_incomplete_is_shown_cut_short(agent) -> None:
    """QA: a run cut at its max_output_tokens (``incomplete``) was shown as a whole answer."""
    agent.scripts.append(RunScript(outcome="incomplete", hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await researching(pilot)
        agent.finish()
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: on_screen(app, "before the answer was whole"))
        answer = saved_answer(screen.chat.id)

    assert answer.status == MessageStatus.INTERRUPTED and answer.content
    assert answer.error and "(max_output_tokens)" in answer.error


async def test_stopping_a_background_run_cancels_it_and_keeps_what_it_found(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id

        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        await app.workers.wait_for_complete()

    answer = saved_answer(chat_id)
    assert answer.status == MessageStatus.INTERRUPTED and not answer.running
    assert answer.run is not None and answer.run.status == "cancelled"
    assert len(answer.sources) >= 2  # the sources found so far are kept
    assert any(r.path.endswith("/cancel") for r in agent.requests)


async def test_a_question_in_a_chat_still_researching_does_not_cancel_the_run(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    notes = Notifications()
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id

        await send(pilot, "and water bears in general?")
        await until(pilot, lambda: bool(notes.texts("warning")))
        assert "still researching" in notes.texts("warning")[0]
        assert screen.prompt.text == "and water bears in general?"  # nothing lost
        assert chat_id in screen.answering.working
        assert [m.role for m in screen.chat.messages] == ["user", "assistant"]
        assert not any(r.path.endswith("/cancel") for r in agent.requests)


async def test_a_run_left_by_a_closed_app_is_filled_in_by_the_next_start(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=WIDE) as pilot:
        screen = workspace(first)
        await researching(pilot)
        chat_id = screen.chat.id
    # Closed mid-run: the chat waits on its run; nothing was cancelled.
    assert saved_answer(chat_id).running
    assert not any(r.path.endswith("/cancel") for r in agent.requests)

    notes = Notifications()
    second = agent_app(agent, model="fast")
    async with second.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(second)
        # Still in progress: the new app follows it, and says so.
        await working(pilot, chat_id)
        await until(pilot, lambda: "answering" in row_text(second, chat_id))
        # Said once every run found is followed (the row is marked as each one starts).
        await until(pilot, lambda: any("Following 1 background run" in t for t in notes.texts()))
        (following,) = [t for t in notes.texts() if "Following 1 background run" in t]
        assert "the chat list (ctrl+b) marks its chat." in following, following
        agent.finish()
        await until(pilot, lambda: not saved_answer(chat_id).running)
        await until(pilot, lambda: not screen.answering.working)
        answer = saved_answer(chat_id)
        assert answer.status == MessageStatus.COMPLETE
        assert answer.content.startswith("Tardigrades survive open space")
        assert "new answer" in row_text(second, chat_id)
        # (the notification is a message to the app: it may still be on its way)
        await until(pilot, lambda: any("is ready" in text for text in notes.texts()))

        await screen.open_chat(chat_id)
        await until(pilot, lambda: on_screen(second, "Tardigrades survive open space"))


async def test_a_run_resumed_at_start_can_be_stopped_and_is_cancelled_at_the_provider(
    agent,
) -> None:
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=WIDE) as pilot:
        screen = workspace(first)
        await researching(pilot)
        chat_id = screen.chat.id

    second = agent_app(agent, chat_id=chat_id)  # opens the chat waiting on its run
    async with second.run_test(size=WIDE) as pilot:
        screen = workspace(second)
        await working(pilot, chat_id)
        await until(pilot, lambda: on_screen(second, "Researching (background run)"))
        await pilot.press("escape")
        await until(pilot, lambda: not screen.answering.working)
        # Sources, no text: no partial answer to keep.
        await until(pilot, lambda: on_screen(second, "stopped before the answer began"))
        await second.workers.wait_for_complete()

    assert any(r.path.endswith("/cancel") for r in agent.requests)
    answer = saved_answer(chat_id)
    assert answer.status == MessageStatus.INTERRUPTED and answer.run.status == "cancelled"
    assert len(answer.sources) >= 2


async def test_a_run_the_provider_forgot_is_marked_lost_at_the_next_start(agent) -> None:
    agent.scripts.append(RunScript(outcome="lost", hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=WIDE) as pilot:
        screen = workspace(first)
        await researching(pilot)
        chat_id = screen.chat.id
    agent.finish()

    notes = Notifications()
    second = agent_app(agent)
    async with second.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: not saved_answer(chat_id).running)
        await until(pilot, lambda: bool(notes.texts("warning")))
        assert "no longer knows this background run" in notes.texts("warning")[0]
        assert not any("is ready" in text for text in notes.texts())
        await workspace(second).open_chat(chat_id)
        await until(pilot, lambda: on_screen(second, "no longer knows this background run"))

    answer = saved_answer(chat_id)
    assert answer.status == MessageStatus.ERROR and answer.run.status == "lost"


async def test_a_run_lost_while_followed_keeps_its_sources_and_says_lost(agent) -> None:
    """QA: while researching with 2 sources, a 404 threw them away ("This answer has no
    sources."), where a failed run keeps them; and the answer said "failed", the chat list
    "answer failed", where `pplx runs` says lost."""
    from pplx_tui.ui.widgets.sources_panel import SourcesPanel

    agent.scripts.append(RunScript(outcome="lost", hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id
        await pilot.press("ctrl+n")  # elsewhere when it ends: the chat list marks it
        await until(pilot, lambda: screen.chat.id != chat_id)
        agent.finish()
        await until(pilot, lambda: not saved_answer(chat_id).running)
        await until(pilot, lambda: "run lost" in row_text(app, chat_id))

        await screen.open_chat(chat_id)
        await until(pilot, lambda: on_screen(app, "· lost"))
        assert not on_screen(app, "· failed")
        panel = screen.query_one(SourcesPanel)
        await until(pilot, lambda: len(panel.sources) >= 2)  # (3 once its second search ran)

    answer = saved_answer(chat_id)
    assert answer.run.status == "lost" and len(answer.sources) >= 2


async def test_a_run_the_next_start_cannot_check_says_why_and_ctrl_r_checks_again(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=WIDE) as pilot:
        screen = workspace(first)
        await researching(pilot)
        chat_id = screen.chat.id
    agent.finish()
    # The next start (with another key) is refused once, as if the key were not valid yet.
    other_key = "pplx-other0123456789abcdefghijklmn"
    refused: list[RecordedRequest] = []
    serve = agent.http.default

    def refuse_once(request: RecordedRequest) -> Reply:
        if request.headers.get("authorization") == f"Bearer {other_key}" and not refused:
            refused.append(request)
            return json_reply(401, {"error": {"message": "Invalid API key", "code": 401}})
        return serve(request)

    agent.http.default = refuse_once
    notes = Notifications()
    second = agent_app(agent, key=other_key)
    async with second.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(second)
        await until(pilot, lambda: bool(notes.texts("warning")))
        await until(pilot, lambda: not screen.answering.working)
        assert not any("is ready" in text for text in notes.texts())
        assert "Invalid API key" in notes.texts("warning")[0]
        assert "new answer" not in row_text(second, chat_id)
        waiting = saved_answer(chat_id)
        assert waiting.running and waiting.error and "Invalid API key" in waiting.error

        await screen.open_chat(chat_id)
        await until(pilot, lambda: on_screen(second, "not checked now: ctrl+r checks it again"))
        assert on_screen(second, "rejected the API key")
        posts = sum(r.method == "POST" for r in agent.requests)
        await pilot.press("ctrl+r")  # follows the same run; the question is not asked again
        await until(pilot, lambda: on_screen(second, "Tardigrades survive open space"))
        assert sum(r.method == "POST" for r in agent.requests) == posts
        await until(pilot, lambda: saved_answer(chat_id).status == MessageStatus.COMPLETE)
        assert saved_answer(chat_id).error is None


async def test_a_chat_that_cost_nothing_shows_only_todays_total(agent) -> None:
    spend_today(0.05, provider="perplexity", model="high")
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        header = workspace(app).header
        await until(pilot, lambda: "today" in str(header.render()))
        assert str(header.render()).rstrip().endswith("fast · $0.0500 today")


async def test_past_the_daily_budget_the_app_asks_before_sending(agent) -> None:
    spend_today(0.05, provider="perplexity", model="high")
    app = agent_app(agent, settings=Settings(daily_budget_usd=0.04))
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "one more question")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "daily budget of $0.0400" in app.screen.message
        await pilot.press("n")
        await until(pilot, lambda: screen.prompt.text == "one more question")
        assert not agent.requests  # nothing was sent

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: bool(agent.requests))
        await until(pilot, lambda: screen.pending is None and bool(screen.chat.messages))
        assert screen.chat.messages[-1].content == "A quick answer [1]."


async def test_escape_in_the_conversation_stops_the_answer_and_its_keys_act_there(agent) -> None:
    """QA: Escape from the conversation stopped the answer and sent the focus to the question
    box, where the ``r`` typed next (to ask again) went into the question."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "a question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        screen.set_focus(screen.conversation)
        await pilot.press("escape")
        await until(pilot, lambda: on_screen(app, "stopped: partial answer kept"))
        assert screen.conversation.has_focus_within, f"the keys went to {app.focused!r}"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert screen.prompt.text == ""
    gate.set()


async def test_asking_again_in_a_chat_still_researching_keeps_its_run(agent) -> None:
    """QA: r on an earlier answer while the chat researched in the background stopped the
    run first (once the dialog's yes was given), and so cancelled it, without a word. As a new
    question is, it is refused before the dialog, and says what to do instead."""
    agent.scripts += [RunScript(), RunScript(hold=True)]
    app, notes = agent_app(agent, model="high"), Notifications()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "How big is Phobos?")
        await until(pilot, lambda: screen.pending is None and len(screen.chat.messages) == 2)
        await researching(pilot, "And Deimos?")
        screen.set_focus(screen.conversation)
        await pilot.press("home", "r")  # the first answer selected, asked again
        await until(pilot, lambda: any("still researching" in t for t in notes.texts()))
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert screen.answering.of(screen.chat.id) is not None  # still followed
        agent.finish()
    assert not any(r.path.endswith("/cancel") for r in agent.requests)


async def test_back_in_a_chat_its_answer_says_the_time_the_chat_list_says(agent) -> None:
    """QA: back in a chat still answering, the line under its answer said the time it was
    left at ("Answering · 19s", the list "answering · 24s") until the next second's tick."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "a question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        chat_id, answer = screen.chat.id, screen.pending
        await pilot.press("ctrl+n")
        await until(pilot, lambda: "answering · 2s" in row_text(app, chat_id))
        await screen.open_chat(chat_id)
        answer.show_progress()  # drawn as the next event from the server draws it
        listed = row_text(app, chat_id).split("answering · ")[1].split()[0]
        await until(pilot, lambda: on_screen(app, f"Answering · {listed}"))
    gate.set()


async def test_ctrl_r_while_the_answer_is_written_asks_nothing_again(agent) -> None:
    """QA: ctrl+r pressed 5 times while an answer streamed stopped it and sent the question
    again each time (5 paid requests, 4 empty alternatives): key repeat became requests. While
    the open chat's answer is being written, ctrl+r says how to ask again and sends nothing."""
    gate = threading.Event()
    agent.gates.append(gate)
    notes = Notifications()
    app = agent_app(agent)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "a question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        sent, streaming = len(agent.requests), screen.pending
        await pilot.press("ctrl+r", "ctrl+r", "ctrl+r")
        await until(pilot, lambda: any("still being written" in t for t in notes.texts()))
        said = [t for t in notes.texts() if "still being written" in t]
        assert said[0].endswith("stops it, then ctrl+r asks again."), said
        assert len(agent.requests) == sent and screen.pending is streaming
        gate.set()
        await until(pilot, lambda: screen.pending is None)
        assert [m.status for m in screen.chat.messages] == [MessageStatus.COMPLETE] * 2
