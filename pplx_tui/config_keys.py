"""The keys config.toml names, made known to :mod:`pplx_tui.sanitize` before any command runs.

A key kept only in config.toml (where the app's key screen saves it) must be masked wherever
chat content is printed or written, as one in the environment is: ``pplx chats show`` and
``export`` read no settings, and a chat file may hold a key from any provider, not only the
one a command asks. So the front door of ``pplx`` reads every ``[providers.NAME]`` table's
``api_key``, and the value of its ``api_key_env`` variable, once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from pplx_tui import paths
from pplx_tui.redact import remember_secret

__all__ = ["remember_config_keys"]

_KEY_SETTING = re.compile(
    r"""\bapi_key(?P<env>_env)?\s*=\s*(?:"(?P<d>[^"\n]*)"|'(?P<s>[^'\n]*)')"""
)
"""``api_key = "…"`` (or ``api_key_env``) anywhere in a file that is not TOML."""


def remember_config_keys(environ: Mapping[str, str] = os.environ) -> None:
    """Mask from now on every key config.toml holds or names.

    A file that is not TOML (a hand edit gone wrong) still gives the keys it plainly holds:
    commands that need no settings run with it all the same. One that cannot be read gives
    none (no command could read its keys either).
    """
    try:
        text = paths.config_file().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if "api_key" not in text:  # most files (keys in the environment): no TOML parser loaded
        return
    import tomllib

    try:
        providers = tomllib.loads(text).get("providers")
    except (tomllib.TOMLDecodeError, RecursionError):
        for match in _KEY_SETTING.finditer(text):
            value = match["d"] if match["d"] is not None else match["s"]
            remember_secret(environ.get(value) if match["env"] else value)
        return
    for table in providers.values() if isinstance(providers, dict) else ():
        if not isinstance(table, dict):
            continue
        if isinstance(key := table.get("api_key"), str):
            remember_secret(key)
        if isinstance(name := table.get("api_key_env"), str) and name:
            remember_secret(environ.get(name))
