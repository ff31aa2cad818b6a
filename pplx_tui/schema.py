"""The chat file's format version (``schema_version``, :class:`pplx_tui.models.Chat`), alone in
a module so that the chat list can check its index without importing the models or their
values."""

SCHEMA_VERSION = 2
"""2: ``Message.parent_id`` and ``Chat.chosen`` (branches); a 1 file reads as one line."""
