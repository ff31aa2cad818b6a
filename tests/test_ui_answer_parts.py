"""An answer builds its reasoning section and error row only when it has something to show:
a plain saved answer has neither (fewer widgets to mount when a long chat opens), and
streamed reasoning or an error still brings them up."""

from __future__ import annotations

from textual.widgets import Static

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_lines import STOPPED_EARLY_NOTE, STOPPED_NOTE, fitted, label
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support import recorded
from tests.support.loopback import LoopbackServer, Reply, json_reply
from tests.support.tui import ask, loopback_app, send, settle, until
from tests.support.tui import workspace as research


def parts(view: AnswerView) -> list[str]:
    """The optional parts ``view`` has mounted."""
    return [part for part in ("reasoning", "error") if view.query(f".answer-view--{part}")]


def reply(pieces: list[str], hang_after: int | None = None) -> Reply:
    events = recorded.perplexity_2026_events(pieces)
    return Reply(chunks=recorded.frames(events), hang_after=hang_after)


async def test_optional_parts_are_built_only_when_there_is_something_to_show(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply(["Plain answer."]))
    loopback.queue(reply(["<think>Weighing ", "the moons</think>", "Two moons."]))
    loopback.queue(json_reply(503, {"error": {"message": "Upstream overloaded", "code": 503}}))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = research(app)
        await ask(pilot, "Plain?")
        plain = screen.conversation.query(AnswerView).last()
        assert plain.text == "Plain answer." and parts(plain) == []

        await ask(pilot, "Moons?")
        thought = screen.conversation.query(AnswerView).last()
        assert thought.has_class("-reasoning") and not thought.has_class("-error")
        section = thought.query_one(".answer-view--reasoning")
        assert section.display and parts(thought) == ["reasoning"]
        # (clicked once the view has stopped moving: under load the click met the title
        # scrolling away, and the fold stayed shut)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.click(".answer-view--reasoning CollapsibleTitle")
        shown = thought.query_one(".answer-view--reasoning-text", MarkdownText)
        await until(pilot, lambda: "Weighing the moons" in shown.source)

        await ask(pilot, "Anyone there?")
        failed = screen.conversation.query(AnswerView).last()
        assert screen.chat.messages[-1].status == MessageStatus.ERROR
        assert failed.has_class("-error") and failed.query_one(".answer-view--error").display
        assert failed.query_one(".answer-view--retry").display
        assert parts(failed) == ["error"]
        chat_id = screen.chat.id

    saved = ChatStore().load(chat_id)
    app = make_app(chat_id=saved.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        views = list(research(app).conversation.query(AnswerView))
        assert [parts(view) for view in views] == [[], ["reasoning"], ["error"]]


def end_note(view: AnswerView) -> str:
    """What the answer says under its text (its last part, shown), if anything."""
    last = view.children[-1]
    if not last.display or not last.has_class("answer-view--error"):
        return ""
    return str(last.query_one(".answer-view--error-text", Static).render())


async def test_a_stopped_answer_says_so_at_its_end(loopback: LoopbackServer) -> None:
    """QA: an answer stopped with Escape ended mid-sentence with nothing under it; only its
    label, scrolled away above a long answer, said "interrupted". A failed answer says why at
    its end, with its retry button: a stopped one says it was stopped there, the same way."""
    loopback.queue(reply(["Partial ", "answer ", "never ", "finished."], hang_after=2))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = research(app)
        await send(pilot, "Slow question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await pilot.press("escape")
        await settle(pilot)
        stopped = screen.conversation.query(AnswerView).last()
        assert screen.chat.messages[-1].status == MessageStatus.INTERRUPTED
        await until(pilot, lambda: end_note(stopped) == STOPPED_NOTE)
        assert stopped.query_one(".answer-view--retry").display
        chat_id = screen.chat.id

    app = make_app(chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reopened = research(app).conversation.query(AnswerView).last()
        await until(pilot, lambda: end_note(reopened) == STOPPED_NOTE)


async def test_an_answer_stopped_before_any_text_does_not_claim_a_partial_answer(
    loopback: LoopbackServer,
) -> None:
    """QA: Escape before the first words gave an empty answer saying "stopped: partial answer
    kept" and "Stopped here; the answer is unfinished." over nothing at all."""
    loopback.queue(reply(["Never ", "sent."], hang_after=0))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = research(app)
        await send(pilot, "Slow question")
        await until(pilot, lambda: screen.pending is not None)
        await pilot.press("escape")
        await settle(pilot)
        stopped = screen.conversation.query(AnswerView).last()
        assert screen.chat.messages[-1].content == ""
        await until(pilot, lambda: end_note(stopped) == STOPPED_EARLY_NOTE)
        progress = str(stopped.query_one(".answer-view--progress").render())
        assert "stopped before the answer began" in progress and "partial" not in progress


def test_an_answer_label_cuts_only_the_model_name_and_keeps_the_rest_in_view() -> None:
    """Its place ("2/3") and how it ended stay in view in any width: the name loses its vendor,
    then is cut with "…"; with too little room for a few letters of it beside them, they go on a
    second row. QA: "perplexity/sonar-… · openrouter · 2/2" where "sonar-pro" fitted (the cut
    took the part that tells the columns apart)."""
    name, rest = label("perplexity/sonar-reasoning-pro", "perplexity", (2, 3), None)
    assert fitted(name, rest, 0).plain == "perplexity/sonar-reasoning-pro · perplexity · 2/3"
    assert fitted(name, rest, 49).plain == "perplexity/sonar-reasoning-pro · perplexity · 2/3"
    assert fitted(name, rest, 38).plain == "sonar-reasoning-pro · perplexity · 2/3"
    assert fitted(name, rest, 30).plain == "sonar-reas… · perplexity · 2/3"
    assert fitted(name, rest, 20).plain == "sonar-reasoning-pro\nperplexity · 2/3"
    assert fitted(name, rest, 16).plain == "sonar-reasoning…\nperplexity · 2/3"
    name, rest = label("perplexity/sonar-pro", "openrouter", (2, 2), None)
    assert fitted(name, rest, 37).plain == "sonar-pro · openrouter · 2/2"
