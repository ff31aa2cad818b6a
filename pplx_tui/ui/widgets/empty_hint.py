"""What an empty chat says: ask below, and where the answers' numbered sources go, or that the
model in use answers without any (Groq's Llama: a promise of sources there was not kept)."""

from __future__ import annotations

from textual.widgets import Static

from pplx_tui.ui.keys_in_force import NOT_FROM_BOX, key_named_from_box

__all__ = ["EmptyHint"]

_ASK = "Ask a question below. "
_SOURCES = "Answers stream in with numbered sources{where}"
_SOURCES_SHOWN = " on the right."
_SOURCES_HIDDEN = ".\n{key} shows the sources panel{where}."
_NO_SEARCH = "This model does not search the web: its answers come without sources."
_PICK = "\n{key} picks one that does{where}."
_NOT_FROM_BOX = f" ({NOT_FROM_BOX})"


class EmptyHint(Static):
    """The empty chat's line (styled by the conversation's ``.conversation--empty``)."""

    def __init__(self) -> None:
        super().__init__(
            _ASK + _SOURCES.format(where=_SOURCES_SHOWN), classes="conversation--empty"
        )
        self._sources_shown = True
        self._searches = True

    def show(self, *, sources_shown: bool | None = None, searches: bool | None = None) -> None:
        """Say where the sources are (the panel is hidden on a narrow terminal, QA-14), or that
        the model in use finds none."""
        before = (self._sources_shown, self._searches)
        if sources_shown is not None:
            self._sources_shown = sources_shown
        if searches is not None:
            self._searches = searches
        if (self._sources_shown, self._searches) == before:
            return  # (told on every resize)
        if not self._searches:
            pick, works = key_named_from_box(self.app, "app.pick_model")
            where = "" if works else _NOT_FROM_BOX
            self.update(_ASK + _NO_SEARCH + (_PICK.format(key=pick, where=where) if pick else ""))
        elif self._sources_shown:
            self.update(_ASK + _SOURCES.format(where=_SOURCES_SHOWN))
        else:
            key, works = key_named_from_box(self.app, "research.toggle_sources")
            hidden = _SOURCES_HIDDEN.format(key=key, where="" if works else _NOT_FROM_BOX)
            self.update(_ASK + _SOURCES.format(where=hidden))
