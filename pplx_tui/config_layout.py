"""Where the app's own writes go in a hand-written config.toml (tomlkit documents).

A comment right above a table (with or without a blank line between) is taken to lead into
that table: a key the app adds goes after the keys of its table, above such a comment; a new
table goes above it too, a blank line on each side; a key the app removes takes the blank
line it brought, so adding and removing one leaves the file as it was; and a comment after a
value the app changes stays in its column.
"""

from __future__ import annotations

from typing import Any

from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Null, Table, Whitespace

__all__ = ["add_after_keys", "remove_key", "set_value", "under_new_table"]


def _container(table: Any) -> Container:
    return table if isinstance(table, Container) else table.value


def add_after_keys(table: Any, key: str, value: Any, newline: str = "\n") -> None:
    """Add ``key`` to a tomlkit document or table after its last key = value line: not at the
    end, under the comment that describes the next table (``# search defaults`` above
    ``[search]``). With no such line, above the comments right before the first table (in a
    table: above the comments at its end), a blank line between. ``newline``: the file's."""
    import tomlkit

    container = _container(table)
    body = container.body
    keys = [i for i, (k, item) in enumerate(body) if k and not isinstance(item, Table | AoT)]
    item = tomlkit.item(value)
    if keys:
        at = keys[-1] + 1
        last = body[keys[-1]][1].trivia
        # The new line takes over what followed the last one (a blank line the app put there).
        item.trivia.trail, last.trail = last.trail or newline, newline
    else:
        tables = [i for i, (k, _item) in enumerate(body) if k is not None]
        at = tables[0] if tables else len(body)
        # Comments at the end of a table, or right above the first table, describe what follows.
        while (tables or container is not table) and at and isinstance(body[at - 1][1], Comment):
            at -= 1
        # A blank line above the comment or table below it.
        item.trivia.trail = newline * 2 if at < len(body) else newline
    if at >= len(body):
        table.append(key, item)
    else:  # tomlkit offers no public insert; _insert_at is what its own insert-after uses.
        container._insert_at(at, key, item)


def set_value(table: Any, key: str, value: Any) -> None:
    """Set the existing ``key`` of a tomlkit document or table to ``value``, a comment after
    it kept in its column (QA: ``theme = "nord"    # I like nord`` became ``theme =
    "gruvbox"    # I like nord``, out of line with the comments under it), or a space after
    the value where it no longer fits."""
    if not isinstance(table, Container | Table):  # (a table written in parts)
        table[key] = value
        return
    before = len(table.item(key).as_string())
    table[key] = value
    trivia = table.item(key).trivia
    spaces = trivia.comment_ws
    if trivia.comment and spaces.strip(" ") == "":  # (spaces only: a tab's width is unknown)
        wider = len(table.item(key).as_string()) - before
        trivia.comment_ws = " " * max(len(spaces) - wider, 1)


def remove_key(table: Any, key: str) -> None:
    """Remove ``key`` from a tomlkit document or table, and the blank line below it when that
    would now open the file or table, or follow another one: the line
    :func:`add_after_keys` put there (config.toml grew a blank line each time the app set and
    removed ``last_model``)."""
    if not isinstance(table, Container | Table):  # (a table written in parts)
        table.pop(key, None)
        return
    body = _container(table).body
    at = next((i for i, (k, _) in enumerate(body) if k is not None and k.key == key), None)
    if at is None:
        return
    kept = isinstance(body[at][1], Table | AoT)
    table.pop(key)
    if kept or at + 2 >= len(body):
        return  # a table, or a blank line that ends its table or file: kept
    below = body[at + 1][1]
    above = [item for _, item in body[:at] if not isinstance(item, Null)]
    if isinstance(below, Whitespace) and (not above or isinstance(above[-1], Whitespace)):
        rest = below.s.removeprefix("\r\n") if below.s.startswith("\r\n") else below.s[1:]
        body[at + 1] = (None, Whitespace(rest) if rest else Null())


def under_new_table(document: Container, parent: Any, name: str, newline: str) -> None:
    """Move what ends the text above the table ``name`` just added to ``parent`` (comments and
    blank lines: they lead into the table after it) below the new table, with a blank line on
    each side of it. Nothing is moved when nothing follows the new table in the file."""
    if not _followed(document, parent):
        return
    body = _container(parent).body
    at = next(i for i, (k, _) in enumerate(body) if k is not None and k.key == name)
    new = body[at][1]
    holder, end = body, at
    while end and isinstance(holder[end - 1][1], Table):  # the table above's own end
        holder = holder[end - 1][1].value.body
        end = len(holder)
    start = end
    while start and isinstance(holder[start - 1][1], Comment | Whitespace):
        start -= 1
    lead_in = [item for _, item in holder[start:end]]
    for i in range(start, end):
        holder[i] = (None, Null())  # (no index of tomlkit's moves)
    if not new.trivia.indent:
        new.trivia.indent = newline
    if not lead_in or isinstance(lead_in[0], Comment):
        lead_in.insert(0, Whitespace(newline))
    for item in lead_in:
        new.append(None, item)


def _followed(document: Container, parent: Any) -> bool:
    """Whether another table comes after ``parent``'s top-level table in ``document``."""
    if parent is document:
        return False
    keyed = [item for key, item in document.body if key is not None]
    top = next((item for item in keyed if item is parent or _holds(item, parent)), None)
    return top is not None and top is not keyed[-1]


def _holds(table: Any, inner: Any) -> bool:
    if not isinstance(table, Table):
        return False
    return any(item is inner or _holds(item, inner) for _, item in table.value.body)
