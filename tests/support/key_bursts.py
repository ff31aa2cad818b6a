"""Keys read together: a terminal hands the app every key of a burst (a fast typist, tmux's
``send-keys``, a text expander) before the first is handled. Tests post them all at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key

__all__ = ["post_at_once"]

_CHARACTERS = {"enter": "\r", "ctrl+j": "\n", "space": " ", "question_mark": "?"}
"""The character a terminal sends for a key named by a word."""


def post_at_once(app: App[Any], keys: Iterable[str]) -> None:
    """Post ``keys`` to ``app`` without a pause between them. A key is named as
    ``pilot.press`` names it; a one-character key is typed text (``-`` is posted as the key
    ``minus`` with its character, as a terminal's is)."""
    for key in keys:
        name = key if len(key) > 1 or key.isalnum() else _character_to_key(key)
        character = _CHARACTERS.get(key, key)
        event = events.Key(name, character if len(character) == 1 else None)
        event.set_sender(app)
        app.post_message(event)
