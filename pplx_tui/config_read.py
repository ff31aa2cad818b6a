"""config.toml's settings the quick way: plain data when the file is plainly valid (or absent),
pydantic's :class:`~pplx_tui.config.Settings` only when it needs pydantic's checks.

Importing pydantic and building ``Settings`` cost ``pplx ask`` most of its start-up, and the
app its first frame; both read the settings here. Either kind has the same fields, defaults
and values (``tests/test_config_plain.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pplx_tui import paths
from pplx_tui.config_plain import (
    SHOWN_MISTAKES,
    ConfigError,
    PlainSettings,
    read_config,
    read_plain_settings,
)

if TYPE_CHECKING:
    from pplx_tui.config import Settings
    from pplx_tui.config_plain import PlainSettings

    AnySettings = Settings | PlainSettings
    """config.toml's settings, validated by pydantic or plain."""

__all__ = ["config_notice", "read_settings", "remember_setting", "start_settings"]

logger = logging.getLogger("pplx_tui.config")


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
        return f"{failed}: {error.shortened()}"
    except OSError as error:
        return f"{failed}: {error.strerror or error}"
    return None


def start_settings() -> tuple[AnySettings, ConfigError | None]:
    """config.toml's settings for the app to start on, and ``None``; for a file that cannot be
    used, the default settings and why. They keep the file's ``theme`` when it is text: a
    theme it names that does not exist is said as the app starts, with the file's other
    mistakes (it went unsaid until they were fixed), and one that does is the look chosen."""
    try:
        return read_settings(), None
    except ConfigError as error:
        try:
            read = read_config(paths.config_file())
        except ConfigError:
            read = None
        theme = read[1].get("theme") if read else None
        return (PlainSettings(theme=theme) if isinstance(theme, str) else PlainSettings()), error


def config_notice(error: ConfigError) -> str:
    """The app's notice for config.toml's ``error``: its first :data:`SHOWN_MISTAKES` mistakes
    and how many more; every one is written to the log."""
    logger.error("%s", error.with_defaults())
    return error.with_defaults(shown=SHOWN_MISTAKES)
