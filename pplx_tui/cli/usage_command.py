"""``pplx usage``: spend and tokens per day, provider and model, from the saved chats.

Costs are the ones the providers reported (see :mod:`pplx_tui.usage`); an answer without a
reported cost counts its tokens only, and the table says how many such answers there were.
Never imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from pplx_tui.cli.columns import cells, terminal_width
from pplx_tui.cli.common import EXIT_FAILURE, EXIT_OK
from pplx_tui.cli.json_output import print_json
from pplx_tui.cli.usage_table import table_lines

if TYPE_CHECKING:
    from pplx_tui.usage import UsageRow

DEFAULT_DAYS = 30
EARLIEST = date(1970, 1, 1)
"""The earliest ``--since`` (before any chat; a day the platform's clock functions take)."""


class Since(NamedTuple):
    """The first day counted, and what ``--since`` said when that was before :data:`EARLIEST`
    (every day is counted; the heading says so, not a date never asked for)."""

    day: date
    earlier: str | None = None


def _since(value: str) -> Since:
    text = value.strip().lower()
    today = datetime.now().astimezone().date()
    if text == "today":
        return Since(today)
    if text.startswith("-") and text.endswith("d") and text[1:-1].isdecimal():
        text = text[1:]  # -7d ("7 days ago", as `date -d` writes it) is 7d
    if text.endswith("d") and text[:-1].isdecimal() and int(text[:-1]) > 0:
        # The last N days, today included, as the default's "last 30 days" (30d read one
        # day more than the default, 7d eight days); from before 1970: every day (9999999d
        # ran past the calendar's start into a traceback).
        days = int(text[:-1]) - 1
        if days > (today - EARLIEST).days:
            return Since(EARLIEST, text)
        return Since(today - timedelta(days=days))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"since must be a date such as 2026-11-01, 'today' or a number of days such as 7d "
            f"(got {value!r})"
        ) from None
    return Since(day) if day >= EARLIEST else Since(EARLIEST, text)  # 0001-01-01: every day


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "usage",
        help="spend and tokens per day, provider and model",
        description="Spend and tokens per day, provider and model, from the saved chats: the "
        "costs the providers reported (none are estimated). Days are local.",
    )
    parser.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help=f"first day: YYYY-MM-DD, 'today' or Nd (or -Nd): the last N days, today included "
        f"(default: the last {DEFAULT_DAYS} days)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pplx_tui.cli.ask_save import print_notices
    from pplx_tui.store import ChatStore
    from pplx_tui.usage import total, usage_rows

    default = datetime.now().astimezone().date() - timedelta(days=DEFAULT_DAYS - 1)
    asked = args.since or Since(default)
    since = asked.day
    store = ChatStore()
    if problem := store.folder_problem():  # (not "no answers": none could be read)
        print(f"pplx: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    store.check_files()
    rows = usage_rows(store, since)
    print_notices(store)
    summed = total(rows)
    if args.json:
        print_json(
            {
                "since": since.isoformat(),
                "rows": [_row_json(row) for row in rows],
                "total": {k: v for k, v in _row_json(summed).items() if k in _TOTAL_KEYS},
            }
        )
        return EXIT_OK
    width = terminal_width(sys.stdout)
    period = f"since {since.isoformat()}"
    if asked.earlier is not None:  # (not 1970-01-01: a day never asked for)
        period = f"of every day (--since {asked.earlier})"
    heading = f"Spend and tokens {period} (costs as the providers reported them)"
    if width is not None and cells(heading) > width:
        heading = f"Spend and tokens {period} (as reported)"
    if width is not None and cells(heading) > width:  # (QA at 40 columns: "re" / "ported)")
        import textwrap

        heading = textwrap.fill(heading, width, break_on_hyphens=False)
    print(heading)
    if not rows:
        print("No answers with usage in that period.")
        return EXIT_OK
    body = [_cells(row, row.day.isoformat(), row.provider, row.model) for row in rows]
    for line in table_lines(body, _cells(summed, "total", "", ""), width):
        print(line)
    if summed.unpriced:
        answers = "answer" if summed.unpriced == 1 else "answers"
        said = f"{summed.unpriced} {answers} came without a reported cost (tokens only)."
        # (a cost marked with the same * counts only its other answers)
        print(f"* {said}" if any(_partly_priced(row) for row in [*rows, summed]) else said)
    return EXIT_OK


def _partly_priced(row: UsageRow) -> bool:
    """Whether ``row``'s cost counts only some of its answers (QA: "10 answers $0.0102" where
    2 of the 10 reported a cost read as the 10's cost)."""
    return bool(row.unpriced) and row.cost_usd is not None


_TOTAL_KEYS = (
    "answers",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cost_usd",
    "answers_without_cost",
)


def _cells(row: UsageRow, day: str, provider: str, model: str) -> tuple[str, ...]:
    from pplx_tui.sanitize import clean_line
    from pplx_tui.usage import format_usd

    return (
        day,
        clean_line(provider),
        clean_line(model),
        str(row.answers),
        f"{row.total_tokens:,}",
        format_usd(row.cost_usd) + ("*" if _partly_priced(row) else ""),
    )


def _row_json(row: UsageRow) -> dict[str, object]:
    return {
        "day": row.day.isoformat(),
        "provider": row.provider,
        "model": row.model,
        "answers": row.answers,
        "prompt_tokens": row.prompt_tokens,
        "completion_tokens": row.completion_tokens,
        "total_tokens": row.total_tokens,
        "cost_usd": round(row.cost_usd, 6) if row.cost_usd is not None else None,
        "answers_without_cost": row.unpriced,
    }
