"""Every file location the app uses, in one place.

platformdirs honours ``XDG_CONFIG_HOME``, ``XDG_DATA_HOME`` and ``XDG_STATE_HOME`` on Linux,
which is how the tests point the app at temporary folders. Nothing is created at import time.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "pplx-tui"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def chats_dir() -> Path:
    return data_dir() / "chats"


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return state_dir() / "pplx.log"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def bundled_themes_dir() -> Path:
    """Themes shipped with the package (wheel) or beside it (source checkout)."""
    packaged = Path(__file__).parent / "bundled_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "themes"
