"""config.toml's settings the quick way: plain data when the file is plainly valid (or absent),
pydantic's :class:`~pplx_tui.config.Settings` only when it needs pydantic's checks.

Importing pydantic and building ``Settings`` cost ``pplx ask`` most of its start-up, and the
app its first frame; both read the settings here. Either kind has the same fields, defaults
and values (``tests/test_config_plain.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.config_plain import read_plain_settings

if TYPE_CHECKING:
    from pplx_tui.config import Settings
    from pplx_tui.config_plain import PlainSettings

    AnySettings = Settings | PlainSettings
    """config.toml's settings, validated by pydantic or plain."""

__all__ = ["read_settings"]


def read_settings() -> AnySettings:
    """config.toml's settings (missing file = defaults). Raises
    :class:`~pplx_tui.config_plain.ConfigError` when the file is malformed, with the message
    ``pplx_tui.config.load_settings`` gives."""
    settings = read_plain_settings()
    if settings is None:
        from pplx_tui.config import load_settings

        return load_settings()
    return settings
