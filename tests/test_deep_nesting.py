"""Deeply nested JSON or TOML is malformed input like any other (issue 13 item 8): one line,
nothing lost, the bad file set aside; never a RecursionError escaping as "unexpected error"."""

from __future__ import annotations

from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import ProtocolError
from pplx_tui.config import Settings
from pplx_tui.models import Message
from pplx_tui.providers import build_catalog
from pplx_tui.store import ChatStore, ImportRejectedError
from tests.support.cli import KEY, answer_frames, pplx
from tests.support.loopback import LoopbackServer, Reply

JSON_HEADERS = {"Content-Type": "application/json"}

DEEP = "[" * 100_000 + "]" * 100_000
DEEPISH = "[" * 900 + "]" * 900
"""Deep enough for pydantic's limit, shallow enough for json.loads."""


def test_a_deeply_nested_chat_file_is_set_aside_and_listing_goes_on() -> None:
    store = ChatStore()
    good = store.new_chat()
    store.append_message(good, Message(role="user", content="fine"))
    bad = store.root / "01bad0000000000a.json"
    bad.write_text('{"schema_version": 2, "id": "x", "messages": ' + DEEP + "}")

    listed = pplx("chats", "list")
    assert listed.returncode == 0, listed.stderr
    assert good.id in listed.stdout and "Traceback" not in listed.stderr
    assert "could not be read" in listed.stderr and not bad.exists()
    assert list((store.root / ".corrupt").iterdir())
    assert pplx("chats", "search", "fine").returncode == 0


@pytest.mark.parametrize("nested", [DEEP, DEEPISH], ids=["100000", "900"])
def test_a_deeply_nested_import_file_is_refused_in_one_line(nested: str, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text('{"schema_version": 2, "id": "x", "messages": [], "extra": ' + nested + "}")

    with pytest.raises(ImportRejectedError):
        ChatStore().import_file(export)
    result = pplx("chats", "import", str(export))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "not a pplx-tui chat" in result.stderr


def test_a_deeply_nested_config_is_one_line_and_the_app_starts_on_defaults() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("search = " + DEEP + "\n")
    config.chmod(0o600)

    result = pplx("ask", "--demo", "hi")
    assert result.returncode == 2 and "nested too deeply" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

    from pplx_tui.ui.factory import make_app

    app = make_app(demo=True)
    assert any("nested too deeply" in text for text, _ in app._notices)


def test_a_deeply_nested_stream_event_is_skipped_like_any_malformed_one(
    loopback: LoopbackServer,
) -> None:
    frames = answer_frames(["Still ", "fine."])
    loopback.queue(Reply(chunks=[frames[0], f"data: {DEEP}\n\n".encode(), *frames[1:]]))

    result = pplx("ask", "q", server=loopback)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Still fine.")


async def test_a_deeply_nested_model_list_is_a_protocol_error(loopback: LoopbackServer) -> None:
    loopback.queue(
        Reply(chunks=[('{"data": ' + DEEP + "}").encode()], headers=JSON_HEADERS),
        Reply(
            chunks=[('{"data": [{"id": "m", "x": ' + DEEPISH + "}]}").encode()],
            headers=JSON_HEADERS,
        ),
    )
    provider = build_catalog(Settings()).provider("openrouter")
    async with ChatClient(provider, KEY, base_url=loopback.base_url + "/api/v1") as client:
        with pytest.raises(ProtocolError, match="not JSON"):
            await client.list_models()
        models = await client.list_models()  # only as deep as json.loads goes: read
    assert [m.id for m in models] == ["m"]
