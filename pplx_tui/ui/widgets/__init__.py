"""The workspace's widgets, one family per module, each with its own ``DEFAULT_CSS``.

Import a widget from its module (``pplx_tui.ui.widgets.chat_list.ChatList``): the package
imports nothing, so the Markdown machinery behind the message views is not loaded for the
first frame of an empty chat.
"""
