"""`pplx usage` and the daily budget: the costs the providers reported, summed from the chats."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from pplx_tui import paths
from pplx_tui.models import Message, Usage
from pplx_tui.store import ChatStore
from tests.support.cli import answer_frames, pplx
from tests.support.loopback import LoopbackServer, Reply

NOW = datetime.now().astimezone()


def answer(provider: str, model: str, days_ago: int, tokens: int, cost: float | None) -> Message:
    finished = NOW - timedelta(days=days_ago)
    return Message(
        role="assistant",
        content="…",
        provider=provider,
        model=model,
        usage=Usage(
            prompt_tokens=tokens // 2,
            completion_tokens=tokens - tokens // 2,
            total_tokens=tokens,
            cost_usd=cost,
        ),
        created_at=finished - timedelta(seconds=30),
        finished_at=finished,
    )


def save_chat(*answers: Message) -> None:
    store = ChatStore()
    chat = store.new_chat()
    for message in answers:
        chat.add(Message(role="user", content="q", created_at=message.created_at))
        chat.add(message)
    store.save(chat)


@pytest.fixture
def history() -> None:
    save_chat(
        answer("perplexity", "high", 0, 5760, 0.0281),
        answer("perplexity", "high", 0, 1000, 0.0119),
        answer("openrouter", "perplexity/sonar", 1, 20, 0.0051),
    )
    save_chat(
        answer("groq", "llama-3.3-70b-versatile", 1, 300, None),  # no cost reported
        answer("perplexity", "fast", 40, 99, 1.5),  # older than the default 30 days
    )


def test_usage_sums_spend_and_tokens_per_day_provider_and_model(history) -> None:
    result = pplx("usage")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    today, yesterday = NOW.date().isoformat(), (NOW - timedelta(days=1)).date().isoformat()
    assert lines[0].startswith("Spend and tokens since ")
    assert lines[1].split() == ["DAY", "PROVIDER", "MODEL", "ANSWERS", "TOKENS", "COST"]
    assert [line.split() for line in lines[2:5]] == [
        [yesterday, "groq", "llama-3.3-70b-versatile", "1", "300", "—"],
        [yesterday, "openrouter", "perplexity/sonar", "1", "20", "$0.0051"],
        [today, "perplexity", "high", "2", "6,760", "$0.0400"],
    ]
    assert lines[6].split() == ["total", "4", "7,080", "$0.0451*"]  # (the groq answer's none)
    assert lines[7] == "* 1 answer came without a reported cost (tokens only)."


def test_a_row_with_answers_priced_and_unpriced_marks_its_cost() -> None:
    """QA: "openrouter perplexity/sonar 10 answers $0.0102" where 2 of the 10 reported a cost
    read as the cost of all 10."""
    save_chat(
        answer("openrouter", "perplexity/sonar", 0, 20, 0.0051),
        answer("openrouter", "perplexity/sonar", 0, 30, None),
    )
    save_chat(answer("groq", "llama-3.3-70b-versatile", 0, 300, None))

    lines = pplx("usage").stdout.splitlines()

    rows = {line.split()[1]: line.split() for line in lines[2:4]}
    assert rows["openrouter"][-2:] == ["50", "$0.0051*"]
    assert rows["groq"][-1] == "—"  # none priced: no cost to mark


@pytest.mark.parametrize("columns", [60, 80])
def test_usage_on_a_terminal_fits_each_line(history, columns: int) -> None:
    """QA: at 60 columns the table (72 cells here) and its heading wrapped. On a terminal the
    model is cut with "…", ANSWERS is ANS and, in a narrow one, the provider column goes; in
    a pipe the table stays whole."""
    piped = pplx("usage").stdout.splitlines()
    shown = pplx("usage", tty=("stdout",), COLUMNS=str(columns)).stdout.splitlines()

    assert max(map(len, piped)) > 60
    assert all(len(line) <= columns for line in shown), "\n".join(shown)
    assert len(shown) == len(piped)
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    groq = next(line.split() for line in shown if " 300 " in line)
    assert groq[0] == yesterday and groq[-2:] == ["300", "—"]
    assert ("groq" in groq) is (columns == 80), groq
    assert shown[-2].split() == ["total", "4", "7,080", "$0.0451*"]


def test_a_model_cut_to_fit_drops_its_vendor_first() -> None:
    """QA: at 40 columns perplexity/sonar and perplexity/sonar-reasoning-pro both read
    ``perplexity/…``. As in the app's labels, the vendor goes first, then the rest is cut."""
    save_chat(
        answer("openrouter", "perplexity/sonar", 0, 20, 0.01),
        answer("openrouter", "perplexity/sonar-reasoning-pro", 0, 30, 0.02),
        answer("perplexity", "fast", 0, 40, 0.03),
    )

    shown = pplx("usage", tty=("stdout",), COLUMNS="40").stdout.splitlines()

    # (every line within the 40 columns: the heading too, wrapped at a word; QA: "re" /
    # "ported)", and each row's cost alone on the next line)
    assert all(len(line) <= 40 for line in shown), "\n".join(shown)
    assert shown[1] == "reported)" and shown[0].endswith(" (as"), shown
    models = [line.split()[1] for line in shown if line[:1].isdigit()]
    assert models == ["sonar", "sonar…", "fast"], models


def test_usage_json_and_since(history) -> None:
    everything = json.loads(pplx("usage", "--json", "--since", "60d").stdout)
    today = json.loads(pplx("usage", "--json", "--since", "today").stdout)

    assert everything["total"]["answers"] == 5
    assert everything["total"]["cost_usd"] == pytest.approx(1.5451)
    assert everything["total"]["answers_without_cost"] == 1
    assert [(r["provider"], r["model"]) for r in today["rows"]] == [("perplexity", "high")]
    assert today["rows"][0]["total_tokens"] == 6760
    assert today["since"] == NOW.date().isoformat()


def test_answers_dated_in_the_future_are_not_spent_today(history, loopback) -> None:
    """QA: an imported chat's answers finished 2099-01-01 counted in today's spend (the budget
    warning and header said $7.20 while today's row was $7.00) and were listed by `pplx usage`."""
    in_2099 = (NOW.date() - date(2099, 1, 1)).days
    save_chat(*(answer("perplexity", "high", in_2099, 10, 0.10) for _ in range(2)))
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("daily_budget_usd = 0.03\n")
    loopback.queue(Reply(chunks=answer_frames(["Two moons."])))

    today = json.loads(pplx("usage", "--json", "--since", "today").stdout)
    listed = pplx("usage").stdout
    asked = pplx("ask", "How many moons?", server=loopback)

    assert [row["day"] for row in today["rows"]] == [NOW.date().isoformat()]
    assert today["total"]["cost_usd"] == pytest.approx(0.04)
    assert "2099" not in listed
    assert "today's spend ($0.0400)" in asked.stderr


def test_n_days_are_the_last_n_days_as_the_default_30() -> None:
    """`--since 30d` began a day before the default "last 30 days"; 7d covered eight days."""
    since = {
        value: json.loads(pplx("usage", "--json", *value).stdout)["since"]
        for value in [(), ("--since", "30d"), ("--since", "1d"), ("--since", "today")]
    }
    zero = pplx("usage", "--since", "0d")

    assert since[()] == since[("--since", "30d")]
    assert since[("--since", "1d")] == since[("--since", "today")]
    assert zero.returncode == 2 and "7d" in zero.stderr


@pytest.mark.parametrize("days", ["1d", "7d", "30d"])
def test_a_dash_before_a_number_of_days_means_the_same_days(days: str) -> None:
    """`--since -7d` ("7 days ago", as `date -d` and journalctl write it) was argparse's
    "expected one argument", and `--since=-7d` was no date: both mean `--since 7d`."""
    plain = json.loads(pplx("usage", "--json", "--since", days).stdout)["since"]

    for args in (("--since", "-" + days), ("--since=-" + days,), ("--sin", "-" + days)):
        result = pplx("usage", "--json", *args)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["since"] == plain


def test_a_dash_before_anything_but_days_is_refused_naming_the_accepted_forms() -> None:
    result = pplx("usage", "--since", "-2026-11-01")

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "2026-11-01, 'today' or a number of days such as 7d" in result.stderr


def test_more_days_than_the_calendar_holds_mean_every_day() -> None:
    """`--since 99999999d` (a script's "everything") ended in an OverflowError traceback."""
    pplx("ask", "--demo", "--save", "How many moons does Mars have?")
    result = pplx("usage", "--json", "--since", "99999999d")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["since"], report["total"]["answers"]) == ("1970-01-01", 1)


def test_a_date_before_1970_means_every_day() -> None:
    """`--since 0001-01-01` (a script's "everything", as 99999999d) was an unexpected error
    ("year 0 is out of range"), exit 5."""
    pplx("ask", "--demo", "--save", "How many moons does Mars have?")
    result = pplx("usage", "--json", "--since", "0001-01-01")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["since"], report["total"]["answers"]) == ("1970-01-01", 1)


@pytest.mark.parametrize("asked", ["0001-01-01", "100000d"])
def test_a_day_before_1970_is_said_as_every_day_not_as_a_day_never_asked(asked: str) -> None:
    """QA: `pplx usage --since 0001-01-01` (or 100000d) headed the table "since 1970-01-01",
    a day nobody asked for."""
    pplx("ask", "--demo", "--save", "How many moons does Mars have?")
    result = pplx("usage", "--since", asked)

    assert result.returncode == 0, result.stderr
    heading = result.stdout.splitlines()[0]
    assert heading.startswith(f"Spend and tokens of every day (--since {asked})")
    assert "1970" not in result.stdout


def test_a_superscript_is_no_number_of_days() -> None:
    """`²d` passed the digit test, then failed int(): argparse's "invalid _since value"."""
    result = pplx("usage", "--since", "\u00b2d")

    assert result.returncode == 2
    assert result.stderr.startswith("pplx: argument --since: since must be a date such as")


def test_the_demo_reports_a_cost_of_nothing() -> None:
    """QA-15: the demo's answers were counted as "came without a reported cost"."""
    asked = pplx("ask", "--demo", "--save", "How many moons does Mars have?")
    assert asked.returncode == 0, asked.stderr

    result = pplx("usage", "--json")

    total = json.loads(result.stdout)["total"]
    assert (total["answers"], total["answers_without_cost"], total["cost_usd"]) == (1, 0, 0)
    assert "without a reported cost" not in pplx("usage").stdout


def test_usage_with_no_chats_and_a_bad_date() -> None:
    empty = pplx("usage")
    bad = pplx("usage", "--since", "last tuesday")

    assert empty.returncode == 0 and "No answers with usage" in empty.stdout
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "2026-11-01" in bad.stderr


def test_a_question_past_the_daily_budget_warns_and_is_still_asked(
    history, loopback: LoopbackServer
) -> None:
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("daily_budget_usd = 0.03\n")
    loopback.queue(Reply(chunks=answer_frames(["Two moons."])))

    result = pplx("ask", "How many moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Two moons.")
    assert (
        "pplx: warning: today's spend ($0.0400) has reached the daily budget of $0.0300; "
        "asking anyway" in result.stderr
    )


def test_no_warning_below_the_budget(history, loopback: LoopbackServer) -> None:
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("daily_budget_usd = 5\n")
    loopback.queue(Reply(chunks=answer_frames(["Two moons."])))

    result = pplx("ask", "How many moons?", server=loopback)

    assert result.returncode == 0 and "budget" not in result.stderr


def test_an_imported_copy_of_answers_already_saved_counts_them_once(tmp_path) -> None:
    """`pplx chats export ID --format json -o x.json`, the chat continued (on this machine or
    another), then `pplx chats import x.json`: the import is a second chat holding the same
    answers, and `pplx usage`, today's total in the header and the daily budget counted their
    cost twice. Money spent once counts once (an answer is its message id); the answers new
    in the import (asked on another machine) still count."""
    from pplx_tui.usage import spent_today

    store = ChatStore()
    chat = store.new_chat()
    first = answer("perplexity", "high", 0, 100, 0.25)
    chat.add(Message(role="user", content="q", created_at=first.created_at))
    chat.add(first)
    store.save(chat)
    export = tmp_path / "x.json"
    assert pplx("chats", "export", chat.id, "--format", "json", "-o", str(export)).returncode == 0
    continued = json.loads(export.read_text())
    elsewhere = answer("perplexity", "high", 0, 10, 0.5)  # asked on the other machine
    for message in (Message(role="user", content="and?"), elsewhere):
        continued["messages"].append(message.model_dump(mode="json"))
    export.write_text(json.dumps(continued))

    imported = pplx("chats", "import", str(export))

    assert imported.returncode == 0, imported.stderr
    assert len(store.list_chats(10)) == 2  # a chat of its own: it holds an answer more
    total = json.loads(pplx("usage", "--json").stdout)["total"]
    assert (total["answers"], total["total_tokens"]) == (2, 110)
    assert total["cost_usd"] == pytest.approx(0.75)
    assert spent_today(store) == pytest.approx(0.75)  # the header's day total and the budget


@pytest.mark.parametrize(
    "flags",
    [
        ("--background", "--no-save", "--model", "high"),
        ("--background", "--demo"),
        ("--background", "--provider", "openrouter"),
    ],
)
def test_a_background_usage_error_is_said_without_the_budget_warning(history, flags) -> None:
    """QA: past the budget, `pplx ask --background --no-save …` said "…; asking anyway" and
    then asked nothing (the usage error came after): nothing asked, nothing warned."""
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("daily_budget_usd = 0.03\n")

    result = pplx("ask", *flags, "x", PERPLEXITY_API_KEY="pplx-" + "k" * 40)

    assert result.returncode == 2, result.stderr
    assert "--background" in result.stderr and "budget" not in result.stderr


def test_the_offline_demo_is_asked_without_the_budget_warning(history) -> None:
    """The demo costs nothing (README): past the budget it is asked without a warning."""
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("daily_budget_usd = 0.03\n")

    result = pplx("ask", "--demo", "How many moons?")

    assert result.returncode == 0, result.stderr
    assert result.stdout and "budget" not in result.stderr
