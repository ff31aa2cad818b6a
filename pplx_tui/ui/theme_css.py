"""A user theme's Textual variables checked the way Textual's CSS will read them.

Textual reads a theme's ``[variables]`` only when the theme is applied, and a value its CSS
refuses (``block-cursor-text-style = "wobbly"``) then ends the app ("CSS parsing failed"), on
choosing the theme or at every start once config.toml names it. Checked here first, such a file
is skipped with a one-line warning like any other bad theme file.
"""

from __future__ import annotations

from textual.css.errors import StylesheetError, TokenError
from textual.css.stylesheet import Stylesheet
from textual.theme import Theme

from pplx_tui.config_errors import named

__all__ = ["check_textual_variables"]


def check_textual_variables(theme: Theme) -> None:
    """Raise ``ValueError`` naming the first of ``theme``'s variables that Textual defines and
    its CSS would refuse (text styles for ``…style`` names, colours for the rest). Variables
    Textual does not define are left alone: no CSS of Textual's reads them."""
    generated = theme.to_color_system().generate()
    known = {**generated, **theme.variables}
    for name, value in theme.variables.items():
        if name not in generated:
            continue
        prop, kind = (
            ("text-style", "a text style") if name.endswith("style") else ("color", "a colour")
        )
        if not _parses(f"Screen {{ {prop}: {value}; }}", known):
            raise ValueError(f"{named((('variables',), name))}: {value!r} is not {kind}")


def _parses(css: str, variables: dict[str, str]) -> bool:
    sheet = Stylesheet(variables=variables)
    sheet.add_source(css)
    try:
        sheet.parse()
    except (StylesheetError, TokenError):
        return False
    return True
