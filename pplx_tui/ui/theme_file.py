"""A theme file validated by pydantic: the check behind every one-line error about a theme.

The app builds its themes with :func:`pplx_tui.ui.theme_plain.plain_theme` (no pydantic at
start-up); a file that check does not vouch for comes here, for pydantic's coercions and the
reason it is skipped.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from textual.theme import Theme

from pplx_tui.config_errors import explain, named, unknown_keys
from pplx_tui.ui.theme_plain import (
    APP_VARIABLES,
    COLOUR_FIELDS,
    NAME_PATTERN,
    build_theme,
    check_colour,
    is_variable_name,
)

__all__ = ["ThemeFile", "theme_from_data"]


class ThemeFile(BaseModel):
    """One ``themes/*.toml`` file, validated before it becomes a Textual ``Theme``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
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

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(NAME_PATTERN, value):
            raise ValueError(
                f"{value!r} is not a theme name: a letter, then letters, digits, - or _"
                " (at most 64)"
            )
        return value

    @field_validator(*COLOUR_FIELDS)
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        return None if value is None else check_colour(value)

    @field_validator("variables")
    @classmethod
    def _variables(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not is_variable_name(key):
                raise ValueError(f"{key!r} is not a variable name")
        return value

    def to_theme(self) -> Theme:
        """The Textual theme; raises ``ValueError`` if Textual cannot derive its colours."""
        return build_theme(
            self.name,
            self.primary,
            dark=self.dark,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=self.variables,
            **{field: getattr(self, field) for field in COLOUR_FIELDS if field != "primary"},
        )


def _problems(error: ValidationError, data: dict[str, Any]) -> str:
    """Every problem pydantic found, on one line (fixing one at a time took a restart each),
    in config.toml's words (:mod:`pplx_tui.config_errors`): ``'primary' is missing``, not
    pydantic's ``Field required``."""
    problems = unknown_keys(data, {(): list(ThemeFile.model_fields)})
    unknown = {place for place, _ in problems}
    for detail in error.errors():
        place, message = explain(detail, data)
        if not (detail["type"] == "extra_forbidden" and place in unknown):
            problems.append((place, message))
    return "; ".join(message for _, message in problems)


def _app_colour_problems(data: dict[str, Any]) -> list[str]:
    """pplx-tui's variables (:data:`APP_VARIABLES`) that are text but not colours, each named:
    checked in the ``variables`` field, the reason named only the table (``'variables':
    'notacolor' is not a colour``)."""
    variables = data.get("variables")
    if not isinstance(variables, dict):
        return []
    problems = []
    for key in APP_VARIABLES:
        value = variables.get(key)
        if isinstance(value, str):
            try:
                check_colour(value)
            except ValueError as error:
                problems.append(f"{named((('variables',), key))}: {error}")
    return problems


def theme_from_data(data: dict[str, Any]) -> Theme:
    """The theme of a theme file's TOML ``data``; raises ``ValueError`` with a one-line
    reason (no file name)."""
    colours = _app_colour_problems(data)
    try:
        theme_file = ThemeFile.model_validate(data)
    except ValidationError as error:
        raise ValueError("; ".join([_problems(error, data), *colours])) from None
    if colours:
        raise ValueError("; ".join(colours))
    return theme_file.to_theme()
