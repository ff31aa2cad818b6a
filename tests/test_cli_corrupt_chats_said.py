"""`pplx runs` and `pplx usage` say a chat file that does not parse and set it aside, as
`pplx chats list` does (QA: both skipped it without a word, so a chat holding a run or spend
went missing from them unexplained)."""

from __future__ import annotations

import pytest

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.chats import seeded_chat
from tests.support.cli import pplx

BROKEN = "01m8zzzzzzzzzzzw"


@pytest.mark.parametrize(
    "command", [("runs",), ("runs", "--json"), ("usage",), ("usage", "--json")]
)
@pytest.mark.parametrize("content", ["{bad", '{"messages": [{"run": {"id": "resp_1"'])
def test_a_corrupt_chat_file_is_said_and_set_aside(command: tuple[str, ...], content: str) -> None:
    kept = seeded_chat()
    (paths.chats_dir() / f"{BROKEN}.json").write_text(content, encoding="utf-8")

    result = pplx(*command)

    assert result.returncode == 0, result.stderr
    warning = f"pplx: warning: chat {BROKEN} could not be read ("
    assert result.stderr.count(warning) == 1, result.stderr
    assert f"it was moved to {paths.chats_dir() / '.corrupt'}" in result.stderr
    assert not (paths.chats_dir() / f"{BROKEN}.json").exists()
    assert [summary.id for summary in ChatStore().list_chats()] == [kept.id]
    assert pplx(*command).stderr.count("warning") == 0  # said once: it is aside now
