"""The workspace screen (:mod:`.research`) and the helpers it streams, saves and acts with.

Dialogs live in :mod:`pplx_tui.ui.dialogs`. The app never imports this package: the factory
(:mod:`pplx_tui.ui.factory`) installs the workspace.
"""
