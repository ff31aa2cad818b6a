"""config.toml's mistakes said in the user's terms: which key of which table, what is wrong,
what is allowed (``unknown key 'foo' in [search] (known: recency, domains, …)``).

pydantic's own words ("Extra inputs are not permitted", "Input should be a valid dictionary")
name neither the table nor what would do. Plain functions over pydantic's error dicts and the
file's data: this module imports no pydantic.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["Place", "explain", "line_of", "named", "shown", "unknown_keys"]

Place = tuple[tuple[str, ...], str]
"""Where a value is: the table's path (``("providers", "gw")``; ``()`` at the top) and its key."""

KnownKeys = Mapping[tuple[str, ...], Collection[str]]
"""The keys each table takes; ``"*"`` in a path stands for any name (``("providers", "*")``)."""

_KINDS = {
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a number",
    "list_type": 'a list such as ["a", "b"]',
}
_TABLES = ("dict_type", "model_type", "dataclass_type", "model_attributes_type")
_BOUNDS = {
    "greater_than": ("gt", "greater than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def named(place: Place) -> str:
    """``'recency' in [search]``, or ``'theme'`` at the top level."""
    table, key = place
    return f"'{key}' in [{'.'.join(table)}]" if table else f"'{key}'"


def said_at(place: Place, message: str) -> str:
    """A check's ``message`` about the value at ``place``, the key named once: "top_p must be
    …" is "'top_p' in [sampling] must be …" (not "'top_p' in [sampling]: top_p must be …")."""
    key = place[1]
    if key and message.startswith(f"{key} "):
        return f"{named(place)}{message.removeprefix(key)}"
    return f"{named(place)}: {message}"


def unknown_keys(data: Mapping[str, Any], known: KnownKeys) -> list[tuple[Place, str]]:
    """Every key of ``data`` no table takes, each with the message saying so."""
    found: list[tuple[Place, str]] = []
    for path, keys in known.items():
        for table_path, table in _tables(data, path):
            for key in table:
                if key not in keys:
                    where = f"in [{'.'.join(table_path)}]" if table_path else "at the top level"
                    instead = _instead(key, keys, table_path, known)
                    message = f"unknown key '{key}' {where} ({instead})"
                    found.append(((table_path, key), message))
    return found


def _instead(key: str, keys: Collection[str], table: tuple[str, ...], known: KnownKeys) -> str:
    """``did you mean 'temperature'?`` for a key one typo away from a known one (``did you
    mean the table [search]?`` for a table's name), else every known key (a notice of five
    mistakes, each listing them all, filled a 40-row screen)."""
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.75)
    if not close:
        return f"known: {', '.join(keys)}"
    if (*table, close[0]) in known:
        return f"did you mean the table [{'.'.join((*table, close[0]))}]?"
    return f"did you mean '{close[0]}'?"


def _tables(data: Mapping[str, Any], path: tuple[str, ...]) -> list[tuple[tuple[str, ...], dict]]:
    """The tables of ``data`` at ``path`` (``"*"``: each name there), with their real paths."""
    found: list[tuple[tuple[str, ...], Any]] = [((), data)]
    for part in path:
        found = [
            ((*at, name), value[name])
            for at, value in found
            if isinstance(value, dict)
            for name in (value if part == "*" else [part])
            if name in value
        ]
    return [(at, value) for at, value in found if isinstance(value, dict)]


def explain(error: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[Place, str]:
    """Where pydantic's ``error`` (one of ``ValidationError.errors()``) is, and one line saying
    what is wrong there and what would do."""
    loc = [part for part in error["loc"] if isinstance(part, str)]
    table: tuple[str, ...] = ()
    node: Any = data
    while len(loc) > 1 and isinstance(node, dict) and isinstance(node.get(loc[0]), dict):
        node = node[loc[0]]
        table = (*table, loc.pop(0))
    place = (table, loc[0] if loc else "")
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return place, f"{named(place)} is missing"
    if kind == "value_error":  # a validator's own words
        return place, said_at(place, str(error.get("msg")).removeprefix("Value error, "))
    got = f" (got {shown(error.get('input'))})"
    if kind in _TABLES:
        dotted = ".".join((*table, place[1]))
        wanted = f"a table: [{dotted}] on a line of its own, its keys below it"
    elif kind == "literal_error":
        wanted = str(ctx.get("expected", "one of the values the README lists"))
    elif kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        wanted = f"{words} {ctx.get(bound, '?'):g}" if bound in ctx else words
    elif kind in _KINDS:
        wanted = _KINDS[kind]
    else:
        message = str(error.get("msg", "not a value it takes"))
        wanted = re.sub(r"^Input should be ", "", message)
    return place, f"{named(place)} must be {wanted}{got}"


def shown(value: Any) -> str:
    """A value as the file writes it, cut short."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str | list) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def line_of(text: str, place: Place) -> int | None:
    """The line of ``text`` (config.toml's) where ``place``'s key is set: in its table (after
    the table's header, before the next one), as ``key = …``, a dotted ``key.name = …`` or a
    table of its own (``[key]``, ``[table.key]``); ``None`` when it cannot be told."""
    table, key = place
    start = 0
    if table:
        header = re.search(rf"^[ \t]*\[\s*{_dotted(table)}\s*\]", text, re.MULTILINE)
        if header is None:
            return None
        start = header.end()
    following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
    end = following.start() if following else len(text)
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?\s*[=.]", re.MULTILINE)
    match = pattern.search(text, start, end) or re.search(
        rf"^[ \t]*\[\s*{_dotted((*table, key))}\s*[\].]", text, re.MULTILINE
    )
    return text.count("\n", 0, match.start()) + 1 if match else None


def _dotted(parts: tuple[str, ...]) -> str:
    """A pattern for a dotted TOML name (``providers."gw"``), spaces allowed around dots."""
    return r"\s*\.\s*".join(rf"[\"']?{re.escape(part)}[\"']?" for part in parts)
