"""A theme file's data checked and built without pydantic, for the app's first frame.

:func:`plain_theme` accepts only data that :class:`~pplx_tui.ui.theme_file.ThemeFile` takes
as it is (exact types, names and colours that parse, numbers in range) and builds the same
Textual ``Theme``; anything else gives ``None``, and the caller validates the file with
``ThemeFile`` for its coercions and its one-line error. The bundled themes always pass here
(``tests/test_ui_theme_snapshots.py`` holds the two ways side by side).
"""

from __future__ import annotations

import math
import re
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

__all__ = ["APP_VARIABLES", "COLOUR_FIELDS", "NAME_PATTERN", "build_theme", "check_colour"]

APP_VARIABLES = ("citation-marker", "source-cited", "source-uncited")
"""Theme variables pplx-tui's own CSS uses; each must be a colour."""
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
NAME_PATTERN = f"^{_NAME.pattern}$"
"""A theme's name: shown in the command palette and saved as ``theme`` in config.toml."""
COLOUR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


def check_colour(value: str) -> str:
    """``value`` if Textual can parse it as a colour; else ``ValueError``."""
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour") from None
    return value


def is_variable_name(name: str) -> bool:
    return name.replace("-", "").replace("_", "").isalnum()


def build_theme(
    name: str,
    primary: str,
    *,
    dark: bool = True,
    luminosity_spread: float = 0.15,
    text_alpha: float = 0.95,
    variables: dict[str, str] | None = None,
    **colours: str | None,
) -> Theme:
    """The Textual theme; raises ``ValueError`` if Textual cannot derive its colours."""
    theme = Theme(
        name=name,
        primary=primary,
        dark=dark,
        luminosity_spread=luminosity_spread,
        text_alpha=text_alpha,
        variables=dict(variables or {}),
        **colours,
    )
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError) as error:
        raise ValueError(f"colours cannot be derived ({error})") from None
    return theme


class _NotPlain(Exception):
    """A value the plain check does not vouch for."""


def _colour(value: object) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    try:
        return check_colour(value)
    except ValueError:
        raise _NotPlain from None


def _fraction(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _NotPlain
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise _NotPlain
    return float(value)


def _variables(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _NotPlain
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str) or not is_variable_name(key):
            raise _NotPlain
        if key in APP_VARIABLES:
            _colour(item)
    return dict(value)


def _name(value: object) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise _NotPlain
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _NotPlain
    return value


_CHECKS = {
    "name": _name,
    "description": _text,
    "dark": _flag,
    **dict.fromkeys(COLOUR_FIELDS, _colour),
    "luminosity_spread": _fraction,
    "text_alpha": _fraction,
    "variables": _variables,
}


def plain_theme(data: dict[str, Any]) -> Theme | None:
    """The theme of a theme file's TOML ``data``, or ``None`` when it needs ``ThemeFile``'s
    checks (a value of another type, a bad name or colour, an unknown key, no ``primary``),
    or Textual cannot derive its colours (``ThemeFile`` says so)."""
    if "name" not in data or "primary" not in data or not set(data) <= set(_CHECKS):
        return None
    try:
        fields = {key: _CHECKS[key](value) for key, value in data.items()}
    except _NotPlain:
        return None
    fields.pop("description", None)
    try:
        return build_theme(**fields)
    except ValueError:
        return None
