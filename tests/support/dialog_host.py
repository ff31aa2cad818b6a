"""A tiny app a dialog is pushed on, recording what it was dismissed with."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from pplx_tui.providers import Catalog, build_catalog
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen

SECRET = "sk-or-v1-0123456789abcdefSECRET"
GROQ_SECRET = "gsk_0123456789abcdefSECRET"


class Host(App[None]):
    """Pushes one screen on mount and records what it dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.dialog = screen
        self.results: list[Any] = []
        self.saved_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)

    def on_api_key_screen_key_saved(self, message: ApiKeyScreen.KeySaved) -> None:
        self.saved_keys.append(message.provider)


def catalog() -> Catalog:
    return build_catalog()
