"""Background runs in the app at awkward moments: stopped (or the app closed) before the provider
said it took the question, checked again while followed, cancelled in another window, answered
at once."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.screens import run_follower
from tests.support.agent_runs import KEY, RunScript, completed_response
from tests.support.cli import pplx
from tests.support.held_starts import HeldStarts
from tests.support.loopback import LoopbackServer, json_reply
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


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


@pytest.fixture
def held(agent) -> HeldStarts:
    """Background questions the provider takes (the run starts) but answers only on release."""
    agent.scripts.append(RunScript(hold=True))
    return HeldStarts(agent)


async def ask_held(pilot: Pilot[Any], held: HeldStarts) -> str:
    """Ask a deep-research question; once the provider holds it, the chat's id."""
    await send(pilot, "How do tardigrades survive?")
    await until(pilot, held.arrived.is_set)
    return workspace(pilot.app).chat.id


async def test_escape_before_the_provider_answered_the_question_still_cancels_its_run(
    agent, held: HeldStarts
) -> None:
    """Enter, then Escape at once (a wrong question): the provider had started the run but
    not yet said so. The run went on, and cost, with nothing in any chat to see or stop it."""
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        chat_id = await ask_held(pilot, held)

        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        held.release()
        await until(pilot, lambda: any(r.path.endswith("/cancel") for r in agent.requests))
        await app.workers.wait_for_complete()

    (run,) = agent.runs.values()
    assert run.cancelled
    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.INTERRUPTED and not answer.running


def _release_once_closing(app: PplxApp, held: HeldStarts) -> threading.Thread:
    """A thread that lets the held questions be answered once the app is closing."""

    def release() -> None:
        while app.is_running:
            time.sleep(0.005)
        held.release()

    return threading.Thread(target=release, daemon=True)


async def test_quitting_while_the_provider_takes_the_question_keeps_its_run(
    agent, held: HeldStarts
) -> None:
    """ctrl+q right after Enter on a deep-research question: the provider had started the run
    but not yet said so, and the app closed without its id. The run went on, and cost, with no
    chat to see it in; now the closing app waits for the id and the next start follows it."""
    app = agent_app(agent, model="high")
    releaser = _release_once_closing(app, held)
    async with app.run_test(size=(120, 40)) as pilot:
        chat_id = await ask_held(pilot, held)
        releaser.start()
        await pilot.press("ctrl+q")
    releaser.join(5)

    (run_id,) = agent.runs
    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.run is not None and answer.run.id == run_id
    assert answer.running and not agent.runs[run_id].cancelled


async def test_a_question_the_provider_never_confirms_says_its_run_may_go_on(
    agent, held: HeldStarts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app closes and the provider still has not said it took the question: the answer
    kept says the run may go on unseen (it said only "interrupted")."""
    monkeypatch.setattr(run_follower, "CONFIRM_SECONDS", 0.2)
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        chat_id = await ask_held(pilot, held)
        await pilot.press("ctrl+q")
    held.release()

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.role == "assistant" and answer.status == MessageStatus.INTERRUPTED
    assert answer.run is None and "may go on there, unseen" in (answer.error or "")


@pytest.fixture
def waiting_chat(agent) -> str:
    """A chat waiting on its background run (``pplx ask --background``); its id."""
    agent.scripts.append(RunScript(hold=True))
    started = pplx(
        "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
        "--model", "high", "How do tardigrades survive?", PERPLEXITY_API_KEY=KEY,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


async def test_a_question_in_a_chat_whose_run_could_not_be_checked_is_kept_back(
    agent, waiting_chat: str
) -> None:
    """The run is not followed here (its check failed), but it still goes on: a question there
    would follow an answer that is not there yet, as it would while the run is followed."""
    agent.http.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    notes = Notifications()
    app = agent_app(agent, chat_id=waiting_chat)
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: on_screen(app, "not checked now: ctrl+r checks it again"))
        assert not screen.answering.working
        posts = sum(r.method == "POST" for r in agent.requests)

        await send(pilot, "and water bears in general?")
        await until(pilot, lambda: any("still researching" in t for t in notes.texts("warning")))

        assert "ctrl+r" in notes.texts("warning")[-1]
        assert screen.prompt.text == "and water bears in general?"
        assert [m.role for m in screen.chat.messages] == ["user", "assistant"]
        assert sum(r.method == "POST" for r in agent.requests) == posts


async def test_a_run_cancelled_elsewhere_is_not_announced_as_ready(
    agent, waiting_chat: str
) -> None:
    """Another window (or `pplx chats delete`) stopped the run this app follows for a chat not
    on screen: it said "The answer in … is ready" and marked the chat "new answer"."""
    notes = Notifications()
    app = agent_app(agent)  # a new chat on screen; the waiting one is followed
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        working = workspace(app).answering.working
        await until(pilot, lambda: waiting_chat in working)
        (run,) = agent.runs.values()
        run.cancelled = True  # as the other window's Escape does

        await until(pilot, lambda: not working)
        await until(pilot, lambda: bool(notes.texts("warning")))

        # (the list is read after the first frame: in a fresh process, slower than the run)
        await until(pilot, lambda: "answer stopped" in row_text(app, waiting_chat))
        assert not any("is ready" in text for text in notes.texts())
        assert "was stopped elsewhere" in notes.texts("warning")[0]
        assert "new answer" not in row_text(app, waiting_chat)


async def test_ctrl_r_while_the_run_is_followed_neither_cancels_nor_asks_again(agent) -> None:
    """ctrl+r is what the app names for checking a run again; pressed while the run is being
    followed it cancelled the run (minutes of research, paid) and asked the question anew."""
    agent.scripts.append(RunScript(hold=True))
    notes = Notifications()
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        await researching(pilot)
        posts = sum(r.method == "POST" for r in agent.requests)

        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("being checked" in t for t in notes.texts()))

        assert sum(r.method == "POST" for r in agent.requests) == posts  # no cancel, no new run
        assert screen.chat.id in screen.answering.working
        agent.finish()
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))


async def test_a_run_the_provider_finished_at_once_is_kept_not_polled_into_lost(
    loopback: LoopbackServer,
) -> None:
    """A gateway that answers the background question whole (it ignores ``background``) and
    keeps no runs to poll (404): the answer it gave was thrown away and the run marked lost."""
    loopback.queue(json_reply(200, completed_response("resp_at-once")))
    loopback.default = lambda request: json_reply(
        404, {"error": {"message": "resource not found", "type": "not_found", "code": 404}}
    )
    app = agent_app(loopback, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
        await until(pilot, lambda: not screen.answering.working)
        chat_id = screen.chat.id

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.COMPLETE and answer.run.status == "completed"
    assert [r.method for r in loopback.requests] == ["POST"]


async def test_a_stop_the_provider_refuses_says_the_run_may_go_on(agent) -> None:
    """Escape on a followed run whose cancel Perplexity refused (a key without the right, a
    server down): the answer read "interrupted" while the run went on, and cost, unsaid."""
    agent.scripts.append(RunScript(hold=True, cancel_refused=True))
    notes = Notifications()
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: screen.chat.id in screen.answering.working)
        await until(pilot, lambda: bool(agent.runs))
        await pilot.press("escape")
        await until(pilot, lambda: any("could not be stopped" in t for t in notes.texts()))

    (warning,) = [t for t in notes.texts("warning") if "could not be stopped" in t]
    assert "Not allowed" in warning and "may go on" in warning
    assert not any(run.cancelled for run in agent.runs.values())
    # Two plain sentences: the reason was wrapped in parentheses around its own, ending `.);`.
    assert ".)" not in warning and "stopped (" not in warning, warning


async def test_a_run_whose_stop_was_refused_stays_followed_and_fills_in(agent) -> None:
    """QA: the cancel refused (403), the run was recorded cancelled all the same: the answer
    marked interrupted, `pplx runs` listing it cancelled, a restart not following it, and
    ctrl+r starting a second billed run while the first went on unseen."""
    agent.scripts.append(RunScript(hold=True, cancel_refused=True))
    notes = Notifications()
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id
        await pilot.press("escape")
        await until(pilot, lambda: any("could not be stopped" in t for t in notes.texts()))

        assert screen.answering.of(chat_id) is not None  # still followed
        assert ChatStore().load(chat_id).messages[-1].running
        listed = pplx("runs", "--json")
        assert [r["finished"] for r in json.loads(listed.stdout)] == [False], listed.stdout
        posts = sum(r.method == "POST" for r in agent.requests)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("being checked" in t for t in notes.texts()))
        assert sum(r.method == "POST" for r in agent.requests) == posts  # no second run

        agent.finish()
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
        await until(pilot, lambda: not screen.answering.working)

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.COMPLETE and answer.run.status == "completed"


@pytest.fixture
def many_waiting_chats(agent) -> int:
    """More chats waiting on their runs than the app follows at start (20); how many."""
    agent.default_script = RunScript(hold=True)
    for number in range(23):
        started = pplx(
            "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
            "--model", "high", f"Question {number}?", PERPLEXITY_API_KEY=KEY,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
    return 23


async def test_at_most_twenty_earlier_runs_are_followed_at_start(
    agent, many_waiting_chats: int
) -> None:
    """Chats waiting on 23 runs (an import's, a provider's that never ends them): the app
    started 23 pollers at once, each asking every few seconds with the key."""
    notes = Notifications()
    app = agent_app(agent)
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await until(pilot, lambda: any("started earlier" in text for text in notes.texts()))
        assert len(workspace(app).answering.working) == 20
        (said,) = [text for text in notes.texts() if "started earlier" in text]
        assert said.startswith("Following 20 background runs") and "3 more wait" in said


async def test_a_run_stopped_with_sources_and_no_text_does_not_say_a_partial_answer_was_kept(
    agent,
) -> None:
    """QA: Escape on a 'high' run that had found sources, no text: "3 sources, 0 cited ·
    stopped: partial answer kept" over "Stopped before any of the answer arrived." (here, when
    reopened, and in pplx chats show)."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: on_screen(app, "Stopped before any of the answer arrived"))
        await until(pilot, lambda: on_screen(app, "stopped before the answer began"))
        assert not on_screen(app, "partial answer kept")
        chat_id = screen.chat.id
        await app.workers.wait_for_complete()

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.sources and not answer.content
    reopened = agent_app(agent, model="high", chat_id=chat_id)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(reopened, "stopped before the answer began"))
        assert not on_screen(reopened, "partial answer kept")
    shown = pplx("chats", "show", chat_id)
    assert shown.returncode == 0, shown.stderr
    assert "*(The answer was stopped before any of it arrived.)*" in shown.stdout, shown.stdout
    assert "interrupted here" not in shown.stdout


async def test_deleting_a_chat_cancels_its_run_this_window_does_not_follow(
    agent, waiting_chat: str
) -> None:
    """QA: a chat whose run is not followed here (its check failed; started by `pplx ask
    --background`; past the 20 followed at start) was deleted and its run went on, billed, with
    no chat left to see it in; `pplx chats delete` cancels it. The dialog says it will."""
    agent.http.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = agent_app(agent, chat_id=waiting_chat)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: on_screen(app, "not checked now: ctrl+r checks it again"))
        assert not screen.answering.working

        screen.chats.delete_current()
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        assert "will be cancelled" in app.screen.message, app.screen.message
        await pilot.press("tab", "enter")
        await until(pilot, lambda: any(r.path.endswith("/cancel") for r in agent.requests))
        await app.workers.wait_for_complete()

    (run,) = agent.runs.values()
    assert run.cancelled
    assert not ChatStore().list_chats()


async def test_a_run_followed_through_an_outage_is_waited_out(
    agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: after a short outage every followed run was dropped ("not checked now: ctrl+r checks
    it again"), its markers and sources gone and its chat's date set to the outage. A hiccup
    is waited out now, as `pplx runs wait` does; a long one is said on the answer."""
    monkeypatch.setattr(run_follower, "UNREACHABLE_NOTICE", 0.5)
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id
        updated = ChatStore().load(chat_id).updated_at

        agent.portal = True
        before = len(agent.requests)
        await until(pilot, lambda: len(agent.requests) > before + 8)  # more than 6 failed polls
        await until(pilot, lambda: on_screen(app, "could not be reached for"))
        assert on_screen(app, "still trying")
        assert screen.answering.of(chat_id) is screen.pending
        assert screen.pending.builder.sources
        assert ChatStore().load(chat_id).updated_at == updated

        agent.portal = False
        agent.finish()
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
        await until(pilot, lambda: not screen.answering.working)

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.COMPLETE and not answer.error


async def test_a_run_whose_server_answers_503_says_so_not_that_it_cannot_be_reached(
    agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: polls answered 503 for 41 s and the answer said the provider "could not be reached",
    though it answered each time."""
    monkeypatch.setattr(run_follower, "UNREACHABLE_NOTICE", 0.5)
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        await researching(pilot)

        agent.unavailable = True
        await until(pilot, lambda: on_screen(app, "answered 503 (unavailable) for"))
        assert on_screen(app, "still trying")
        assert not on_screen(app, "could not be reached")

        agent.unavailable = False
        agent.finish()
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))


async def test_a_run_checked_again_while_unreachable_does_not_say_it_is_queued(
    agent, waiting_chat: str
) -> None:
    """QA: ctrl+r checking a run again with the server still down read "Queued (background
    run) · 2m 39s" (the run was researching; nothing had answered)."""
    agent.portal = True
    app = agent_app(agent, chat_id=waiting_chat)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: waiting_chat in screen.answering.working)
        await until(pilot, lambda: on_screen(app, "(background run)"))
        assert not on_screen(app, "Queued")
        assert on_screen(app, "Checking")


async def test_a_run_whose_key_is_refused_is_marked_not_checked_and_keeps_its_sources(
    agent,
) -> None:
    """A refused key does end following: the chat list said nothing of it (its `⟳ answering`
    went, no mark came) and the answer lost the sources it showed."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id
        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)

        agent.http.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
        await until(pilot, lambda: not screen.answering.working)
        await until(pilot, lambda: "run not checked" in row_text(app, chat_id))

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.running and answer.error_kind == "auth"
    assert answer.sources and answer.sources[0].url == "https://www.esa.int/tardigrades"


@pytest.mark.parametrize("typed", ["eggs", ""], ids=["words", "nothing"])
async def test_escape_ending_a_chat_search_leaves_the_run_be(agent, typed: str) -> None:
    """QA: Escape in the chat list's search box ("Search (Esc clears)") cleared the search and
    stopped the open chat's background run too, cancelling a paid run at Perplexity: the
    screen's Escape (stop) ran after the list's. Ending a search is all it does now, and the
    question box gets the focus."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        await researching(pilot, "How do tardigrade eggs survive?")
        await pilot.press("ctrl+f", *typed)
        await until(pilot, lambda: screen.chat_list.query_text == typed)

        await pilot.press("escape")
        await until(pilot, lambda: screen.prompt.has_focus)
        await pilot.pause()
        assert screen.pending is not None and not screen.chat_list.query_text
        assert not any(r.path.endswith("/cancel") for r in agent.requests)
        agent.finish()
        await until(pilot, lambda: screen.pending is None)
