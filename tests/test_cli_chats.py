"""``pplx chats``: the real command, run in-process (``tests.support.cli.pplx``)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from pplx_tui.cli import main
from pplx_tui.export import to_json
from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.store.chat_store import MAX_IMPORT_BYTES
from tests.support.cli import command, environment, pplx


def seed(
    question: str = "How many moons does Mars have?", answer: str = "Two: Phobos [1]."
) -> Chat:
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content=question))
    store.append_message(
        chat,
        Message(
            role="assistant",
            content=answer,
            model="sonar",
            provider="perplexity",
            sources=[Source(index=1, url="https://nasa.gov/mars", title="NASA Mars")],
        ),
    )
    return chat


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["chats", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_search_show_through_the_real_command() -> None:
    chat = seed()

    listed = pplx("chats", "list", "--json")
    found = pplx("chats", "search", "PHOBOS", "--json")
    shown = pplx("chats", "show", chat.id[:12])

    assert listed.returncode == 0, listed.stderr
    [summary] = json.loads(listed.stdout)
    assert summary["id"] == chat.id and summary["message_count"] == 2
    assert summary["title"] == "How many moons does Mars have?" and summary["models"] == ["sonar"]
    [hit] = json.loads(found.stdout)
    assert hit["chat_id"] == chat.id and hit["field"] == "answer"
    assert hit["snippet"][slice(*hit["highlight"])] == "Phobos"
    assert shown.returncode == 0
    assert "**Assistant** · sonar (perplexity)" in shown.stdout
    assert "- [1] NASA Mars — <https://nasa.gov/mars>" in shown.stdout


def test_export_then_import_through_the_real_command(tmp_path: Path) -> None:
    """Into a store without the chat (another machine): it comes back with its own id."""
    chat = seed()
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
    chat = seed()
    exported = pplx("chats", "export", chat.id, "--format", "json").stdout.encode()
    ChatStore().delete(chat.id)

    imported = pplx("chats", "import", "-", stdin=exported)

    assert (imported.returncode, imported.stdout) == (0, f"{chat.id}\n"), imported.stderr
    assert ChatStore().load(chat.id).messages == chat.messages


def test_an_export_read_from_a_pipe_by_its_path_is_imported() -> None:
    """`pplx chats import <(ssh host pplx chats export ID --format json)`, or /dev/stdin:
    a pipe was refused as "not a file"."""
    chat = seed()
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
    chat = seed()
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
    chat = seed()
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


def test_an_empty_file_name_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`-o ""` said "cannot write or read: Is a directory" (it named the current folder), and
    `import ""` said ". is not a file"."""
    chat = seed()

    exported = run_main(capsys, "export", chat.id, "-o", "")
    imported = run_main(capsys, "import", "")

    assert exported == (2, "", "pplx: the file name after -o is empty\n")
    assert imported == (2, "", "pplx: the file name to import is empty\n")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("show", "../x"), "is not a chat id"),
        (("delete", "/etc/passwd"), "is not a chat id"),
        (("show", "0zzzzz"), "no saved chat has the id 0zzzzz"),
    ],
)
def test_bad_ids_exit_2_with_one_line(args: tuple[str, ...], expected: str) -> None:
    seed()
    result = pplx("chats", *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_store_lists_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "list") == (
        0,
        "",
        "pplx: no saved chats yet (pplx ask --save and the TUI keep them)\n",
    )
    assert run_main(capsys, "list", "--json")[1] == "[]\n"
    code, out, err = run_main(capsys, "search", "anything")
    assert (code, out) == (0, "") and "no chat matches 'anything'" in err


def test_plain_list_and_search_output(capsys: pytest.CaptureFixture[str]) -> None:
    older = seed("Older question about Deimos", "Deimos is small.")
    newer = seed("Newer question\x1b[2J", "Deimos again.")

    code, out, _ = run_main(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith(newer.id) and lines[0].endswith(
        "  sonar" + " " * 19 + "  Newer question"
    )
    assert lines[1].startswith(older.id) and lines[1].endswith("Older question about Deimos")
    assert "\x1b" not in out
    assert run_main(capsys, "list", "--limit", "1")[1].count("\n") == 1

    code, out, _ = run_main(capsys, "search", "deimos", "is")
    [heading, snippet] = out.splitlines()
    assert (
        code == 0
        and heading.startswith(older.id)
        and heading.endswith("Older question about Deimos")
    )
    assert snippet == "    answer 1: Deimos is small."


def test_search_numbers_hits_as_the_exports_do(capsys: pytest.CaptureFixture[str]) -> None:
    """QA-10: the first answer read "answer 2" (its message number); exports and references
    say "answer 1". A hit names the question it is, or answers; another answer to the same
    question (an alternative) has that question's number too."""
    chat = seed("How many moons does Mars have?", "Two: Phobos [1].")
    store = ChatStore()
    store.append_message(chat, Message(role="user", content="Which is larger?"))
    for text in ("Phobos is larger than Deimos.", "Phobos, by far."):
        store.append_message(
            chat,
            Message(
                role="assistant",
                content=text,
                parent_id=chat.messages[2].id,
                sources=[Source(index=1, url="https://esa.int/phobos", title="ESA Phobos")],
            ),
        )
    found = {
        query: run_main(capsys, "search", query)[1].splitlines()[1].split(":")[0].strip()
        for query in ("Mars", "Phobos [1]", "Which", "larger than", "far", "esa.int")
    }
    assert found == {
        "Mars": "question 1",
        "Phobos [1]": "answer 1",
        "Which": "question 2",
        "larger than": "answer 2",
        "far": "answer 2",
        "esa.int": "sources of answer 2",
    }
    (hit,) = json.loads(run_main(capsys, "search", "--json", "far")[1])
    assert (hit["message_index"], hit["question_number"]) == (4, 2)


def test_search_hits_read_as_text_json_keeps_the_markdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA Q13: ``pplx chats search`` printed the snippet's raw Markdown (``**topic 10**``), as
    the app's list did before 05908cd."""
    seed("Question about Kepler", "Kepler wrote about **topic 10** and `orbits`.")
    code, out, _ = run_main(capsys, "search", "topic")
    assert code == 0 and "topic 10 and orbits" in out and "*" not in out and "`" not in out
    code, out, _ = run_main(capsys, "search", "topic", "--json")
    assert "**topic 10**" in out


def test_renaming_to_an_empty_title_is_refused_like_in_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA Q13: ``pplx chats rename ID ""`` reset the title and exited 0; the app refuses an
    empty name ("The name cannot be empty.")."""
    chat = seed("Original question")
    code, out, err = run_main(capsys, "rename", chat.id, "  ")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "empty" in err
    assert ChatStore().load(chat.id).title == "Original question"


def test_show_json_is_the_chat_file(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seed()
    code, out, _ = run_main(capsys, "show", chat.id, "--json")

    assert code == 0
    assert out.encode() == (ChatStore().root / f"{chat.id}.json").read_bytes() + b"\n"


def test_export_markdown_to_stdout_and_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chat = seed()
    code, out, _ = run_main(capsys, "export", chat.id)
    assert code == 0 and out.startswith("# How many moons does Mars have?\n")

    target = tmp_path / "chat.md"
    code, out, err = run_main(capsys, "export", chat.id, "-o", str(target))
    assert (code, out) == (0, "") and f"wrote chat {chat.id}" in err
    assert target.read_text(encoding="utf-8").startswith("# How many moons")


@pytest.mark.parametrize("fmt", ["md", "json", "bibtex", "csl-json", "ris"])
def test_an_export_prints_what_it_writes_to_a_file(fmt: str, tmp_path: Path) -> None:
    """`export > FILE` and `export -o FILE` give the same bytes (JSON's file had no last line
    break; stdout added one)."""
    chat = seed()
    target = tmp_path / "export"

    printed = pplx("chats", "export", chat.id, "--format", fmt)
    pplx("chats", "export", chat.id, "--format", fmt, "-o", str(target))

    assert printed.returncode == 0 and printed.stdout.endswith("\n")
    assert printed.stdout.encode() == target.read_bytes()


def test_an_empty_title_is_refused_as_the_help_says(capsys: pytest.CaptureFixture[str]) -> None:
    """`pplx chats rename --help` promised that an empty title restores the first question's,
    while the command (as the app) refuses one."""
    chat = seed()

    assert run_main(capsys, "rename", chat.id, " ") == (2, "", "pplx: the new title is empty\n")
    helped = pplx("chats", "rename", "--help")
    assert helped.returncode == 0 and "an empty TITLE is refused" in " ".join(helped.stdout.split())
    assert "restores" not in helped.stdout


def test_a_chat_without_a_title_is_listed_as_untitled(tmp_path: Path) -> None:
    """An imported chat with no title and no question was a blank in `chats list` and
    `imported ''`, where `show`, the exports and the app say "Untitled chat"."""
    export = tmp_path / "empty.json"
    export.write_text('{"schema_version": 2, "messages": []}', encoding="utf-8")

    imported = pplx("chats", "import", str(export))
    chat_id = imported.stdout.strip()

    assert imported.stderr == f"pplx: imported 'Untitled chat' as chat {chat_id}\n"
    assert pplx("chats", "list").stdout.rstrip().endswith("Untitled chat")
    assert json.loads(pplx("chats", "list", "--json").stdout)[0]["title"] == ""  # data as is


def test_a_format_in_capitals_is_the_same_format() -> None:
    """`--format MD` was an invalid choice, where `--recency WEEK` and `--mode Academic` are
    taken as written in small letters."""
    chat = seed()

    shouted = pplx("chats", "export", chat.id, "--format", "RIS")

    assert shouted.returncode == 0, shouted.stderr
    assert shouted.stdout == pplx("chats", "export", chat.id, "--format", "ris").stdout


@pytest.mark.parametrize("action", [("list",), ("search", "moons")], ids=["list", "search"])
def test_a_limit_beyond_any_count_is_no_limit(action: tuple[str, ...]) -> None:
    """`--limit 99999999999999999999` ("all of them") was an OverflowError out of SQLite."""
    chat = seed()

    result = pplx("chats", *action, "--limit", "99999999999999999999")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(chat.id)


def test_several_chats_are_deleted_at_once_or_none_is() -> None:
    """`pplx chats delete A B` was "unrecognized arguments: B"; an unknown id among them
    deletes nothing (a typo must not leave half the list done)."""
    first, second, third = seed(), seed(), seed()

    refused = pplx("chats", "delete", first.id, "0nosuchchat", second.id)
    deleted = pplx("chats", "delete", first.id, second.id[:12], first.id)

    assert refused.returncode == 2 and "no saved chat has the id 0nosuchchat" in refused.stderr
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stderr == f"pplx: deleted chat {first.id}\npplx: deleted chat {second.id}\n"
    assert [c.id for c in ChatStore().list_chats()] == [third.id]


def test_renaming_a_chat_from_a_newer_version_is_one_line() -> None:
    """The refusal came twice: as a warning on reading the chat, then as the error."""
    chat = seed()
    path = ChatStore().root / f"{chat.id}.json"
    path.write_text(path.read_text().replace('"schema_version": 2', '"schema_version": 99'))

    result = pplx("chats", "rename", chat.id, "Mine now")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "read-only" in result.stderr, result.stderr


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["plain", "json"])
def test_search_says_when_more_chats_match_than_it_shows(json_flag: tuple[str, ...]) -> None:
    """Search shows the best 50 by default and said nothing of the rest: it looked complete."""
    for _ in range(3):
        seed()

    cut = pplx("chats", "search", "moons", "--limit", "2", *json_flag)
    whole = pplx("chats", "search", "moons", "--limit", "3", *json_flag)

    assert (cut.returncode, whole.returncode) == (0, 0)
    assert cut.stderr == "pplx: showing the best 2 chats; more match (--limit N shows more)\n"
    assert whole.stderr == ""
    if json_flag:
        assert len(json.loads(cut.stdout)) == 2 and len(json.loads(whole.stdout)) == 3


def test_rename_and_delete(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seed()

    code, _, err = run_main(capsys, "rename", chat.id, "Martian", "moons")
    assert code == 0 and "'Martian moons'" in err
    assert ChatStore().list_chats()[0].title == "Martian moons"

    code, _, err = run_main(capsys, "delete", chat.id[:8])
    assert code == 0 and f"deleted chat {chat.id}" in err
    assert ChatStore().list_chats() == []
    assert run_main(capsys, "show", chat.id)[0] == 2


def test_import_of_something_else_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")

    code, out, err = run_main(capsys, "import", str(path))

    assert (code, out) == (2, "")
    assert err == f"pplx: {path} is not a pplx-tui chat export (no schema_version and messages)\n"


def test_a_corrupt_chat_is_a_warning_not_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seed()
    (ChatStore().root / "0broken.json").write_text("{", encoding="utf-8")

    code, out, err = run_main(capsys, "list")

    assert code == 0 and out.startswith(chat.id)
    assert err.startswith("pplx: warning: chat 0broken could not be read")


def test_an_export_into_folders_that_do_not_exist_makes_them_owner_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As ``mkdir -p`` would: `-o notes/2026/mars.md` was refused for a missing folder."""
    chat = seed()
    target = tmp_path / "notes" / "2026" / "mars.md"

    code, out, err = run_main(capsys, "export", chat.id, "-o", str(target))

    assert (code, out) == (0, "") and f"wrote chat {chat.id} to {target}" in err
    assert target.read_text(encoding="utf-8").startswith("# How many moons")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for folder in (target.parent, target.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_export_through_a_link_writes_the_file_it_names_and_keeps_the_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A link (dotfiles, a synced folder) was replaced by a plain file; one to a device
    (/dev/null, /dev/stdout) too, and `-o /dev/stdout` itself tried to replace the device."""
    chat = seed()
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link, to_null = tmp_path / "link.md", tmp_path / "null.md"
    link.symlink_to(real)
    to_null.symlink_to(os.devnull)

    assert run_main(capsys, "export", chat.id, "-o", str(link))[0] == 0
    assert run_main(capsys, "export", chat.id, "-o", str(to_null))[0] == 0

    assert link.is_symlink() and to_null.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# How many moons")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_an_export_to_dev_stdout_appends_where_the_shell_said(tmp_path: Path) -> None:
    """`pplx chats export ID -o /dev/stdout >> log` replaced the log with the export: the
    file behind a descriptor is written where it is (a real process: its own stdout)."""
    chat = seed()
    log = tmp_path / "log.md"
    log.write_text("kept\n", encoding="utf-8")
    with open(log, "ab") as appended:
        result = subprocess.run(
            command("chats", "export", chat.id, "-o", "/dev/stdout"),
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=60,
        )

    assert result.returncode == 0, result.stderr
    assert log.read_text(encoding="utf-8").startswith("kept\n# How many moons")


def test_a_file_that_cannot_be_written_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chat = seed()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    target = blocker / "sub" / "x.md"  # a folder that cannot be made: a file is in the way
    code, _, err = run_main(capsys, "export", chat.id, "-o", str(target))

    assert code == 1 and len(err.splitlines()) == 1 and "Not a directory" in err
    assert f" {target}: " in err and ".tmp" not in err  # QA: it named its temporary file
    assert blocker.read_text(encoding="utf-8") == "mine"

    code, _, err = run_main(capsys, "export", chat.id, "-o", str(tmp_path))  # a folder
    assert code == 1 and f" {tmp_path}: " in err and ".tmp" not in err


def test_an_export_to_a_name_ending_in_a_slash_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`-o exports/` wrote a file named `exports`: the slash says a folder was meant."""
    chat = seed()
    folder = f"{tmp_path / 'exports'}/"

    code, out, err = run_main(capsys, "export", chat.id, "-o", folder)

    assert (code, out) == (1, "")
    assert err == f"pplx: cannot write or read {folder}: it names a folder, not a file\n"
    assert not (tmp_path / "exports").exists()


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("list", "--limit", "0"),
        ("list", "--limit", "\u00b2"),  # "²" passed str.isdigit(), then int() failed
        ("export", "x", "--format", "pdf"),
        ("search",),
    ],
)
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["chats", *args])

    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("pplx chats") and len(err.splitlines()) == 1


def test_help_texts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["chats", "--help"])
    out = capsys.readouterr().out
    for action in ("list", "show", "search", "export", "import", "delete", "rename"):
        assert action in out
    with pytest.raises(SystemExit):
        main(["chats", "export", "--help"])
    assert "--format {md,json,bibtex,csl-json,ris}" in capsys.readouterr().out
