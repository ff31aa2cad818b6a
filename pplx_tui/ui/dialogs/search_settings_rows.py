"""The rows of the search settings dialog (:mod:`.search_settings`): each one's label, the
choices of those picked with ←/→, and how those typed as text are read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["ASK", "CONTEXT", "MODE", "RECENCY", "ROWS", "SEARCH", "TEXT_ROWS", "parsed"]

_T = TypeVar("_T")

RECENCY = [(None, "any"), ("hour", "hour"), ("day", "day"), ("week", "week")]
RECENCY += [("month", "month"), ("year", "year")]
MODE = [(None, "web"), ("academic", "academic"), ("sec", "sec")]
CONTEXT = [(None, "default"), ("low", "low"), ("medium", "medium"), ("high", "high")]
SEARCH = [(False, "search the web"), (True, "no web search")]
ASK = [(False, "no"), (True, "ask for them")]
ROWS = (
    ("recency", "Recency"),
    ("after_date", "After"),
    ("before_date", "Before"),
    ("domains", "Domains"),
    ("mode", "Mode"),
    ("context_size", "Context"),
    ("disable_search", "Web search"),
    ("return_related_questions", "Related"),
    ("return_images", "Images"),
)
TEXT_ROWS = {
    "after_date": "search-after",
    "before_date": "search-before",
    "domains": "search-domains",
}
"""The rows typed as text (read once whole), with their boxes."""


def parsed(parse: Callable[[str], _T], text: str, lenient: bool) -> _T | None:
    """``parse(text)``, ``None`` for no text, and (``lenient``) for text it refuses."""
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        if lenient:
            return None
        raise
