"""Every binding id a ``[keymap]`` in config.toml may name, known without importing the
dialogs and the widgets loaded later (the app imports them when they are first needed).

An id nobody declares ("app.pick_modle") would remap nothing, silently (QA-23): the app warns
of it once at start. ``tests/test_keymap_ids.py`` keeps this list equal to the ids the
classes declare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["BINDING_IDS", "shadowed_keys_line", "unknown_ids_line", "unsent_keys_line"]

_BY_PLACE = {
    "api_key": "cancel save",
    "app": "add_key pick_model",
    "chat_list": "delete rename search",
    "compare_picker": "ask cancel twice",
    "confirm": "cancel no yes",
    "conversation": "compare copy_answer copy_code copy_url edit_question find images "
    "next_alternative next_answer next_marker next_version open other_model other_search "
    "previous_alternative previous_answer previous_found previous_marker previous_version "
    "related retry snippet " + " ".join(f"source_{n}" for n in range(10)),
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


def unknown_ids_line(ids: Iterable[str]) -> str | None:
    """One warning naming the ``[keymap]`` ids no binding has (with the likeliest meant id),
    or ``None`` when every id is known."""
    unknown = [name for name in ids if name not in BINDING_IDS]
    if not unknown:
        return None
    from difflib import get_close_matches  # only for a typo

    named = []
    for name in unknown:
        close = get_close_matches(name, BINDING_IDS, n=1)
        named.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
    which = "id" if len(unknown) == 1 else "ids"
    it = "it" if len(unknown) == 1 else "them"
    return (
        f"config.toml [keymap]: no key binding has the {which} {', '.join(named)}; "
        f"nothing is remapped for {it}."
    )


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _is_key(key: str) -> bool:
    """Whether ``key`` (``ctrl+o``, ``f5``, ``shift+up``, ``question_mark``, ``W``) names a key
    a terminal can send: modifiers, then one character or a key's name."""
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

    *modifiers, name = key.split("+")
    if not name or not set(modifiers) <= _MODIFIERS:
        return False
    names = {member.value.rpartition("+")[2] for member in Keys}
    names |= set(KEY_NAME_REPLACEMENTS.values())  # slash, plus, minus, at, …
    return len(name) == 1 or name in names or key_to_character(name) is not None


def unsent_keys_line(keymap: Mapping[str, str]) -> str | None:
    """One warning naming the ``[keymap]`` keys no terminal sends (``ctrl+shift+alt+zz``): the
    binding given only such keys has none that works. ``None`` when every key is one."""
    bad = [
        f"{key!r} for {name!r}"
        for name, keys in keymap.items()
        if name in BINDING_IDS
        for key in (part.strip() for part in keys.split(","))
        if key and not _is_key(key)
    ]
    if not bad:
        return None
    return (
        f"config.toml [keymap]: no key is named {', '.join(bad)}; keys are written like "
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
        for key in (part.strip() for part in keys.split(","))
        if key in box_keys
    ]
    if not taken:
        return None
    return (
        "config.toml [keymap]: in the question box these keys keep their own meaning, so "
        f"the binding does not run from there: {', '.join(taken)}. Choose another key."
    )
