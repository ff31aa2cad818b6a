"""Dialogs: the model picker, the API key dialog, confirm and rename prompts, the search
settings editor, the compare picker, the keys cheat sheet.

Each dialog is a :class:`~pplx_tui.ui.dialogs.frame.Dialog` (a ``ModalScreen``, centred and
framed) that dismisses with its result (see each class for the type);
push it with ``app.push_screen(screen, callback)`` or ``await app.push_screen_wait(screen)``.

Import a dialog from its module (``pplx_tui.ui.dialogs.confirm.ConfirmScreen``): the package
imports nothing, as no dialog is needed before the user opens one.
"""
