"""The research workspace driven through pilots: ask, stream, stop, retry, switch models.

Answers come from the offline demo (no delay) or from the loopback server speaking the
OpenRouter/Perplexity wire format over real sockets.
"""

from __future__ import annotations

import pytest

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support import recorded
from tests.support.answers import answer_reply, answers, source_items
from tests.support.cli import KEY, chunk
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse
from tests.support.tui import (
    ask,
    cited_in_panel,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    send,
    settle,
    until,
)
from tests.support.tui import workspace as research

WIDE = (150, 40)


async def test_demo_answer_streams_in_with_sources_and_is_saved() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "What is QUIC?")
        screen = research(app)
        question, answer = screen.chat.messages
        assert question.role == "user" and question.content == "What is QUIC?"
        assert answer.status == MessageStatus.COMPLETE
        assert answer.provider == "demo" and answer.model == "demo/sonar"
        assert answer.content and answer.sources
        assert screen.pending is None
        view = answers(app)[0]
        assert "demo/sonar" in str(view.query_one(".answer-view--label").render())
        items = source_items(app)
        assert [item.index for item in items] == [s.index for s in answer.sources]
        cited = cited_in_panel(app)
        assert cited and cited <= {s.index for s in answer.sources}
        assert not screen.chat.total_cost_usd  # the demo shows no invented cost
        assert "$" not in str(screen.header.render()) and not on_screen(app, "$0")
        saved = ChatStore().load(screen.chat.id)
        assert [m.role for m in saved.messages] == ["user", "assistant"]
        assert saved.messages[1].status == MessageStatus.COMPLETE
        assert research(app).chat_list.entries[0].id == screen.chat.id


async def test_loopback_answer_request_and_untrusted_titles(loopback: LoopbackServer) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Tell me about cafés")
        request = loopback.requests[-1]
        assert request.path == "/api/v1/chat/completions"
        assert request.json["model"] == "perplexity/sonar"
        assert request.json["messages"][-1] == {"role": "user", "content": "Tell me about cafés"}
        answer = research(app).chat.messages[-1]
        assert answer.content == recorded.ANSWER
        assert answer.usage and answer.usage.cost_usd == pytest.approx(0.00501)
        items = source_items(app)
        assert [item.index for item in items] == [1, 2, 3]
        assert cited_in_panel(app) == {1, 2, 3}
        assert "\x1b" not in region_text(app, research(app).query_one(SourcesPanel))
        assert "openrouter" in str(answers(app)[0].query_one(".answer-view--label").render())


async def test_follow_up_sends_the_history(loopback: LoopbackServer) -> None:
    loopback.queue(answer_reply(), answer_reply(["Second answer."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "First?")
        await ask(pilot, "Second?")
        sent = loopback.requests[-1].json["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert sent[1]["content"] == recorded.ANSWER
        assert len(research(app).chat.messages) == 4


async def test_escape_mid_stream_keeps_the_partial_answer_as_interrupted(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["Partial ", "answer ", "never ", "finished."], hang_after=2))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        screen.query_one(PromptInput).focus()
        screen.query_one(PromptInput).insert("Slow question")
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        assert screen.check_action("stop", ()) is True
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        answer = screen.chat.messages[-1]
        assert answer.status == MessageStatus.INTERRUPTED
        assert answer.content == "Partial answer "
        assert screen.pending is None
        view = answers(app)[-1]
        assert view.has_class("-interrupted")
        assert "interrupted" in str(view.query_one(".answer-view--label").render())
        saved = ChatStore().load(screen.chat.id).messages[-1]
        assert saved.status == MessageStatus.INTERRUPTED and saved.content == "Partial answer "


async def test_new_question_while_streaming_interrupts_the_first(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["One ", "two ", "three."], hang_after=1), answer_reply(["Fine."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        screen.query_one(PromptInput).focus()
        screen.query_one(PromptInput).insert("First")
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await send(pilot, "Second")  # held: the answer is still being written
        await until(pilot, lambda: screen.query_one(PromptInput).text == "Second")
        await pilot.press("enter")  # the second Enter sends, stopping the first answer
        await settle(pilot)
        roles = [(m.role, m.status) for m in screen.chat.messages]
        assert roles == [
            ("user", MessageStatus.COMPLETE),
            ("assistant", MessageStatus.INTERRUPTED),
            ("user", MessageStatus.COMPLETE),
            ("assistant", MessageStatus.COMPLETE),
        ]
        assert screen.chat.messages[-1].content == "Fine."


async def test_error_is_shown_inline_and_retry_asks_again(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(503, {"error": {"message": "Upstream overloaded", "code": 503}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone there?")
        screen = research(app)
        failed = screen.chat.messages[-1]
        assert failed.status == MessageStatus.ERROR and failed.error
        assert KEY not in failed.error
        view = answers(app)[-1]
        assert view.has_class("-error")
        error_text = str(view.query_one(".answer-view--error-text").render())
        assert error_text == failed.error
        assert ChatStore().load(screen.chat.id).messages[-1].status == MessageStatus.ERROR

        loopback.queue(answer_reply(["Here now."]))
        await pilot.click(".answer-view--retry")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [m.role for m in screen.chat.active_path()] == ["user", "assistant"]
        assert screen.chat.active_path()[-1].content == "Here now."
        assert len(answers(app)) == 1 and not answers(app)[0].has_class("-error")
        # The failed answer stays, as the first alternative of the question.
        assert screen.chat.alternatives(screen.chat.messages[-1].id)[0] is failed


async def test_ctrl_r_retries_after_a_failed_answer(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(402, {"error": {"message": "Insufficient credits", "code": 402}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Again?")
        assert research(app).chat.messages[-1].status == MessageStatus.ERROR
        loopback.queue(answer_reply(["Better."]))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert research(app).chat.messages[-1].content == "Better."


async def test_switching_model_mid_chat_applies_to_the_next_question(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(answer_reply(["From sonar."]), answer_reply(["From pro."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "First?")
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ModelPickerScreen)
        picker.dismiss(("openrouter", "perplexity/sonar-pro"))
        await pilot.pause()
        screen = research(app)
        assert screen.header.model == "perplexity/sonar-pro"
        assert screen.chat.settings.model == "perplexity/sonar-pro"
        await ask(pilot, "Second?")
        assert loopback.requests[0].json["model"] == "perplexity/sonar"
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        models = [m.model for m in screen.chat.messages if m.role == "assistant"]
        assert models == ["perplexity/sonar", "perplexity/sonar-pro"]
        labels = [str(v.query_one(".answer-view--label").render()) for v in answers(app)]
        assert "perplexity/sonar · openrouter" in labels[0]
        assert "perplexity/sonar-pro · openrouter" in labels[1]
        saved = ChatStore().load(screen.chat.id)
        assert saved.settings.model == "perplexity/sonar-pro"


async def test_base_url_stays_with_its_provider_through_a_visit_to_another(
    loopback: LoopbackServer,
) -> None:
    """QA: started with --base-url on OpenRouter, a visit to the demo (the picker, or a demo
    chat opened) and back sent the next questions, and the key, to openrouter.ai itself."""
    loopback.queue(answer_reply(["Back at the loopback."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for choice in (("demo", "demo/sonar"), ("openrouter", "perplexity/sonar-pro")):
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
            app.screen.dismiss(choice)
            await until(pilot, lambda: research(app).header.model == choice[1])  # noqa: B023
        assert research(app).target.base_url == loopback.base_url + "/api/v1"
        await ask(pilot, "Where does this go?")
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        assert research(app).chat.messages[-1].content == "Back at the loopback."
        # Comparisons and alternatives asked from the demo resolve each model there too.
        app.use_target(app.resolve("demo", "demo/sonar"))
        assert app.resolve("openrouter", "perplexity/sonar").base_url == loopback.base_url + (
            "/api/v1"
        )


async def test_first_run_without_key_is_on_demo_and_says_how_to_add_one() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = research(app)
        assert screen.target.provider.name == "demo"
        notice = screen.query_one("#notice")
        assert notice.display and "ctrl+k" in str(notice.render())
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)


async def test_an_answer_cut_at_the_length_limit_is_shown_and_saved_as_broken_off(
    loopback: LoopbackServer,
) -> None:
    """QA: an answer the provider ended at its length limit (``finish_reason: length``) was
    shown and saved as whole."""
    loopback.queue(Reply(chunks=sse(chunk("Mars has two moons"), chunk("", finish="length"))))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons of Mars?")
        await until(pilot, lambda: on_screen(app, "before it was whole"))
        answer = research(app).chat.messages[-1]
        assert answer.status == MessageStatus.INTERRUPTED
        assert answer.content == "Mars has two moons"
        assert answer.error.startswith(
            "OpenRouter ended the answer before it was whole: it reached its length limit"
        )
        assert ChatStore().load(research(app).chat.id).messages[-1].error == answer.error
