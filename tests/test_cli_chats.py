"""``pplx chats``: list, search, show, export, rename and delete, run in-process
(``tests.support.cli.pplx``); imports are :mod:`test_cli_chats_import`, exports to files
:mod:`test_cli_chats_export_files`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pplx_tui.cli import main
from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from tests.support.chats import seeded_chat
from tests.support.cli import chats_main, pplx, pplx_process


def test_list_search_show_through_the_real_command() -> None:
    chat = seeded_chat()

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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("show", "../x"), "is not a chat id"),
        (("delete", "/etc/passwd"), "is not a chat id"),
        (("show", "0zzzzz"), "no saved chat has the id 0zzzzz"),
        (("show", "0NoSuch"), "no saved chat has the id 0NoSuch "),  # as typed
    ],
)
def test_bad_ids_exit_2_with_one_line(args: tuple[str, ...], expected: str) -> None:
    seeded_chat()
    result = pplx("chats", *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_store_lists_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert chats_main(capsys, "list") == (
        0,
        "",
        "pplx: no saved chats yet (pplx ask --save and the TUI keep them)\n",
    )
    assert chats_main(capsys, "list", "--json")[1] == "[]\n"
    code, out, err = chats_main(capsys, "search", "anything")
    assert (code, out) == (0, "") and "no chat matches 'anything'" in err


def test_plain_list_and_search_output(capsys: pytest.CaptureFixture[str]) -> None:
    older = seeded_chat("Older question about Deimos", "Deimos is small.")
    newer = seeded_chat("Newer question\x1b[2J", "Deimos again.")

    code, out, _ = chats_main(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith(newer.id) and lines[0].endswith("  2 msgs  sonar  Newer question")
    assert lines[1].startswith(older.id) and lines[1].endswith("Older question about Deimos")
    assert "\x1b" not in out
    assert chats_main(capsys, "list", "--limit", "1")[1].count("\n") == 1

    code, out, _ = chats_main(capsys, "search", "deimos", "is")
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
    chat = seeded_chat("How many moons does Mars have?", "Two: Phobos [1].")
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
        query: chats_main(capsys, "search", query)[1].splitlines()[1].split(":")[0].strip()
        for query in ("Mars", "Phobos [1]", "Which", "larger than", "far", "esa.int")
    }
    assert found == {
        "Mars": "question 1 (the title)",  # the question that titles the chat: not repeated
        "Phobos [1]": "answer 1",
        "Which": "question 2",
        "larger than": "answer 2",
        "far": "answer 2",
        "esa.int": "sources of answer 2",
    }
    (hit,) = json.loads(chats_main(capsys, "search", "--json", "far")[1])
    assert (hit["message_index"], hit["question_number"]) == (4, 2)


def test_search_hits_read_as_text_json_keeps_the_markdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA Q13: ``pplx chats search`` printed the snippet's raw Markdown (``**topic 10**``), as
    the app's list did before 05908cd."""
    seeded_chat("Question about Kepler", "Kepler wrote about **topic 10** and `orbits`.")
    code, out, _ = chats_main(capsys, "search", "topic")
    assert code == 0 and "topic 10 and orbits" in out and "*" not in out and "`" not in out
    code, out, _ = chats_main(capsys, "search", "topic", "--json")
    assert "**topic 10**" in out


def test_a_search_hit_inside_html_shows_it_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    """QA: `- item <int> & stuff` was shown as `item & stuff` when searching for `int`."""
    seeded_chat("Question about C++", "- item <int> & stuff")
    code, out, _ = chats_main(capsys, "search", "int")
    assert code == 0 and "item <int> & stuff" in out, out


def test_renaming_to_an_empty_title_is_refused_like_in_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA Q13: ``pplx chats rename ID ""`` reset the title and exited 0; the app refuses an
    empty name ("The name cannot be empty.")."""
    chat = seeded_chat("Original question")
    code, out, err = chats_main(capsys, "rename", chat.id, "  ")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "empty" in err
    assert ChatStore().load(chat.id).title == "Original question"


def test_show_json_is_the_chat_file(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seeded_chat()
    code, out, _ = chats_main(capsys, "show", chat.id, "--json")

    assert code == 0
    assert out.encode() == (ChatStore().root / f"{chat.id}.json").read_bytes() + b"\n"


def test_an_empty_title_is_refused_as_the_help_says(capsys: pytest.CaptureFixture[str]) -> None:
    """`pplx chats rename --help` promised that an empty title restores the first question's,
    while the command (as the app) refuses one."""
    chat = seeded_chat()

    assert chats_main(capsys, "rename", chat.id, " ") == (2, "", "pplx: the new title is empty\n")
    helped = pplx("chats", "rename", "--help")
    assert helped.returncode == 0 and "an empty TITLE is refused" in " ".join(helped.stdout.split())
    assert "restores" not in helped.stdout


def test_a_chat_without_a_title_is_listed_as_untitled(tmp_path: Path) -> None:
    """An imported chat with no title and no question was a blank in `chats list` and
    `imported ''`, where `show`, the exports and the app say "Untitled chat"."""
    export = tmp_path / "empty.json"
    answer_only = '[{"role": "assistant", "content": "An answer with no question."}]'
    export.write_text(f'{{"schema_version": 2, "messages": {answer_only}}}', encoding="utf-8")

    imported = pplx("chats", "import", str(export))
    chat_id = imported.stdout.strip()

    assert imported.stderr == f"pplx: imported 'Untitled chat' as chat {chat_id}\n"
    assert pplx("chats", "list").stdout.rstrip().endswith("Untitled chat")
    assert json.loads(pplx("chats", "list", "--json").stdout)[0]["title"] == ""  # data as is


def test_a_format_in_capitals_is_the_same_format() -> None:
    """`--format MD` was an invalid choice, where `--recency WEEK` and `--mode Academic` are
    taken as written in small letters."""
    chat = seeded_chat()

    shouted = pplx("chats", "export", chat.id, "--format", "RIS")

    assert shouted.returncode == 0, shouted.stderr
    assert shouted.stdout == pplx("chats", "export", chat.id, "--format", "ris").stdout


@pytest.mark.parametrize("action", [("list",), ("search", "moons")], ids=["list", "search"])
def test_a_limit_beyond_any_count_is_no_limit(action: tuple[str, ...]) -> None:
    """`--limit 99999999999999999999` ("all of them") was an OverflowError out of SQLite."""
    chat = seeded_chat()

    result = pplx("chats", *action, "--limit", "99999999999999999999")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(chat.id)


def test_several_chats_are_deleted_at_once_or_none_is() -> None:
    """`pplx chats delete A B` was "unrecognized arguments: B"; an unknown id among them
    deletes nothing (a typo must not leave half the list done)."""
    first, second, third = seeded_chat(), seeded_chat(), seeded_chat()

    refused = pplx("chats", "delete", first.id, "0nosuchchat", second.id)
    deleted = pplx("chats", "delete", first.id, second.id[:12], first.id)

    assert refused.returncode == 2 and "no saved chat has the id 0nosuchchat" in refused.stderr
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stderr == f"pplx: deleted chat {first.id}\npplx: deleted chat {second.id}\n"
    assert [c.id for c in ChatStore().list_chats()] == [third.id]


def test_renaming_a_chat_from_a_newer_version_is_one_line() -> None:
    """The refusal came twice: as a warning on reading the chat, then as the error."""
    chat = seeded_chat()
    path = ChatStore().root / f"{chat.id}.json"
    path.write_text(path.read_text().replace('"schema_version": 2', '"schema_version": 99'))

    result = pplx("chats", "rename", chat.id, "Mine now")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "read-only" in result.stderr, result.stderr


def test_search_cut_to_one_chat_says_chat() -> None:
    """QA: "showing the best 1 chats"."""
    for _ in range(2):
        seeded_chat()

    result = pplx("chats", "search", "moons", "--limit", "1")

    assert result.stderr == "pplx: showing the best chat; more match (--limit N shows more)\n"


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["plain", "json"])
def test_search_says_when_more_chats_match_than_it_shows(json_flag: tuple[str, ...]) -> None:
    """Search shows the best 50 by default and said nothing of the rest: it looked complete."""
    for _ in range(3):
        seeded_chat()

    cut = pplx("chats", "search", "moons", "--limit", "2", *json_flag)
    whole = pplx("chats", "search", "moons", "--limit", "3", *json_flag)

    assert (cut.returncode, whole.returncode) == (0, 0)
    assert cut.stderr == "pplx: showing the best 2 chats; more match (--limit N shows more)\n"
    assert whole.stderr == ""
    if json_flag:
        assert len(json.loads(cut.stdout)) == 2 and len(json.loads(whole.stdout)) == 3


def test_titles_are_said_as_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """QA: stderr named a title as a Python string, a backslash doubled (`'a \\\\ b'`)."""
    chat = seeded_chat("Q1 \\ back/slash")
    target = tmp_path / "chat.json"
    assert chats_main(capsys, "export", chat.id, "--format", "json", "-o", str(target))[0] == 0
    ChatStore().delete(chat.id)

    assert chats_main(capsys, "import", str(target))[2] == (
        f"pplx: imported 'Q1 \\ back/slash' as chat {chat.id}\n"
    )
    assert chats_main(capsys, "rename", chat.id, "C:\\tmp")[2] == (
        f"pplx: chat {chat.id} is now titled 'C:\\tmp'\n"
    )


def test_a_title_cut_by_rename_is_said_to_be(capsys: pytest.CaptureFixture[str]) -> None:
    """QA: a title over 200 characters was cut to 200 without a word."""
    chat = seeded_chat()

    code, _, err = chats_main(capsys, "rename", chat.id, "x" * 250)

    assert code == 0
    assert err == (
        f"pplx: chat {chat.id} is now titled '{'x' * 200}' (cut to its first 200 characters)\n"
    )
    assert ChatStore().load(chat.id).title == "x" * 200


def test_rename_and_delete(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seeded_chat()

    code, _, err = chats_main(capsys, "rename", chat.id, "Martian", "moons")
    assert code == 0 and "'Martian moons'" in err
    assert ChatStore().list_chats()[0].title == "Martian moons"

    code, _, err = chats_main(capsys, "delete", chat.id[:8])
    assert code == 0 and f"deleted chat {chat.id}" in err
    assert ChatStore().list_chats() == []
    assert chats_main(capsys, "show", chat.id)[0] == 2


def test_a_corrupt_chat_is_a_warning_not_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    chat = seeded_chat()
    (ChatStore().root / "0broken.json").write_text("{", encoding="utf-8")

    code, out, err = chats_main(capsys, "list")

    assert code == 0 and out.startswith(chat.id)
    assert err.startswith("pplx: warning: chat 0broken could not be read")


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
    assert err.startswith("pplx: ") and "see `pplx chats" in err and len(err.splitlines()) == 1


def test_help_texts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["chats", "--help"])
    out = capsys.readouterr().out
    for action in ("list", "show", "search", "export", "import", "delete", "rename"):
        assert action in out
    with pytest.raises(SystemExit):
        main(["chats", "export", "--help"])
    assert "--format {md,json,bibtex,csl-json,ris}" in capsys.readouterr().out


def test_search_lists_the_best_match_first_as_its_help_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: `pplx chats search --help` said "newest first"; hits are ranked by relevance
    (BM25), ties newest first."""
    best = seeded_chat("Deimos, Deimos, Deimos?", "Deimos is Deimos: Deimos.")
    newer = seeded_chat("Moons of Mars?", "Phobos and Deimos.")

    code, out, _ = chats_main(capsys, "search", "deimos")
    headings = [line for line in out.splitlines() if not line.startswith(" ")]
    assert code == 0 and [h.split()[0] for h in headings] == [best.id, newer.id]

    with pytest.raises(SystemExit):
        main(["chats", "search", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "best match first" in help_text and "newest first" not in help_text.replace(
        "ties newest first", ""
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_is_utf_8_whatever_stdout_s_encoding(encoding: str) -> None:
    """QA: with PYTHONIOENCODING=ascii `chats list --json` wrote "?mlaut", with latin-1 bytes
    no JSON reader takes as UTF-8 (the README: UTF-8 as is)."""
    store = ChatStore()
    store.append_message(store.new_chat(), Message(role="user", content="Ümlaut ÿ Phobos?"))

    result = pplx_process("chats", "list", "--json", PYTHONIOENCODING=encoding)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == "Ümlaut ÿ Phobos?"


@pytest.mark.parametrize(
    "args",
    [
        ("chats", "list"),
        ("chats", "list", "--json"),
        ("chats", "search", "moons"),
        ("usage",),
        ("runs",),
        ("runs", "--json"),
    ],
    ids=" ".join,
)
def test_a_chats_folder_that_cannot_be_read_is_said_not_taken_for_no_chats(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """QA: with XDG_DATA_HOME a regular file `pplx chats list` said "no saved chats yet", exit 0
    (`pplx ask --save` said it could not save); `pplx runs` said "no background runs"."""
    data = tmp_path / "not-a-folder"
    data.write_text("")

    result = pplx(*args, XDG_DATA_HOME=str(data))

    chats = data / "pplx-tui" / "chats"
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"pplx: cannot read the chats folder {chats} (Not a directory)\n"


def test_every_json_time_is_written_as_the_chat_file_writes_it() -> None:
    """QA: `chats list --json` wrote 2026-…+00:00, `chats show --json` and exports …Z."""
    chat = seeded_chat()

    shown = json.loads(pplx("chats", "show", chat.id, "--json").stdout)
    [listed] = json.loads(pplx("chats", "list", "--json").stdout)
    [found] = json.loads(pplx("chats", "search", "Phobos", "--json").stdout)

    assert shown["updated_at"].endswith("Z")
    assert (listed["created_at"], listed["updated_at"]) == (
        shown["created_at"],
        shown["updated_at"],
    )
    assert found["updated_at"] == shown["updated_at"]


def test_reasoning_with_json_is_refused_by_show_as_by_export(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: `chats show ID --reasoning --json` exited 0 and ignored --reasoning, where `chats
    export ID --format json --reasoning` exits 2."""
    chat = seeded_chat()

    code, out, err = chats_main(capsys, "show", chat.id, "--reasoning", "--json")

    assert (code, out) == (2, "")
    assert err.startswith("pplx: --reasoning is for the Markdown view") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (("chats", "export", "a", "b"), "pplx chats export"),
        (("chats", "show", "a", "b"), "pplx chats show"),
        (("chats", "list", "x"), "pplx chats list"),
        (("models", "x"), "pplx models"),
    ],
)
def test_words_left_over_point_to_the_help_of_their_command(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], command: str
) -> None:
    """QA: `chats export ID ID` said "see `pplx chats --help`" where every other export error
    points to `pplx chats export --help`."""
    with pytest.raises(SystemExit) as caught:
        main(list(args))

    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("pplx: unrecognized arguments: ") and err.count("\n") == 1
    assert err.endswith(f"; see `{command} --help`\n"), err
