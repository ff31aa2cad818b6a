"""``pplx chats import``: a file, a pipe, ``-``; a chat imported again or continued elsewhere;
what is not a chat export."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from pplx_tui.export import to_json
from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.store.export_reading import MAX_IMPORT_BYTES
from tests.support.chats import seeded_chat
from tests.support.cli import chats_main, command, environment, pplx


def test_export_then_import_through_the_real_command(tmp_path: Path) -> None:
    """Into a store without the chat (another machine): it comes back with its own id."""
    chat = seeded_chat()
    target = tmp_path / "chat.json"

    exported = pplx("chats", "export", chat.id, "--format", "json", "-o", str(target))
    ChatStore().delete(chat.id)
    imported = pplx("chats", "import", str(target))

    assert exported.returncode == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == f"{chat.id}\n"
    assert imported.stderr == (
        f"pplx: imported 'How many moons does Mars have?' as chat {chat.id}\n"
    )
    assert ChatStore().load(chat.id).messages == chat.messages


def test_an_export_piped_into_import_dash_is_imported() -> None:
    """`pplx chats export ID --format json | pplx chats import -` (export writes to `-`):
    import said "cannot read -: No such file or directory"."""
    chat = seeded_chat()
    exported = pplx("chats", "export", chat.id, "--format", "json").stdout.encode()
    ChatStore().delete(chat.id)

    imported = pplx("chats", "import", "-", stdin=exported)

    assert (imported.returncode, imported.stdout) == (0, f"{chat.id}\n"), imported.stderr
    assert ChatStore().load(chat.id).messages == chat.messages


def test_an_export_read_from_a_pipe_by_its_path_is_imported() -> None:
    """`pplx chats import <(ssh host pplx chats export ID --format json)`, or /dev/stdin:
    a pipe was refused as "not a file"."""
    chat = seeded_chat()
    exported = pplx("chats", "export", chat.id, "--format", "json").stdout.encode()
    ChatStore().delete(chat.id)
    read, write = os.pipe()
    os.write(write, exported)
    os.close(write)
    try:
        imported = pplx("chats", "import", f"/dev/fd/{read}")
    finally:
        os.close(read)

    assert (imported.returncode, imported.stdout) == (0, f"{chat.id}\n"), imported.stderr


@pytest.mark.parametrize(
    ("stdin", "tty", "expected"),
    [
        (b"", (), "pplx: nothing is piped in to import: pplx chats import - < FILE\n"),
        (b"", ("stdin",), "pplx: nothing is piped in to import: pplx chats import - < FILE\n"),
        (b"{}", (), "pplx: stdin is not a pplx-tui chat export (no schema_version and messages)\n"),
        (
            b"[" * (MAX_IMPORT_BYTES + 1),
            (),
            f"pplx: stdin is over {MAX_IMPORT_BYTES:,} bytes; a chat export is at most "
            f"{MAX_IMPORT_BYTES:,} bytes (20 MiB)\n",
        ),
    ],
    # Named, not shown: pytest would spell the 20 MiB input out in the test's id.
    ids=["empty pipe", "terminal", "not an export", "over 20 MiB"],
)
def test_import_dash_of_nothing_a_terminal_or_too_much_is_one_line(
    stdin: bytes, tty: tuple[str, ...], expected: str
) -> None:
    result = pplx("chats", "import", "-", stdin=stdin, tty=tty)

    assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)
    assert not ChatStore().root.exists() or ChatStore().list_chats() == []


def test_import_dash_with_stdin_closed_is_one_line() -> None:
    """`pplx chats import - <&-` (a real process: only one has no stdin at all)."""
    result = subprocess.run(
        command("chats", "import", "-"),
        preexec_fn=lambda: os.close(0),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "pplx: nothing is piped in to import: pplx chats import - < FILE\n"


def test_importing_a_saved_chat_again_adds_no_copy(tmp_path: Path) -> None:
    """QA-43: `pplx chats import FILE` twice on one export made two copies of the chat."""
    chat = seeded_chat()
    target = tmp_path / "chat.json"
    pplx("chats", "export", chat.id, "--format", "json", "-o", str(target))
    saved = (ChatStore().root / f"{chat.id}.json").read_bytes()

    first, second = (pplx("chats", "import", str(target)) for _ in range(2))

    for result in (first, second):
        assert (result.returncode, result.stdout) == (0, f"{chat.id}\n"), result.stderr
        assert result.stderr == (
            f"pplx: already saved as chat {chat.id}: 'How many moons does Mars have?' "
            "(nothing imported)\n"
        )
    assert [s.id for s in ChatStore().list_chats()] == [chat.id]
    assert (ChatStore().root / f"{chat.id}.json").read_bytes() == saved


def test_a_chat_continued_elsewhere_is_imported_beside_once(tmp_path: Path) -> None:
    """The same id with other messages is a new chat beside the saved one; importing that
    export again finds the copy (no third chat)."""
    chat = seeded_chat()
    continued = ChatStore().load(chat.id)
    continued.messages.append(Message(role="user", content="Which one is bigger?"))
    target = tmp_path / "continued.json"
    target.write_bytes(to_json(continued))

    first, second = (pplx("chats", "import", str(target)) for _ in range(2))

    assert first.returncode == 0, first.stderr
    new_id = first.stdout.strip()
    assert new_id != chat.id
    assert first.stderr == (
        f"pplx: imported 'How many moons does Mars have?' as new chat {new_id}, beside chat "
        f"{chat.id} (the same id with other messages)\n"
    )
    assert ChatStore().load(new_id).messages == continued.messages
    assert len(ChatStore().load(chat.id).messages) == 2
    assert (second.returncode, second.stdout) == (0, f"{new_id}\n"), second.stderr
    assert second.stderr.startswith(f"pplx: already saved as chat {new_id}: ")
    assert {s.id for s in ChatStore().list_chats()} == {chat.id, new_id}


def test_import_of_something_else_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")

    code, out, err = chats_main(capsys, "import", str(path))

    assert (code, out) == (2, "")
    assert err == f"pplx: {path} is not a pplx-tui chat export (no schema_version and messages)\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"schema_version": "1", "messages": []}', "its schema_version is not a whole number"),
        ('{"schema_version": 2, "messages": {}}', "its messages are not a list"),
        ('{"schema_version": 2}', "no messages"),
        ('{"messages": []}', "no schema_version"),
    ],
)
def test_an_export_of_the_wrong_shape_names_what_is_wrong(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, problem: str
) -> None:
    """QA: `"schema_version": "1"` was said to have "no schema_version and messages"."""
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")

    code, _, err = chats_main(capsys, "import", str(path))

    assert (code, err) == (2, f"pplx: {path} is not a pplx-tui chat export ({problem})\n")


def test_an_export_with_an_id_pplx_does_not_make_gets_a_new_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: an export saying `"id": "zzzz"` was kept as chat zzzz, and `pplx chats list`
    printed its row four columns left of the others; an id of pplx-tui's shape is kept (the
    test above), any other gets a new one, as `../x` did. Imported again, the copy is found."""
    chat = seeded_chat()
    foreign = ChatStore().load(chat.id)
    ChatStore().delete(chat.id)
    foreign.id = "zzzz"
    target = tmp_path / "foreign.json"
    target.write_bytes(to_json(foreign))

    first = chats_main(capsys, "import", str(target))
    again = chats_main(capsys, "import", str(target))
    seeded_chat("Another question")
    listed = chats_main(capsys, "list")[1]

    new_id = first[1].strip()
    assert first == (0, f"{new_id}\n", f"pplx: imported {chat.title!r} as chat {new_id}\n")
    assert len(new_id) == 16 and new_id != "zzzz"
    assert again[:2] == (0, f"{new_id}\n") and "already saved" in again[2]
    assert {s.id for s in ChatStore().list_chats()} == {new_id, listed.split()[0]}
    assert [_time_column(line) for line in listed.splitlines()] == [18, 18], listed


def test_chats_list_aligns_a_chat_file_named_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    """A chat file an earlier version imported as `zzzz.json`: its row lines up."""
    root = ChatStore().root
    first = seeded_chat()
    (root / f"{first.id}.json").rename(root / "zzzz.json")
    seeded_chat("Another question")

    listed = chats_main(capsys, "list")[1].splitlines()

    assert len(listed) == 2
    assert len({_time_column(line) for line in listed}) == 1, listed


def _time_column(line: str) -> int:
    found = re.search(r"\d{4}-\d\d-\d\d ", line)
    assert found, line
    return found.start()


def test_an_export_without_messages_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: `"messages": []` was imported as an untitled chat of `0 msgs`."""
    path = tmp_path / "empty.json"
    path.write_text('{"schema_version": 2, "id": "x", "title": "T", "messages": []}')

    assert chats_main(capsys, "import", str(path)) == (
        2,
        "",
        f"pplx: {path} holds no messages: nothing to import\n",
    )
    assert not ChatStore().root.exists()


def three_turns() -> Chat:
    """A saved chat of three questions, each answered."""
    store = ChatStore()
    chat = store.new_chat()
    for number in (1, 2, 3):
        store.append_message(chat, Message(role="user", content=f"Question {number}?"))
        store.append_message(chat, Message(role="assistant", content=f"Answer {number}."))
    return chat


def test_an_export_with_a_repeated_message_id_imports_the_whole_thread(tmp_path: Path) -> None:
    """QA: an export whose first message had the fifth's id imported as "6 msgs", but `chats
    show` printed the header alone, the app an empty chat, and `ask --chat` sent no context.
    The repeated id is renewed; the messages after it still follow it."""
    chat = three_turns()
    raw = json.loads(pplx("chats", "export", chat.id, "--format", "json").stdout)
    raw["messages"][0]["id"] = raw["messages"][4]["id"]
    ChatStore().delete(chat.id)
    target = tmp_path / "repeated.json"
    target.write_text(json.dumps(raw), encoding="utf-8")

    imported = pplx("chats", "import", str(target))
    shown = pplx("chats", "show", imported.stdout.strip())

    assert imported.returncode == 0, imported.stderr
    texts = [m.content for m in ChatStore().load(imported.stdout.strip()).active_path()]
    assert texts == [m.content for m in chat.messages]
    assert all(f"Question {n}?" in shown.stdout for n in (1, 2, 3)), shown.stdout
    assert shown.stdout.index("Answer 2.") < shown.stdout.index("Question 3?")
    again = pplx("chats", "import", str(target))
    assert "already saved" in again.stderr, "the renewed ids are the same each time"
