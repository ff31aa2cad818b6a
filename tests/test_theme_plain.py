"""Theme files built without pydantic (the app's start-up) give the theme pydantic's
``ThemeFile`` gives, and every file that check cannot vouch for is left to ``ThemeFile``."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from pplx_tui import paths
from pplx_tui.ui.theme_file import ThemeFile
from pplx_tui.ui.theme_plain import plain_theme

EVERY_FIELD: dict[str, Any] = {
    "name": "every_field-1",
    "description": "All of them",
    "dark": False,
    "primary": "#ff00aa",
    "secondary": "rgb(10, 20, 30)",
    "warning": "orange",
    "error": "#f00",
    "success": "green",
    "accent": "#123456",
    "foreground": "#eeeeee",
    "background": "#101010",
    "surface": "#202020",
    "panel": "#303030",
    "boost": "#ffffff",
    "luminosity_spread": 1,
    "text_alpha": 0.5,
    "variables": {"citation-marker": "#ff00aa", "footer_key-foreground": "bold"},
}


def _bundled() -> list[dict[str, Any]]:
    folder = paths.bundled_themes_dir()
    return [tomllib.loads(path.read_text()) for path in sorted(folder.glob("*.toml"))]


@pytest.mark.parametrize(
    "data",
    [*_bundled(), EVERY_FIELD, {"name": "x", "primary": "#fff"}],
    ids=["bundled-1", "bundled-2", "bundled-3", "every-field", "least"],
)
def test_a_plainly_valid_theme_builds_as_pydantic_builds_it(data: dict[str, Any]) -> None:
    assert plain_theme(data) == ThemeFile.model_validate(data).to_theme()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "primary": "#fff", "dark": "false"},  # pydantic coerces it
        {"name": "x", "primary": "#fff", "text_alpha": "0.5"},
        {"name": "x", "primary": "#fff", "text_alpha": 3},
        {"name": "x", "primary": "#fff", "luminosity_spread": float("nan")},
        {"name": "x\n", "primary": "#fff"},
        {"name": "has space", "primary": "#fff"},
        {"name": "x"},
        {"name": "x", "primary": "not-a-colour"},
        {"name": "x", "primary": "#fff", "primry": "#000"},
        {"name": "x", "primary": "#fff", "variables": {"source-cited": "bold"}},
        {"name": "x", "primary": "#fff", "variables": {"not a name": "red"}},
        {"name": "x", "primary": "#fff", "variables": {"a": 1}},
    ],
)
def test_anything_that_needs_pydantic_is_left_to_it(data: dict[str, Any]) -> None:
    """``ThemeFile`` coerces it (``"false"``) or says why the file is skipped."""
    assert plain_theme(data) is None
