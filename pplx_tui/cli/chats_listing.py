"""``pplx chats list`` and ``pplx chats search``: the saved chats as a table, the hits as lines
with a snippet, or JSON; and a chat's title as every ``pplx chats`` command shows it.

Imports stay light: a :class:`~pplx_tui.store.ChatFinder` lists and searches (it loads no
pydantic while the index is up to date).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from pplx_tui.cli.chats_table import ChatRow, table_lines
from pplx_tui.cli.columns import terminal_width
from pplx_tui.cli.common import EXIT_FAILURE, EXIT_OK, UsageError
from pplx_tui.cli.json_output import json_time, print_json
from pplx_tui.cli.search_lines import HitLine, hit_lines, indexing_note, where_found
from pplx_tui.redact import known_secrets, redact_known, redact_these
from pplx_tui.sanitize import clean_line
from pplx_tui.values import local_time

if TYPE_CHECKING:
    from pplx_tui.store import ChatFinder

__all__ = ["list_chats", "search_chats", "shown_title"]


def list_chats(store: ChatFinder, args: argparse.Namespace) -> int:
    """``pplx chats list``: the chats, newest first, as a table (or JSON)."""
    if problem := store.folder_problem():
        print(f"pplx: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    summaries = store.list_chats(args.limit)
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "created_at": json_time(s.created_at),
                    "updated_at": json_time(s.updated_at),
                    "message_count": s.message_count,
                    "models": list(s.models),
                    "read_only": s.read_only,
                }
                for s in summaries
            ]
        )
        return EXIT_OK
    if not summaries:
        print("pplx: no saved chats yet (pplx ask --save and the TUI keep them)", file=sys.stderr)
    secrets = known_secrets()  # once: 2,000 titles are listed in milliseconds
    rows = [
        ChatRow(
            id=s.id,
            time=_local(s.updated_at),
            count=_messages(s.message_count),
            models=clean_line(", ".join(s.models)),
            title=shown_title(s.title, secrets),
            mark=" (read-only)" if s.read_only else "",
        )
        for s in summaries
    ]
    for line in table_lines(rows, terminal_width(sys.stdout)):
        print(line)
    return EXIT_OK


def _messages(count: int) -> str:
    """A chat's count as what it counts: every message, questions and answers (each
    alternative answer too): ``8 msgs`` for one question answered seven times."""
    return f"{count} msg" if count == 1 else f"{count:,} msgs"


def search_chats(store: ChatFinder, args: argparse.Namespace) -> int:
    """``pplx chats search``: the chats holding the words, best first, a line each with a
    snippet of the match (or JSON)."""
    query = " ".join(args.query)
    if not query.split():
        raise UsageError("the search query is empty")
    if problem := store.folder_problem():
        print(f"pplx: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    note = indexing_note(sys.stderr)  # (one more than the limit: are there more?)
    hits = store.search(query, min(args.limit + 1, sys.maxsize), progress=note)
    more, hits = len(hits) > args.limit, hits[: args.limit]
    # On stderr: stdout stays the hits alone (--json too).
    best = "chat" if args.limit == 1 else f"{args.limit:,} chats"
    more_line = f"pplx: showing the best {best}; more match (--limit N shows more)"
    if args.json:
        print_json(
            [
                {
                    "chat_id": h.chat_id,
                    "title": h.title,
                    "updated_at": json_time(h.updated_at),
                    "message_index": h.message_index,
                    "question_number": h.question_number,
                    "field": h.field,
                    "snippet": h.snippet,
                    "highlight": list(h.highlight),
                }
                for h in hits
            ]
        )
        if more:
            print(more_line, file=sys.stderr)
        return EXIT_OK
    if not hits:
        print(f"pplx: no chat matches {clean_line(query)!r}", file=sys.stderr)
    from pplx_tui.plain_text import plain_snippet

    width = terminal_width(sys.stdout)
    for hit in hits:
        # Text, as in the app (JSON: Markdown); a key in a file saved before it was known left out.
        snippet = clean_line(redact_known(plain_snippet(hit.snippet)))
        found = clean_line(plain_snippet(hit.snippet[slice(*hit.highlight)]))
        where = where_found(hit.field, hit.question_number)
        shown = HitLine(
            f"{hit.chat_id}  {_local(hit.updated_at)}",
            shown_title(hit.title),
            where,
            snippet,
            found,
        )
        for line in hit_lines(shown, width):
            print(line)
    if more:
        print(more_line, file=sys.stderr)
    return EXIT_OK


def shown_title(title: str, secrets: tuple[str, ...] | None = None) -> str:
    """A chat's title on one line, without a key in use (a chat file may hold one saved before
    it was known; ``secrets``: :func:`~pplx_tui.redact.known_secrets`, if looked up
    already), or "Untitled chat" as the app and the exports name a chat without one
    (``pplx_tui.export.UNTITLED``; not imported: it loads pydantic)."""
    title = redact_known(title) if secrets is None else redact_these(title, secrets)
    return clean_line(title) or "Untitled chat"


def _local(moment: datetime) -> str:
    """``moment.astimezone().strftime("%Y-%m-%d %H:%M")``, five times quicker (2,000 chats)."""
    try:
        local = datetime.fromtimestamp(moment.timestamp())
    except (OverflowError, OSError, ValueError):  # local time before year 1 or after 9999
        local = local_time(moment)
    return f"{local.year}-{local.month:02}-{local.day:02} {local.hour:02}:{local.minute:02}"
