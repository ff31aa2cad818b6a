"""Every ``<think>…</think>`` block of an answer is its reasoning (QA: only the first was folded;
a second one later in the answer showed as literal text), in the app, ``pplx ask`` and the
export, with the blocks' reasoning joined in order."""

from __future__ import annotations

import json
import re

import pytest

from pplx_tui.client.think import ThinkSplitter
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.answers import saved
from tests.support.cli import answer_frames, pplx, saved_id
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import ask, loopback_app, until, workspace
from tests.test_cli_ask_reasoning import STYLES

PIECES = [
    "<think>Counting ",
    "the moons.</think>\n\n",
    "Mars has two moons [1].\n\n<th",
    "ink>Checking Deimos.</thi",
    "nk> Phobos is the larger.",
]
REASONING = "Counting the moons.\n\nChecking Deimos."
ANSWER = "Mars has two moons [1].\n\nPhobos is the larger."


def test_json_and_the_saved_chat_have_both_blocks_as_reasoning(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PIECES)))

    result = pplx("ask", "--json", "--save", "q", server=loopback)

    data = json.loads(result.stdout)
    assert (data["reasoning"], data["answer"]) == (REASONING, ANSWER)
    answer = saved(saved_id(result.stderr)).messages[1]
    assert (answer.reasoning, answer.content) == (REASONING, ANSWER)
    exported = pplx("chats", "export", saved_id(result.stderr), "--format", "md", "--reasoning")
    assert "think>" not in exported.stdout
    assert "Checking Deimos." in exported.stdout and "Phobos is the larger." in exported.stdout


def test_a_pipe_prints_the_answer_without_the_think_block(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PIECES)))

    result = pplx("ask", "q", server=loopback)

    assert result.stdout.startswith(ANSWER + "\n")


def test_reasoning_in_a_pipe_is_folded_where_it_came(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PIECES)))

    result = pplx("ask", "--reasoning", "q", server=loopback)

    fold = "<details>\n<summary>Reasoning</summary>\n\n{}\n\n</details>\n\n"
    assert result.stdout.startswith(
        fold.format("Counting the moons.")
        + "Mars has two moons [1].\n\n"
        + fold.format("Checking Deimos.")
        + "Phobos is the larger.\n\nSources:\n"
    ), result.stdout


@pytest.mark.parametrize("pieces", [PIECES, ["".join(PIECES)]], ids=["pieces", "one-delta"])
def test_a_terminal_shows_each_reasoning_where_it_came(
    loopback: LoopbackServer, pieces: list[str]
) -> None:
    loopback.queue(Reply(chunks=answer_frames(pieces)))
    loopback.queue(Reply(chunks=answer_frames(pieces)))

    plain = pplx("ask", "q", server=loopback, tty=("stdout",))
    shown = re.sub(" +\n", "\n", STYLES.sub("", plain.stdout))
    assert shown.startswith("Mars has two moons [1].\n\nPhobos is the larger.\n"), shown

    result = pplx("ask", "--reasoning", "q", server=loopback, tty=("stdout",))
    shown = re.sub(" +\n", "\n", STYLES.sub("", result.stdout))
    assert shown.startswith(
        "Reasoning\nCounting the moons.\n\nMars has two moons [1].\n\n"
        "Reasoning\nChecking Deimos.\n\nPhobos is the larger.\n"
    ), shown


async def test_the_app_folds_both_blocks(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PIECES)))
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "Moons?")
        view = workspace(app).conversation.query(AnswerView).last()
        assert view.text == ANSWER
        await pilot.wait_for_scheduled_animations()  # (the title still, then clicked)
        await pilot.click(".answer-view--reasoning CollapsibleTitle")
        shown = view.query_one(".answer-view--reasoning-text", MarkdownText)
        await until(pilot, lambda: shown.source == REASONING)


def test_one_delta_with_a_think_block_inside_keeps_its_order() -> None:
    """Answer, reasoning, answer: in the order they came, not the reasoning first."""
    assert ThinkSplitter().feed("A <think>r</think> B") == [("", "A "), ("r", "B")]


MID_LINE = [
    "<think>First.</think>\n\n",
    "Intro text before second. <think>Second.</think>",
    "After second [1].",
    " More <think>Last.</think>",
]


def test_a_later_block_in_a_pipe_starts_on_a_line_of_its_own(loopback: LoopbackServer) -> None:
    """QA: "Intro text before second. <details>" and "More <details>": a block written mid-line
    is no block to a Markdown viewer. A blank line comes before it, and after it."""
    loopback.queue(Reply(chunks=answer_frames(MID_LINE)))

    result = pplx("ask", "--reasoning", "q", server=loopback)

    fold = "<details>\n<summary>Reasoning</summary>\n\n{}\n\n</details>\n\n"
    assert result.stdout.startswith(
        fold.format("First.")
        + "Intro text before second. \n\n"
        + fold.format("Second.")
        + "After second [1]. More \n\n"
        + fold.format("Last.")
        + "Sources:\n"
    ), result.stdout
