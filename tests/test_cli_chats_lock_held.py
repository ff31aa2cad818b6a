"""A chats command that cannot take a chat's lock (another process holds it over the wait) is
exit 1, "the chat could not be saved", as `pplx ask --chat` is; not 2, a usage error (QA:
`pplx chats rename` and `delete` exited 2)."""

from __future__ import annotations

import pytest

from pplx_tui.store import ChatStore
from pplx_tui.store.files import ChatFiles
from tests.support.chats import seeded_chat
from tests.support.cli import pplx
from tests.support.cli_faults import assert_clean_failure


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pplx_tui.store.files.LOCK_TIMEOUT", 0.1)


@pytest.mark.parametrize(
    "command", [("chats", "rename", "{id}", "New title"), ("chats", "delete", "{id}")]
)
def test_a_chat_whose_lock_another_process_holds_is_not_changed_exit_1(
    command: tuple[str, ...],
) -> None:
    chat = seeded_chat()
    with ChatFiles(ChatStore().root).lock(chat.id):  # a descriptor of its own: another holder
        result = pplx(*(word.format(id=chat.id) for word in command))

    [line] = assert_clean_failure(result, 1)
    assert "has held" in line and line.endswith("; try again")
    assert ChatStore().load(chat.id).title == chat.title
