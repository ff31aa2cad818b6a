"""Two processes asking in one chat from the same point, one while the other still waits for
its first token: each question becomes an alternative there (a sibling under the answer both
followed), with its own answer, in the file, both windows, ``pplx chats show`` and exports.

QA: the second question was saved after the first one, still unanswered (the request carried
``[Q, A, W1]``, the file said W1 followed W2): the windows showed a question with no answer and
then ``version 1/2`` of the other one, the waiting window numbered its own answer ``2/2``,
``chats show`` left that answer out, and the Markdown export printed a question as an answer.
"""

from __future__ import annotations

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from tests.support.cli import answer_frames, pplx
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import ask, loopback_app, send, settle, until, workspace
from tests.test_ui_concurrent_writers import _history, _shown, _two_message_chat


def _asked_elsewhere(chat_id: str, question: str) -> Chat:
    """Another process asked ``question`` in the chat and waits for its answer: its question
    is saved, its answer not yet. The other process's chat object (to save the answer with)."""
    other = ChatStore().load(chat_id)
    other.add(Message(role="user", content=question))
    ChatStore().save(other)
    return other


def _answered_elsewhere(other: Chat, answer: str) -> None:
    other.add(Message(role="assistant", content=answer))
    ChatStore().save(other)


def _saved_texts(chat_id: str) -> set[str]:
    return {m.content for m in ChatStore().load(chat_id).messages}


def _parent(chat: Chat, content: str) -> str:
    """The content of the message the one holding ``content`` follows."""
    message = next(m for m in chat.messages if m.content == content)
    return chat.message(message.parent_id or "").content


def _assert_two_alternatives(chat_id: str, first: str, second: str) -> None:
    """``first`` and ``second`` were both asked after ``a0``, each answered by its own."""
    saved = ChatStore().load(chat_id)
    assert _parent(saved, first) == _parent(saved, second) == "a0"
    assert _parent(saved, f"{first} answer") == first
    assert _parent(saved, f"{second} answer") == second
    question = next(m for m in saved.messages if m.content == first)
    assert [m.content for m in saved.alternatives(question.id)] == [first, second]


async def test_a_question_asked_while_another_window_waits_is_an_alternative_beside_its_question(
    loopback: LoopbackServer,
) -> None:
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        other = _asked_elsewhere(chat_id, "W2 asks")
        loopback.queue(Reply(chunks=answer_frames(["W1 asks answer"])))
        await ask(pilot, "W1 asks")
        assert _history(loopback) == ["q0", "a0", "W1 asks"]
        assert _shown(app) == ["q0", "a0", "W1 asks", "W1 asks answer"]
        saved = ChatStore().load(chat_id)
        assert _parent(saved, "W1 asks") == "a0"

        _answered_elsewhere(other, "W2 asks answer")
        loopback.queue(Reply(chunks=answer_frames(["next answer"])))
        await ask(pilot, "next")
        assert _history(loopback) == ["q0", "a0", "W1 asks", "W1 asks answer", "next"]
        assert _shown(app) == ["q0", "a0", "W1 asks", "W1 asks answer", "next", "next answer"]
    _assert_two_alternatives(chat_id, "W2 asks", "W1 asks")


async def test_the_window_waiting_for_its_first_token_keeps_its_answer_under_its_question(
    loopback: LoopbackServer,
) -> None:
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        held = Reply(chunks=answer_frames(["W2 asks answer"]), hang_after=0)
        loopback.queue(held)
        await send(pilot, "W2 asks")
        await until(pilot, lambda: len(loopback.requests) == 1)
        await until(pilot, lambda: "W2 asks" in _saved_texts(chat_id))
        _answered_elsewhere(_asked_elsewhere(chat_id, "W1 asks"), "W1 asks answer")
        held.resume()
        await settle(pilot)
        chat = workspace(app).chat
        assert _shown(app) == ["q0", "a0", "W2 asks", "W2 asks answer"]
        assert _shown(app) == [m.content for m in chat.active_path()]
        answer = chat.active_path()[-1]
        assert answer.id not in chat.places()  # its question's only answer: not "2/2"
    _assert_two_alternatives(chat_id, "W2 asks", "W1 asks")


def test_pplx_ask_chat_while_the_app_waits_asks_beside_the_app_s_question(
    loopback: LoopbackServer,
) -> None:
    chat_id = _two_message_chat()
    app = _asked_elsewhere(chat_id, "APP pending")
    loopback.queue(Reply(chunks=answer_frames(["CLI asks answer"])))
    done = pplx("ask", "--chat", chat_id, "CLI asks", server=loopback)
    assert done.returncode == 0, done.stderr
    sent = [m["content"] for m in loopback.requests[-1].json["messages"] if m["role"] != "system"]
    assert sent == ["q0", "a0", "CLI asks"]
    _answered_elsewhere(app, "APP pending answer")
    _assert_two_alternatives(chat_id, "APP pending", "CLI asks")

    shown = pplx("chats", "show", chat_id)
    assert shown.returncode == 0, shown.stderr
    assert "APP pending answer" in shown.stdout and "CLI asks answer" in shown.stdout
    exported = pplx("chats", "export", chat_id, "--format", "md")
    assert exported.returncode == 0, exported.stderr
    text = exported.stdout
    assert text.count("**Assistant**") == 3  # a0 and one answer to each question
    assert text.count("**You**") == 3
    for question in ("APP pending", "CLI asks"):
        before = text[: text.index(f"{question}\n")]
        assert before.rstrip().splitlines()[-1].startswith(("**You**", ">")), question
