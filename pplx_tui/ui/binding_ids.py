"""Every binding id a ``[keymap]`` in config.toml may name, known without importing the
dialogs and the widgets loaded later (the app imports them when they are first needed).

An id nobody declares ("app.pick_modle") would remap nothing, silently (QA-23): the app warns
of it once at start. ``tests/test_keymap_ids.py`` keeps this list equal to the ids the
classes declare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding

__all__ = [
    "BINDING_IDS",
    "bound_keymap",
    "empty_keys_line",
    "keymap_warnings",
    "shadowed_keys_line",
    "shown_key",
    "unknown_ids_line",
    "unsent_keys_line",
]

_BY_PLACE = {
    "api_key": "cancel save",
    "app": "add_key pick_model",
    "chat_list": "delete rename search",
    "compare_picker": "ask cancel twice",
    "confirm": "cancel no switch yes",
    "conversation": "compare copy_answer copy_code copy_url edit_question find images "
    "next_alternative next_answer next_marker next_version open other_model other_search "
    "previous_alternative previous_answer previous_found previous_marker previous_version "
    "reasoning related retry snippet " + " ".join(f"source_{n}" for n in range(10)),
    "find": "close",
    "images": "copy_url open select",
    "keys": "close",
    "model_picker": "cancel next page_down page_up previous",
    "prompt": "newline submit",
    "related": "ask",
    "rename": "cancel",
    "research": "compare focus_prompt keys new_chat retry search_chats search_settings stop "
    "toggle_chats toggle_sources",
    "search_settings": "cancel defaults",
    "sources": "copy_url open " + " ".join(f"source_{n}" for n in range(1, 10)),
}

BINDING_IDS = frozenset(
    f"{place}.{name}" for place, names in _BY_PLACE.items() for name in names.split()
)


_NAMED = 4
"""How many ids (or keys) one warning names; the rest are counted (5,000 made one huge toast)."""
_LONGEST = 40
"""How many characters of an id (or a key) a warning shows."""


def _cut(text: str) -> str:
    """``text``'s repr, cut to :data:`_LONGEST` characters (an id of 100,000 fits a toast)."""
    return repr(text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…")


def _some(named: list[str], count: int) -> str:
    """The first few of ``count`` things (``named``: those, already written), then how many
    more."""
    more = count - len(named)
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def unknown_ids_line(ids: Iterable[str]) -> str | None:
    """One warning naming the ``[keymap]`` ids no binding has (with the likeliest meant id),
    or ``None`` when every id is known."""
    unknown = [name for name in ids if name not in BINDING_IDS]
    if not unknown:
        return None
    from difflib import get_close_matches  # only for a typo

    named = []
    for name in unknown[:_NAMED]:
        close = get_close_matches(name[: _LONGEST * 2], BINDING_IDS, n=1)
        named.append(f"{_cut(name)} (did you mean {close[0]!r}?)" if close else _cut(name))
    which = "id" if len(unknown) == 1 else "ids"
    it = "it" if len(unknown) == 1 else "them"
    return (
        f"config.toml [keymap]: no key binding has the {which} {_some(named, len(unknown))}; "
        f"nothing is remapped for {it}."
    )


def bound_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """``keymap`` without the ids given no key (``""``, ``","``): Textual keeps the default
    keys of ``""`` but bound ``","`` to no key at all; each keeps its default keys."""
    return {name: keys for name, keys in keymap.items() if _keys(keys)}


def _keys(keys: str) -> list[str]:
    """The keys a ``[keymap]`` value lists (``"f6, ctrl+o"``), blanks left out."""
    return [key for key in (part.strip() for part in keys.split(",")) if key]


def shown_key(app: App[object], binding: Binding) -> str:
    """The key ``binding`` is bound to as the key bar shows it: the first one the user's
    ``[keymap]`` gives its id, else its own first key (for a line that names the key)."""
    from textual.binding import Binding

    keymap: Mapping[str, str] = getattr(app, "keymap", {})
    keys = _keys(keymap.get(binding.id or "", "")) or _keys(binding.key)
    return app.get_key_display(Binding(keys[0], binding.action)) if keys else ""


def empty_keys_line(keymap: Mapping[str, str]) -> str | None:
    """One warning naming the ``[keymap]`` ids given no key, which keep their default keys
    (Textual has no way to unbind one), or ``None``."""
    empty = [_cut(name) for name, keys in keymap.items() if name in BINDING_IDS and not _keys(keys)]
    if not empty:
        return None
    return (
        f"config.toml [keymap]: no key listed for {_some(empty[:_NAMED], len(empty))}; a "
        "binding cannot be left without a key, so it keeps its default one."
    )


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _is_key(key: str) -> bool:
    """Whether ``key`` (``ctrl+o``, ``f5``, ``shift+up``, ``question_mark``, ``W``) names a key
    a terminal can send: modifiers, then one character or a key's name."""
    from textual.keys import key_to_character

    *modifiers, name = key.split("+")
    if not name or not set(modifiers) <= _MODIFIERS:
        return False
    return len(name) == 1 or name in _key_names() or key_to_character(name) is not None


@cache
def _key_names() -> frozenset[str]:
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    names = {member.value.rpartition("+")[2] for member in Keys}
    return frozenset(names | set(KEY_NAME_REPLACEMENTS.values()))  # slash, plus, minus, at, …


def unsent_keys_line(keymap: Mapping[str, str]) -> str | None:
    """One warning naming the ``[keymap]`` keys no terminal sends (``ctrl+shift+alt+zz``): the
    binding given only such keys has none that works. ``None`` when every key is one."""
    bad = [
        (key, name)
        for name, keys in keymap.items()
        if name in BINDING_IDS
        for key in _keys(keys)
        if not _is_key(key)
    ]
    if not bad:
        return None
    named = [f"{_cut(key)} for {name!r}" for key, name in bad[:_NAMED]]
    return (
        f"config.toml [keymap]: no key is named {_some(named, len(bad))}; keys are written like "
        "ctrl+o, f5, shift+up or question_mark."
    )


def question_box_keys() -> dict[str, str]:
    """The keys the question box (a Textual TextArea) binds itself, with what each does."""
    from textual.binding import Binding
    from textual.widgets import TextArea  # loaded with the question box anyway

    return {
        key.strip(): binding.description or binding.action.replace("_", " ")
        for binding in TextArea.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }


def shadowed_keys_line(keymap: Mapping[str, str]) -> str | None:
    """One warning naming the app's and the workspace's ``[keymap]`` keys that the question
    box keeps for itself, or ``None``.

    The focused question box's own bindings come first: ``"app.pick_model" = "f6"`` showed
    f6 in the palette and the cheat sheet while f6 selected the line there and the key bar
    dropped "Model" (QA-41). ctrl+k (``app.add_key``) is a priority binding and always wins.
    """
    box_keys = question_box_keys()
    taken = [
        f"{key} ({box_keys[key]}) for {name!r}"
        for name, keys in keymap.items()
        if name in BINDING_IDS
        and name.split(".")[0] in ("app", "research")
        and name != "app.add_key"
        for key in _keys(keys)
        if key in box_keys
    ]
    if not taken:
        return None
    return (
        "config.toml [keymap]: in the question box these keys keep their own meaning, so "
        f"the binding does not run from there: {_some(taken[:_NAMED], len(taken))}. "
        "Choose another key."
    )


def keymap_warnings(keymap: Mapping[str, str], normalized: Mapping[str, str]) -> list[str]:
    """The warnings ``keymap`` (config.toml's ``[keymap]``; ``normalized``: as Textual keeps
    it) deserves at start, each one short line."""
    lines = (
        unknown_ids_line(keymap),
        empty_keys_line(keymap),
        unsent_keys_line(keymap),
        shadowed_keys_line(normalized),
    )
    return [line for line in lines if line]
