"""``pplx models`` on a terminal and in a pipe: lines that fit, a missing key said plainly,
prices in one format."""

from __future__ import annotations

import pytest

from pplx_tui.cli.columns import cells
from tests.support.cli import pplx


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_models_on_a_terminal_fits_each_line(columns: int) -> None:
    """QA: at 80 columns most model rows wrapped mid-word (``+ $5/`` and ``1k req`` on the
    next line), and the no-key line ran over three. Each line now fits; no id or price is cut."""
    listed = pplx("models", "--offline", tty=("stdout",), COLUMNS=str(columns), key=None)

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert all(cells(line) <= columns for line in lines), "\n".join(lines)
    words = listed.stdout.split()
    for whole in ("llama-3.3-70b-versatile", "$2.00/$8.00", "https://console.groq.com/keys"):
        assert whole in words, listed.stdout


def test_models_in_a_pipe_keeps_each_model_on_one_line() -> None:
    piped = pplx("models", "--offline", "--provider", "openrouter", key=None, COLUMNS="60")

    rows = [line for line in piped.stdout.splitlines() if "perplexity/sonar-pro-search" in line]
    assert rows == [
        "  perplexity/sonar-pro-search     web search, 200k ctx"
        "             $3.00/$15.00 per M tok + $18.00/1k req"
    ], piped.stdout


def test_models_says_a_missing_key_on_its_own_line() -> None:
    """QA: ``(no key — Create a key at … (or add it in the app with ctrl+k).)`` stood in the
    provider's line, brackets inside brackets."""
    lines = pplx("models", "--offline", "--provider", "groq", key=None).stdout.splitlines()

    assert lines[:2] == [
        "groq  Groq",
        "  no key: set GROQ_API_KEY or add one in the app (ctrl+k);"
        " create one at https://console.groq.com/keys",
    ]


def test_models_prices_in_one_format() -> None:
    """QA: ``$0.1/$0.5`` stood next to ``$0.59/$0.79`` and ``$1/$3``: cents always."""
    out = pplx("models", "--offline", "--provider", "groq", key=None).stdout

    assert "$0.10/$0.50 per M tok" in out and "$1.00/$3.00 per M tok" in out, out
    assert "$0.1/" not in out and "$1/" not in out
