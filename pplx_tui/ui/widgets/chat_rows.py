"""How the chat list draws a chat: its title, its date (or what its answer is doing) and, for
a search hit, the words found; the open chat marked ``▸`` in a gutter every row keeps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from textual.content import Content

from pplx_tui.plain_text import cut_at_word, plain_snippet
from pplx_tui.sanitize import clean_line
from pplx_tui.ui import answer_progress
from pplx_tui.ui.widgets.option_rows import HangingLines
from pplx_tui.values import local_time

__all__ = [
    "NEW_ANSWER",
    "SHOWN_TITLE",
    "ChatEntry",
    "chat_row",
    "empty_note",
    "format_date",
    "searching_note",
]

SHOWN_TITLE = 60
"""Characters of a title a row shows (as many as a title taken from a question holds): a
renamed one may hold 200, nine rows of a 24-column list (QA-51)."""
NEW_ANSWER = "new answer"
"""The mark of a chat whose answer ended well while another chat was open (any other mark, such
as "answer failed", is shown as a warning)."""


@dataclass(frozen=True, slots=True)
class ChatEntry:
    """What a row shows: a chat's id, title, last change and, for a search hit, a snippet."""

    id: str
    title: str
    updated_at: datetime
    detail: str = ""
    message_index: int | None = None
    """For a search hit: which message of the chat matched (opening it scrolls there)."""
    found: str = ""
    """For a search hit: the text matched in that message, as written."""


def format_date(moment: datetime) -> str:
    """A stable, local, absolute date such as ``2026-11-23 14:05``."""
    return local_time(moment).strftime("%Y-%m-%d %H:%M")


def chat_row(
    entry: ChatEntry,
    *,
    is_open: bool,
    started: float | None = None,
    mark: str | None = None,
    words: Sequence[str] = (),
    now: float | None = None,
) -> Content | HangingLines:
    """``entry``'s row: its title; when its answer ``started`` (``time.monotonic``) if it is
    answering (the time counted to ``now``, the last tick: the answer's own time counts to it
    too), else its ``mark`` (:data:`NEW_ANSWER`, "answer failed", …) if any, else its date;
    a search hit's snippet with the ``words`` searched for in bold. The open chat's row is
    marked ``▸`` in a gutter every row keeps, so all rows start at one column (only the open
    one was indented) and a wrapped title goes on under itself, not under the mark."""
    margin = "▸ " if is_open else "  "
    title = cut_at_word(clean_line(entry.title), SHOWN_TITLE) or "Untitled chat"
    snippet = clean_line(plain_snippet(entry.detail)) if entry.detail else ""
    if snippet.rstrip("…").strip() == title.rstrip("…").strip():
        snippet = ""  # the words were found in the question that titles the chat: said once
        title_words = words
    else:
        title_words = ()
    first = Content.assemble(
        (margin, "$primary"), _found(Content.styled(title, "bold"), title_words)
    )
    under = [_activity(entry, started, mark, now)]
    if snippet:
        under.append([_found(Content.styled(snippet, "italic $text-muted"), words)])
    indent = len(margin)
    return HangingLines(
        [(indent, first), *((indent, [" " * indent + form for form in forms]) for forms in under)],
        right=1,  # (wrapped titles and snippets touched the divider: QA)
    )


def _found(text: Content, words: Sequence[str]) -> Content:
    """``text`` with the ``words`` searched for in bold."""
    if not words:
        return text
    pattern = "|".join(re.escape(word) for word in words)
    return text.highlight_regex(f"(?i){pattern}", style="bold $accent")


def empty_note(query: str) -> HangingLines:
    """What the list says with no row: why (nothing saved yet, or nothing found for ``query``)."""
    if query:
        text = f"No chat holds “{clean_line(query)}” (Esc clears the search)."
    else:
        text = "No chats yet: each question starts one, kept here."
    return _note(text)


def searching_note(query: str) -> HangingLines:
    """What the list says while it looks for ``query`` and has no row of its own yet (not the
    "no chat holds" of the words before)."""
    return _note(f"Searching for “{clean_line(query)}”…")


def _note(text: str) -> HangingLines:
    """A note in the list's place, in the rows' gutter (QA: it stood at the panel's edge, the
    rows' titles two cells in) and wrapped under itself."""
    return HangingLines([(2, Content.styled(f"  {text}", "italic $text-muted"))], right=1)


def _activity(
    entry: ChatEntry, started: float | None, mark: str | None, now: float | None
) -> list[Content]:
    """The row's second line, in forms for a narrower list (widest first): an answer's time
    is never wrapped (``⟳ answering · 6m`` over ``58s`` beside the open chat's ``▸``)."""
    if started is not None:
        now = answer_progress.clock() if now is None else now
        elapsed = answer_progress.format_elapsed(now - started)
        forms = (f"⟳ answering · {elapsed}", f"⟳ answering {elapsed}", f"⟳ {elapsed}")
        return [Content.styled(form, "$text-accent") for form in forms]
    if mark is not None:
        colour = "$text-success" if mark == NEW_ANSWER else "$text-warning"
        return [Content.styled(f"● {mark}", f"bold {colour}")]
    return [Content.styled(format_date(entry.updated_at), "$text-muted")]
