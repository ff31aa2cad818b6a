"""What ``?`` shows: the app's own keys where the user is, gathered from its bindings.

Only bindings pplx_tui declares are listed (with the keys the user's ``[keymap]`` gives them),
grouped by where they work; the text editor's and the scrolling widgets' keys are Textual's,
not listed, but for those pplx_tui gives a meaning of its own (the conversation's Home / End,
the chat list's moves), named by hand, as are the palette and quit keys (the App's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.dom import DOMNode
from textual.widgets import OptionList

from pplx_tui.ui.keys_in_force import NOT_FROM_BOX, help_named, kept_by_question_box, keys_of

__all__ = ["KeySection", "key_sections"]

KeySection = tuple[str, list[tuple[str, str]]]
"""A place ("Conversation") and its (keys, what they do) rows."""

PLACES: tuple[tuple[str, str], ...] = (
    ("Question box", "#prompt"),
    ("Conversation (Tab or click to get there)", "#conversation"),
    ("Sources panel", "#sources, #sources SourceList"),
    ("Chat list", "#chats, #chats OptionList"),
)
"""Where widget keys work, and the widgets that own them (the focus must be inside)."""


def _chat_list_moves(app: Any) -> list[tuple[str, str]]:
    """The chat list's keys that are Textual's (its list's bindings) or its own ``on_key``'s
    (Escape), named by hand."""
    keys = {b.action: app.get_key_display(b) for b in OptionList.BINDINGS if isinstance(b, Binding)}
    return [
        (keys["select"], "Open the highlighted chat (a search hit: at its message)"),
        (f"{keys['cursor_up']} / {keys['cursor_down']}", "Highlight the chat above / below"),
        (f"{keys['first']} / {keys['last']}", "Highlight the first / last chat"),
        (f"{keys['page_up']} / {keys['page_down']}", "Highlight a page up / down"),
        (
            app.get_key_display(Binding("escape", "")),
            "Clear the search: every chat is listed again (only here, in the search box or "
            "the list; not in the question box)",
        ),
    ]


def _conversation_moves(app: Any) -> list[tuple[str, str]]:
    """The conversation's paging keys: Textual's scrolling bindings, whose actions pplx_tui
    makes its own (:mod:`~pplx_tui.ui.widgets.conversation_scroll`), named by hand."""
    keys = {
        b.action: app.get_key_display(b)
        for b in ScrollableContainer.BINDINGS
        if isinstance(b, Binding)
    }
    return [
        (
            f"{keys['scroll_home']} / {keys['scroll_end']}",
            "Go to the chat's first / last answer and select it",
        ),
        (f"{keys['page_up']} / {keys['page_down']}", "Scroll a page up / down"),
    ]


BY_HAND = {
    "Conversation (Tab or click to get there)": _conversation_moves,
    "Chat list": _chat_list_moves,
}
"""Rows named by hand after a place's own (keys that are not pplx_tui's bindings)."""


def own_bindings(node: DOMNode) -> Iterator[Binding]:
    """The bindings pplx_tui's classes give ``node`` (not Textual's own widgets')."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("pplx_tui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                yield binding


def _keys(binding: Binding, app: Any) -> str:
    keys = keys_of(app, binding.id, binding.key)
    shown = [app.get_key_display(Binding(key, binding.action)) for key in keys]
    return " / ".join(dict.fromkeys(k for k in shown if k))


def _not_from_box(binding: Binding, app: Any) -> str:
    """What a row adds when the question box keeps some of its keys for itself (a
    ``[keymap]`` of ``f7``, the box's "select all"): the binding does not run from there."""
    kept = kept_by_question_box(app, binding.id or "")
    if not kept:
        return ""
    if len(kept) == len(keys_of(app, binding.id, binding.key)):
        return f" ({NOT_FROM_BOX})"
    shown = ", ".join(app.get_key_display(Binding(key, binding.action)) for key in kept)
    return f" ({shown}: {NOT_FROM_BOX})"


def _rows(nodes: Iterable[DOMNode], seen: set[str]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    digits: dict[str, list[str]] = {}
    """What a digit key does, with the digit as ``n`` → the digits (one row for 1-9)."""
    for node in nodes:
        for binding in own_bindings(node):
            name = binding.id or f"{type(node).__name__}.{binding.action}"
            if name in seen or binding.action == "command_palette":  # (named by hand, first)
                continue
            seen.add(name)
            keys = _keys(binding, node.app)
            what = help_named(node.app, binding.tooltip or binding.description)
            what += _not_from_box(binding, node.app)
            if len(keys) == 1 and keys.isdigit():
                general = re.sub(rf"\b{keys}\b", "n", what, count=1)
                if general not in digits:
                    rows.append(("", general))
                digits.setdefault(general, []).append(keys)
            else:
                rows.append((keys, what))
    return [(keys or _span(digits[what]), what) for keys, what in rows]


def _span(digits: list[str]) -> str:
    return f"{min(digits)}-{max(digits)}" if len(digits) > 1 else digits[0]


def key_sections(screen: DOMNode) -> list[KeySection]:
    """The app's keys, by where they work: anywhere first, then each part of ``screen``."""
    app = screen.app
    seen: set[str] = set()
    anywhere = [
        (app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")), "Every action, by name"),
        ("^q", "Quit (an answer being written is kept)"),
        *_rows((app, screen), seen),
    ]
    sections: list[KeySection] = [("Anywhere", anywhere)]
    for title, selector in PLACES:
        rows = _rows(screen.query(selector), seen)
        if rows := [*rows, *(BY_HAND[title](app) if title in BY_HAND else [])]:
            sections.append((title, rows))
    return sections
