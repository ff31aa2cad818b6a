"""Every CLI option is validated: exit 2 and one line saying what is accepted."""

from __future__ import annotations

import pytest

from pplx_tui.cli import main


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--recency", "fortnight"], "recency must be one of hour, day, week, month, year"),
        (["--domain", "https://nature.com"], "bare host name"),
        (["--domain", "not a domain"], "host name such as nature.com"),
        (["--mode", "images"], "mode must be one of web, academic, sec"),
        (["--context-size", "huge"], "context-size must be one of low, medium, high"),
        (["--after", "2025-03-15"], "MM/DD/YYYY"),
        (["--temperature", "3"], "temperature must be a number from 0 to 2"),
        (["--top-p", "x"], "top-p must be a number from 0 to 1"),
        (["--max-tokens", "8"], "at least 16"),
    ],
)
def test_bad_option_exits_2_with_what_is_accepted(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["ask", "--demo", *args, "question"])

    assert raised.value.code == 2
    assert expected in capsys.readouterr().err


def test_recency_with_date_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--demo", "--recency", "week", "--after", "01/01/2025", "q"])

    assert code == 2
    assert "--recency cannot be combined" in capsys.readouterr().err


def test_unknown_provider_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--provider", "nope", "q"])

    assert code == 2
    err = capsys.readouterr().err
    assert "unknown provider 'nope'" in err and "openrouter" in err
    assert "Traceback" not in err
