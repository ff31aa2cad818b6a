"""The Textual front end: the app (``app``), its screens and dialogs (``screens``), widgets
(``widgets``), themes and the command palette. Nothing outside this package imports Textual.

``PplxApp`` and ``make_app`` are imported on first use, so ``pplx_tui.ui.themes`` and friends
can be imported without loading the whole app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pplx_tui.ui.app import PplxApp, make_app

__all__ = ["PplxApp", "make_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pplx_tui.ui import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
