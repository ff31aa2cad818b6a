"""Asking a question side by side through the compare picker (ctrl+t), as a user does."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import SelectionList

from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from tests.support.tui import until, workspace

__all__ = ["ask_beside"]


async def ask_beside(pilot: Pilot[Any], question: str, *models: str) -> None:
    """Type ``question``, ctrl+t, tick the Perplexity ``models`` beside the app's and ask
    (Enter twice: the picker, then the spend line); the answers are still to come."""
    app = pilot.app
    workspace(app).prompt.insert(question)  # type: ignore[arg-type]
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
    picker = app.screen
    assert isinstance(picker, ComparePickerScreen)
    for model in models:
        picker.query_one(SelectionList).select(picker.choices.index(("perplexity", model)))
    await pilot.press("enter", "enter")
