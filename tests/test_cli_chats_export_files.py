"""``pplx chats export -o FILE``: where the file goes (new folders, links, /dev/stdout, a
name ending in a slash), what it says it wrote, and a file that cannot be written."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.chats import seeded_chat
from tests.support.cli import chats_main, command, environment, pplx


def test_an_empty_file_name_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`-o ""` said "cannot write or read: Is a directory" (it named the current folder), and
    `import ""` said ". is not a file"."""
    chat = seeded_chat()

    exported = chats_main(capsys, "export", chat.id, "-o", "")
    imported = chats_main(capsys, "import", "")

    assert exported == (2, "", "pplx: the file name after -o is empty\n")
    assert imported == (2, "", "pplx: the file name to import is empty\n")


def test_export_markdown_to_stdout_and_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chat = seeded_chat()
    code, out, _ = chats_main(capsys, "export", chat.id)
    assert code == 0 and out.startswith("# How many moons does Mars have?\n")

    target = tmp_path / "chat.md"
    code, out, err = chats_main(capsys, "export", chat.id, "-o", str(target))
    assert (code, out) == (0, "") and f"wrote chat {chat.id}" in err
    assert target.read_text(encoding="utf-8").startswith("# How many moons")


@pytest.mark.parametrize("fmt", ["md", "json", "bibtex", "csl-json", "ris"])
def test_an_export_prints_what_it_writes_to_a_file(fmt: str, tmp_path: Path) -> None:
    """`export > FILE` and `export -o FILE` give the same bytes (JSON's file had no last line
    break; stdout added one)."""
    chat = seeded_chat()
    target = tmp_path / "export"

    printed = pplx("chats", "export", chat.id, "--format", fmt)
    pplx("chats", "export", chat.id, "--format", fmt, "-o", str(target))

    assert printed.returncode == 0 and printed.stdout.endswith("\n")
    assert printed.stdout.encode() == target.read_bytes()


def test_an_export_into_folders_that_do_not_exist_makes_them_owner_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As ``mkdir -p`` would: `-o notes/2026/mars.md` was refused for a missing folder."""
    chat = seeded_chat()
    target = tmp_path / "notes" / "2026" / "mars.md"

    code, out, err = chats_main(capsys, "export", chat.id, "-o", str(target))

    assert (code, out) == (0, "") and f"wrote chat {chat.id} (Markdown) to {target}" in err
    assert target.read_text(encoding="utf-8").startswith("# How many moons")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for folder in (target.parent, target.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_export_through_a_link_writes_the_file_it_names_and_keeps_the_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A link (dotfiles, a synced folder) was replaced by a plain file; one to a device
    (/dev/null, /dev/stdout) too, and `-o /dev/stdout` itself tried to replace the device."""
    chat = seeded_chat()
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link, to_null = tmp_path / "link.md", tmp_path / "null.md"
    link.symlink_to(real)
    to_null.symlink_to(os.devnull)

    assert chats_main(capsys, "export", chat.id, "-o", str(link))[0] == 0
    assert chats_main(capsys, "export", chat.id, "-o", str(to_null))[0] == 0

    assert link.is_symlink() and to_null.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# How many moons")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_an_export_to_dev_stdout_appends_where_the_shell_said(tmp_path: Path) -> None:
    """`pplx chats export ID -o /dev/stdout >> log` replaced the log with the export: the
    file behind a descriptor is written where it is (a real process: its own stdout)."""
    chat = seeded_chat()
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
    chat = seeded_chat()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    target = blocker / "sub" / "x.md"  # a folder that cannot be made: a file is in the way
    code, _, err = chats_main(capsys, "export", chat.id, "-o", str(target))

    # QA: it named its temporary file; then "cannot write or read" for what is a write
    assert (code, err) == (1, f"pplx: cannot write {target}: Not a directory\n")
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_an_export_to_a_folder_that_cannot_be_made_says_it_cannot_write(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: ``cannot write or read /proc/x.md: No such file or directory``: an export is a
    write."""
    chat = seeded_chat()

    code, out, err = chats_main(capsys, "export", chat.id, "-o", "/proc/pplx-none/x.md")

    assert (code, out) == (1, "")
    assert err.startswith("pplx: cannot write /proc/pplx-none/x.md: ") and err.count("\n") == 1


def test_an_export_to_a_name_ending_in_a_slash_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`-o exports/` wrote a file named `exports`: the slash says a folder was meant."""
    chat = seeded_chat()
    folder = f"{tmp_path / 'exports'}/"

    code, out, err = chats_main(capsys, "export", chat.id, "-o", folder)

    assert (code, out) == (2, "")
    assert err == f"pplx: cannot write {folder}: it names a folder, not a file\n"
    assert not (tmp_path / "exports").exists()


def test_a_folder_is_refused_in_one_message_with_or_without_its_slash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: `-o .` said "cannot write or read .: Is a directory" where `-o dir/` said "it names
    a folder, not a file". A folder after -o is a usage error: exit 2 (DESIGN.md's exit codes;
    it exited 1, as for a file that could not be written)."""
    chat = seeded_chat()
    work = tmp_path / "work"
    (work / "exports").mkdir(parents=True)
    monkeypatch.chdir(work)

    for typed in (".", "exports", "exports/", str(work)):
        code, out, err = chats_main(capsys, "export", chat.id, "-o", typed)
        assert (code, out) == (2, "")
        assert err == f"pplx: cannot write {typed}: it names a folder, not a file\n"
    assert [p.name for p in work.iterdir()] == ["exports"]


@pytest.mark.parametrize("fmt", ["json", "bibtex", "csl-json", "ris"])
def test_reasoning_is_refused_for_a_format_it_would_not_change(
    fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: `--reasoning` was taken and ignored for every format but Markdown."""
    chat = seeded_chat()
    target = tmp_path / "out"

    code, out, err = chats_main(
        capsys, "export", chat.id, "--format", fmt, "--reasoning", "-o", str(target)
    )

    assert (code, out) == (2, "")
    assert err.startswith("pplx: --reasoning is for --format md") and err.count("\n") == 1
    assert not target.exists()


def test_the_line_after_a_reference_export_says_how_many_sources_it_wrote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: the CLI said "wrote chat … to x.bib" where the app says "Wrote 5 sources (BibTeX)"."""
    chat = seeded_chat()  # one source
    lines = {}
    for fmt in ("md", "json", "bibtex", "csl-json", "ris"):
        target = tmp_path / f"x.{fmt}"
        code, _, err = chats_main(capsys, "export", chat.id, "--format", fmt, "-o", str(target))
        assert code == 0
        lines[fmt] = err.removesuffix(f" to {target}\n")

    assert lines == {
        "md": f"pplx: wrote chat {chat.id} (Markdown)",
        "json": f"pplx: wrote chat {chat.id} (JSON)",
        "bibtex": "pplx: wrote 1 source (BibTeX)",
        "csl-json": "pplx: wrote 1 source (CSL-JSON)",
        "ris": "pplx: wrote 1 source (RIS)",
    }


def test_a_large_count_of_sources_written_has_thousands_separators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: "wrote 10000 sources" where the app's find bar writes "2,848"."""
    from pplx_tui.models import Message, Source
    from pplx_tui.store import ChatStore

    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="Everything?"))
    sources = [Source(index=i, url=f"https://s{i}.example/", title=f"S{i}") for i in range(1200)]
    store.append_message(chat, Message(role="assistant", content="All.", sources=sources))
    target = tmp_path / "x.bib"

    code, _, err = chats_main(capsys, "export", chat.id, "--format", "bibtex", "-o", str(target))

    assert (code, err) == (0, f"pplx: wrote 1,200 sources (BibTeX) to {target}\n")


def test_the_markdown_export_prints_source_dates_as_the_reference_exports_read_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: `(not a date)` and `(2022-06-06T00:00:00Z)` printed raw, where BibTeX, RIS and
    CSL-JSON normalise such a date or drop it."""
    from pplx_tui.models import Message, Source
    from pplx_tui.store import ChatStore

    dates = ["not a date", "2022-06-06T00:00:00Z", "2025/11", "2024-02-30"]
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="When?"))
    sources = [
        Source(index=i, url=f"https://s{i}.example/", title=f"S{i}", date=d)
        for i, d in enumerate(dates, 1)
    ]
    store.append_message(
        chat, Message(role="assistant", content="Then [1][2][3][4].", sources=sources)
    )

    code, out, _ = chats_main(capsys, "export", chat.id)

    assert code == 0
    items = [line for line in out.splitlines() if line.startswith("- [")]
    assert items == [
        "- [1] S1 — <https://s1.example/>",
        "- [2] S2 (2022-06-06) — <https://s2.example/>",
        "- [3] S3 (2025-11) — <https://s3.example/>",
        "- [4] S4 — <https://s4.example/>",
    ]


def test_a_file_name_holding_an_escape_is_named_escaped_in_every_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA: `-o $'/tmp/x/\\e[31mred.md'` printed "wrote chat … to" with the raw escape (the
    terminal turned red), and so did "it names a folder" and import's "cannot read"; a bad
    chat id was named escaped (and lower-cased)."""
    chat = seeded_chat()
    red = f"{tmp_path}/\x1b[31mred.md"
    folder = tmp_path / "\x1b[31mdir"
    folder.mkdir()
    missing = f"{tmp_path}/\x1b[31mnone.json"
    (tmp_path / "blocked").write_text("a file where a folder goes", encoding="utf-8")
    unwritable = f"{tmp_path}/blocked/\x1b[31mx.md"

    wrote = chats_main(capsys, "export", chat.id, "-o", red)
    named_folder = chats_main(capsys, "export", chat.id, "-o", str(folder))
    failed = chats_main(capsys, "export", chat.id, "-o", unwritable)
    not_read = chats_main(capsys, "import", missing)
    bad_id = chats_main(capsys, "show", "\x1b[2Jx")

    assert wrote == (0, "", f"pplx: wrote chat {chat.id} (Markdown) to {red!r}\n")
    assert named_folder == (
        2,
        "",
        f"pplx: cannot write {str(folder)!r}: it names a folder, not a file\n",
    )
    assert failed[:2] == (1, "") and failed[2].startswith(f"pplx: cannot write {unwritable!r}: ")
    assert not_read == (2, "", f"pplx: cannot read {missing!r}: No such file or directory\n")
    assert bad_id[:2] == (2, "") and bad_id[2].startswith("pplx: '\\x1b[2Jx' is not a chat id")
    assert (tmp_path / "\x1b[31mred.md").is_file()


def test_a_file_that_exists_is_replaced_as_the_readme_says(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As `cp` does (QA asked: the app asks for a second Enter, the command does not)."""
    chat = seeded_chat()
    target = tmp_path / "chat.md"
    target.write_text("notes kept here", encoding="utf-8")

    code, _, err = chats_main(capsys, "export", chat.id, "-o", str(target))

    assert code == 0 and err == f"pplx: wrote chat {chat.id} (Markdown) to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# How many moons")
