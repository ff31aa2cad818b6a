"""`pplx ask` and a reasoning model: a status line while it thinks (stderr a terminal), and
`--reasoning` to print what it thought before the answer.

A reasoning model can think for minutes before its first word of answer: the terminal stayed
blank all that time, and a pipe dropped the reasoning without a way to ask for it.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support.cli import answer_frames, pplx, saved_chat, saved_id
from tests.support.loopback import LoopbackServer, Reply

THINKING = ["<think>Counting ", "the moons.</think>", "\n\n"]
ANSWER = ["Mars has two moons [1]."]
STYLES = re.compile(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m")


def seen(terminal: str) -> str:
    """What a terminal shows of ``terminal``: each line as its last carriage return and
    erase-to-end-of-line (``\\x1b[K``) left it."""
    lines = []
    for line in terminal.split("\n"):
        shown = ""
        for part in line.split("\r"):
            written, erased, _ = part.partition("\x1b[K")
            shown = written if erased else written + shown[len(written) :]
        lines.append(shown)
    return "\n".join(lines)


def test_a_thinking_model_shows_a_status_line_that_goes_before_the_answer(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames([*THINKING, *ANSWER])))

    result = pplx("ask", "q", server=loopback, tty=("stdout", "stderr"))

    assert result.returncode == 0, result.stderr
    assert "\rpplx: thinking…" in result.stderr
    assert seen(result.stderr) == "", "the status line is erased"
    assert "Counting" not in result.stdout and "Mars has two moons" in result.stdout


def test_piped_stderr_gets_no_status_line(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames([*THINKING, *ANSWER])))

    result = pplx("ask", "q", server=loopback)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Mars has two moons [1].\n")


@pytest.mark.parametrize("stderr", [(), ("stderr",)], ids=["piped", "terminal-stderr"])
def test_reasoning_is_printed_folded_before_the_answer(
    loopback: LoopbackServer, stderr: tuple[str, ...]
) -> None:
    """As `pplx chats export --reasoning` folds it: a <details> block."""
    loopback.queue(Reply(chunks=answer_frames([*THINKING, *ANSWER])))

    result = pplx("ask", "--reasoning", "q", server=loopback, tty=stderr)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "<details>\n<summary>Reasoning</summary>\n\nCounting the moons.\n\n</details>\n\n"
        "Mars has two moons [1].\n\nSources:\n"
    )
    assert seen(result.stderr) == ""


def test_piped_reasoning_keeps_its_lines_as_the_export_does(loopback: LoopbackServer) -> None:
    """QA: the export wrote each line of the reasoning with a hard break (``line\\``), a pipe
    a plain newline, which Markdown joins into one line; the README promises the same fold."""
    thinking = ["<think>First:\ncount the moons.\n- Phobos\n# Deimos</think>", "\n\n"]
    loopback.queue(Reply(chunks=answer_frames([*thinking, *ANSWER])))

    result = pplx("ask", "--reasoning", "--save", "q", server=loopback)
    exported = pplx("chats", "export", saved_id(result.stderr), "--reasoning")

    assert result.returncode == 0, result.stderr
    fold = result.stdout.split("</details>")[0]
    assert "First:\\\ncount the moons.\\\n\\- Phobos\\\n\\# Deimos" in fold
    assert fold in exported.stdout


def test_reasoning_stopped_before_the_answer_is_still_printed(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(THINKING[:1], finished=False), hang_after=1))

    result = pplx("ask", "--reasoning", "--save", "--idle-timeout", "0.5", "q", server=loopback)

    assert result.returncode == 5, result.stderr
    assert result.stdout.startswith(
        "<details>\n<summary>Reasoning</summary>\n\nCounting\n\n</details>\n\nSources:\n"
    )
    assert saved_chat(saved_id(result.stderr))["messages"][1]["reasoning"] == "Counting "


def test_reasoning_on_a_terminal_is_shown_as_it_comes_instead_of_the_status(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames([*THINKING, *ANSWER])))

    result = pplx("ask", "--reasoning", "q", server=loopback, tty=("stdout", "stderr"))

    assert (result.returncode, result.stderr) == (0, "")
    shown = re.sub(" +\n", "\n", STYLES.sub("", result.stdout))
    assert shown.startswith("Reasoning\nCounting the moons.\n\nMars has two moons [1].\n")
    assert "\x1b[2m" in result.stdout, "the reasoning is dimmed"


def test_json_keeps_the_reasoning_apart_as_before(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames([*THINKING, *ANSWER])))

    result = pplx("ask", "--json", "q", server=loopback)

    data = json.loads(result.stdout)
    assert data["reasoning"] == "Counting the moons."
    assert data["answer"] == "Mars has two moons [1]."


def test_reasoning_on_a_terminal_breaks_lines_between_words(loopback: LoopbackServer) -> None:
    """Written as it comes, it was left to the terminal to wrap: "De" at a line's end, "imos"
    at the next one's start. Pieces here end mid-word too."""
    thought = " ".join(["Phobos and Deimos orbit Mars closely."] * 12)
    pieces = [thought[i : i + 7] for i in range(0, len(thought), 7)]
    loopback.queue(Reply(chunks=answer_frames(["<think>", *pieces, "</think>", *ANSWER])))

    result = pplx("ask", "--reasoning", "q", server=loopback, tty=("stdout",), COLUMNS="60")

    assert result.returncode == 0, result.stderr
    shown = STYLES.sub("", result.stdout).split("\n\n")[0].splitlines()
    assert shown[0] == "Reasoning"
    assert all(len(line) <= 60 for line in shown), shown
    assert " ".join(shown[1:]) == thought
