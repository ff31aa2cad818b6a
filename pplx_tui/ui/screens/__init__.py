"""Screens and dialogs: the model picker, the API key dialog, confirm and rename prompts.

Each dialog is a ``ModalScreen`` that dismisses with its result (see each class for the type);
push it with ``app.push_screen(screen, callback)`` or ``await app.push_screen_wait(screen)``.
"""

from pplx_tui.ui.screens.api_key import ApiKeyScreen
from pplx_tui.ui.screens.confirm import ConfirmScreen
from pplx_tui.ui.screens.model_picker import ModelPickerScreen
from pplx_tui.ui.screens.rename import RenameScreen

__all__ = [
    "ApiKeyScreen",
    "ConfirmScreen",
    "ModelPickerScreen",
    "RenameScreen",
]
