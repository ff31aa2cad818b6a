"""The keys each binding has once config.toml's ``[keymap]`` is applied, and how a line of
text names one. The key bar, the key sheet, the palette and every hint ("Retry (ctrl+r)",
"ctrl+s shows the sources panel") read them here, so none names a key that does nothing.

A ``[keymap]`` key is left out (a warning at start says which) when no terminal sends it
(``ctrl+nonsense``) or when another action of the same place has it (``"research.search_settings"
= "ctrl+n"``: ctrl+n starts a new chat): a remap never takes a key from another action. A
binding left with none of the keys listed for it keeps its default ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pplx_tui.ui.binding_defaults import (
    ANYWHERE,
    DEFAULT_KEYS,
    EVERYWHERE,
    RESERVED,
    SCREEN_KEYS,
    SHARED_KEYS,
    place_of,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding

__all__ = [
    "ALTERNATIVE_KEYS",
    "NOT_FROM_BOX",
    "VERSION_KEYS",
    "Refused",
    "add_key_named",
    "help_named",
    "kept_by_question_box",
    "key_named",
    "key_named_from_box",
    "key_shown",
    "keys_named",
    "keys_of",
    "question_box_keys",
    "resolve_keymap",
    "shown_key",
    "split_keys",
    "textual_keymap",
]

ALTERNATIVE_KEYS = ("conversation.next_alternative", "conversation.previous_alternative")
"""The bindings that show an answer's next / previous alternative (``a / A``)."""
VERSION_KEYS = ("conversation.next_version", "conversation.previous_version")
"""The bindings that show a question's next / previous version (``q / Q``)."""

NOT_FROM_BOX = "not from the question box"
"""What a line adds after a key the question box keeps for itself (``f7`` selects all there,
``ctrl+x`` cuts): the binding does not run from there."""

Refused = tuple[str, str, str]
"""A ``[keymap]`` key left out because another action has it: (key, id, what has it)."""


def split_keys(keys: str) -> list[str]:
    """The keys a ``[keymap]`` value lists (``"f6, ctrl+o"``), blanks left out."""
    return [key for key in (part.strip() for part in keys.split(",")) if key]


def _holder(final: Mapping[str, list[str]], binding_id: str, key: str) -> str | None:
    """What already has ``key`` where ``binding_id`` works (an id, or what a reserved key
    does), or ``None``."""
    if key in RESERVED:
        return RESERVED[key]
    place = place_of(binding_id)
    if place == ANYWHERE and key in SCREEN_KEYS:
        return SCREEN_KEYS[key]
    for other, keys in final.items():
        if other == binding_id or key not in keys:
            continue
        if binding_id in EVERYWHERE or other in EVERYWHERE or place_of(other) == place:
            return other
    return None


def resolve_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[Refused]]:
    """The keymap to apply for ``keymap`` (ids known, keys usable and normalised as Textual
    keeps them), without the keys another action of the same place has, and those left out.

    Two remaps onto one new key both lose it; a swap (``ctrl+b`` and ``ctrl+n`` exchanged)
    takes nothing from anyone and stands.
    """
    wanted = {name: split_keys(keys) for name, keys in keymap.items() if name in DEFAULT_KEYS}
    defaults = {name: split_keys(keys) for name, keys in DEFAULT_KEYS.items()}
    refused: dict[tuple[str, str], str] = {}
    while True:
        kept = {
            name: [key for key in keys if (name, key) not in refused]
            for name, keys in wanted.items()
        }
        final = {**defaults, **{name: keys for name, keys in kept.items() if keys}}
        more = {
            (name, key): holder
            for name, keys in kept.items()
            for key in keys
            if key not in defaults[name] and (holder := _holder(final, name, key))
        }
        if not more:
            break
        refused.update(more)  # the default keys of a refused remap may take another's
    in_force = {name: ",".join(keys) for name, keys in kept.items() if keys}
    return in_force, [(key, name, holder) for (name, key), holder in refused.items()]


def textual_keymap(in_force: Mapping[str, str]) -> dict[str, str]:
    """The keymap to hand Textual for the keys ``in_force``: with the default keys of each
    binding that shares a key with a remapped one (:data:`SHARED_KEYS`) restated.

    Textual (8.2) takes a remapped binding off its old key by dropping every binding on that
    key: ``"research.stop" = "f10"`` (even ``"escape"``, its default) left Escape no longer
    going back to the question box. A binding the keymap names is put back on its keys, so
    the others sharing one stay on it."""
    keymap = dict(in_force)
    while more := {
        name: DEFAULT_KEYS[name]
        for group in SHARED_KEYS
        if not group.isdisjoint(keymap)
        for name in group - keymap.keys()
    }:
        keymap.update(more)
    return keymap


def keys_of(app: App[object], binding_id: str | None, default: str = "") -> list[str]:
    """The keys ``binding_id`` has in ``app`` (its ``[keymap]`` ones in force, else
    ``default``, else its class's)."""
    keymap: Mapping[str, str] = getattr(app, "keymap", {})
    name = binding_id or ""
    return split_keys(keymap.get(name, "")) or split_keys(default or DEFAULT_KEYS.get(name, ""))


def shown_key(app: App[object], binding: Binding) -> str:
    """The key ``binding`` is bound to as the key bar shows it (``^r``, ``f8``)."""
    from textual.binding import Binding

    keys = keys_of(app, binding.id, binding.key)
    return app.get_key_display(Binding(keys[0], binding.action)) if keys else ""


def key_shown(app: App[object], binding_id: str) -> str:
    """The first key ``binding_id`` has in ``app`` as the key bar shows it (``^r``, ``esc``),
    for a dialog's line of keys."""
    from textual.binding import Binding

    keys = keys_of(app, binding_id)
    return app.get_key_display(Binding(keys[0], "")) if keys else ""


_SPOKEN = {"enter": "Enter", "escape": "Esc"}


def _spoken(key: str) -> str:
    """``key`` as a line of text names it: ``ctrl+r``, ``f8``, ``Esc``, ``?``."""
    from textual.keys import format_key

    *modifiers, name = key.split("+")
    return "+".join([*modifiers, _SPOKEN.get(name) or format_key(name)])


def key_named(app: App[object], binding_id: str) -> str:
    """The first key ``binding_id`` has in ``app``, as a line of text names it: ``ctrl+r``,
    ``f8``, ``Esc``, ``?``."""
    keys = keys_of(app, binding_id)
    return _spoken(keys[0]) if keys else ""


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


def kept_by_question_box(app: App[object], binding_id: str) -> list[str]:
    """The keys of ``binding_id`` in ``app`` that the question box keeps for itself (``f7``
    selects all there, ``?`` types a ?): an app or workspace binding does not run from there
    with them (``app.add_key``, a priority binding, always does)."""
    from textual.keys import key_to_character

    if binding_id == "app.add_key" or place_of(binding_id) != ANYWHERE:
        return []
    box = question_box_keys()
    return [key for key in keys_of(app, binding_id) if key in box or _typed(key_to_character(key))]


def _typed(character: str | None) -> bool:
    """Whether a key with ``character`` is typed as text in a text box."""
    return character is not None and character.isprintable()


def key_named_from_box(app: App[object], binding_id: str) -> tuple[str, bool]:
    """The first key of ``binding_id`` in ``app`` that runs from the question box too, named
    as :func:`key_named` does, and ``True``; without one, its first key and ``False`` (a hint
    then says where it does not run)."""
    kept = kept_by_question_box(app, binding_id)
    working = [key for key in keys_of(app, binding_id) if key not in kept]
    if working:
        return _spoken(working[0]), True
    return key_named(app, binding_id), not kept


def keys_named(app: App[object], *binding_ids: str) -> str:
    """The first key of each of ``binding_ids`` in ``app``, as text names them: ``a / A``."""
    return " / ".join(key_named(app, name) for name in binding_ids)


_ADD_KEY = re.compile(r"\b(with|Press) ctrl\+k\b")
"""How the core's texts name the API key dialog's key ("add it in the app with ctrl+k",
"Press ctrl+k to add a key"): they run without the app, which knows the key in force."""


def add_key_named(app: App[object], text: str) -> str:
    """``text`` (a provider's key help, a failure, a notice) naming the key that opens the
    API key dialog in ``app`` where it says ctrl+k."""
    key = key_named(app, "app.add_key")
    return text if key == "ctrl+k" else _ADD_KEY.sub(lambda found: f"{found[1]} {key}", text)


_KEY_OF = re.compile(r"\{([a-z_]+\.[a-z_0-9]+)\}")
"""How a binding's tooltip names another binding's key: its id in braces."""


def help_named(app: App[object], tooltip: str) -> str:
    """``tooltip`` (a binding's help) naming the keys in force in ``app`` where it names a
    binding's (``{research.search_chats}``: ``ctrl+f``, or the key a ``[keymap]`` gives)."""
    return _KEY_OF.sub(lambda found: key_named(app, found[1]), tooltip)
