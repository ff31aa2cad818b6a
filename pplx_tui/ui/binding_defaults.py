"""Every binding id a ``[keymap]`` in config.toml may name, with its default keys, known
without importing the dialogs and the widgets loaded later (the app imports them when they
are first needed).

``tests/test_keymap_ids.py`` keeps this table equal to the bindings the classes declare.
"""

from __future__ import annotations

__all__ = [
    "ANYWHERE",
    "DEFAULT_KEYS",
    "EVERYWHERE",
    "RESERVED",
    "SCREEN_KEYS",
    "SHARED_KEYS",
    "place_of",
]

DEFAULT_KEYS: dict[str, str] = {
    "api_key.cancel": "escape",
    "api_key.save": "ctrl+s",
    "app.add_key": "ctrl+k",
    "app.pick_model": "ctrl+o",
    "chat_list.delete": "delete,d",
    "chat_list.rename": "f2,e",
    "chat_list.search": "slash",
    "compare_picker.ask": "enter",
    "compare_picker.cancel": "escape",
    "compare_picker.twice": "2",
    "confirm.cancel": "escape",
    "confirm.no": "n",
    "confirm.switch": "tab,shift+tab",
    "confirm.yes": "y",
    "conversation.compare": "v",
    "conversation.copy_answer": "y",
    "conversation.copy_code": "Y",
    "conversation.copy_url": "c",
    "conversation.edit_question": "ctrl+e",
    "conversation.find": "ctrl+f",
    "conversation.images": "i",
    "conversation.next_alternative": "a",
    "conversation.next_answer": "shift+down",
    "conversation.next_marker": "n",
    "conversation.next_version": "q",
    "conversation.open": "enter,o",
    "conversation.other_model": "m",
    "conversation.other_search": "s",
    "conversation.previous_alternative": "A",
    "conversation.previous_answer": "shift+up",
    "conversation.previous_found": "N",
    "conversation.previous_marker": "p",
    "conversation.previous_version": "Q",
    "conversation.reasoning": "t",
    "conversation.related": "f",
    "conversation.retry": "r",
    "conversation.snippet": "space",
    "find.close": "escape",
    "images.copy_url": "c,y",
    "images.back": "escape",
    "images.open": "o",
    "images.select": "enter",
    "keys.close": "escape,q,question_mark,f1",
    "model_picker.cancel": "escape",
    "model_picker.next": "down",
    "model_picker.page_down": "pagedown",
    "model_picker.page_up": "pageup",
    "model_picker.previous": "up",
    "prompt.newline": "ctrl+j,shift+enter",
    "prompt.submit": "enter",
    "related.ask": "enter",
    "related.back": "escape",
    "rename.cancel": "escape",
    "research.compare": "ctrl+t",
    "research.focus_prompt": "escape",
    "research.keys": "question_mark,f1",
    "research.new_chat": "ctrl+n",
    "research.retry": "ctrl+r",
    "research.search_chats": "ctrl+f",
    "research.search_settings": "ctrl+g",
    "research.stop": "escape",
    "research.toggle_chats": "ctrl+b",
    "research.toggle_sources": "ctrl+s",
    "search_settings.cancel": "escape",
    "search_settings.defaults": "ctrl+r",
    "search_settings.save": "enter",
    "sources.copy_url": "c,y",
    "sources.open": "enter,o",
    **{f"conversation.source_{n}": str(n) for n in range(10)},
    **{f"sources.source_{n}": str(n) for n in range(1, 10)},
}
"""Binding id → the keys its class gives it (comma-separated, as Textual writes them)."""

SHARED_KEYS: tuple[frozenset[str], ...] = (frozenset({"research.stop", "research.focus_prompt"}),)
"""Ids one class binds to one key (Escape stops an answer, else goes back to the question
box): remapping one must leave the others on it (:func:`~.keys_in_force.textual_keymap`)."""

ANYWHERE = "anywhere"
"""The place of the app's and the workspace's bindings: both work from everywhere in the
workspace (the workspace's come first, the app's ctrl+k before both)."""

RESERVED: dict[str, str] = {"ctrl+q": "quit", "ctrl+p": "the command palette"}
"""Keys the app keeps everywhere (Textual's priority keys, no id to remap), with what they do."""

SCREEN_KEYS: dict[str, str] = {
    "tab": "moving the focus",
    "shift+tab": "moving the focus back",
    "ctrl+c": "copying the selection",
}
"""Keys the workspace binds without an id (Textual's screen's own), with what they do: an app
or workspace binding given one took it from them (``"research.compare" = "tab"``: Tab no
longer left the question box)."""

EVERYWHERE = frozenset({"app.add_key"})
"""Ids whose keys win in every place (priority bindings of the app)."""


def place_of(binding_id: str) -> str:
    """Where ``binding_id``'s keys work: ids of one place cannot share a key (``app.`` and
    ``research.`` are one place, :data:`ANYWHERE`)."""
    place = binding_id.partition(".")[0]
    return ANYWHERE if place in ("app", "research") else place
