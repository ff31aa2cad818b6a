"""Two writers never scramble a chat: every exchange kept, each answer right after its question.

Issue 13 items 1 and 2: a rename reset the merge base of the open chat, so its next save
deleted what another process had added; and the merge sorted by ``created_at``, which put an
answer (made ~0.5 ms before its question by ``pplx ask --save``) before its question.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from datetime import UTC, datetime, timedelta

from pplx_tui.models import Chat, Message, MessageStatus
from pplx_tui.store import ChatStore
from tests.support.cli import ROOT, answer_frames, command, environment, pplx
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply


def exchange(label: str) -> list[Message]:
    """A question and its answer as ``pplx ask --save`` makes them: the answer created first."""
    answer = Message(role="assistant", content=f"answer {label}")
    question = Message(role="user", content=f"question {label}")
    assert answer.created_at <= question.created_at
    return [question, answer]


def assert_paired(chat: Chat) -> list[str]:
    """Every answer right after its own question; the labels in order."""
    labels = []
    messages = chat.messages
    assert len(messages) % 2 == 0, [m.content for m in messages]
    for question, answer in zip(messages[::2], messages[1::2], strict=True):
        assert question.role == "user" and answer.role == "assistant", [m.content for m in messages]
        label = question.content.removeprefix("question ")
        assert answer.content == f"answer {label}", [m.content for m in messages]
        labels.append(label)
    return labels


def started(store: ChatStore) -> Chat:
    chat = store.new_chat()
    chat.messages += exchange("0")
    return store.save(chat)


# -- item 2: order --------------------------------------------------------------------------------


def test_an_exchange_merged_from_another_writer_stays_together_and_in_order() -> None:
    one, two = ChatStore(), ChatStore()
    chat = started(one)
    other = two.load(chat.id)

    chat.messages += exchange("a")
    one.save(chat)
    other.messages += exchange("b")
    two.save(other)

    assert assert_paired(ChatStore().load(chat.id)) == ["0", "a", "b"]
    assert assert_paired(other) == ["0", "a", "b"]


def test_merge_never_moves_messages_already_in_order_whatever_their_times() -> None:
    store = ChatStore()
    chat = store.new_chat()
    now = datetime.now(UTC)
    # Times out of order (a clock stepped back, a hand-edited file): the file's order rules.
    chat.messages = [
        Message(role="user", content="question 0", created_at=now),
        Message(role="assistant", content="answer 0", created_at=now - timedelta(hours=1)),
    ]
    store.save(chat)
    other = ChatStore().load(chat.id)
    other.messages += exchange("b")
    ChatStore().save(other)

    chat.messages += exchange("a")
    store.save(chat)

    assert assert_paired(ChatStore().load(chat.id)) == ["0", "b", "a"]


def test_a_message_finished_elsewhere_is_kept_when_this_side_did_not_change_it() -> None:
    app, runner = ChatStore(), ChatStore()
    chat = app.new_chat()
    waiting = Message(role="assistant", content="", status=MessageStatus.INTERRUPTED)
    chat.messages = [Message(role="user", content="deep question"), waiting]
    app.save(chat)
    elsewhere = runner.load(chat.id)
    elsewhere.messages[1].content = "the finished report"
    elsewhere.messages[1].status = MessageStatus.COMPLETE
    runner.save(elsewhere)

    chat.title = "Renamed here"
    app.save(chat)

    saved = ChatStore().load(chat.id)
    assert saved.messages[1].content == "the finished report"
    assert saved.title == "Renamed here"


def test_fields_this_version_does_not_know_survive_a_save_and_a_merge() -> None:
    store = ChatStore()
    chat = started(store)
    path = store.root / f"{chat.id}.json"
    raw = json.loads(path.read_bytes())
    raw["messages"][1]["parent_id"] = raw["messages"][0]["id"]
    raw["messages"][1]["future_message_field"] = {"id": "x_1", "status": "done"}
    raw["future_chat_field"] = [1, 2]
    path.write_text(json.dumps(raw))

    mine = ChatStore().load(chat.id)
    theirs = ChatStore().load(chat.id)
    theirs.messages += exchange("b")
    ChatStore().save(theirs)
    mine.messages += exchange("a")
    ChatStore().save(mine)

    saved = json.loads(path.read_bytes())
    assert saved["messages"][1]["parent_id"] == saved["messages"][0]["id"]
    assert saved["messages"][1]["future_message_field"] == {"id": "x_1", "status": "done"}
    assert saved["future_chat_field"] == [1, 2]
    assert assert_paired(ChatStore().load(chat.id)) == ["0", "b", "a"]


def _writer(root: str, chat_id: str, name: str, rounds: int, *, keep_object: bool) -> None:
    """A real process adding ``rounds`` exchanges; like the app (one object kept) or like
    ``pplx ask --chat`` (loaded afresh each time)."""
    code = 1
    try:
        from pathlib import Path

        store = ChatStore(Path(root))
        chat = store.load(chat_id)
        for number in range(rounds):
            if not keep_object:
                chat = ChatStore(Path(root)).load(chat_id)
            chat.messages += exchange(f"{name}{number}")
            (store if keep_object else ChatStore(Path(root))).save(chat)
        code = 0
    finally:
        os._exit(code)


def test_two_writer_processes_for_40_rounds_keep_every_exchange_together() -> None:
    store = ChatStore()
    chat = started(store)
    rounds = 40
    children = []
    for name, keep in (("x", True), ("y", False)):
        pid = os.fork()
        if pid == 0:
            _writer(str(store.root), chat.id, name, rounds, keep_object=keep)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0

    labels = assert_paired(ChatStore().load(chat.id))
    assert len(labels) == 1 + 2 * rounds
    for name in "xy":
        assert [x for x in labels if x.startswith(name)] == [f"{name}{n}" for n in range(rounds)]


def test_pplx_ask_saves_the_question_before_its_answer(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(["Hello."])))
    done = pplx("ask", "--save", "hi", server=loopback)
    assert done.returncode == 0, done.stderr
    (summary,) = ChatStore().list_chats()
    question, answer = ChatStore().load(summary.id).messages
    assert question.created_at <= answer.created_at


def test_two_concurrent_pplx_ask_chat_keep_each_answer_after_its_question(
    loopback: LoopbackServer,
) -> None:
    chat = started(ChatStore())
    both_asked = threading.Barrier(2, timeout=30)

    def reply(request: RecordedRequest) -> Reply:
        both_asked.wait()  # both processes have loaded the chat: their saves must merge
        question = request.json["messages"][-1]["content"]
        return Reply(chunks=answer_frames([f"answer {question.removeprefix('question ')}"]))

    loopback.default = reply
    processes = [
        subprocess.Popen(
            command("ask", "--chat", chat.id, "--save", f"question {name}", server=loopback),
            env=environment(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr

    labels = assert_paired(ChatStore().load(chat.id))
    assert sorted(labels) == ["0", "a", "b"] and labels[0] == "0"


# -- item 1: the merge base -----------------------------------------------------------------------


def test_renaming_the_open_chat_keeps_messages_another_process_added() -> None:
    app_store = ChatStore()
    chat = started(app_store)  # the chat open in the app
    cli = ChatStore()
    appended = cli.load(chat.id)
    appended.messages += exchange("cli")
    cli.save(appended)

    # What the app does on "Rename chat": the store renames, the open chat takes the title.
    renamed = app_store.rename(chat.id, "New title")
    chat.title = renamed.title
    chat.messages += exchange("app")
    app_store.save(chat)

    saved = ChatStore().load(chat.id)
    assert assert_paired(saved) == ["0", "cli", "app"]
    assert saved.title == "New title"


def test_a_branch_chosen_elsewhere_stays_chosen_when_this_side_chose_nothing() -> None:
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="q"))
    first = chat.add(Message(role="assistant", content="first"))
    second = chat.add(Message(role="assistant", content="second"), after=question.id)
    store.save(chat)
    elsewhere = ChatStore().load(chat.id)
    elsewhere.choose(first.id)
    ChatStore().save(elsewhere)

    chat.title = "Renamed"
    store.save(chat)

    saved = ChatStore().load(chat.id)
    assert [m.content for m in saved.active_path()] == ["q", "first"]
    assert second.id in {m.id for m in saved.messages}
