"""A chat deleted by one process (`pplx chats delete`, another window) while another holds it
open: the holder's next save no longer brings it back. The app, a `pplx ask --chat` whose answer
was streaming, and a `pplx runs wait` each wrote the whole chat again, so a deleted chat (and
every message in it) came back."""

from __future__ import annotations

import pytest

from pplx_tui import paths
from pplx_tui.models import Message
from pplx_tui.store import ChatStore, StoreError
from tests.support.agent_runs import KEY as AGENT_KEY
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.cli import answer_frames, pplx, pplx_process
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.tui import agent_app, ask, loopback_app, row_text, until, workspace


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


async def test_the_app_does_not_bring_back_its_open_chat_deleted_elsewhere(
    loopback: LoopbackServer,
) -> None:
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: row_text(app, chat_id) != "")
        assert pplx("chats", "delete", chat_id).returncode == 0
        await until(pilot, lambda: row_text(app, chat_id) == "")

        loopback.queue(Reply(chunks=answer_frames(["a1"])))
        await ask(pilot, "q1")
        shown = [m.content for m in workspace(app).conversation.all_messages()]
        assert shown == ["q0", "a0", "q1", "a1"]  # kept on screen
        await until(pilot, lambda: any("deleted" in n.message for n in app._notifications))
        said = [n.message for n in app._notifications if "deleted" in n.message]
        assert len(said) == 1 and "saved again in" not in said[0]
        assert workspace(app).saver.unsaved == ()  # not tried again every 30 s

    assert not _file_exists(chat_id)


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
