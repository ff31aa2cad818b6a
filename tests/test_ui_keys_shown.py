"""What the keys say where the user is: the palette, the key bar, failures kept on the answer
with the key that acts on them, questions that show their own keys."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Button

from pplx_tui import paths
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.prompt import PromptInput
from tests.support.answers import focus_conversation, reply
from tests.support.chats import titled_chat
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply, json_reply
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    palette_text,
    region_text,
    screen_lines,
    settle,
    type_text,
    until,
    use_key,
    workspace,
)

WIDE = (150, 40)


async def test_a_broken_stream_keeps_its_reason_on_the_answer(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(["Part of it"], finished=False)))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Tell me")
        screen = workspace(app)
        kept = ChatStore().load(screen.chat.id).messages[-1]
        assert kept.content == "Part of it" and kept.status == "interrupted"
        assert kept.error and kept.error_kind == "server"  # in the JSON, not only a toast
        view = screen.query(AnswerView).last()
        assert kept.error[:40] in region_text(app, view)
        assert str(view.query_one(".answer-view--error-text").render()) == kept.error
        assert "Retry (ctrl+r)" in region_text(app, view)
        assert "partial answer is kept" in region_text(app, view)
        assert isinstance(app.focused, PromptInput)
        assert "Retry" in region_text(app, screen.query_one(KeyBar))  # the key works here

        await screen.open_chat(screen.chat.id)  # reopened: the reason is still there
        await pilot.pause()
        view = screen.query(AnswerView).last()
        assert kept.error[:40] in region_text(app, view)

        loopback.queue(Reply(chunks=answer_frames(["All of it."])))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: screen.chat.messages[-1].content == "All of it.")
        await pilot.pause()
        assert "Retry" not in region_text(app, screen.query_one(KeyBar))


async def test_a_broken_off_answer_has_one_blank_row_before_its_note(
    loopback: LoopbackServer,
) -> None:
    """QA: two blank rows stood between the partial text and the note saying it broke off
    (the text's own last blank row and the note's margin); one is enough, as saved or
    reopened."""
    loopback.queue(Reply(chunks=answer_frames(["Part of it"], finished=False)))
    app = loopback_app(loopback)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Tell me")
        screen = workspace(app)
        for _ in range(2):  # as it ended, then reopened
            await pilot.pause()
            lines = screen_lines(app)
            text = next(n for n, line in enumerate(lines) if "Part of it" in line)
            note = next(n for n, line in enumerate(lines) if "ended before" in line)
            assert note - text == 2, "\n".join(lines)
            await screen.open_chat(screen.chat.id)


async def test_a_refused_key_offers_to_add_one(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        view = workspace(app).query(AnswerView).last()
        assert "Add a key (ctrl+k)" in region_text(app, view)
        await pilot.click(".answer-view--retry")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))


async def test_after_a_refused_key_the_key_bar_offers_retry_only_once_a_key_is_saved(
    loopback: LoopbackServer,
) -> None:
    """QA: after a 401 the key bar offered "^r Retry" beside the answer's "Add a key": asking
    again with the key just refused cannot help. It offers the key (ctrl+k) while that key is
    the one in use; once another is saved, ctrl+r asks again, with it."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[providers.openrouter]\napi_key = "sk-or-v1-refused0123456789abcdef"\n')
    config.chmod(0o600)
    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = loopback_app(loopback, key="")  # the key in config.toml, which the dialog replaces
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await ask(pilot, "Anyone?")
        bar = region_text(app, screen.query_one(KeyBar))
        assert "Retry" not in bar and "^k API key" in bar, bar
        assert "Add a key (ctrl+k)" in region_text(app, screen.query(AnswerView).last())

        new_key = "sk-or-v1-" + "N3wK3y0123456789abcdefghijklmnopqrstuvwxyz"
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, new_key)
        await pilot.press("enter")
        await until(pilot, lambda: "Retry" in region_text(app, screen.query_one(KeyBar)))
        view = screen.query(AnswerView).last()
        assert "Retry (ctrl+r)" in region_text(app, view)  # the button follows the new key
        button = view.query_one(".answer-view--retry", Button)  # as wide as its new label
        await until(pilot, lambda: button.outer_size.width <= len("Retry (ctrl+r)") + 2)

        loopback.queue(Reply(chunks=answer_frames(["Here."])))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: screen.chat.messages[-1].content == "Here.")
        assert loopback.requests[-1].headers["authorization"] == f"Bearer {new_key}"


async def test_the_palette_says_where_a_key_works_when_not_where_the_user_is() -> None:
    store = ChatStore()
    titled_chat(store, "[b]Bold[/b] idea")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: len(workspace(app).chat_list.entries) == 1)
        assert isinstance(app.focused, PromptInput)
        text = await palette_text(pilot, "Next citation", "next citation or link")
        assert "selected answer (n in the conversation)" in text  # n types an n here
        text = await palette_text(pilot, "New chat", "Start a new chat")
        assert "(^n)" in text
        text = await palette_text(pilot, "Open chat", "Open this saved chat")
        assert "[b]Bold[/b] idea" in text

        workspace(app).conversation.focus()
        await pilot.pause()
        text = await palette_text(pilot, "Next citation", "next citation or link")
        assert "selected answer (n)" in text


async def test_the_palette_names_a_key_the_focused_widget_does_not_take() -> None:
    """In the conversation ctrl+f finds in the chat: the palette's "Search chats" says where
    its ctrl+f searches every chat, not "(^f)" as if it did so here."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        text = await palette_text(pilot, "Search chats", "Search chats")
        assert "(^f)" in text
        workspace(app).conversation.focus()
        await pilot.pause()
        text = await palette_text(pilot, "Search chats", "Search chats")
        assert "(^f from the question box)" in text, text
        text = await palette_text(pilot, "New chat", "Start a new chat")
        assert "(^n)" in text  # not the conversation's: runs from here


async def test_ctrl_c_says_how_to_quit_in_words() -> None:
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert any("Press ^q to quit" in text and "[b]" not in text for text in notes.texts()), notes


async def test_a_screenshot_without_a_downloads_folder_goes_to_the_data_folder() -> None:
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        await pilot.pause()
        await app.run_action("screenshot")
        await pilot.pause()
    saved = list((paths.data_dir() / "screenshots").glob("*.svg"))
    assert len(saved) == 1
    assert any(str(saved[0]) in text for text in notes.texts("information")), notes


async def test_at_80_columns_the_footer_keeps_the_key_and_palette_keys() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.pause()
        bar = region_text(app, workspace(app).query_one(KeyBar))
        assert "^k" in bar and "^p" in bar
        header = region_text(app, workspace(app).header)
        assert "$" not in header  # the demo's prices are made up
        answer = workspace(app).query(AnswerView).last()
        assert "tokens" in answer._summary() and "$" not in answer._summary()


async def test_typing_are_you_sure_on_an_answer_asks_nothing_again(
    loopback: LoopbackServer,
) -> None:
    """QA Q5 (its answer half): with the focus on an answer, typing a question meant for the
    question box ("are you sure" + Enter) re-asked the question (``r``: a new paid request) with
    no word. ``r`` now asks first, and only its button says yes (a stray Enter says no)."""

    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        screen.prompt.insert("How many moons?")
        await pilot.press("enter")
        await settle(pilot)
        assert len(loopback.requests) == 1
        await focus_conversation(pilot)
        await pilot.press(*"are you sure", "enter")
        await pilot.pause()
        await settle(pilot)
        assert len(loopback.requests) == 1
        assert app.screen is screen

        await pilot.press("r")  # asked for on purpose: the button says yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "How many moons?" in region_text(app, app.screen)
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)


async def test_f_and_i_on_an_agent_api_answer_lead_with_why_there_are_none() -> None:
    """QA Q13: ``f`` / ``i`` on an Agent API answer showed a 7-row toast about OpenRouter,
    ``--related`` and config.toml, and the one fact that matters came last."""

    store = ChatStore()
    chat = titled_chat(store, "Kyoto")
    chat.messages[-1].provider = "perplexity"
    store.save(chat)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        screen.conversation.focus()
        await pilot.press("f", "i")
        await until(pilot, lambda: len(notes) >= 2)
    related, images = notes.texts()[-2:]
    assert related.startswith("Perplexity's Agent API sends no related questions"), related
    assert images.startswith("Perplexity's Agent API sends no images"), images
    assert len(related) < 140 and len(images) < 140


async def test_the_search_settings_editor_shows_its_own_keys_at_the_bottom() -> None:
    """QA Q13: with the search settings editor open (ctrl+g), the bottom line still listed the
    workspace's keys (o Open, c Copy URL, n Next…), which do nothing there."""

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.pause()
        bottom = screen_lines(app)[-1]
        assert "Clear" in bottom and "Copy URL" not in bottom, bottom


async def test_e_on_an_answer_says_edit_is_ctrl_e() -> None:
    """QA Q13: ``e`` (edit until e3d7f44 moved it to ctrl+e) was swallowed on an answer with no
    word; it now says where edit went, once however often it is pressed, and edits nothing."""

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes, notifications=True) as pilot:
        await ask(pilot, "How many moons?")
        screen = workspace(app)
        await focus_conversation(pilot)
        await pilot.press("e", "e")
        await until(pilot, lambda: "Edit is ctrl+e." in notes.texts())
        await pilot.pause()
        assert len(app._notifications) == 1, [n.message for n in app._notifications]
        assert screen.conversation.has_focus and not screen.prompt.text


async def test_the_ask_again_question_shows_its_own_keys_at_the_bottom() -> None:
    """With 'Ask again?' open (r on an answer) the bottom line listed the workspace's keys:
    'n Next cite' beside a 'No (n)' button, keys that do nothing there."""

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        bottom = screen_lines(app)[-1]
        assert "No" in bottom and "cite" not in bottom and "Copy URL" not in bottom, bottom


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Copy answer", "no answer"),
        ("Ask again with another model", "no answer"),
        ("Images", "no answer"),
        ("Retry / regenerate", "no question"),
        ("Open source", "no source"),
    ],
)
async def test_a_palette_command_with_no_answer_to_act_on_says_so(title: str, said: str) -> None:
    """QA: in a chat with no answer yet, these palette commands did nothing, without a word."""
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, title)
        await until(pilot, lambda: title in " ".join(screen_lines(app)))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is workspace(app))
        await until(pilot, lambda: bool(notes.texts()))
    assert any(said in text.lower() for text in notes.texts()), notes.texts()


async def test_the_palette_names_the_keys_that_run_from_the_question_box() -> None:
    """QA: from the question box the palette said "Add API key … (^k from the question box)"
    (ctrl+k, the app's priority key, runs there too) and the cheat sheet's entry ended "(?)",
    where ? types a ?: F1 opens it there."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: isinstance(app.focused, PromptInput))
        text = await palette_text(pilot, "Add API key", "Add an API key")
        assert "owner-only) (^k)" in text, text
        text = await palette_text(pilot, "Keys (cheat", "by where they work")
        assert "by where they work (f1)" in text, text
        await focus_conversation(pilot)
        text = await palette_text(pilot, "Keys (cheat", "by where they work")
        assert "by where they work (?)" in text, text


RETIRED = {
    "error": {
        "message": "Sonar is now the Agent API. Use /v1/responses instead of /v1/sonar.",
        "type": "chat_completions_not_available",
        "code": 403,
    }
}


@pytest.mark.parametrize("perplexity_key", [False, True], ids=["no-perplexity-key", "with-key"])
async def test_the_retired_sonar_endpoint_says_the_key_is_fine_and_what_to_press(
    loopback: LoopbackServer, perplexity_key: bool
) -> None:
    """QA: OpenRouter's (or a gateway's) 403 "chat_completions_not_available" said "use
    --provider perplexity" (no such thing in the app) beside "Add a key (ctrl+k)", as if the
    key were bad. It says the key is fine and offers what the app does instead: pick a
    Perplexity model (ctrl+o) where a Perplexity key is set, else add one (ctrl+k)."""
    if perplexity_key:
        use_key("PERPLEXITY_API_KEY", "pplx-" + "k" * 48)
    loopback.queue(json_reply(403, RETIRED))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        view = workspace(app).query(AnswerView).last()
        note = str(view.query_one(".answer-view--error-text").render())
        assert "--provider" not in note and "key itself is fine" in note, note
        bar = region_text(app, workspace(app).query_one(KeyBar))
        assert "Retry" not in bar, bar  # the same model would be refused again
        if perplexity_key:
            assert "ctrl+o picks a Perplexity model" in note, note
            assert "Pick a model (ctrl+o)" in region_text(app, view)
            await pilot.click(".answer-view--retry")
            await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        else:
            assert "ctrl+k adds a key (choose Perplexity)" in note, note
            assert "Add a key (ctrl+k)" in region_text(app, view)
            await pilot.click(".answer-view--retry")
            await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
            assert app.screen.initial == "perplexity"  # type: ignore[attr-defined]


async def test_ctrl_r_after_the_retired_sonar_endpoint_says_why_instead_of_asking_again(
    loopback: LoopbackServer,
) -> None:
    """QA: the key bar no longer offered Retry after the retired endpoint's 403, but ctrl+r
    still sent the question to the same model, and a second failed try was added. It says the
    model would be refused again and what to press."""
    notes = Notifications()
    loopback.queue(json_reply(403, RETIRED))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await ask(pilot, "Anyone?")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("refused again" in text for text in notes.texts()))
        (said,) = [text for text in notes.texts() if "refused again" in text]
        assert "ctrl+k adds a key (choose Perplexity)" in said, said
        assert len(loopback.requests) == 1
        assert len(screen.chat.messages) == 2  # no second failed try


@pytest.mark.parametrize(
    ("status", "body", "perplexity_key", "opens_on"),
    [
        (403, RETIRED, False, "perplexity"),
        (403, RETIRED, True, "perplexity"),
        (500, {"error": {"message": "boom"}}, False, "openrouter"),
    ],
    ids=["retired-no-perplexity-key", "retired-with-key", "another-failure"],
)
async def test_ctrl_k_after_the_retired_sonar_endpoint_opens_on_perplexity_as_the_button_does(
    loopback: LoopbackServer,
    status: int,
    body: dict[str, object],
    perplexity_key: bool,
    opens_on: str,
) -> None:
    """QA: after the retired endpoint's 403 the answer's button ("Add a key (ctrl+k)") opened
    the key dialog on Perplexity, ctrl+k on the provider in use (OpenRouter). The button is not
    in Tab's order (README: question box → conversation → sources → chats), so its key is the
    keyboard's way: it does the same. After another failure it opens on the provider in use."""
    if perplexity_key:
        use_key("PERPLEXITY_API_KEY", "pplx-" + "k" * 48)
    loopback.queue(json_reply(status, body))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        assert app.screen.initial == opens_on  # type: ignore[attr-defined]


async def test_a_key_saved_while_the_environment_s_is_refused_says_that_one_still_wins(
    loopback: LoopbackServer,
) -> None:
    """QA: after a 401 with OPENROUTER_API_KEY set, saving another key with ctrl+k said "Key
    saved … Next questions go to …" while the environment's key kept being sent (it wins, as
    README says). The toast says so, and how to change it; the answer still offers a key."""
    notes = Notifications()
    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await ask(pilot, "Anyone?")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "sk-or-v1-" + "N3wK3y0123456789abcdefghijklmnopqrstuvwxyz")
        await pilot.press("enter")
        await until(pilot, lambda: any("Key saved" in text for text in notes.texts()))
        (said,) = [text for text in notes.texts() if "Key saved" in text]
        assert "OPENROUTER_API_KEY in the environment still wins" in said, said
        assert "unset OPENROUTER_API_KEY" in said and "Next questions go to" not in said, said
        assert "Add a key (ctrl+k)" in region_text(app, screen.query(AnswerView).last())
