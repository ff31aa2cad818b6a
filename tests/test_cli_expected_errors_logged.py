"""A failure `pplx` foresaw is one line in pplx.log, as on stderr; a traceback there is for an
unexpected error only (README). QA: a chat deleted during `pplx ask --chat`, and a chats folder
that is a file, left full tracebacks."""

from __future__ import annotations

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.chats import seeded_chat
from tests.support.cli import answer_frames, pplx
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply


def _logged() -> str:
    return paths.log_file().read_text(encoding="utf-8")


def _assert_said_in_one_line(stderr: str) -> None:
    logged = _logged()
    assert "Traceback" not in logged, logged
    [line] = [line for line in logged.splitlines() if "could not be saved" in line]
    assert line.endswith(stderr.splitlines()[-1].removeprefix("pplx: the chat "))


def test_a_chat_deleted_during_ask_chat_is_one_log_line(loopback: LoopbackServer) -> None:
    chat_id = seeded_chat().id

    def deleted_meanwhile(request: RecordedRequest) -> Reply:
        ChatStore().delete(chat_id)
        return Reply(chunks=answer_frames(["a1"]))

    loopback.default = deleted_meanwhile
    result = pplx("ask", "--chat", chat_id, "q1", server=loopback)

    assert result.returncode == 1 and "was deleted elsewhere" in result.stderr
    _assert_said_in_one_line(result.stderr)


def test_a_chats_folder_that_is_a_file_is_one_log_line() -> None:
    paths.chats_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.chats_dir().write_text("not a folder", encoding="utf-8")

    result = pplx("ask", "--demo", "--save", "q")

    assert result.returncode == 1 and "(not a directory)" in result.stderr
    _assert_said_in_one_line(result.stderr)
