"""The Textual front end: the app (``app``), how it is built (``factory``), its screens and
dialogs (``screens``), widgets (``widgets``), themes and the command palette. Nothing outside
this package imports Textual.

Import names from where they live: ``pplx_tui.ui.app.PplxApp``,
``pplx_tui.ui.factory.make_app``.
"""
