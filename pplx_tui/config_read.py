"""config.toml's settings the quick way: plain data when the file is plainly valid (or absent),
pydantic's :class:`~pplx_tui.config.Settings` only when it needs pydantic's checks.

Importing pydantic and building ``Settings`` cost ``pplx ask`` most of its start-up, and the
app its first frame; both read the settings here. Either kind has the same fields, defaults
and values (``tests/test_config_plain.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.config_plain import ConfigError, read_plain_settings

if TYPE_CHECKING:
    from pplx_tui.config import Settings
    from pplx_tui.config_plain import PlainSettings

    AnySettings = Settings | PlainSettings
    """config.toml's settings, validated by pydantic or plain."""

__all__ = ["read_settings", "remember_setting"]


def read_settings() -> AnySettings:
    """config.toml's settings (missing file = defaults). Raises
    :class:`~pplx_tui.config_plain.ConfigError` when the file is malformed, with the message
    ``pplx_tui.config.load_settings`` gives."""
    settings = read_plain_settings()
    if settings is None:
        from pplx_tui.config import load_settings

        return load_settings()
    return settings


def remember_setting(key: str, value: object, failed: str) -> str | None:
    """Set the top-level ``key`` to ``value`` (``None`` removes it) in config.toml, as the app
    keeps a choice for the next start; a one-line warning starting with ``failed`` if it could
    not. Writes nothing when the file already holds it (a hand-edited file is not rewritten
    just because the app started with what it names: read the quick way, no pydantic)."""
    from pplx_tui.config import update_config  # pydantic checks the file it writes

    try:
        if getattr(read_settings(), key) == value:
            return None
        update_config({key: value})
    except ConfigError as error:
        return f"{failed}: {error}"
    except OSError as error:
        return f"{failed}: {error.strerror or error}"
    return None
