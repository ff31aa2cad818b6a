"""Dialogs: the model picker, the API key dialog, confirm and rename prompts, the search
settings editor, the compare picker.

Each dialog is a ``ModalScreen`` that dismisses with its result (see each class for the type);
push it with ``app.push_screen(screen, callback)`` or ``await app.push_screen_wait(screen)``.

Names are imported on first use: no dialog is needed before the user opens one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
    from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
    from pplx_tui.ui.dialogs.confirm import ConfirmScreen
    from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
    from pplx_tui.ui.dialogs.rename import RenameScreen
    from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen

_MODULES = {
    "ApiKeyScreen": "api_key",
    "ComparePickerScreen": "compare_picker",
    "ConfirmScreen": "confirm",
    "ModelPickerScreen": "model_picker",
    "RenameScreen": "rename",
    "SearchSettingsScreen": "search_settings",
}
__all__ = [
    "ApiKeyScreen",
    "ComparePickerScreen",
    "ConfirmScreen",
    "ModelPickerScreen",
    "RenameScreen",
    "SearchSettingsScreen",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
