"""Colour themes: ``themes/*.toml`` parsed into :class:`ThemeFile`, then Textual ``Theme`` objects.

Three themes ship with the app (``pplx-dark``, the default, ``pplx-light`` and
``pplx-high-contrast``); a user adds their own as ``$XDG_CONFIG_HOME/pplx-tui/themes/*.toml``.
A user theme with the name of a bundled one replaces it. A file that cannot be read or parsed is
skipped with a one-line warning (for the app to notify), never a crash.

A theme file holds Textual's base colours (``primary`` is required; ``secondary``, ``accent``,
``warning``, ``error``, ``success``, ``foreground``, ``background``, ``surface``, ``panel``,
``boost``), ``dark``, ``luminosity_spread``, ``text_alpha``, an optional ``description``, and a
``[variables]`` table. Besides Textual's own variables (``footer-key-foreground``,
``block-cursor-background``…), the table sets pplx-tui's colours, usable in CSS as ``$name``:

``citation-marker``
    the ``[1]`` markers in an answer.
``source-cited``
    a source in the sources panel that the answer cites.
``source-uncited``
    a source that was searched but not cited.

Textual's built-in themes lack these variables; the app fills them in with
:func:`app_variable_defaults` from ``App.get_theme_variable_defaults``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.theme import Theme

from pplx_tui import paths
from pplx_tui.config import ConfigError, load_settings, update_config
from pplx_tui.sanitize import clean_line

if TYPE_CHECKING:
    from textual.app import App

__all__ = [
    "APP_VARIABLES",
    "DEFAULT_THEME",
    "ThemeFile",
    "app_variable_defaults",
    "load_theme_file",
    "load_themes",
    "register_themes",
    "remember_theme",
]

DEFAULT_THEME = "pplx-dark"
"""The theme used when config.toml names none (matches ``Settings.theme``)."""

APP_VARIABLES = ("citation-marker", "source-cited", "source-uncited")
"""Theme variables pplx-tui's own CSS uses; each must be a colour."""

_COLOUR_FIELDS = (
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


def _check_colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour") from None
    return value


class ThemeFile(BaseModel):
    """One ``themes/*.toml`` file, validated before it becomes a Textual ``Theme``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
    """The name shown in the command palette and saved as ``theme`` in config.toml."""
    description: str | None = None
    """A line about the theme (not shown by Textual; for people reading the file)."""
    dark: bool = True
    """Whether the theme is dark (Textual derives shades and ``-dark-mode`` from it)."""
    primary: str
    """The main colour: focus borders, highlights, the footer keys by default."""
    secondary: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    accent: str | None = None
    foreground: str | None = None
    """Default text colour."""
    background: str | None = None
    """Screen background."""
    surface: str | None = None
    """Background of widgets (inputs, lists)."""
    panel: str | None = None
    """Background that stands out from surface (headers, dialogs)."""
    boost: str | None = None
    luminosity_spread: float = Field(default=0.15, ge=0.0, le=1.0)
    """How far the generated lighter/darker shades spread."""
    text_alpha: float = Field(default=0.95, ge=0.0, le=1.0)
    """Opacity of body text (1.0 for full-strength text)."""
    variables: dict[str, str] = Field(default_factory=dict)
    """CSS variables: pplx-tui's (:data:`APP_VARIABLES`) and Textual's own."""

    @field_validator(*_COLOUR_FIELDS)
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        return None if value is None else _check_colour(value)

    @field_validator("variables")
    @classmethod
    def _variables(cls, value: dict[str, str]) -> dict[str, str]:
        for key, item in value.items():
            if not key.replace("-", "").replace("_", "").isalnum():
                raise ValueError(f"{key!r} is not a variable name")
            if key in APP_VARIABLES:
                _check_colour(item)
        return value

    def to_theme(self) -> Theme:
        """The Textual theme; raises ``ValueError`` if Textual cannot derive its colours."""
        theme = Theme(
            name=self.name,
            primary=self.primary,
            secondary=self.secondary,
            warning=self.warning,
            error=self.error,
            success=self.success,
            accent=self.accent,
            foreground=self.foreground,
            background=self.background,
            surface=self.surface,
            panel=self.panel,
            boost=self.boost,
            dark=self.dark,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=dict(self.variables),
        )
        try:
            theme.to_color_system().generate()
        except (ColorParseError, ValueError) as error:
            raise ValueError(f"colours cannot be derived ({error})") from None
        return theme


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"`{where}`: {message}" if where else message


def load_theme_file(path: Path) -> Theme:
    """Parse one theme file. Raises ``ValueError`` with a one-line reason (no file name)."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML ({error})") from None
    except RecursionError:
        raise ValueError("not valid TOML (nested too deeply)") from None
    try:
        theme_file = ThemeFile.model_validate(data)
    except ValidationError as error:
        raise ValueError(_first_error(error)) from None
    return theme_file.to_theme()


def _theme_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []


def load_themes() -> tuple[list[Theme], list[str]]:
    """The bundled themes (:func:`pplx_tui.paths.bundled_themes_dir`), then the user's
    (:func:`pplx_tui.paths.user_themes_dir`); plus one-line warnings for files that were skipped.

    A user theme named like a bundled one replaces it in place; two user files with one name
    keep the first (by file name) and warn.
    """
    themes: dict[str, Theme] = {}
    warnings: list[str] = []
    for folder, is_user in ((paths.bundled_themes_dir(), False), (paths.user_themes_dir(), True)):
        seen: set[str] = set()
        for path in _theme_files(folder):
            try:
                theme = load_theme_file(path)
            except ValueError as error:
                warnings.append(clean_line(f"Theme {path} skipped: {error}"))
                continue
            if theme.name in seen:
                warnings.append(
                    clean_line(f"Theme {path} skipped: another file already names {theme.name!r}")
                )
                continue
            seen.add(theme.name)
            if is_user or theme.name not in themes:
                themes[theme.name] = theme
    return list(themes.values()), warnings


def register_themes(app: App[Any]) -> list[str]:
    """Load the themes (see :func:`load_themes`), register them on ``app``; return warnings."""
    themes, warnings = load_themes()
    for theme in themes:
        app.register_theme(theme)
    return warnings


def app_variable_defaults(theme: Theme) -> dict[str, str]:
    """Values for :data:`APP_VARIABLES` derived from ``theme``'s colours.

    For themes that do not set them (Textual's built-ins); return it from
    ``App.get_theme_variable_defaults`` with ``self.current_theme``.
    """
    colours = theme.to_color_system().generate()
    return {
        "citation-marker": colours["accent"],
        "source-cited": colours["foreground"],
        "source-uncited": colours["foreground-muted"],
    }


def remember_theme(name: str) -> str | None:
    """Save ``name`` as ``theme`` in config.toml; a one-line warning if that failed.

    Writes nothing when config.toml already names this theme (so a hand-edited file is not
    rewritten just because the app started with the theme it asked for).
    """
    try:
        if load_settings().theme == name:
            return None
        update_config({"theme": name})
    except ConfigError as error:
        return f"Theme not saved: {error}"
    except OSError as error:
        return f"Theme not saved: {error.strerror or error}"
    return None
