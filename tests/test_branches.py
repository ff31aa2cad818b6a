"""A chat as a tree: alternatives of an answer, branches from an edited question, old files."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pplx_tui.cli import main
from pplx_tui.export import export_chat
from pplx_tui.models import ROOT, SCHEMA_VERSION, Chat, Image, Message
from pplx_tui.session import history_turns
from pplx_tui.store import ChatStore


def ask(chat: Chat, text: str, after: str | None = None) -> Message:
    return chat.add(Message(role="user", content=text), after)


def answer(
    chat: Chat, text: str, after: str | None = None, model: str = "sonar", **fields: Any
) -> Message:
    return chat.add(Message(role="assistant", content=text, model=model, **fields), after)


def texts(messages: list[Message]) -> list[str]:
    return [m.content for m in messages]


def two_answers() -> tuple[Chat, Message, Message, Message]:
    """Q1 answered by sonar (A1), then again by sonar-pro (A1'), which is shown."""
    chat = Chat(id="c1")
    q1 = ask(chat, "Q1")
    a1 = answer(chat, "A1")
    a1b = answer(chat, "A1'", after=q1.id, model="sonar-pro")
    return chat, q1, a1, a1b


def test_a_new_alternative_is_shown_and_the_old_one_kept() -> None:
    chat, q1, a1, a1b = two_answers()
    assert texts(chat.active_path()) == ["Q1", "A1'"]
    assert chat.alternatives(a1.id) == [a1, a1b]
    assert chat.alternatives(q1.id) == [q1]
    assert chat.parent_key(q1) == ROOT
    assert chat.parent_key(a1b) == q1.id


def test_choosing_an_alternative_changes_the_path_and_the_context() -> None:
    chat, _, a1, _ = two_answers()
    chat.choose(a1.id)
    ask(chat, "Q2")
    assert texts(chat.active_path()) == ["Q1", "A1", "Q2"]
    assert [t.content for t in history_turns(chat.active_path())] == ["Q1", "A1", "Q2"]
    # The other answer keeps no follow-up of its own; choosing it ends the line there.
    chat.choose(chat.alternatives(a1.id)[1].id)
    assert texts(chat.active_path()) == ["Q1", "A1'"]


def test_an_edited_question_branches_and_keeps_the_later_turns() -> None:
    chat = Chat(id="c1")
    q1 = ask(chat, "Q1")
    a1 = answer(chat, "A1")
    q2 = ask(chat, "Q2 badly worded")
    answer(chat, "A2")
    ask(chat, "Q3")
    answer(chat, "A3")
    q2b = ask(chat, "Q2 fixed", after=a1.id)
    answer(chat, "A2 fixed")
    assert texts(chat.active_path()) == ["Q1", "A1", "Q2 fixed", "A2 fixed"]
    assert chat.alternatives(q2b.id) == [q2, q2b]
    chat.choose(q2.id)
    assert texts(chat.active_path()) == ["Q1", "A1", "Q2 badly worded", "A2", "Q3", "A3"]
    # Editing the first question makes a second start of the chat.
    q1b = ask(chat, "Q1 again", after=ROOT)
    assert chat.alternatives(q1.id) == [q1, q1b]
    assert texts(chat.active_path()) == ["Q1 again"]


def test_choosing_a_message_deep_in_another_branch_shows_its_whole_line() -> None:
    chat = Chat(id="c1")
    ask(chat, "Q1")
    a1 = answer(chat, "A1")
    ask(chat, "Q2")
    deep = answer(chat, "A2")
    ask(chat, "Q2 edited", after=a1.id)
    answer(chat, "A2 edited")
    chat.choose(deep.id)
    assert texts(chat.active_path()) == ["Q1", "A1", "Q2", "A2"]
    assert chat.path_to(deep.id) == chat.active_path()


def test_messages_without_parents_read_as_one_line() -> None:
    old = Chat(id="c1", messages=[Message(role="user", content=str(n)) for n in range(4)])
    assert texts(old.active_path()) == ["0", "1", "2", "3"]
    assert all(len(old.alternatives(m.id)) == 1 for m in old.messages)
    # A message added to an old chat follows the end of the line, explicitly.
    added = old.add(Message(role="assistant", content="4"))
    assert added.parent_id == old.messages[3].id


def test_a_parent_that_is_gone_reads_as_the_message_before() -> None:
    chat, q1, _, a1b = two_answers()
    orphan = Message(role="user", content="Q2", parent_id="deleted-elsewhere")
    chat.messages.append(orphan)
    chat.choose(a1b.id)
    assert texts(chat.active_path()) == ["Q1", "A1'", "Q2"]
    # A stale choice (its child is gone) falls back to the newest child.
    chat.chosen[q1.id] = "gone"
    assert chat.active_path()[1] is a1b


def test_a_file_with_a_repeated_message_id_shows_its_whole_line(tmp_path) -> None:
    """QA: a hand-edited file where two messages shared an id showed an empty chat (and sent
    no context). The later one gets an id of its own, the same at every read; the messages and
    the choice that named it follow it."""
    store = ChatStore(tmp_path)
    chat = store.new_chat()
    q1 = ask(chat, "Q1")
    answer(chat, "A1")
    q2 = ask(chat, "Q2")
    a2 = answer(chat, "A2")
    answer(chat, "A2'", after=q2.id)
    chat.choose(a2.id)
    ask(chat, "Q3")
    answer(chat, "A3")
    store.save(chat)
    path = tmp_path / f"{chat.id}.json"
    path.write_text(path.read_text().replace(a2.id, q1.id))

    loaded = store.load(chat.id)

    assert texts(loaded.active_path()) == ["Q1", "A1", "Q2", "A2", "Q3", "A3"]
    assert len({m.id for m in loaded.messages}) == len(loaded.messages)
    assert [m.id for m in store.load(chat.id).messages] == [m.id for m in loaded.messages]


def test_a_schema_1_file_loads_as_a_line_and_saves_as_schema_2(tmp_path) -> None:
    store = ChatStore(tmp_path)
    raw = {
        "schema_version": 1,
        "id": "old",
        "messages": [
            {"role": "user", "content": "Q1"},
            {"role": "assistant", "content": "A1"},
            {"role": "user", "content": "Q2"},
            {"role": "assistant", "content": "A2"},
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(raw))
    chat = store.load("old")
    assert texts(chat.active_path()) == ["Q1", "A1", "Q2", "A2"]
    answer(chat, "A2'", after=chat.messages[2].id)
    store.save(chat)
    saved = json.loads((tmp_path / "old.json").read_text())
    assert saved["schema_version"] == SCHEMA_VERSION == 2
    again = store.load("old")
    assert texts(again.active_path()) == ["Q1", "A1", "Q2", "A2'"]
    assert texts(again.alternatives(again.messages[3].id)) == ["A2", "A2'"]


def test_two_writers_adding_alternatives_keep_both(tmp_path) -> None:
    """The merge (by message id) keeps every message's place in the tree."""
    first, second = ChatStore(tmp_path), ChatStore(tmp_path)
    chat = first.new_chat()
    q1 = ask(chat, "Q1")
    answer(chat, "A1")
    first.save(chat)
    other = second.load(chat.id)
    answer(other, "A1 by the other", after=q1.id)
    second.save(other)
    answer(chat, "A1 by us", after=q1.id)
    first.save(chat)
    merged = ChatStore(tmp_path).load(chat.id)
    assert texts(merged.children(q1.id)) == ["A1", "A1 by the other", "A1 by us"]
    assert texts(merged.active_path()) == ["Q1", "A1 by us"]


def branched_chat() -> Chat:
    """Q1 answered twice (A1 chosen), a follow-up on each, and Q2 edited after A1."""
    chat = Chat(id="c1", title="T")
    q1 = ask(chat, "Q1")
    a1 = answer(
        chat,
        "A1",
        related_questions=["What next?"],
        images=[
            Image(image_url="https://img.example/a.png", origin_url="https://ex.com/p", title="P"),
            Image(image_url="javascript:alert(1)"),
        ],
    )
    ask(chat, "Q2 badly worded")
    answer(chat, "A2")
    answer(chat, "A1 pro", after=q1.id, model="sonar-pro")
    ask(chat, "Q2 after pro")
    chat.choose(a1.id)
    ask(chat, "Q2 fixed", after=a1.id)
    answer(chat, "A2 fixed")
    return chat


def test_markdown_export_shows_the_chosen_line_then_every_other_branch() -> None:
    markdown = export_chat(branched_chat(), "md").decode()
    main, others = markdown.split("## Other branches")
    assert "**Assistant** · sonar · answer 1 of 2 · chosen\n\nA1" in main
    assert "**Assistant** · sonar-pro · alternative 2 of 2\n\nA1 pro" in main
    assert main.index("A1 pro") < main.index("Q2 fixed") < main.index("A2 fixed")
    assert "**You** · version 2 of 2\n\nQ2 fixed" in main
    assert "Q2 badly worded" not in main and "Q2 after pro" not in main
    assert "*Follows alternative answer 2 of 2, by sonar-pro, to “Q1”.*" in others
    # QA: "Follows the answer" where Q1 has two: which one (the one shown, chosen).
    assert "*Follows answer 1 of 2, by sonar, to “Q1”.*" in others
    assert "**You** · version 1 of 2\n\nQ2 badly worded" in others
    assert others.index("Q2 badly worded") < others.index("A2")
    assert others.count("### Branch") == 2


def test_markdown_export_lists_related_questions_and_web_images_only() -> None:
    markdown = export_chat(branched_chat(), "md").decode()
    assert "**Related questions**\n\n- What next?" in markdown
    assert "**Images**\n\n- P — <https://img.example/a.png> (from <https://ex.com/p>)" in markdown
    assert "javascript" not in markdown


def test_a_straight_chat_exports_without_branch_marks() -> None:
    chat = Chat(id="c1")
    ask(chat, "Q1")
    answer(chat, "A1")
    markdown = export_chat(chat, "md").decode()
    assert "chosen" not in markdown and "Other branches" not in markdown


def test_chats_show_and_export_include_alternatives(capsys: pytest.CaptureFixture[str]) -> None:
    store = ChatStore()
    chat = branched_chat()
    chat.id = store.new_chat().id
    store.save(chat)
    assert main(["chats", "show", chat.id]) == 0
    shown = capsys.readouterr().out
    assert "alternative 2 of 2" in shown and "Q2 after pro" in shown
    assert main(["chats", "export", chat.id, "--format", "json"]) == 0
    raw = json.loads(capsys.readouterr().out)
    assert raw["chosen"][raw["messages"][0]["id"]] == raw["messages"][1]["id"]


def test_answers_compared_side_by_side_are_alternatives_of_their_question() -> None:
    chat = Chat(id="c1")
    q1 = ask(chat, "Q1")
    solo = answer(chat, "A1")
    left = answer(chat, "left", after=q1.id, comparison="cmp1")
    right = answer(chat, "right", after=q1.id, model="sonar-pro", comparison="cmp1")
    assert chat.alternatives(left.id) == [solo, left, right]
    assert chat.compared_with(right.id) == [left, right]
    assert chat.compared_with(solo.id) == [solo]
    assert chat.active_path()[-1] is right


def test_places_number_every_alternative_in_one_pass() -> None:
    chat, q1, a1, a1b = two_answers()
    q2 = ask(chat, "Q2")
    assert chat.places() == {a1.id: (1, 2), a1b.id: (2, 2)}
    assert q1.id not in chat.places() and q2.id not in chat.places()
