"""The first listing of many chats reads each file's head (store.quick_head.read_head): every
chat file, however it is written, lists as it does when read whole."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pplx_tui.store.index as index_module
import pplx_tui.store.whole_reads as whole_reads
from pplx_tui.store import ChatStore
from pplx_tui.store.heads import Head
from pplx_tui.store.quick_head import read_head

ANSWER = {"role": "assistant", "content": "An answer.", "model": "sonar-pro"}
FILES: dict[str, object] = {
    "a": {
        "schema_version": 2,
        "title": "Indented, as pplx-tui writes it",
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-02T10:00:00.123456Z",
        "messages": [{"role": "user", "content": "q"}, ANSWER, {**ANSWER, "model": "sonar"}],
    },
    "b": {"title": "No times, no schema version", "messages": []},
    "c": {
        "title": "Naive and offset times",
        "created_at": "2025-01-01T00:00:00",
        "updated_at": "2025-01-01T12:00:00+02:00",
        "messages": [{"role": "user", "content": "q"}, {**ANSWER, "model": None}],
    },
    "d": {  # the title is made from the first question
        "title": "",
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "messages": [{"role": "user", "content": "  Made\nfrom the first question  "}],
    },
    "h": {  # past a microsecond: msgspec would round, pydantic cuts
        "title": "Seven digits of a second",
        "created_at": "2025-01-01T00:00:00.1234567Z",
        "updated_at": "2025-01-03T00:00:00.9999999+01:00",
    },
    "e": {"title": "Times as numbers", "created_at": 1735689600, "updated_at": 1735689601.5},
    "f": {"title": "Version as text", "schema_version": "2", "created_at": 0, "updated_at": 1},
    "g": {
        "title": "Models with odd names",
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "messages": [{**ANSWER, "model": "a\nb"}, {**ANSWER, "model": "ünï"}, {**ANSWER}],
        "extra_field": {"messages": []},
    },
}


def write(root: Path, name: str, data: object, *, indent: int | None) -> None:
    chat_id = f"0chat{name}{indent or 0}"
    text = json.dumps({"id": "ignored", **data}, indent=indent)  # type: ignore[dict-item]
    (root / f"{chat_id}.json").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("indent", [2, None])
def test_heads_list_as_whole_reads_do(monkeypatch: pytest.MonkeyPatch, indent: int | None) -> None:
    store = ChatStore()
    store.root.mkdir(parents=True)
    for name, data in FILES.items():
        write(store.root, name, data, indent=indent)
    whole = ChatStore().list_chats()  # a few chats: each read whole
    shutil.rmtree(store.root / ".index")
    monkeypatch.setattr(index_module, "TEXTS_NOW", 0)  # as for 2,000: heads only
    parsed: list[str] = []
    real = whole_reads.parse_chat
    monkeypatch.setattr(whole_reads, "parse_chat", lambda d, i: parsed.append(i) or real(d, i))

    heads = ChatStore().list_chats()

    assert parsed == []
    assert len(heads) == len(FILES)
    untimed = f"0chatb{indent or 0}"  # a missing time is "now": later for the heads
    assert heads[0].id == whole[0].id == untimed and heads[0].updated_at > whole[0].updated_at
    assert heads[1:] == whole[1:]


def test_a_file_the_quick_reader_declines_is_read_by_the_model() -> None:
    data = json.dumps(
        {"id": "x", "title": "t", "schema_version": "2", "created_at": 0, "updated_at": 0}
    )
    assert read_head(data.encode()) == Head.model_validate_json(data)
    with pytest.raises(ValueError):
        read_head(b'{"id": "x", "title": "t", "messages": [{"role": "system"}]}')


def test_a_head_whose_time_is_no_date_is_set_aside_as_a_whole_read_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A time shaped as pplx-tui writes one but no date (month 13) escaped the first listing
    of many chats as an unexpected error; the whole read reports the file instead."""
    store = ChatStore()
    store.root.mkdir(parents=True)
    write(store.root, "m", {"title": "t", "created_at": "2025-13-01T00:00:00Z"}, indent=2)
    monkeypatch.setattr(index_module, "TEXTS_NOW", 0)  # as for 2,000: heads only

    assert store.list_chats() == []
    [notice] = store.take_notices()
    assert "could not be read (created_at:" in notice and "moved to" in notice


def test_the_store_loads_msgspec_only_for_a_first_listing() -> None:
    code = (
        "import sys\n"
        "from pplx_tui.store import ChatStore\n"
        "ChatStore().list_chats(); ChatStore().search('phobos')\n"
        "print('msgspec' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("texts_now", [0, 64])
def test_a_json_file_that_is_no_chat_is_set_aside_by_a_listing(
    monkeypatch: pytest.MonkeyPatch, texts_now: int
) -> None:
    """QA: ``{"hello": "world"}`` in the chats folder was listed as an untitled chat of 0
    messages dated now (its head read with every default), and set aside only by the first
    search (``id: Field required``). A listing sets it aside as a search does."""
    store = ChatStore()
    store.root.mkdir(parents=True)
    (store.root / "0hello.json").write_text('{"hello": "world"}', encoding="utf-8")
    monkeypatch.setattr(index_module, "TEXTS_NOW", texts_now)  # 0: as for 2,000, heads only

    assert store.list_chats() == []
    [notice] = store.take_notices()
    assert "could not be read (id: Field required)" in notice and "moved to" in notice
    assert not (store.root / "0hello.json").exists()
