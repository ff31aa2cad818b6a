"""Huge chats (issue 13 item 9): listing and searching read a bounded amount; adding is linear.

A chat file of tens of megabytes (thousands of long answers) once took gigabytes to list and
minutes to continue. Listing and searching a chat file over ``LIGHT_ABOVE`` read it a piece at
a time and keep only the start of its texts; adding an exchange no longer walks the whole chat
once per message.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pplx_tui import paths
from pplx_tui.export import export_chat
from pplx_tui.models import Chat, Message
from pplx_tui.session import HISTORY_CHARS, build_request
from pplx_tui.store import ChatStore
from pplx_tui.store.files import LIGHT_ABOVE
from pplx_tui.store.light import TEXT_LIMIT
from tests.support.cli import command, environment, pplx

PARAGRAPH = "Phobos orbits Mars [1] every 7.6 hours, closer than any other moon [2]. "


def write_huge_chat(chat_id: str, exchanges: int, answer_chars: int) -> Path:
    """A chat file written as pplx-tui writes one: ``exchanges`` questions and long answers."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    messages: list[dict[str, object]] = []
    parent = ""
    body = PARAGRAPH * (answer_chars // len(PARAGRAPH))
    for number in range(exchanges):
        question = {
            "id": f"q{number:06d}",
            "role": "user",
            "parent_id": parent,
            "content": f"question {number} about phobos",
            "created_at": (start + timedelta(seconds=2 * number)).isoformat(),
        }
        answer = {
            "id": f"a{number:06d}",
            "role": "assistant",
            "parent_id": question["id"],
            "content": f"start{number} " + body + f" end{number}",
            "model": "sonar" if number % 2 else "sonar-pro",
            "sources": [
                {"index": k, "url": f"https://example.com/{number}/{k}", "title": f"Source {k}"}
                for k in range(1, 4)
            ],
            "created_at": (start + timedelta(seconds=2 * number + 1)).isoformat(),
        }
        parent = answer["id"]
        messages += [question, answer]
    chat = {
        "schema_version": 2,
        "id": chat_id,
        "title": "",
        "created_at": start.isoformat(),
        "updated_at": start.isoformat(),
        "messages": messages,
    }
    folder = paths.chats_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{chat_id}.json"
    path.write_text(json.dumps(chat, indent=2))
    return path


def peak_mb(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``pplx ARGS``; its result and peak resident memory, measured by a small parent
    (``ru_maxrss`` of a child counts its parent's size at the fork: here a bare Python)."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(f'\\nPEAK {peak}\\n')\n"
        "sys.exit(done.returncode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command(*args)],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
    )
    body, _, peak = result.stderr.rpartition("\nPEAK ")
    result.stderr = body
    return result, int(peak) / 1024


class Walks(list[Message]):
    """A chat's message list that counts the walks through it (each ``for`` over it)."""

    count = 0

    def __iter__(self) -> Iterator[Message]:
        self.count += 1
        return super().__iter__()


def long_chat() -> Chat:
    """2,500 exchanges in one line, its messages counting the walks through them."""
    chat = Chat(id="long", title="Long")
    parent = ""
    for number in range(2500):
        for role, text in (("user", f"q{number}"), ("assistant", f"a{number}")):
            message = Message(role=role, content=text, parent_id=parent)  # type: ignore[arg-type]
            chat.messages.append(message)
            parent = message.id
    chat.messages = Walks(chat.messages)
    return chat


def test_adding_an_exchange_to_a_5000_message_chat_walks_it_a_few_times() -> None:
    """Walks are counted, not timed: one per message on the path took ~10 s for this add."""
    chat = long_chat()
    chat.add(Message(role="user", content="one more"))
    chat.add(Message(role="assistant", content="answer"))
    assert isinstance(chat.messages, Walks) and 0 < chat.messages.count < 50
    assert [m.content for m in chat.active_path()[-3:]] == ["a2499", "one more", "answer"]


def test_a_question_in_a_huge_chat_carries_only_the_latest_context() -> None:
    history: list[Message] = []
    for number in range(30):
        history.append(Message(role="user", content=f"question {number}"))
        history.append(Message(role="assistant", content=f"answer {number} " + "x" * 100_000))
    turns = build_request(history, "and now?", "sonar").turns
    assert sum(len(turn.content) for turn in turns[:-1]) <= HISTORY_CHARS
    assert turns[0].content == "question 21" and turns[-2].content.startswith("answer 29")
    assert [turn.role for turn in turns[:4]] == ["user", "assistant", "user", "assistant"]
    assert turns[-1].content == "and now?"
    short = build_request(history[:4], "and now?", "sonar").turns
    assert [turn.content[:10] for turn in short] == [
        "question 0",
        "answer 0 x",
        "question 1",
        "answer 1 x",
        "and now?",
    ]


def test_listing_and_searching_a_huge_chat_read_it_a_piece_at_a_time() -> None:
    path = write_huge_chat("huge", exchanges=400, answer_chars=150_000)  # ~60 MB
    assert path.stat().st_size > 50 * 2**20 > LIGHT_ABOVE

    listed, listing_peak = peak_mb("chats", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert entry["message_count"] == 800 and entry["title"] == "question 0 about phobos"
    assert set(entry["models"]) == {"sonar", "sonar-pro"}

    found, search_peak = peak_mb("chats", "search", "start399", "--json")
    assert found.returncode == 0, found.stderr
    [hit] = json.loads(found.stdout)
    assert hit["chat_id"] == "huge" and hit["message_index"] == 799
    # Only the start of a long text is searched (the limit is documented).
    late = pplx("chats", "search", "end399", "--json")  # its result only: in this process
    assert late.returncode == 0 and json.loads(late.stdout) == []

    # Whole, 60 MB took over 400 MB to list (the index holds the texts): now the light copy.
    assert listing_peak < 200 and search_peak < 200, (listing_peak, search_peak)
    assert TEXT_LIMIT < 150_000


def test_a_huge_chat_still_opens_whole_and_takes_an_exchange() -> None:
    write_huge_chat("whole", exchanges=40, answer_chars=250_000)  # ~10 MB, over LIGHT_ABOVE
    store = ChatStore()
    chat = store.load("whole")
    assert len(chat.messages) == 80 and chat.messages[-1].content.endswith("end39")
    chat.add(Message(role="user", content="more?"))
    chat.add(Message(role="assistant", content="yes"))
    store.save(chat)
    [summary] = ChatStore().list_chats()
    assert summary.message_count == 82
    assert [hit.message_index for hit in ChatStore().search("yes")] == [81]


def test_a_huge_file_that_is_cut_short_or_newer_is_treated_like_a_small_one() -> None:
    cut = write_huge_chat("cut", exchanges=40, answer_chars=250_000)
    cut.write_bytes(cut.read_bytes()[:-5000])
    newer = write_huge_chat("newer", exchanges=40, answer_chars=250_000)
    raw = json.loads(newer.read_bytes())
    raw["schema_version"] = 99
    raw["messages"][0]["role"] = "narrator"  # what this version cannot read
    newer.write_text(json.dumps(raw, indent=2))
    store = ChatStore()
    [summary] = store.list_chats()
    assert summary.id == "newer" and summary.read_only
    notices = " ".join(store.take_notices())
    assert "cut" in notices and "newer pplx-tui" in notices
    assert [p.name.split(".")[0] for p in (paths.chats_dir() / ".corrupt").iterdir()] == ["cut"]


def test_saving_a_big_chat_never_holds_its_whole_file_in_memory() -> None:
    store = ChatStore()
    chat = store.new_chat()
    for number in range(100):
        chat.add(Message(role="user", content=f"question {number}"))
        chat.add(Message(role="assistant", content=f"answer {number} " + "y" * 200_000))
    store.save(chat)  # ~20 MB
    chat.add(Message(role="user", content="one more"))
    tracemalloc.start()
    try:
        store.save(chat)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = store.root.joinpath(f"{chat.id}.json").stat().st_size
    assert size > 20_000_000 and peak < 4_000_000, (size, peak)  # one message at a time
    assert json.loads(store.root.joinpath(f"{chat.id}.json").read_bytes()) == json.loads(
        chat.model_dump_json()
    )


def test_looking_for_runs_and_costs_never_holds_a_big_chat_file_whole() -> None:
    write_huge_chat("plain", exchanges=40, answer_chars=250_000)  # ~10 MB, no cost, no run
    costly = write_huge_chat("costly", exchanges=40, answer_chars=250_000)
    raw = json.loads(costly.read_bytes())
    raw["messages"][-1]["usage"] = {"total_tokens": 9, "cost_usd": 0.25}
    costly.write_text(json.dumps(raw, indent=2))
    store = ChatStore()
    tracemalloc.start()
    try:
        found = list(store.chats_holding(b'"cost_usd"'))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [chat] = found
    assert chat.id == "costly" and len(chat.messages) == 80
    assert chat.messages[-1].usage is not None and chat.messages[-1].usage.cost_usd == 0.25
    assert peak < 8_000_000, peak  # each file was ~10 MB: read a piece at a time


def test_a_5000_message_chat_is_exported_in_a_few_walks() -> None:
    """Walks are counted, not timed: one per message took ~90 s for this export."""
    chat = long_chat()
    chat.add(Message(role="assistant", content="another answer"), after=chat.messages[-2].id)
    walks = Walks(chat.messages)
    chat.messages = walks
    text = export_chat(chat, "md").decode()
    assert 0 < walks.count < 50
    assert text.count("**You**") == 2500 and "alternative 1 of 2" in text
    assert text.index("q2499") < text.index("another answer") < text.index("a2499")
