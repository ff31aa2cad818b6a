"""Tables on the command line line up in terminal cells: a wide (CJK) character takes two."""

from __future__ import annotations

import re

import pytest

from pplx_tui.cli.columns import cells, fit
from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from tests.support.chats import seeded_chat
from tests.support.cli import pplx


def test_cells_count_wide_characters_twice_and_accents_not_at_all() -> None:
    assert cells("sonar-pro") == 9
    assert cells("通义千问") == 8
    assert cells("e\u0301te\u0301") == 3  # é written as e + a combining accent
    assert fit("通义千问-max", 5) == "通义…" and cells(fit("通义千问-max", 5)) == 5
    assert fit("通义千问-max", 6) == "通义… "  # 千 would straddle the mark
    assert fit("sonar", 8) == "sonar   "


def test_chats_list_keeps_its_title_column_after_a_wide_model_name() -> None:
    """helper QA: a model named in Chinese pushed that row's title two cells right per
    character, the table out of line."""
    store = ChatStore()
    for model, title in (("perplexity/sonar", "Latin"), ("通义千问-max", "Wide")):
        chat = store.new_chat()
        chat.title = title
        chat.add(Message(role="user", content="?"))
        chat.add(Message(role="assistant", content="!", provider="gateway", model=model))
        store.save(chat)

    listed = pplx("chats", "list")

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    starts = {
        title: cells(line[: line.index(title)])
        for line in lines
        for title in ("Latin", "Wide")
        if line.endswith(title)
    }
    assert starts["Latin"] == starts["Wide"], listed.stdout


def _chat_answered_by(store: ChatStore, title: str, models: list[str]) -> None:
    chat = store.new_chat()
    chat.title = title
    chat.add(Message(role="user", content="?"))
    for model in models:
        chat.add(Message(role="assistant", content="!", provider="openrouter", model=model))
    store.save(chat)


SEVEN = [f"perplexity/sonar-{n}" for n in ("pro", "reasoning", "deep", "a", "b", "c")]


def test_chats_list_in_a_pipe_keeps_the_models_whole_and_says_what_it_counts() -> None:
    """helper QA: a bare ``8`` (one question, seven answers) said nothing of what it counted;
    QA: in a pipe the models were cut (``perplexity/sonar, perpl…``): a script lost them."""
    _chat_answered_by(ChatStore(), "Compared", ["perplexity/sonar", *SEVEN])
    _chat_answered_by(ChatStore(), "Short", ["perplexity/sonar"])

    piped = pplx("chats", "list")

    assert piped.returncode == 0, piped.stderr
    short, compared = piped.stdout.splitlines()
    assert "  8 msgs  " in compared
    models = compared.split("  8 msgs  ")[1].removesuffix("  Compared")
    assert models == ", ".join(["perplexity/sonar", *SEVEN]), compared
    assert short.index("Short") == compared.index("Compared")  # the titles in one column
    assert pplx("chats", "list").stdout == piped.stdout  # a pipe: the same bytes every time


def test_chats_list_widens_its_models_column_to_the_terminal() -> None:
    _chat_answered_by(ChatStore(), "Compared", ["perplexity/sonar", *SEVEN])
    everything = ", ".join(["perplexity/sonar", *SEVEN])

    wide = pplx("chats", "list", tty=("stdout",), COLUMNS="250")
    narrow = pplx("chats", "list", tty=("stdout",), COLUMNS="90")

    assert f"  {everything}  Compared" in wide.stdout, wide.stdout
    assert "…" not in wide.stdout
    assert cells(narrow.stdout.splitlines()[0]) <= 90
    assert "…  Compared" in narrow.stdout


def test_chats_list_pads_its_columns_to_the_longest_value() -> None:
    store = ChatStore()
    _chat_answered_by(store, "Short", ["sonar"])
    _chat_answered_by(store, "Many", ["sonar-pro"] * 11)

    lines = pplx("chats", "list").stdout.splitlines()

    assert lines[0].endswith("12 msgs  sonar-pro  Many")
    assert lines[1].endswith(" 2 msgs  sonar      Short")


LONG_TITLE = "What do ribosomes do in a eukaryotic cell, and how do they differ"


@pytest.mark.parametrize("more", [0, 4], ids=["8 msgs", "12 msgs"])
@pytest.mark.parametrize("columns", [60, 80, 100])
def test_chats_list_on_a_terminal_fits_each_chat_on_one_line(columns: int, more: int) -> None:
    """QA: at 60 columns every row wrapped, the models column cut mid-word ("perplexity/sona"
    and "r" on the next line) and the title never cut. Each row now fits the terminal: the
    title ends with "…" when cut, the models column narrows, and goes in a narrow terminal
    (also where a count of two digits leaves the title less than its usual least room)."""
    _chat_answered_by(ChatStore(), LONG_TITLE, ["perplexity/sonar", *SEVEN, *SEVEN[:more]])

    listed = pplx("chats", "list", tty=("stdout",), COLUMNS=str(columns))

    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert cells(line) <= columns, line
    assert line.endswith("…") and line.split("  ")[-1][:-1] in LONG_TITLE, line
    assert ("perplexity/" in line) is (columns > 60), line


def test_chats_list_in_a_pipe_keeps_every_title_whole() -> None:
    _chat_answered_by(ChatStore(), LONG_TITLE, ["perplexity/sonar", *SEVEN])

    for piped in (pplx("chats", "list"), pplx("chats", "list", COLUMNS="60")):
        assert piped.stdout.splitlines()[0].endswith(f"sonar-c  {LONG_TITLE}"), piped.stdout


def test_chats_list_in_a_wide_terminal_keeps_the_title_whole_before_the_models() -> None:
    _chat_answered_by(ChatStore(), LONG_TITLE, ["perplexity/sonar", *SEVEN])

    (line,) = pplx("chats", "list", tty=("stdout",), COLUMNS="140").stdout.splitlines()

    assert cells(line) <= 140 and line.endswith(f"…  {LONG_TITLE}"), line


LONG_QUESTION = (
    "A very long research question about glacier entropy attention compiler dark parser"
    " kinetics normalization bayesian lexer aquifer protein paxos and what it means"
)
LONG_ANSWER = "Early words. " * 20 + "The phobos word sits far in. " + "Later words. " * 20


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_chats_search_on_a_terminal_fits_each_line(columns: int) -> None:
    """QA: at 80 columns a long-title hit wrapped over ~7 lines, unlike `chats list`. On a
    terminal the title and the snippet each take one line, cut with "…", the snippet kept
    around the words found; in a pipe both stay whole."""
    seeded_chat(LONG_QUESTION, LONG_ANSWER)

    found = pplx("chats", "search", "phobos", tty=("stdout",), COLUMNS=str(columns))
    piped = pplx("chats", "search", "phobos", COLUMNS=str(columns))

    assert found.returncode == 0, found.stderr
    heading, snippet = found.stdout.splitlines()
    assert all(cells(line) <= columns for line in (heading, snippet)), found.stdout
    assert heading.endswith("…") and heading.split("  ")[-1][:-1] in LONG_QUESTION, heading
    assert snippet.startswith("    answer 1: …") and "phobos word" in snippet, snippet
    whole_heading, whole_snippet = piped.stdout.splitlines()
    assert whole_heading.endswith("about glacier entropy…"), whole_heading  # as titled
    assert whole_snippet.endswith("Later words.…") and cells(whole_snippet) > 160, whole_snippet


def test_chats_search_does_not_repeat_the_title_as_the_first_questions_snippet() -> None:
    """QA: a hit in the question that titles the chat printed the title, then the same words
    as the snippet `question 1: …`: said once, the line under it names where only."""
    chat = seeded_chat(LONG_QUESTION, "An answer.")

    for tty in ((), ("stdout",)):
        found = pplx("chats", "search", "entropy", tty=tty, COLUMNS="100")
        heading, where = found.stdout.splitlines()
        assert heading.startswith(chat.id) and where == "    question 1 (the title)", found.stdout


@pytest.mark.parametrize(
    ("columns", "shown"),
    [(60, ["date", "time", "count"]), (52, ["date", "time"]), (46, ["date"]), (40, []), (30, [])],
)
def test_chats_list_in_a_narrow_terminal_drops_the_count_and_the_time_before_the_title(
    columns: int, shown: list[str]
) -> None:
    """QA: under 45 columns each line was the id, time and count (44 cells) and "…": no title,
    every row wrapped. The count goes first, then the time of day, then the date."""
    _chat_answered_by(ChatStore(), LONG_TITLE, ["perplexity/sonar"])

    listed = pplx("chats", "list", tty=("stdout",), COLUMNS=str(columns))

    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert cells(line) <= columns, line
    title = line.split("  ")[-1]
    assert title.endswith("…") and len(title) > 8 and title[:-1] in LONG_TITLE, line
    for part, pattern in (("date", r"\d-\d\d-\d\d"), ("time", r"\d\d:\d\d"), ("count", "msgs")):
        assert bool(re.search(pattern, line)) is (part in shown), line
