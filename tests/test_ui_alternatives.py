"""Alternatives, branches and edits, driven through pilots.

Every answer comes from the loopback server (OpenRouter's chat-completions wire format over
real sockets); the tests assert on what the server received and on the saved chat.
"""

from __future__ import annotations

from pplx_tui.models import Chat, Message, MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.answer_extras import ImageList
from tests.support.answers import focus_conversation, pick_model, reply, saved, sent_turns
from tests.support.chats import titled_chat
from tests.support.loopback import LoopbackServer, json_reply
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    on_screen,
    send,
    settle,
    until,
    workspace,
)

WIDE = (150, 40)


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
        await until(pilot, lambda: on_screen(app, "Ask again with another model"))
        assert isinstance(app.screen, ModelPickerScreen)
        title = str(app.screen.query_one(".dialog").border_title)  # QA: it read "with (the…"
        assert title == "Ask again with another model (new questions keep the current one)"
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


async def test_asking_a_demo_answer_again_says_it_is_free(loopback: LoopbackServer) -> None:
    """QA: r on the offline demo's answer said "A new request, which may cost money"; the
    demo costs nothing. A real provider's answer still says it may."""
    loopback.queue(reply("Two."))
    for app, said in (
        (demo_app(), "A new request, free on the offline demo."),
        (loopback_app(loopback), "A new request, which may cost money."),
    ):
        async with app.run_test(size=WIDE) as pilot:
            await ask(pilot, "Moons?")
            await focus_conversation(pilot)
            await pilot.press("r")
            await until(pilot, lambda app=app: isinstance(app.screen, ConfirmScreen))
            assert said in app.screen.message, app.screen.message


async def test_ctrl_r_on_a_complete_answer_asks_first_as_r_does(
    loopback: LoopbackServer,
) -> None:
    """QA: ctrl+r on a finished answer sent it again at once (a paid request by one key, the
    search editor's "Clear"), while r asks first. It asks first too, in r's words; Escape
    sends nothing."""
    loopback.queue(reply("Two."), reply("Two again."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        asked_by_r = app.screen.message
        await pilot.press("escape")
        workspace(app).prompt.focus()

        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.message == asked_by_r
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        await pilot.pause()
        assert len(loopback.requests) == 1

        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert len(loopback.requests) == 2
        assert on_screen(app, "2/2")


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
        await pilot.press("shift+up", "ctrl+e")
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


async def test_a_half_typed_question_comes_back_after_an_edit(loopback: LoopbackServer) -> None:
    """QA: ctrl+e on an answer put its question in the box over what was being typed, and
    neither Escape nor sending the edit brought the draft back."""
    loopback.queue(reply("A1."), reply("A1 again."))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons of Mras?")
        prompt = workspace(app).prompt
        prompt.insert("and what about Jupiter")
        await focus_conversation(pilot)
        await pilot.press("ctrl+e")
        assert prompt.text == "Moons of Mras?"
        await pilot.press("escape")
        assert prompt.text == "and what about Jupiter"

        await focus_conversation(pilot)
        await pilot.press("ctrl+e")
        prompt.clear()
        prompt.insert("Moons of Mars?")
        await pilot.press("enter")
        await settle(pilot)
        assert prompt.text == "and what about Jupiter"
    assert sent_turns(loopback.requests[1]) == [("user", "Moons of Mars?")]


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
        await pilot.press("right", "enter", "enter")  # recency: any -> hour; 2nd Enter asks
        await settle(pilot)
    first, second = (r.json for r in loopback.requests)
    assert "search_recency_filter" not in first and second["search_recency_filter"] == "hour"
    assert sent_turns(loopback.requests[1]) == [("user", "News on Phobos?")]
    answers = saved(chat_id).children(saved(chat_id).messages[0].id)
    assert [a.search.recency if a.search else None for a in answers] == [None, "hour"]


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
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        await focus_conversation(pilot)
        await pilot.press("i")
        assert isinstance(app.focused, ImageList)
        await pilot.press("a")
        await until(pilot, lambda: on_screen(app, "First answer."))
        assert app.focused is workspace(app).conversation


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


async def test_asking_a_middle_question_again_says_the_later_questions_stay_behind() -> None:
    """QA: r (or m) on an earlier answer showed the new answer with nothing after it: the
    later turns follow the earlier answer, which only a toast mentioned. The dialogs say so
    before, and the toast says which answer they stay with."""
    chat = titled_chat(ChatStore(), "Moons")
    for number in range(3):  # three more turns after the first answer
        chat.messages += [
            Message(role="user", content=f"Then {number}?"),
            Message(role="assistant", content=f"So {number}.", provider="demo", model="demo/sonar"),
        ]
    ChatStore().save(chat)
    notes = Notifications()
    app = demo_app(chat_id=chat.id)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await focus_conversation(pilot)
        await pilot.press("shift+up", "shift+up", "shift+up")  # the first answer
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        assert on_screen(app, "The 3 later questions stay with the earlier answer (a / A switch)")
        await pilot.press("escape")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "the 3 later questions stay with it (a/A switch)" in app.screen.message
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert "the 3 later questions stay with answer 1/2 (a / A switch)" in notes.texts()[-1]
        await focus_conversation(pilot)
        await pilot.press("r")  # the new answer: the last, nothing stays behind
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "later question" not in app.screen.message


def _moons_and_two_more_turns(store: ChatStore) -> Chat:
    """A titled chat with two more turns after its first answer (not saved again)."""
    chat = titled_chat(store, "Moons")
    for number in range(2):  # two more turns after the first answer
        chat.messages += [
            Message(role="user", content=f"Then {number}?"),
            Message(role="assistant", content=f"So {number}.", provider="demo", model="demo/sonar"),
        ]
    return chat


async def test_v_on_a_middle_answer_says_the_later_questions_stay_behind() -> None:
    """QA: r, m and s on an earlier answer said the later questions stay with it; v (compare,
    which asks the question again too) said nothing."""
    chat = _moons_and_two_more_turns(ChatStore())
    ChatStore().save(chat)
    app = demo_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        await focus_conversation(pilot)
        await pilot.press("shift+up", "shift+up", "v")  # the first answer
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        assert on_screen(app, "The 2 later questions stay with the earlier answer (a / A switch)")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ComparePickerScreen))
        await pilot.press("shift+down", "shift+down", "v")  # the last answer
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        assert not on_screen(app, "later question")


async def test_a_says_when_switching_hides_or_brings_back_later_questions() -> None:
    """QA: a on an earlier answer hid the questions after it, or brought them back, without
    a word: the conversation seemed to lose (or grow) turns."""
    store = ChatStore()
    chat = _moons_and_two_more_turns(store)
    other = Message(role="assistant", content="Other.", provider="demo", model="demo/sonar")
    chat.add(other, after=chat.messages[0].id)  # the question's second answer, chosen
    store.save(chat)
    notes = Notifications()
    app = demo_app(chat_id=chat.id)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await focus_conversation(pilot)
        await pilot.press("a")
        await until(pilot, lambda: on_screen(app, "Then 1?"))
        said = "Answer 1/2 and its 2 later questions are shown (a / A switch)."
        await until(pilot, lambda: said in notes.texts())
        await pilot.press("a")
        await until(pilot, lambda: not on_screen(app, "Then 1?"))
        said = "Answer 2/2 has no later questions; the 2 later questions stay with answer 1/2."
        await until(pilot, lambda: said in notes.texts())


async def test_s_on_a_middle_answer_says_the_later_questions_stay_behind() -> None:
    """s asks an earlier answer's question again as r and m do (a branch): its search
    settings dialog says so before, as theirs do; on the last answer it says nothing."""
    chat = _moons_and_two_more_turns(ChatStore())
    ChatStore().save(chat)
    app = demo_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        await focus_conversation(pilot)
        await pilot.press("shift+up", "shift+up", "s")  # the first answer
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        assert on_screen(app, "The 2 later questions stay with the earlier answer (a / A switch)")
        await pilot.press("escape")
        await pilot.press("shift+down", "shift+down", "s")  # the last answer
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        assert not on_screen(app, "later question")


async def test_a_note_on_later_questions_goes_when_a_shows_an_answer_it_is_not_about() -> None:
    """QA: "Answer 2/3 has no later questions; …" stayed for its seconds after ``a`` went on
    to answer 3/3 (no later questions either way, so nothing new was said): it then spoke of
    an answer no longer shown. Switching takes the note down when there is nothing to say."""
    store = ChatStore()
    chat = _moons_and_two_more_turns(store)
    for text in ("Second.", "Third."):  # the question's answers 2/3 and 3/3 (chosen)
        chat.add(
            Message(role="assistant", content=text, provider="demo", model="demo/sonar"),
            after=chat.messages[0].id,
        )
    store.save(chat)
    app = demo_app(chat_id=chat.id)
    async with app.run_test(size=WIDE, notifications=True) as pilot:

        def noted(text: str) -> bool:
            return any(text in note.message for note in app._notifications)

        await focus_conversation(pilot)
        await pilot.press("a")  # 1/3, with its later questions
        await until(pilot, lambda: noted("Answer 1/3 and its 2 later questions are shown"))
        await pilot.press("a")  # 2/3, without
        await until(pilot, lambda: noted("Answer 2/3 has no later questions"))
        await pilot.press("a")  # 3/3, without: nothing to say
        await until(pilot, lambda: on_screen(app, "Third."))
        await settle(pilot)
        assert not noted("Answer 2/3")  # (it would stay 4 s)
