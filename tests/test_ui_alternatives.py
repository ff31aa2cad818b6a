"""Alternatives, branches, comparisons and related questions, driven through pilots.

Every answer comes from the loopback server (OpenRouter's chat-completions wire format over
real sockets); the tests assert on what the server received and on the saved chat.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, sse
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    send,
    settle,
    type_text,
    until,
    workspace,
)

WIDE = (150, 40)


def reply(text: str, *urls: str, **extra: Any) -> Reply:
    """A chat-completions stream answering ``text`` with ``urls`` as its sources."""
    results = [{"title": url.split("/")[-1] or url, "url": url} for url in urls]

    def event(content: str, finish: str | None = None, **more: Any) -> dict[str, Any]:
        choice = {"index": 0, "delta": {"role": "assistant", "content": content}}
        return {
            "id": "gen-1",
            "object": "chat.completion.chunk",
            "citations": list(urls),
            "search_results": results,
            "choices": [{**choice, "finish_reason": finish}],
            **more,
        }

    frames = sse(event(text), event("", "stop", **extra), done=True)
    return Reply(chunks=frames)


def sent_turns(request: RecordedRequest) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in request.json["messages"] if m["role"] != "system"]


def saved(chat_id: str) -> Chat:
    return ChatStore().load(chat_id)


async def focus_conversation(pilot: Pilot[Any]) -> None:
    workspace(pilot.app).conversation.focus()
    await pilot.pause()


async def pick_model(pilot: Pilot[Any], model: str) -> None:
    """In the open model picker, filter down to ``model`` and choose it."""
    await until(pilot, lambda: isinstance(pilot.app.screen, ModelPickerScreen))
    await type_text(pilot, model)
    await pilot.press("enter")


async def test_an_alternative_is_kept_switchable_and_the_shown_one_is_the_context(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(
        reply("Sonar says two [1].", "https://nasa.gov/mars"),
        reply("Sonar pro says two as well [1].", "https://esa.int/mars"),
        reply("Follow-up answer."),
    )
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press("m")
        await until(pilot, lambda: on_screen(app, "Ask this question again with"))
        assert isinstance(app.screen, ModelPickerScreen)
        assert app.screen.current == ("openrouter", "perplexity/sonar")  # the answer's, marked
        await pick_model(pilot, "sonar-pro-search")
        await settle(pilot)
        await focus_conversation(pilot)  # m on the new answer marks its model, not the app's
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        assert app.screen.current == ("openrouter", "perplexity/sonar-pro-search")
        await pilot.press("escape")

        assert loopback.requests[1].json["model"] == "perplexity/sonar-pro-search"
        assert "the earlier answer is kept (a / A switch" in " ".join(notes.texts())
        assert sent_turns(loopback.requests[1]) == [("user", "How many moons?")]
        assert on_screen(app, "perplexity/sonar-pro-search · openrouter · 2/2")
        assert workspace(app).sources.sources[0].url == "https://esa.int/mars"

        await focus_conversation(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert on_screen(app, "perplexity/sonar · openrouter · 1/2")
        assert workspace(app).sources.sources[0].url == "https://nasa.gov/mars"

        await ask(pilot, "And their names?")
        assert sent_turns(loopback.requests[2]) == [
            ("user", "How many moons?"),
            ("assistant", "Sonar says two [1]."),
            ("user", "And their names?"),
        ]
    chat = saved(chat_id)
    question = chat.messages[0]
    answers = chat.children(question.id)
    assert [a.model for a in answers] == ["perplexity/sonar", "perplexity/sonar-pro-search"]
    assert [m.content for m in chat.active_path()][1] == "Sonar says two [1]."


async def test_a_retry_after_an_error_keeps_the_failed_answer_as_an_alternative(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(json_reply(400, {"error": {"message": "model refused"}}), reply("Fine now."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_screen(app, "2/2")
    chat = saved(chat_id)
    first, second = chat.children(chat.messages[0].id)
    assert first.status == MessageStatus.ERROR and second.content == "Fine now."
    assert chat.active_path()[-1] is not first and chat.active_path()[-1].id == second.id


async def test_an_edited_question_branches_and_keeps_the_later_turns(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply("A1."), reply("A2."), reply("A1 again."))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons of Mras?")
        await ask(pilot, "Which is bigger?")
        await focus_conversation(pilot)
        await pilot.press("shift+up", "e")
        prompt = workspace(app).prompt
        assert prompt.text == "Moons of Mras?" and prompt.has_focus
        prompt.clear()
        prompt.insert("Moons of Mars?")
        await pilot.press("enter")
        await settle(pilot)
        assert sent_turns(loopback.requests[2]) == [("user", "Moons of Mars?")]
        assert on_screen(app, "You · version 2/2")
        assert "Sent as version 2 of the question" in " ".join(notes.texts())
        assert not on_screen(app, "Which is bigger?")
        chat = saved(chat_id)
        first, edited = chat.children("")
        assert (first.content, edited.content) == ("Moons of Mras?", "Moons of Mars?")
        assert [m.content for m in chat.path_from(first.id)] == ["A1.", "Which is bigger?", "A2."]
        assert [m.content for m in chat.active_path()] == ["Moons of Mars?", "A1 again."]

        # q shows the other version again, with the turns that followed it.
        await focus_conversation(pilot)
        await pilot.press("q")
        await until(pilot, lambda: on_screen(app, "Which is bigger?"))
        assert on_screen(app, "You · version 1/2")
        assert [m.content for m in workspace(app).chat.active_path()][-1] == "A2."
    assert saved(chat_id).active_path()[0].content == "Moons of Mras?"


async def test_three_models_compared_stream_at_once_and_one_failing_stops_none(
    loopback: LoopbackServer,
) -> None:
    arrived = threading.Barrier(3, timeout=10)

    def answer(request: RecordedRequest) -> Reply:
        arrived.wait()  # all three requests are open at once, or this times out
        model = request.json["model"]
        if model == "perplexity/sonar-pro":
            return json_reply(400, {"error": {"message": "model refused"}})
        urls = ["https://nasa.gov/mars", f"https://{model.split('/')[-1]}.example/only"]
        return reply(f"{model} says two [1][2].", *urls)

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        workspace(app).prompt.insert("How many moons?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        # sonar is ticked (the current model); tick sonar-pro and sonar-pro-search.
        await pilot.press("down", "space", "down", "space", "enter")
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert on_screen(app, "In common: nasa.gov/mars")
        assert on_screen(app, "failed: perplexity/sonar-pro")
        requests = [r.json["model"] for r in loopback.requests]

        # r on the failed column asks its model again: a fourth alternative, shown alone.
        loopback.default = lambda request: reply("Now it answers.")
        comparison = workspace(app).query_one(Comparison)
        failed = next(v for v in comparison.views if v.model == "perplexity/sonar-pro")
        workspace(app).conversation.select(failed)
        await focus_conversation(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert not workspace(app).query(Comparison)
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        assert on_screen(app, "perplexity/sonar-pro · openrouter · 4/4")
    assert sorted(requests) == [
        "perplexity/sonar",
        "perplexity/sonar-pro",
        "perplexity/sonar-pro-search",
    ]
    chat = saved(chat_id)
    answers = chat.children(chat.messages[0].id)[:3]
    assert len(answers) == 3 and len({a.comparison for a in answers}) == 1
    statuses = {a.model: a.status for a in answers}
    assert statuses["perplexity/sonar-pro"] == MessageStatus.ERROR
    assert statuses["perplexity/sonar"] == statuses["perplexity/sonar-pro-search"]
    assert statuses["perplexity/sonar"] == MessageStatus.COMPLETE


async def test_send_is_still_plain_after_an_edit_is_cancelled(loopback: LoopbackServer) -> None:
    loopback.queue(reply("A1."), reply("A2."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Q1")
        await focus_conversation(pilot)
        await pilot.press("e", "escape")
        assert workspace(app).prompt.text == ""
        await send(pilot, "Q2")
        await settle(pilot)
    assert sent_turns(loopback.requests[1]) == [
        ("user", "Q1"),
        ("assistant", "A1."),
        ("user", "Q2"),
    ]


async def test_a_related_question_is_asked_with_enter(loopback: LoopbackServer) -> None:
    related = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related), reply("OK"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        assert on_screen(app, "→ How big is Phobos?")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        assert on_screen(app, "⏎ Ask")  # the footer says what Enter does here
        await pilot.press("down", "enter")
        await settle(pilot)
    assert sent_turns(loopback.requests[1])[-1] == ("user", "Will Phobos crash into Mars?")
    assert saved(chat_id).messages[1].related_questions == related


async def test_images_are_listed_openable_and_copyable(loopback: LoopbackServer) -> None:
    images = [
        {"image_url": "javascript:alert(1)", "title": "never listed"},
        {
            "image_url": "https://img.example/phobos.jpg",
            "origin_url": "https://nasa.gov/phobos",
            "title": "Phobos",
        },
    ]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", images=images))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        assert on_screen(app, "from nasa.gov · https://img.example/phobos.jpg")
        assert not on_screen(app, "never listed")
        await focus_conversation(pilot)
        await pilot.press("i")
        assert isinstance(app.focused, ImageList)
        await pilot.press("c")
        assert app.clipboard == "https://img.example/phobos.jpg"
        await pilot.press("escape", "shift+tab")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert any("no related questions" in text for text in notes.texts())
    assert [i.title for i in saved(chat_id).messages[1].images] == ["never listed", "Phobos"]


@pytest.mark.parametrize("size", [(150, 40), (100, 30)])
async def test_a_saved_comparison_reopens_in_columns_or_one_with_a_switcher(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    del loopback
    store = ChatStore()
    chat = store.new_chat()
    from pplx_tui.models import Message

    question = chat.add(Message(role="user", content="Moons?"))
    for model in ("demo/sonar", "demo/sonar-reasoning"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
        )
    chat.choose(chat.children(question.id)[0].id)
    store.save(chat)
    from pplx_tui.ui.factory import make_app

    app = make_app(chat_id=chat.id, environ={})
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        comparison = workspace(app).query_one(Comparison)
        assert comparison.narrow == (size[0] < 120)
        shown = [v for v in comparison.views if v.display and v.styles.display != "none"]
        assert comparison.current == 0
        if comparison.narrow:
            assert on_screen(app, "[1/2 demo/sonar]") and len(shown) == 1
        else:
            assert on_screen(app, "Later questions follow 1 demo/sonar") and len(shown) == 2


async def test_asking_again_with_other_search_settings_sends_them(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply("Any time."), reply("Only the last hour."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "News on Phobos?")
        await focus_conversation(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "enter")  # recency: any -> hour
        await settle(pilot)
    first, second = (r.json for r in loopback.requests)
    assert "search_recency_filter" not in first and second["search_recency_filter"] == "hour"
    assert sent_turns(loopback.requests[1]) == [("user", "News on Phobos?")]
    answers = saved(chat_id).children(saved(chat_id).messages[0].id)
    assert [a.search.recency if a.search else None for a in answers] == [None, "hour"]


async def test_one_model_compared_with_itself_under_two_search_settings(
    loopback: LoopbackServer,
) -> None:
    loopback.default = lambda request: reply(
        "Hour." if "search_recency_filter" in request.json else "Any."
    )
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        workspace(app).prompt.insert("News on Phobos?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("2")  # the ticked (current) model, twice
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "enter")
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert on_screen(app, "Later questions follow 1 perplexity/sonar (default search)")
        names = workspace(app).query_one(Comparison).names()
        assert names == ["perplexity/sonar (default search)", "perplexity/sonar (hour)"]
    assert {r.json["model"] for r in loopback.requests} == {"perplexity/sonar"}
    answers = saved(chat_id).children(saved(chat_id).messages[0].id)
    assert sorted(a.content for a in answers) == ["Any.", "Hour."]
    assert len({a.comparison for a in answers}) == 1


async def test_shift_down_on_a_narrow_comparison_selects_and_shows_the_column_shown(
    loopback: LoopbackServer,
) -> None:
    del loopback
    from pplx_tui.models import Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    first = chat.add(Message(role="user", content="First?"))
    chat.add(Message(role="assistant", content="\n\n".join(["Long."] * 30), model="demo/sonar"))
    question = chat.add(Message(role="user", content="Moons?"), after=chat.messages[-1].id)
    for model in ("demo/sonar", "demo/sonar-reasoning", "demo/other"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[1].id)
    store.save(chat)
    del first
    app = make_app(chat_id=chat.id, environ={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        conversation = workspace(app).conversation
        comparison = conversation.query_one(Comparison)
        assert comparison.narrow and comparison.current == 1
        conversation.focus()
        await pilot.press("home", "shift+up", "shift+down")
        await pilot.pause()
        selected = conversation.selected
        assert selected is comparison.views[1] and selected.display
        assert on_screen(app, "demo/sonar-reasoning answer")
        await pilot.press("shift+down")  # the last answer: the selection stays, still shown
        await pilot.pause()
        assert conversation.selected is comparison.views[1]


async def test_cycling_from_an_answers_image_list_leaves_the_focus_in_the_conversation(
    loopback: LoopbackServer,
) -> None:
    del loopback
    from pplx_tui.models import Image, Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Earlier?"))
    picture = Image(image_url="https://img.example/a.jpg", title="A picture")
    chat.add(Message(role="assistant", content="Earlier answer.", images=[picture]))
    question = chat.add(Message(role="user", content="Moons?"))
    for text in ("First answer.", "Second answer."):
        chat.add(Message(role="assistant", content=text, images=[picture]), after=question.id)
    store.save(chat)
    app = make_app(chat_id=chat.id, environ={})
    async with app.run_test(size=WIDE) as pilot:
        await focus_conversation(pilot)
        await pilot.press("i")
        assert isinstance(app.focused, ImageList)
        await pilot.press("a")
        await until(pilot, lambda: on_screen(app, "First answer."))
        assert app.focused is workspace(app).conversation


async def ask_for_related_and_images(pilot: Pilot[Any]) -> None:
    """ctrl+g, down past the seven search rows to Related and Images, 'ask for them', Enter."""
    await pilot.press("ctrl+g")
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchSettingsScreen))
    await pilot.press(*["down"] * 7, "right", "down", "right")


async def test_related_questions_and_images_are_asked_for_from_the_search_settings(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask_for_related_and_images(pilot)
        assert on_screen(app, "For openrouter · perplexity/sonar: images · related")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        await ask(pilot, "Moons?")
    body = loopback.requests[0].json
    assert body["return_related_questions"] is True and body["return_images"] is True


async def test_the_agent_api_editor_says_it_returns_no_related_questions_or_images(
    loopback: LoopbackServer,
) -> None:
    from pplx_tui.ui.factory import make_app

    app = make_app(
        provider="perplexity",
        model="fast",
        base_url=loopback.base_url,
        environ={"PERPLEXITY_API_KEY": "pplx-test-key-123456"},
    )
    async with app.run_test(size=WIDE) as pilot:
        await ask_for_related_and_images(pilot)
        assert on_screen(app, "✗ not sent here: the Agent API returns no related")  # wraps
        assert on_screen(app, "✗ not sent here: the Agent API returns no images")


async def test_ctrl_r_after_a_comparison_retries_the_column_that_failed(
    loopback: LoopbackServer,
) -> None:
    def answer(request: RecordedRequest) -> Reply:
        if request.json["model"] == "perplexity/sonar-pro":
            return json_reply(400, {"error": {"message": "model refused"}})
        return reply("Two.")

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        workspace(app).prompt.insert("How many moons?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("down", "space", "enter")  # sonar (ticked) and sonar-pro
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert on_screen(app, "Later questions follow 1 perplexity/sonar")
        loopback.default = lambda request: reply("Now it answers.")
        await pilot.press("ctrl+r")  # from the question box: the failed column, as it says
        await settle(pilot)
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        assert on_screen(app, "perplexity/sonar-pro · openrouter · 3/3")


async def test_an_edit_left_for_a_new_chat_is_dropped_and_the_question_asked_there(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply("A1."), reply("B1."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        first_id = workspace(app).chat.id
        await ask(pilot, "Q1")
        await focus_conversation(pilot)
        await pilot.press("e", "ctrl+n")
        await until(pilot, lambda: workspace(app).chat.id != first_id)
        assert workspace(app).prompt.border_title is None
        await ask(pilot, "Fresh question")
        new_id = workspace(app).chat.id
    assert sent_turns(loopback.requests[1]) == [("user", "Fresh question")]
    assert [m.content for m in saved(new_id).active_path()] == ["Fresh question", "B1."]
    assert [m.content for m in saved(first_id).messages] == ["Q1", "A1."]
