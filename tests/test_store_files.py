"""The chat store on disk: round trips, atomic saves, bad and newer files, permissions, ids."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pplx_tui import paths
from pplx_tui.models import (
    SCHEMA_VERSION,
    Chat,
    ChatSettings,
    Image,
    Message,
    MessageStatus,
    SamplingOptions,
    SearchSettings,
    Source,
    Usage,
)
from pplx_tui.store import (
    ChatNotFoundError,
    ChatStore,
    CorruptChatError,
    InvalidChatIdError,
    NewerSchemaError,
    check_chat_id,
    new_chat_id,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def full_chat(store: ChatStore) -> Chat:
    """A chat with every field of every model set to something other than its default."""
    search = SearchSettings(
        recency="week",
        domains=["nature.com", "-reddit.com"],
        mode="academic",
        context_size="high",
        before_date="03/01/2025",
        return_images=True,
        return_related_questions=True,
    )
    chat = store.new_chat(
        ChatSettings(
            provider="openrouter",
            model="perplexity/sonar-pro",
            system_prompt="Be brief.",
            search=search,
            sampling=SamplingOptions(
                temperature=0.2,
                top_p=0.9,
                max_tokens=512,
                stop=["END"],
                presence_penalty=0.5,
                frequency_penalty=-0.5,
                reasoning_effort="high",
            ),
        )
    )
    chat.title = "Mars moons"
    chat.created_at = T0
    chat.messages = [
        Message(role="user", content="How many moons?", search=search, created_at=T0),
        Message(
            role="assistant",
            content="Two [1], Phobos and Deimos [2]. ünïcødé ✓",
            reasoning="<think>recall</think>",
            sources=[
                Source(
                    index=1,
                    url="https://nasa.gov/mars",
                    title="NASA",
                    date="2024-05-01",
                    snippet="Mars has two moons",
                ),
                Source(index=2, url="https://esa.int/phobos", title="ESA"),
            ],
            related_questions=["What is Phobos made of?"],
            images=[
                Image(
                    image_url="https://i.example/p.png",
                    origin_url="https://example.com",
                    title="Phobos",
                    width=640,
                    height=480,
                )
            ],
            provider="openrouter",
            model="perplexity/sonar-pro",
            usage=Usage(prompt_tokens=10, completion_tokens=20, total_tokens=30, cost_usd=0.0012),
            status=MessageStatus.INTERRUPTED,
            error="the stream was cut",
            created_at=T0,
            finished_at=T0,
        ),
    ]
    return chat


def test_nothing_is_created_until_the_first_save(isolated_home: Path) -> None:
    store = ChatStore()

    assert store.root == paths.chats_dir()
    assert store.list_chats() == [] and store.search("x") == []
    with pytest.raises(ChatNotFoundError):
        store.load("01abc")
    assert not (isolated_home / "data").exists()


def test_every_field_survives_a_round_trip() -> None:
    store = ChatStore()
    chat = full_chat(store)
    store.save(chat)

    loaded = ChatStore().load(chat.id)

    assert loaded == chat
    assert loaded.model_dump() == chat.model_dump()
    raw = json.loads(store.root.joinpath(f"{chat.id}.json").read_bytes())
    assert raw["schema_version"] == SCHEMA_VERSION
    assert [m["id"] for m in raw["messages"]] == [m.id for m in chat.messages]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.text(), title=st.text(max_size=300), url=st.text(max_size=50))
def test_any_text_round_trips_and_the_file_holds_no_raw_control_character(
    tmp_path: Path, content: str, title: str, url: str
) -> None:
    store = ChatStore(tmp_path / "prop")
    chat = store.new_chat()
    chat.title = title
    chat.messages.append(
        Message(role="assistant", content=content, sources=[Source(index=1, url=url)])
    )
    store.save(chat)
    data = (store.root / f"{chat.id}.json").read_bytes()

    assert ChatStore(store.root).load(chat.id).messages == chat.messages
    assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in data.decode())


def test_folder_is_owner_only_and_every_file_0600() -> None:
    previous = os.umask(0)
    try:
        store = ChatStore()
        store.save(full_chat(store))
        store.list_chats()
        (store.root / "bad.json").write_text("{", encoding="utf-8")
        os.chmod(store.root / "bad.json", 0o600)
        store.list_chats()
    finally:
        os.umask(previous)

    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    folders = [p for p in store.root.rglob("*") if p.is_dir()]
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert {p.name for p in folders} == {".index", ".locks", ".corrupt"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders)
    assert len(files) >= 5
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {"0o600"}


@pytest.mark.parametrize(
    "bad",
    [
        "../x",
        "..",
        ".",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "",
        " x",
        "x\x00",
        "-x",
        "x" * 65,
        "Ab",
        "x.json",
        "~root",
    ],
)
def test_ids_from_outside_are_validated_and_never_become_paths(bad: str) -> None:
    store = ChatStore()
    with pytest.raises(InvalidChatIdError):
        check_chat_id(bad)
    with pytest.raises((InvalidChatIdError, ChatNotFoundError)):
        store.load(bad)  # (upper case is folded by the lookup, so "Ab" is merely unknown)
    chat = Chat(id=bad)
    with pytest.raises(InvalidChatIdError):
        store.save(chat)
    assert not store.root.exists()


def test_generated_ids_are_short_valid_and_sort_by_time() -> None:
    ids = [new_chat_id(ms) for ms in (0, 1, 999, 10**12, 1_700_000_000_000, 2**48 - 1)]

    assert ids == sorted(ids)
    assert all(len(i) == 16 and check_chat_id(i) for i in ids)
    assert len({new_chat_id() for _ in range(1000)}) == 1000


def test_a_unique_prefix_names_a_chat_and_an_ambiguous_one_is_refused() -> None:
    store = ChatStore()
    first, second = store.new_chat(), store.new_chat()
    first.id, second.id = "0abc1", "0abc2"
    store.save(first)
    store.save(second)

    assert store.load("0ABC1").id == "0abc1"
    assert store.resolve("0abc2") == "0abc2"
    with pytest.raises(InvalidChatIdError, match="start of 2"):
        store.resolve("0abc")
    with pytest.raises(ChatNotFoundError):
        store.resolve("0abd")


def saved(store: ChatStore, content: str = "What is Phobos?") -> Chat:
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content=content))
    return chat


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "json"),
        (b'{"id": "x", "messages": [{"role": "robot"}]}', "role"),
        (b"[]", ""),
    ],
)
def test_a_corrupt_file_is_set_aside_with_a_notice_and_never_stops_listing(
    data: bytes, reason: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(logging.getLogger("pplx_tui"), "propagate", True)
    store = ChatStore()
    good = saved(store)
    (store.root / "0bad.json").write_bytes(data)

    with caplog.at_level(logging.WARNING, logger="pplx_tui.store"):
        summaries = store.list_chats()

    assert [s.id for s in summaries] == [good.id]
    assert not (store.root / "0bad.json").exists()
    [moved] = (store.root / ".corrupt").iterdir()
    assert moved.name.startswith("0bad.") and moved.read_bytes() == data
    [notice] = store.take_notices()
    assert "0bad" in notice and str(moved) in notice and reason in notice.lower()
    assert store.take_notices() == []
    assert any("0bad" in r.getMessage() for r in caplog.records)


def test_loading_a_corrupt_chat_raises_a_typed_error_after_setting_it_aside() -> None:
    store = ChatStore()
    chat = saved(store)
    path = store.root / f"{chat.id}.json"
    path.write_bytes(path.read_bytes()[:-20])

    with pytest.raises(CorruptChatError) as caught:
        store.load(chat.id)

    assert caught.value.moved_to is not None and caught.value.moved_to.exists()
    assert "could not be read" in str(caught.value)
    with pytest.raises(ChatNotFoundError):
        store.load(chat.id)


def test_saving_over_a_corrupt_file_keeps_the_bad_one_aside_and_writes_ours() -> None:
    store = ChatStore()
    chat = saved(store)
    (store.root / f"{chat.id}.json").write_bytes(b"\x00garbage")

    store.append_message(chat, Message(role="assistant", content="A moon."))

    assert [m.content for m in ChatStore().load(chat.id).messages] == ["What is Phobos?", "A moon."]
    assert len(list((store.root / ".corrupt").iterdir())) == 1
    assert store.take_notices()


def write_newer(store: ChatStore, chat_id: str, **changes: object) -> bytes:
    raw = json.loads(Chat(id=chat_id, title="From the future").model_dump_json())
    raw.update(schema_version=SCHEMA_VERSION + 1, hologram={"x": 1}, **changes)
    data = json.dumps(raw).encode()
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / f"{chat_id}.json").write_bytes(data)
    return data


def test_a_chat_from_a_newer_schema_opens_read_only_and_is_never_overwritten() -> None:
    store = ChatStore()
    data = write_newer(store, "0future")

    chat = store.load("0future")

    assert chat.title == "From the future" and store.is_read_only(chat)
    assert "newer pplx-tui" in store.take_notices()[0]
    for attempt in (
        lambda: store.save(chat),
        lambda: store.append_message(chat, Message(role="user", content="hi")),
        lambda: store.rename("0future", "Mine now"),
    ):
        with pytest.raises(NewerSchemaError, match="read-only"):
            attempt()
    assert (store.root / "0future.json").read_bytes() == data
    [summary] = store.list_chats()
    assert summary.read_only and summary.title == "From the future"


def test_a_newer_chat_this_version_cannot_read_is_listed_but_not_moved_or_touched() -> None:
    store = ChatStore()
    data = write_newer(store, "0future", messages="a different shape")

    with pytest.raises(NewerSchemaError, match="cannot be opened"):
        store.load("0future")
    [summary] = store.list_chats()

    assert summary.read_only and summary.id == "0future"
    assert store.search("future") == []
    assert (store.root / "0future.json").read_bytes() == data
    assert not (store.root / ".corrupt").exists()


def test_a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one() -> None:
    """SIGKILL a process that keeps rewriting a chat (sizes vary, so a torn write would show)."""
    store = ChatStore()
    chat = saved(store)
    path = store.root / f"{chat.id}.json"
    rng = random.Random(1)
    for round_number in range(30):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer: never returns
            os.close(read_end)
            try:
                writer = ChatStore(store.root)
                mine = writer.load(chat.id)
                for step in range(1_000_000):
                    mine.messages[-1].content = f"{round_number}.{step} " + "x" * (
                        step * 7919 % 50_000
                    )
                    writer.save(mine)
                    if step == 0:  # the kill lands among later writes, however busy the machine
                        os.write(write_end, b"go")
            finally:
                os._exit(1)
        os.close(write_end)
        assert os.read(read_end, 2) == b"go"
        os.close(read_end)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

        survivor = ChatStore(store.root).load(chat.id)
        assert len(survivor.messages) == 1
        assert survivor.messages[0].content.startswith(f"{round_number}.")  # a whole version

    # Writers killed mid-write leave temporary files (some rounds, by chance); they are never
    # taken for chats, and the dead writers' locks are free.
    store.append_message(chat, Message(role="assistant", content="done"))
    assert [s.id for s in store.list_chats()] == [chat.id]
    assert json.loads(path.read_bytes())["messages"][-1]["content"] == "done"
