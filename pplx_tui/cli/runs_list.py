"""``pplx runs [--json]``: the background runs the chats remember, a chat once (its latest
run, or each it still waits on), unfinished ones first, then those started in the last week."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from pplx_tui.cli.columns import cells, fit, pad_left, terminal_width
from pplx_tui.cli.common import EXIT_FAILURE, EXIT_OK
from pplx_tui.cli.json_output import json_time, print_json

if TYPE_CHECKING:
    from pplx_tui.runs import RunRecord

TITLE_MIN = 12
"""Cells a title keeps on a terminal too narrow for the rest: a line that long wraps."""


def list_runs(args: argparse.Namespace) -> int:
    from pplx_tui.cli.ask_save import print_notices
    from pplx_tui.runs import find_runs
    from pplx_tui.store import ChatStore

    store = ChatStore()
    if problem := store.folder_problem():  # (not "no background runs": none could be read)
        print(f"pplx: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    store.check_files()
    records = find_runs(store)
    print_notices(store)
    if args.json:
        print_json([_record_json(record) for record in records])
        return EXIT_OK
    if not records:
        print(
            "pplx: no background runs; start one with: "
            'pplx ask --background --provider perplexity --model high "QUESTION"',
            file=sys.stderr,
        )
        return EXIT_OK
    columns = terminal_width(sys.stdout)  # (a pipe: the title whole, up to 60 characters)
    rows = _rows(records, so_far=True)
    if columns is not None and sum(_widths(rows)) + 4 * 2 + TITLE_MIN > columns:
        rows = _rows(records, so_far=False)  # (a narrow terminal: the status says it goes on)
    widths = _widths(rows)
    room = None if columns is None else max(columns - sum(widths) - 4 * 2, TITLE_MIN)
    for row in rows:
        padded = [pad_left(cell, width) for cell, width in zip(row, widths, strict=False)]
        title = row[4] if room is None or cells(row[4]) <= room else fit(row[4], room).rstrip()
        print("  ".join([*padded, title]))
    return EXIT_OK


def _rows(records: list[RunRecord], *, so_far: bool) -> list[tuple[str, ...]]:
    """The table: the status as ``--json`` says it; a run still going has taken its duration
    "so far" (``so_far``: said so). An ended run took what the provider says (its own times),
    else the time until its end was seen."""
    from pplx_tui.models import utc_now
    from pplx_tui.sanitize import clean_line

    now = utc_now()
    rows = [("CHAT", "STATUS", "DURATION", "MODEL", "TITLE")]
    for record in records:  # (what a chat file says is anyone's text: no terminal controls)
        span = (record.finished_at or now) - record.started_at  # (until its end was seen)
        duration = _duration(span if record.took is None else timedelta(seconds=record.took))
        rows.append(
            (
                record.chat_id,
                clean_line(record.status),
                f"{duration} so far" if record.running and so_far else duration,
                clean_line(record.model or "?"),
                _title(record.title),
            )
        )
    return rows


def _widths(rows: list[tuple[str, ...]]) -> list[int]:
    """The cells each column but the title takes."""
    return [max(cells(row[column]) for row in rows) for column in range(4)]


def _record_json(record: RunRecord) -> dict[str, object]:
    return {
        "chat_id": record.chat_id,
        "title": record.title,
        "message_id": record.message_id,
        "run_id": record.run_id,
        "status": record.status,
        "finished": not record.running,
        "provider": record.provider,
        "model": record.model,
        "started_at": json_time(record.started_at),
        "finished_at": json_time(record.finished_at) if record.finished_at else None,
    }


def _title(title: str) -> str:
    from pplx_tui.sanitize import clean_line

    title = clean_line(title)
    return title if len(title) <= 60 else title[:59] + "…"


def _duration(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86_400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86_400}d"
