"""The search settings editor alone over an empty screen, for its snapshot and key tests."""

from __future__ import annotations

from textual.app import App

from pplx_tui.models import SearchSettings
from pplx_tui.providers import build_catalog
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen


class EditorApp(App[None]):
    """Just the editor over an empty screen, as the research screen opens it."""

    def __init__(self, settings: SearchSettings, provider: str, model_id: str) -> None:
        super().__init__()
        self.settings = settings
        self.target = (build_catalog().provider(provider), model_id)
        self.result: SearchSettings | str | None = "open"

    def on_mount(self) -> None:
        provider, model_id = self.target
        screen = SearchSettingsScreen(self.settings, provider=provider, model_id=model_id)
        self.push_screen(screen, self._editor_closed)

    def _editor_closed(self, result: SearchSettings | None) -> None:
        self.result = result


EDITED = SearchSettings(
    recency="month", domains=["nature.com", "arxiv.org", "science.org"], mode="academic"
)
