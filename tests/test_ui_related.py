"""Related questions and images under an answer, driven through pilots against the loopback
server: asked for from the search settings, listed, asked, opened and copied."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.values import SearchSettings
from tests.support.answers import focus_conversation, reply, saved, sent_turns
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.tui import (
    KEY,
    Notifications,
    agent_app,
    ask,
    demo_app,
    loopback_app,
    on_screen,
    screen_lines,
    settle,
    until,
    use_key,
    workspace,
)
from tests.test_ui_comparisons import AND_SONAR_PRO, compare

WIDE = (150, 40)


async def test_a_related_question_is_asked_with_enter(loopback: LoopbackServer) -> None:
    related = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related), reply("OK"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        await until(pilot, lambda: on_screen(app, "→ How big is Phobos?"))
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
        await until(pilot, lambda: on_screen(app, "from nasa.gov · https://img.example/phobos.jpg"))
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
    app = agent_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask_for_related_and_images(pilot)
        assert on_screen(app, "✗ not sent here: the Agent API returns no related")  # wraps
        assert on_screen(app, "✗ not sent here: the Agent API returns no images")


async def test_the_demo_lists_related_questions_once_the_search_settings_ask_for_them() -> None:
    """QA-9: the offline demo listed related questions under every answer, asked for or not, so
    a new user could not see what the search settings' Related toggle does."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        assert on_screen(app, "Phobos")
        assert not on_screen(app, "Related questions")
        await ask_for_related_and_images(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        await ask(pilot, "TCP vs QUIC?")
        await until(pilot, lambda: on_screen(app, "Related questions"))
        conversation = workspace(app).conversation
        assert len(conversation.query(RelatedQuestions)) == 1  # under the second answer only


async def test_i_on_an_answer_asked_for_images_that_got_none_does_not_say_to_ask(
    loopback: LoopbackServer,
) -> None:
    """QA: with Images on, an answer that came back without any (the demo never sends any)
    said "This answer has no images: ask for them with Images in the search settings…"."""
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask_for_related_and_images(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await pilot.press("i")
        await until(pilot, lambda: any("images" in text for text in notes.texts()))
        await pilot.press("f")
        await until(pilot, lambda: any("related" in text for text in notes.texts()))
    said = notes.texts()
    assert not any("ask for them" in text for text in said), said
    assert "This answer was asked for images; none came back." in said
    assert "This answer was asked for related questions; none came back." in said


async def test_f_and_i_on_another_vendors_model_say_they_were_not_sent_and_why(
    loopback: LoopbackServer,
) -> None:
    """QA: on openrouter · openai/gpt-4o, with Related and Images on, the header and the answer
    said "not sent: month, images, related", and f / i said "This answer was asked for related
    questions; none came back." The request never asked for them."""
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    use_key("OPENROUTER_API_KEY", KEY)
    search = SearchSettings(recency="month", return_images=True, return_related_questions=True)
    app = make_app(
        provider="openrouter",
        model="openai/gpt-4o",
        base_url=loopback.base_url + "/api/v1",
        search=search,
    )
    notes = Notifications()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await pilot.press("f")
        await until(pilot, lambda: any("related" in text.lower() for text in notes.texts()))
        await pilot.press("i")
        await until(pilot, lambda: any("images" in text.lower() for text in notes.texts()))
    body = loopback.requests[0].json
    assert "return_images" not in body and "return_related_questions" not in body
    said = notes.texts()
    assert not any("none came back" in text for text in said), said
    why = "only Perplexity's models take search options"
    assert f"Related questions were not asked for: not sent to openai/gpt-4o ({why})." in said
    assert f"Images were not asked for: not sent to openai/gpt-4o ({why})." in said


async def test_i_on_a_demo_answer_says_the_demo_has_no_images() -> None:
    """QA: on the demo, i advised "ask for them with Images in the search settings…", yet the
    demo never returns images, asked or not (README)."""
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await pilot.press("i")
        await until(pilot, lambda: any("images" in text for text in notes.texts()))
    said = notes.texts()
    assert not any("ask for them" in text for text in said), said
    assert "The offline demo has no images (it lists related questions when asked)." in said


async def test_a_related_question_from_a_compared_column_follows_that_column(
    loopback: LoopbackServer,
) -> None:
    """QA: f and Enter under sonar-pro's column (the second) sent the related question with
    sonar's answer (the followed column) as its context: it now follows the column it came
    from, and says so."""

    def answer(request: RecordedRequest) -> Reply:
        model = request.json["model"].split("/")[-1]
        return reply(f"{model} says two.", related_questions=[f"Why, {model}?"])

    loopback.default = answer
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        comparison = workspace(app).query_one(Comparison)
        workspace(app).conversation.select(comparison.views[1])
        await focus_conversation(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.press("enter")
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)
        said = "Later questions follow perplexity/sonar-pro, the column the question came from."
        assert said in notes.texts()
    assert sent_turns(loopback.requests[2])[-3:] == [
        ("user", "How many moons?"),
        ("assistant", "sonar-pro says two."),
        ("user", "Why, sonar-pro?"),
    ]
    chat = saved(chat_id)
    followed = [m.content for m in chat.active_path()][1:3]
    assert followed == ["sonar-pro says two.", "Why, sonar-pro?"]


async def test_at_80_columns_the_related_question_down_reaches_stays_on_screen() -> None:
    """QA: at 80x24, f on an answer scrolled the related questions into view, then their focus
    border added two rows below the view: the last question (the one Down highlighted, that
    Enter would ask) was off screen."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_for_related_and_images(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        await ask(pilot, "TCP vs QUIC?")
        await focus_conversation(pilot)
        await pilot.press("home", "f", "down", "down")
        await pilot.pause()
        related = app.focused
        assert isinstance(related, RelatedQuestions) and related.highlighted == 2
        assert on_screen(app, "→ How does QUIC connection migration work?")


async def test_thousands_of_related_questions_and_images_list_the_first_fifty(
    loopback: LoopbackServer,
) -> None:
    """A server (or a chat file) with 3,000 images and 1,000 related questions: every one was
    made an option, and the chat took seconds to draw each time it opened. All are saved."""
    images = [
        {"image_url": f"https://img.example/{n}.jpg", "title": f"Moon {n}"} for n in range(3000)
    ]
    related = [f"Question {n}?" for n in range(1000)]
    loopback.queue(
        reply("Two [1].", "https://nasa.gov/m", images=images, related_questions=related)
    )
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await ask(pilot, "Moons?")
        await until(pilot, lambda: on_screen(app, "Images (the first 50 of 3,000)"))
        listed = workspace(app).query_one(ImageList)
        assert [image.title for image in listed.images] == [f"Moon {n}" for n in range(50)]
        questions = workspace(app).query_one(RelatedQuestions).questions
        assert questions == related[:50]
    answer = saved(chat_id).messages[1]
    assert (len(answer.images), len(answer.related_questions)) == (3000, 1000)


async def test_f_down_and_enter_read_together_ask_the_related_question(
    loopback: LoopbackServer,
) -> None:
    """QA in tmux: f, Down and Enter read at once (fast typing, tmux) went to the answer: Enter
    said "Move to a citation or link first" (or opened the link under the cursor), as the keys
    after f were handed to the conversation before f had moved the focus to the questions."""
    related = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related), reply("OK"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons?")
        await until(pilot, lambda: on_screen(app, "→ How big is Phobos?"))
        await focus_conversation(pilot)
        for key, character in (("f", "f"), ("down", None), ("enter", "\r")):
            app.post_message(events.Key(key, character))  # read at once, as a terminal does
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)
    assert sent_turns(loopback.requests[1])[-1] == ("user", "Will Phobos crash into Mars?")


async def test_escape_in_the_related_questions_goes_back_to_their_answer(
    loopback: LoopbackServer,
) -> None:
    """QA: Escape in the related questions (f on an answer) went to the question box, and the
    f pressed next was typed there. It goes back to the conversation, on the same answer."""
    first = ["How big is Phobos?", "Will Phobos crash into Mars?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=first))
    loopback.queue(reply("One [1].", "https://nasa.gov/e", related_questions=["The Moon?"]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons of Mars?")
        await ask(pilot, "Moons of Earth?")
        conversation = workspace(app).conversation
        await focus_conversation(pilot)
        await pilot.press("shift+up")
        answer = conversation.selected
        assert answer is not None and answer.message.content == "Two [1]."  # type: ignore[union-attr]
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.press("escape")
        await until(pilot, lambda: app.focused is conversation)
        assert conversation.selected is answer
        await pilot.press("f")
        related = app.focused
        assert isinstance(related, RelatedQuestions) and related.questions == first
        assert workspace(app).prompt.text == ""


async def test_escape_in_the_images_goes_back_to_their_answer(loopback: LoopbackServer) -> None:
    images = [{"image_url": "https://img.example/phobos.jpg", "title": "Phobos"}]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", images=images), reply("OK"))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons of Mars?")
        await ask(pilot, "And Earth?")
        conversation = workspace(app).conversation
        await focus_conversation(pilot)
        await pilot.press("shift+up", "i")
        answer = conversation.selected
        assert isinstance(app.focused, ImageList)
        await pilot.press("escape")
        await until(pilot, lambda: app.focused is conversation)
        assert conversation.selected is answer


async def test_escape_in_the_related_questions_stops_an_answer_being_written(
    loopback: LoopbackServer,
) -> None:
    """While an answer is being written, Escape stops it there too, as everywhere."""
    from tests.support.cli import answer_frames
    from tests.support.loopback import Reply
    from tests.support.tui import send

    related = ["How big is Phobos?"]
    loopback.queue(reply("Two [1].", "https://nasa.gov/m", related_questions=related))
    hanging = Reply(chunks=answer_frames(["Streaming ", "words ", "arrive."]), hang_after=2)
    loopback.queue(hanging)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Moons of Mars?")
        await send(pilot, "And Earth?")
        await until(pilot, lambda: on_screen(app, "Streaming"))
        await focus_conversation(pilot)
        await pilot.press("shift+up", "f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.press("escape")
        await until(pilot, lambda: workspace(app).pending is None)
        hanging.resume()


async def test_at_60_columns_the_related_questions_heading_ends_with_an_ellipsis_if_cut() -> None:
    """QA at 60x20 with the sources shown: the heading read `Related questions (f, Enter as`,
    cut mid-word with no "…" (the app cuts nothing else so): a heading too long for its row
    says less, or ends with "…"."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+s")
        await ask_for_related_and_images(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SearchSettingsScreen))
        await ask(pilot, "TCP vs QUIC?")
        await focus_conversation(pilot)
        await pilot.press("f")
        title = workspace(app).conversation.query_one(".answer-extras--title")
        await until(pilot, lambda: title.region.height > 0)
        await pilot.pause()
        row = title.region
        shown = screen_lines(app)[row.y][row.x : row.right].rstrip()
        assert shown.startswith("Related questions"), shown
        assert shown.endswith((")", "…")), shown


async def test_at_40x12_the_demos_no_images_toast_hides_little_of_the_screen() -> None:
    """QA at 40x12: i's "The offline demo has no images (…)" toast was 7 rows of half the
    width for six seconds, half the screen. On a small terminal a toast spans the width
    without blank rows: the same words in 2 rows."""
    app = demo_app()
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await pilot.press("i")
        await until(pilot, lambda: on_screen(app, "The offline demo has no images"))
        toast = app.screen.query_one("Toast")
        await until(pilot, lambda: toast.outer_size.height > 0)
        assert toast.outer_size.height <= 3, toast.outer_size
        assert on_screen(app, "(it lists related questions when asked).")


async def test_n_in_the_related_questions_leaves_enter_and_c_to_the_marker(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA at 60x20: in the related questions (f) the key bar offers "n Next cite"; n moved the
    cursor to [1] and showed its source, but the focus stayed in the list: the Enter that
    follows (the key bar's "Open" once on a marker) asked the highlighted related question, a
    new request, instead of opening [1]. In the images, c after n copied the image's URL,
    not the source's. n / p (and a source's digit) bring the focus back to the answer."""
    related = ["How big is Phobos?"]
    images = [{"image_url": "https://img.example/phobos.jpg", "title": "Phobos"}]
    loopback.queue(
        reply("Two [1].", "https://nasa.gov/m", related_questions=related, images=images)
    )
    app = loopback_app(loopback)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(60, 20)) as pilot:
        await ask(pilot, "Moons?")
        await focus_conversation(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, RelatedQuestions)
        await pilot.press("n", "enter")
        await until(pilot, lambda: opened == ["https://nasa.gov/m"])
        assert len(loopback.requests) == 1  # no related question asked

        await pilot.press("i")
        assert isinstance(app.focused, ImageList)
        await pilot.press("1", "c")
        await until(pilot, lambda: app.clipboard == "https://nasa.gov/m")
