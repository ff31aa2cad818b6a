"""Two writers hold the same chat when its file is broken by hand and set aside: the first to
save writes its copy in its place, and the other's copy is then folded in, not read as deleted.

QA: two windows on one chat, each on its own line. The file was broken; window 1 saved its copy
back, which lacked window 2's latest answer; window 2's next save (or the refresh before its
next question) read every message missing from window 1's copy as deleted elsewhere: that
answer was lost for good, and window 2 switched to window 1's line and asked with its history.
A restore is not a deletion: after a set-aside, each writer's copy is merged with no base.
"""

from __future__ import annotations

import pytest

from pplx_tui import paths
from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore, CorruptChatError
from tests.support.cli import answer_frames, pplx
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.tui import ask, loopback_app, row_text, until


def _turn(chat: Chat, question: str, after: str | None = None) -> None:
    asked = chat.add(Message(role="user", content=question), after)
    chat.add(Message(role="assistant", content=f"ANSWER-TO[{question}]"), asked.id)


def _two_windows() -> tuple[ChatStore, Chat, ChatStore, Chat]:
    """Window 1 and window 2 on one chat, each asked from the same point and then once more
    on its own line; window 1 never took in window 2's last answer."""
    one = ChatStore()
    chat = one.new_chat()
    _turn(chat, "q0")
    one.save(chat)
    two = ChatStore()
    other = two.load(chat.id)
    start = chat.messages[-1].id
    _turn(chat, "q from one", start)
    one.save(chat)
    _turn(other, "q from two", start)
    two.save(other)
    _turn(chat, "r3 one")
    one.save(chat)
    other.add(Message(role="user", content="r3 two"))
    two.save(other)
    one.refresh(chat)  # (window 1 took in the question, not its answer)
    other.add(Message(role="assistant", content="ANSWER-TO[r3 two]"))
    two.save(other)
    return one, chat, two, other


def _break_file(chat_id: str) -> None:
    (paths.chats_dir() / f"{chat_id}.json").write_text('{"garbage')
    with pytest.raises(CorruptChatError):
        ChatStore().load(chat_id)


def _contents(chat: Chat) -> list[str]:
    return [m.content for m in chat.messages]


def _line(chat: Chat) -> list[str]:
    return [m.content for m in chat.active_path()]


def test_a_copy_saved_after_another_writer_restored_the_file_is_folded_in() -> None:
    one, chat, two, other = _two_windows()
    everything = sorted(_contents(other))
    two_line = _line(other)
    _break_file(chat.id)

    one.save(chat)  # window 1 notices first: its copy goes back in place
    assert "ANSWER-TO[r3 two]" not in _contents(ChatStore().load(chat.id))
    two.save(other)  # window 2's copy: nothing it holds was deleted by anyone

    saved = ChatStore().load(chat.id)
    assert sorted(_contents(saved)) == everything
    assert _line(other) == two_line  # window 2 keeps its own line
    assert _line(saved) == two_line  # (and saves that choice)
    (notice,) = two.take_notices()
    assert "set aside" in notice and "merged" in notice


def test_taking_in_a_restored_file_deletes_nothing_and_keeps_the_line() -> None:
    """Before a question, the app takes in what others saved (``refresh``): that no longer
    drops its own messages missing from a copy restored elsewhere, nor changes its line."""
    one, chat, _, other = _two_windows()
    everything = sorted(_contents(other))
    two_line = _line(other)
    _break_file(chat.id)
    one.save(chat)

    ChatStore().refresh(other)
    assert sorted(_contents(other)) == everything
    assert _line(other) == two_line
    ChatStore().save(other)
    assert sorted(_contents(ChatStore().load(chat.id))) == everything


def test_a_deletion_after_the_restore_is_still_a_deletion() -> None:
    """Only the writer that read the file before it was set aside merges with no base: one
    that read the restored file still takes a deletion for one."""
    one, chat, two, other = _two_windows()
    _break_file(chat.id)
    one.save(chat)
    two.save(other)
    reader = ChatStore()
    fresh = reader.load(chat.id)
    gone = next(m for m in other.messages if m.content == "ANSWER-TO[r3 two]")
    other.messages.remove(gone)
    other.chosen = {k: v for k, v in other.chosen.items() if v != gone.id}
    two.save(other)
    reader.save(fresh)
    assert "ANSWER-TO[r3 two]" not in _contents(ChatStore().load(chat.id))


async def test_the_app_folds_its_copy_into_one_restored_by_another_window_and_keeps_its_line(
    loopback: LoopbackServer,
) -> None:
    """The app is window 2: once window 1 saved its copy in place of the broken file, the app
    saves its own copy merged with it (its last answer kept), and its next question follows
    its own line and carries its own history, not window 1's."""
    one = ChatStore()
    chat = one.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    _turn(chat, "q0")
    one.save(chat)
    app = loopback_app(loopback, chat_id=chat.id)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: row_text(app, chat.id) != "")
        loopback.queue(Reply(chunks=answer_frames(["ANSWER-TO[q from two]"])))
        await ask(pilot, "q from two")
        _turn(chat, "q from one", chat.messages[1].id)
        one.save(chat)  # window 1, from the same point
        loopback.queue(Reply(chunks=answer_frames(["ANSWER-TO[r3 two]"])))
        await ask(pilot, "r3 two")
        assert "ANSWER-TO[r3 two]" in _contents(ChatStore().load(chat.id))

        (paths.chats_dir() / f"{chat.id}.json").write_text('{"garbage')
        one.save(chat)  # window 1 sets the file aside and saves its copy there
        await until(pilot, lambda: any("merged with" in n.message for n in app._notifications))
        saved = ChatStore().load(chat.id)
        assert {"ANSWER-TO[r3 two]", "ANSWER-TO[q from one]"} <= set(_contents(saved))

        loopback.queue(Reply(chunks=answer_frames(["ANSWER-TO[r4 two after]"])))
        await ask(pilot, "r4 two after")
    mine = ["q0", "ANSWER-TO[q0]", "q from two", "ANSWER-TO[q from two]", "r3 two"]
    mine += ["ANSWER-TO[r3 two]", "r4 two after"]
    sent = loopback.requests[-1].json["messages"]
    assert [m["content"] for m in sent if m["role"] != "system"] == mine
    assert _line(ChatStore().load(chat.id)) == [*mine, "ANSWER-TO[r4 two after]"]


def test_pplx_ask_chat_folds_its_turn_into_the_copy_a_window_restored_while_it_answered(
    loopback: LoopbackServer,
) -> None:
    one = ChatStore()
    chat = one.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    _turn(chat, "q0")
    one.save(chat)

    def restored_meanwhile(request: RecordedRequest) -> Reply:
        _turn(chat, "q from one")
        (paths.chats_dir() / f"{chat.id}.json").write_text('{"garbage')
        one.save(chat)  # the window sets the file aside and saves its copy there
        return Reply(chunks=answer_frames(["ANSWER-TO[q from ask]"]))

    loopback.default = restored_meanwhile
    result = pplx("ask", "--chat", chat.id, "q from ask", server=loopback)

    assert result.returncode == 0, result.stderr
    assert "merged with the one saved in its place" in result.stderr
    saved = _contents(ChatStore().load(chat.id))
    turns = ["q0", "q from one", "q from ask"]
    assert sorted(saved) == sorted([*turns, *(f"ANSWER-TO[{q}]" for q in turns)])
