"""Chat files whose times sit at the ends of the calendar (a hand edit, another tool): in local
time they fall before year 1 or after 9999, which Python cannot hold. Listing such a chat
stopped `pplx chats list` and `pplx usage` with "unexpected error (ValueError: year 0 is out of
range)" every time, for every chat, and the app's chat list with them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.chats import titled_chat
from tests.support.cli import pplx
from tests.support.tui import demo_app, row_text, until


@pytest.fixture(params=["America/Los_Angeles", "Pacific/Kiritimati"])
def far_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time hours behind UTC (year 1 falls into year 0), or ahead (9999 into 10000)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def edge_chats() -> tuple[str, str]:
    """Two chats: one last saved at the first moment of year 1, one at the last of 9999."""
    store = ChatStore()
    ids = []
    for title, moment in (("Dawn", "0001-01-01T00:00:00Z"), ("Dusk", "9999-12-31T23:59:59Z")):
        chat_id = titled_chat(store, title).id
        path = paths.chats_dir() / f"{chat_id}.json"
        data = json.loads(path.read_text())
        data["created_at"] = data["updated_at"] = moment
        for message in data["messages"]:
            message["created_at"] = message["finished_at"] = moment
        path.write_text(json.dumps(data))
        ids.append(chat_id)
    return ids[0], ids[1]


def test_chats_list_and_usage_read_them(far_zone: None, edge_chats: tuple[str, str]) -> None:
    for command in (
        ("chats", "list"),
        ("chats", "list", "--json"),
        ("usage",),
        ("chats", "search", "it"),
    ):
        result = pplx(*command)
        assert (result.returncode, result.stderr) == (0, ""), command
    listed = pplx("chats", "list").stdout
    assert "Dawn" in listed and "Dusk" in listed


async def test_the_app_lists_them(far_zone: None, edge_chats: tuple[str, str]) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: all(row_text(app, chat_id) for chat_id in edge_chats))
        assert "Dawn" in row_text(app, edge_chats[0])
