"""The warnings a ``[keymap]`` in config.toml deserves at start, and the keymap that is
applied: only keys a terminal sends (what the binding keys are then:
:mod:`~pplx_tui.ui.keys_in_force`).

An id nobody declares ("app.pick_modle") would remap nothing, silently (QA-23): the app warns
of it once at start. The ids known are :data:`~pplx_tui.ui.binding_defaults.DEFAULT_KEYS`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from pplx_tui.config_errors import shown
from pplx_tui.ui.binding_defaults import DEFAULT_KEYS
from pplx_tui.ui.keys_in_force import Refused, question_box_keys, split_keys

__all__ = [
    "BINDING_IDS",
    "empty_keys_line",
    "keymap_warnings",
    "shadowed_keys_line",
    "taken_keys_line",
    "unknown_ids_line",
    "unsent_keys_line",
    "wrong_kind_line",
]

BINDING_IDS = frozenset(DEFAULT_KEYS)


_NAMED = 4
"""How many ids (or keys) one warning names; the rest are counted (5,000 made one huge toast)."""
_SUGGESTED = 32
"""How many unknown ids get a likeliest meant id (each costs ~1 ms: 5,000 took 4 s)."""
_LONGEST = 40
"""How many characters of an id (or a key) a warning shows."""


def _cut(text: str) -> str:
    """``text``'s repr, cut to :data:`_LONGEST` characters (an id of 100,000 fits a toast)."""
    return repr(text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…")


def _some(items: list[str], named: int | None) -> str:
    """The first ``named`` of ``items`` (``None``: all, as the log has them), then how many
    more."""
    shown = items[:named]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _meant(name: str) -> str:
    """The unknown id ``name``, cut, with the known id likeliest meant, if one is close."""
    from difflib import get_close_matches  # only for a typo

    close = get_close_matches(name[: _LONGEST * 2], BINDING_IDS, n=1)
    return f"{_cut(name)} (did you mean {close[0]!r}?)" if close else _cut(name)


def unknown_ids_line(ids: Iterable[str], named: int | None = _NAMED) -> str | None:
    """One warning naming the ``[keymap]`` ids no binding has (with the likeliest meant id),
    or ``None`` when every id is known. ``named``: how many it names (the rest counted)."""
    unknown = [name for name in ids if name not in BINDING_IDS]
    if not unknown:
        return None
    told = [_meant(name) if n < _SUGGESTED else _cut(name) for n, name in enumerate(unknown)]
    which = "id" if len(unknown) == 1 else "ids"
    it = "it" if len(unknown) == 1 else "them"
    return (
        f"config.toml [keymap]: no key binding has the {which} {_some(told, named)}; "
        f"nothing is remapped for {it}."
    )


def _texts(keymap: Mapping[str, object]) -> dict[str, str]:
    """``keymap``'s ids whose keys are text (config.toml takes any value: see
    :func:`wrong_kind_line`)."""
    return {name: keys for name, keys in keymap.items() if isinstance(keys, str)}


def wrong_kind_line(keymap: Mapping[str, object], named: int | None = _NAMED) -> str | None:
    """One warning naming the known ``[keymap]`` ids whose keys are not text (``5``,
    ``["f5"]``), which keep their default keys, or ``None``. Only the id is refused: the
    whole config.toml was, which started the app on the demo beside a key (QA)."""
    wrong = [
        f"{_cut(name)} (got {shown(keys)})"
        for name, keys in keymap.items()
        if name in BINDING_IDS and not isinstance(keys, str)
    ]
    if not wrong:
        return None
    which = "it keeps its default keys" if len(wrong) == 1 else "they keep their default keys"
    return (
        f"config.toml [keymap]: {_some(wrong, named)} must be text in quotes, such as "
        f'"f5" or "ctrl+o, f6"; {which}.'
    )


def usable_keymap(keymap: Mapping[str, object]) -> dict[str, str]:
    """``keymap`` with only the keys a terminal sends, and without the ids left with none
    (``""``, ``","``, ``"ctrl+nonsense"``, or not text): each of those keeps its default
    keys. (Textual keeps the default keys of ``""``, but bound ``","`` to no key at all and
    ``"ctrl+nonsense"`` to a key that never comes.)"""
    usable = {
        name: [key for key in split_keys(keys) if _is_key(key)]
        for name, keys in _texts(keymap).items()
    }
    return {name: ",".join(keys) for name, keys in usable.items() if keys}


def empty_keys_line(keymap: Mapping[str, str], named: int | None = _NAMED) -> str | None:
    """One warning naming the ``[keymap]`` ids given no key, which keep their default keys
    (Textual has no way to unbind one), or ``None``."""
    empty = [
        _cut(name) for name, keys in keymap.items() if name in BINDING_IDS and not split_keys(keys)
    ]
    if not empty:
        return None
    return (
        f"config.toml [keymap]: no key listed for {_some(empty, named)}; a "
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


def unsent_keys_line(keymap: Mapping[str, str], named: int | None = _NAMED) -> str | None:
    """One warning naming the ``[keymap]`` keys no terminal sends (``ctrl+shift+alt+zz``),
    which are left out (a binding given only such keys keeps its default ones). ``None``
    when every key is one."""
    bad = [
        (key, name)
        for name, keys in keymap.items()
        if name in BINDING_IDS
        for key in split_keys(keys)
        if not _is_key(key)
    ]
    if not bad:
        return None
    told = [f"{_cut(key)} for {name!r}" for key, name in bad]
    return (
        f"config.toml [keymap]: no key is named {_some(told, named)}; keys are written like "
        "ctrl+o, f5, shift+up or question_mark (one left with no such key keeps its default)."
    )


def shadowed_keys_line(keymap: Mapping[str, str], named: int | None = _NAMED) -> str | None:
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
        for key in split_keys(keys)
        if key in box_keys
    ]
    if not taken:
        return None
    return (
        "config.toml [keymap]: in the question box these keys keep their own meaning, so "
        f"the binding does not run from there: {_some(taken, named)}. "
        "Choose another key."
    )


def taken_keys_line(refused: Iterable[Refused], named: int | None = _NAMED) -> str | None:
    """One warning naming the ``[keymap]`` keys another action of the same place has (which
    keeps it), or ``None``."""
    taken = [f"{_cut(key)} for {name!r} ({holder!r} has it)" for key, name, holder in refused]
    if not taken:
        return None
    return (
        "config.toml [keymap]: a key is not taken from another action: "
        f"{_some(taken, named)}. To move it, give that action another key too."
    )


def keymap_warnings(
    keymap: Mapping[str, object],
    applied: Mapping[str, str],
    refused: Iterable[Refused],
    named: int | None = _NAMED,
) -> list[str]:
    """The warnings ``keymap`` (config.toml's ``[keymap]``; ``applied``: as Textual keeps
    it; ``refused``: its keys other actions have) deserves at start, each one short line
    naming a few ids or keys (``named``; ``None``: every one, for the log)."""
    texts = _texts(keymap)
    lines = (
        unknown_ids_line(keymap, named),
        wrong_kind_line(keymap, named),
        empty_keys_line(texts, named),
        unsent_keys_line(texts, named),
        taken_keys_line(refused, named),
        shadowed_keys_line(applied, named),
    )
    return [line for line in lines if line]
