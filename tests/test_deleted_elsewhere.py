"""A chat deleted by one process (`pplx chats delete`, another window) while another holds it
open: the holder's next save no longer brings it back. The app, a `pplx ask --chat` whose answer
was streaming, and a `pplx runs wait` each wrote the whole chat again, so a deleted chat (and
every message in it) came back."""

from __future__ import annotations

from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.models import Message
from pplx_tui.paths import config_file
from pplx_tui.store import ChatStore, CorruptChatError, StoreError
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from tests.support.agent_runs import KEY as AGENT_KEY
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.answers import focus_conversation, pick_model, reply
from tests.support.cli import answer_frames, pplx, pplx_process
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.spend import spend_today
from tests.support.tui import (
    agent_app,
    ask,
    loopback_app,
    row_text,
    send,
    settle,
    type_text,
    until,
    workspace,
)


def _saved_chat() -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    chat.add(Message(role="user", content="q0"))
    chat.add(Message(role="assistant", content="a0"))
    return store.save(chat).id


def _file_exists(chat_id: str) -> bool:
    return (paths.chats_dir() / f"{chat_id}.json").exists()


def test_a_save_of_a_chat_deleted_elsewhere_says_so_and_writes_nothing() -> None:
    chat_id = _saved_chat()
    held = ChatStore().load(chat_id)
    ChatStore().delete(chat_id)

    held.add(Message(role="user", content="q1"))
    with pytest.raises(StoreError, match="deleted"):
        ChatStore().save(held)

    assert not _file_exists(chat_id)
    brand_new = ChatStore().new_chat()  # a chat never saved is saved as ever
    brand_new.add(Message(role="user", content="hello"))
    assert ChatStore().save(brand_new).id == brand_new.id


def test_pplx_ask_chat_does_not_bring_back_a_chat_deleted_while_it_answered(
    loopback: LoopbackServer,
) -> None:
    chat_id = _saved_chat()

    def deleted_meanwhile(request: RecordedRequest) -> Reply:
        ChatStore().delete(chat_id)
        return Reply(chunks=answer_frames(["a1"]))

    loopback.default = deleted_meanwhile
    result = pplx("ask", "--chat", chat_id, "q1", server=loopback)

    assert result.returncode == 1
    assert "a1" in result.stdout
    assert result.stderr == (
        f"pplx: the chat could not be saved (chat {chat_id} was deleted elsewhere (pplx chats "
        "delete or another window), so it is not saved again); nothing was written\n"
    )
    assert not _file_exists(chat_id)


async def test_the_app_sends_nothing_into_its_open_chat_deleted_elsewhere(
    loopback: LoopbackServer,
) -> None:
    """QA: a follow-up in a chat the list had already dropped went out, its (paid) answer
    streamed, and only then a toast said it would not be saved. Now nothing is sent: one line
    says why and what to do, the question stays in the box, and ctrl+n then Enter asks it in
    a new chat, saved as ever."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: row_text(app, chat_id) != "")
        assert pplx("chats", "delete", chat_id).returncode == 0
        await until(pilot, lambda: row_text(app, chat_id) == "")

        await ask(pilot, "q1")
        assert loopback.requests == []
        screen = workspace(app)
        assert [m.content for m in screen.conversation.all_messages()] == ["q0", "a0"]
        assert screen.prompt.text == "q1"
        said = [n.message for n in app._notifications if "deleted" in n.message]
        assert said == [_NOT_SENT]

        loopback.queue(Reply(chunks=answer_frames(["a1"])))
        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != chat_id)
        assert screen.prompt.text == "q1"
        await pilot.press("enter")
        await settle(pilot)
        assert [m.content for m in screen.conversation.all_messages()] == ["q1", "a1"]
        new_id = screen.chat.id

    assert not _file_exists(chat_id)
    assert [m.content for m in ChatStore().load(new_id).messages] == ["q1", "a1"]


async def test_a_chat_deleted_just_before_a_question_is_found_out_before_sending(
    loopback: LoopbackServer,
) -> None:
    """The store is asked at send time: a deletion the chat list has not seen yet (it looks
    every 2 s) stops the question too."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: row_text(app, chat_id) != "")
        ChatStore().delete(chat_id)
        await ask(pilot, "q1")
        assert loopback.requests == []
        assert workspace(app).prompt.text == "q1"
        said = [n.message for n in app._notifications if "deleted" in n.message]
        assert said == [_NOT_SENT]

    assert not _file_exists(chat_id)


def _break_file(chat_id: str) -> None:
    """A broken hand edit of the chat's file, set aside by the next reader (as the chat list
    does within 2 s)."""
    (paths.chats_dir() / f"{chat_id}.json").write_text('{"garbage')
    with pytest.raises(CorruptChatError):
        ChatStore().load(chat_id)
    assert not _file_exists(chat_id)


def test_a_chat_whose_file_was_set_aside_is_saved_back_from_the_copy_held() -> None:
    """A file set aside as unreadable was not deleted by anyone: the copy held (open in the
    app, or in `pplx ask --chat`) is written in its place, and a notice says so."""
    chat_id = _saved_chat()
    held = ChatStore().load(chat_id)
    _break_file(chat_id)
    store = ChatStore()
    assert not store.deleted_elsewhere(held)

    held.add(Message(role="user", content="q1"))
    store.save(held)
    assert [m.content for m in ChatStore().load(chat_id).messages] == ["q0", "a0", "q1"]
    (notice,) = store.take_notices()
    assert "could not be read and was set aside" in notice and "saved in its place" in notice


def test_a_chats_corrupt_folder_that_is_a_link_is_not_looked_into(tmp_path: Path) -> None:
    """A copy of the chat's file found through a linked ``.corrupt`` does not make a deleted
    chat one set aside (nothing in the chats folder is followed if it is a link)."""
    chat_id = _saved_chat()
    held = ChatStore().load(chat_id)
    (tmp_path / f"{chat_id}.20990101T000000000000Z.json").write_text('{"garbage')
    (paths.chats_dir() / ".corrupt").symlink_to(tmp_path)
    ChatStore().delete(chat_id)
    assert ChatStore().deleted_elsewhere(held)


def test_pplx_ask_chat_saves_its_copy_back_when_the_file_broke_while_it_answered(
    loopback: LoopbackServer,
) -> None:
    chat_id = _saved_chat()

    def broken_meanwhile(request: RecordedRequest) -> Reply:
        _break_file(chat_id)
        return Reply(chunks=answer_frames(["a1"]))

    loopback.default = broken_meanwhile
    result = pplx("ask", "--chat", chat_id, "q1", server=loopback)

    assert result.returncode == 0, result.stderr
    assert "saved in its place" in result.stderr and "deleted" not in result.stderr
    assert [m.content for m in ChatStore().load(chat_id).messages] == ["q0", "a0", "q1", "a1"]


async def test_the_open_chat_whose_file_was_broken_elsewhere_is_saved_back_not_called_deleted(
    loopback: LoopbackServer,
) -> None:
    """QA: a broken hand edit of the open chat was set aside (rightly), then asking said the
    chat was deleted elsewhere, sent nothing, and the intact copy on screen was never saved
    back. Now the copy on screen is saved in its place as soon as the list sees the file go
    (and a line says so), and questions go on."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: row_text(app, chat_id) != "")
        (paths.chats_dir() / f"{chat_id}.json").write_text('{"garbage')
        await until(
            pilot, lambda: any("saved in its place" in n.message for n in app._notifications)
        )
        assert _file_exists(chat_id)
        assert [m.content for m in ChatStore().load(chat_id).messages] == ["q0", "a0"]

        loopback.queue(Reply(chunks=answer_frames(["a1"])))
        await ask(pilot, "q1")
        assert len(loopback.requests) == 1
        assert not [n.message for n in app._notifications if "deleted" in n.message]
    assert [m.content for m in ChatStore().load(chat_id).messages] == ["q0", "a0", "q1", "a1"]


async def test_a_question_in_the_open_chat_whose_file_was_just_set_aside_is_sent_and_saved(
    loopback: LoopbackServer,
) -> None:
    """Set aside before the list looked again: the question is sent, not refused as deleted."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: row_text(app, chat_id) != "")
        _break_file(chat_id)
        loopback.queue(Reply(chunks=answer_frames(["a1"])))
        await ask(pilot, "q1")
        assert len(loopback.requests) == 1
        assert not [n.message for n in app._notifications if "deleted" in n.message]
    assert [m.content for m in ChatStore().load(chat_id).messages] == ["q0", "a0", "q1", "a1"]


async def test_typing_after_a_refused_question_goes_on_at_its_end(
    loopback: LoopbackServer,
) -> None:
    """QA: the question put back into the box had the cursor at its start, so what was typed
    next went in front of it ("XYZabc def")."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        ChatStore().delete(chat_id)
        prompt = workspace(app).prompt
        await type_text(pilot, "abc def", into=prompt)
        await pilot.press("enter")
        await until(pilot, lambda: any("deleted" in n.message for n in app._notifications))
        await type_text(pilot, "XYZ", into=prompt)
        assert prompt.text == "abc defXYZ"
    assert loopback.requests == []


_NOT_SENT = (
    "This chat was deleted elsewhere (pplx chats delete or another window), so nothing was "
    "sent. Your question is still in the box: ctrl+n starts a new chat, Enter asks it there."
)


@pytest.fixture
def waiting_chat(agent: AgentRunServer) -> str:
    """A chat waiting on its background run (``pplx ask --background``); its id."""
    agent.scripts.append(RunScript(hold=True))
    started = pplx(
        "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
        "--model", "high", "How do tardigrades survive?", PERPLEXITY_API_KEY=AGENT_KEY,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


async def test_a_run_followed_in_the_app_does_not_bring_back_its_chat_deleted_elsewhere(
    agent: AgentRunServer, waiting_chat: str
) -> None:
    """`pplx chats delete` cancels the chat's run; the app following that run saw it end and
    saved the chat (with the answer marked stopped) back into the folder."""
    app = agent_app(agent)
    async with app.run_test(size=(120, 40)) as pilot:
        working = workspace(app).answering.working
        await until(pilot, lambda: waiting_chat in working)
        deleted = pplx_process("chats", "delete", waiting_chat, PERPLEXITY_API_KEY=AGENT_KEY)
        assert deleted.returncode == 0, deleted.stderr
        await until(pilot, lambda: not working)
        await until(pilot, lambda: row_text(app, waiting_chat) == "")

    assert not _file_exists(waiting_chat)


async def test_no_other_request_goes_into_a_chat_deleted_elsewhere(
    loopback: LoopbackServer,
) -> None:
    """Asking again (ctrl+r), another model (m) and an edited question are not sent either;
    nor a question whose chat is deleted while the daily budget's dialog asks about it."""
    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("daily_budget_usd = 0.04\n")
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await ask(pilot, "How many moons?")
        screen = workspace(app)
        chat_id = screen.chat.id
        ChatStore().delete(chat_id)
        not_sent = f"{_NOT_SENT.split(' Your')[0]} ctrl+n starts a new chat."

        await pilot.press("ctrl+r")  # a complete answer: yes first, as r asks
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: any("deleted" in n.message for n in app._notifications))
        await focus_conversation(pilot)
        await pilot.press("m")
        await pick_model(pilot, "sonar-pro-search")
        await focus_conversation(pilot)
        await pilot.press("ctrl+e")
        screen.prompt.insert(" Really?")
        await pilot.press("enter")
        await pilot.pause()
        assert len(loopback.requests) == 1
        assert screen.prompt.text == "How many moons? Really?"  # the edit is kept
        said = {n.message for n in app._notifications if "deleted" in n.message}
        assert said == {not_sent, _NOT_SENT}
        screen.alternatives.cancel_edit()

    # Past the budget the dialog asks first; the chat is deleted before the answer.
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await ask(pilot, "How far is Phobos?")
        spend_today(0.05)
        screen = workspace(app)
        await send(pilot, "And Deimos?")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        ChatStore().delete(screen.chat.id)
        await pilot.press("y")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert len(loopback.requests) == 2
        assert screen.prompt.text == "And Deimos?"
