"""Colour themes: ``themes/*.toml`` checked (:mod:`~pplx_tui.ui.theme_plain`, else
:class:`~pplx_tui.ui.theme_file.ThemeFile`), then Textual ``Theme`` objects.

Three themes ship with the app (``pplx-dark``, the default, ``pplx-light`` and
``pplx-high-contrast``); a user adds their own as ``$XDG_CONFIG_HOME/pplx-tui/themes/*.toml``.
A user theme with the name of a bundled one replaces it (a line in the log says so). A file
that cannot be read or parsed is skipped with a one-line warning (for the app to notify and
log), never a crash.

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
:func:`app_variable_defaults` from ``App.get_theme_variable_defaults`` (the marker in the theme's
accent, made readable where the accent is too light or too dark for the background).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.color import Color
from textual.theme import Theme

from pplx_tui import paths
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.contrast import SECONDARY, contrast_ratio, readable
from pplx_tui.ui.theme_css import check_textual_variables
from pplx_tui.ui.theme_plain import APP_VARIABLES, plain_theme

if TYPE_CHECKING:
    from textual.app import App

__all__ = [
    "APP_VARIABLES",
    "DEFAULT_THEME",
    "app_variable_defaults",
    "load_theme_file",
    "load_themes",
    "register_themes",
    "remember_theme",
]

logger = logging.getLogger("pplx_tui.ui.themes")

DEFAULT_THEME = "pplx-dark"
"""The theme used when config.toml names none (matches ``Settings.theme``)."""


def load_theme_file(path: Path) -> Theme:
    """Parse one theme file. Raises ``ValueError`` with a one-line reason (no file name).

    A file that is plainly valid (the bundled ones) is built without pydantic; any other goes
    through :class:`~pplx_tui.ui.theme_file.ThemeFile`."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML ({error})") from None
    except RecursionError:
        raise ValueError("not valid TOML (nested too deeply)") from None
    theme = plain_theme(data)
    if theme is None:
        from pplx_tui.ui.theme_file import theme_from_data

        theme = theme_from_data(data)
    return theme


def _theme_files(folder: Path) -> list[Path]:
    """Every ``*.toml`` in ``folder``, by name: a folder or a broken link among them too (each
    is said, not left out without a word)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml")
    except (FileNotFoundError, NotADirectoryError):
        return []


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` is no file to read (a FIFO would block the start), else ``None``."""
    if path.is_file():
        return None
    if path.is_symlink() and not path.exists():
        return f"a broken link (to {path.readlink()})"
    return "a folder, not a file" if path.is_dir() else "not a regular file"


class _FileWarning(NamedTuple):
    """What is wrong with one theme file: ``skipped`` it is not used, else it is all the same."""

    path: Path
    reason: str
    skipped: bool = True

    @property
    def line(self) -> str:
        """The warning, one line."""
        said = " skipped: " if self.skipped else ": "
        return clean_line(f"Theme {self.path}{said}{self.reason}")


def load_themes() -> tuple[list[Theme], list[str]]:
    """The bundled themes (:func:`pplx_tui.paths.bundled_themes_dir`), then the user's
    (:func:`pplx_tui.paths.user_themes_dir`); plus one-line warnings for files that were skipped
    or are unreadable.

    A user theme named like a bundled one replaces it in place (the log says so); two user
    files with one name keep the first (by file name) and warn.
    """
    themes, warnings = _load_themes()
    return themes, [warning.line for warning in warnings]


def _load_themes() -> tuple[list[Theme], list[_FileWarning]]:
    themes: dict[str, Theme] = {}
    warnings: list[_FileWarning] = []
    for folder, is_user in ((paths.bundled_themes_dir(), False), (paths.user_themes_dir(), True)):
        seen: dict[str, Path] = {}
        for path in _theme_files(folder):
            if problem := _not_a_file(path):
                warnings.append(_FileWarning(path, problem))
                continue
            try:
                theme = load_theme_file(path)
                if is_user:  # (the bundled ones are checked by their tests)
                    check_textual_variables(theme)
            except ValueError as error:
                warnings.append(_FileWarning(path, str(error)))
                continue
            if kept := seen.get(theme.name):
                reason = f"{kept.name} already names {theme.name!r} and is used"
                warnings.append(_FileWarning(path, reason))
                continue
            seen[theme.name] = path
            if is_user and (problem := unreadable_text(theme)):  # loaded all the same
                warnings.append(_FileWarning(path, problem, skipped=False))
            if is_user and theme.name in themes:  # on purpose, to tweak it: said in the log
                logger.info(clean_line(f"Theme {path} replaces the bundled {theme.name}"))
            if is_user or theme.name not in themes:
                themes[theme.name] = theme
    return list(themes.values()), warnings


def unreadable_text(theme: Theme) -> str | None:
    """What is wrong when ``theme``'s text colour is unreadable on its background (under
    :data:`~pplx_tui.ui.contrast.SECONDARY` contrast), else ``None``: a theme with foreground,
    background and primary all ``#101010`` loaded without a word, its answers invisible."""
    colours = theme.to_color_system().generate()
    text, background = Color.parse(colours["foreground"]), Color.parse(colours["background"])
    if text.ansi is not None or background.ansi is not None:  # the terminal's colours
        return None
    ratio = contrast_ratio(text, background)
    if ratio >= SECONDARY:
        return None
    return (
        f"its text ({text.hex}) on its background ({background.hex}) is {ratio:.2f}:1, "
        f"unreadable (at least {SECONDARY:g}:1 needed)"
    )


def register_themes(app: App[Any], wanted: str) -> list[str]:
    """Load the themes (see :func:`load_themes`), register them on ``app``; return warnings,
    the one about config.toml's ``theme`` (``wanted``) first when it is none of them: a typo
    there started the app on the default theme without a word, and when its own file was
    skipped, that file's warning was said last, under "and 3 more" (QA)."""
    themes, warnings = _load_themes()
    for theme in themes:
        app.register_theme(theme)
    lines = [warning.line for warning in warnings]
    if wanted in app.available_themes:
        return lines
    own = next((w for w in warnings if w.skipped and _names(w.path, wanted)), None)
    if own is not None:  # its file's warning says why, once
        lines.remove(own.line)
        chosen = f"Theme {wanted!r} not used: {own.path.name}: {own.reason}; using {DEFAULT_THEME}"
    else:
        from difflib import get_close_matches  # only for a typo

        close = get_close_matches(wanted, app.available_themes, n=1)
        meant = f" (did you mean {close[0]!r}?)" if close else ""
        chosen = (
            f"config.toml: no theme is named {wanted!r}{meant}; using {DEFAULT_THEME}. "
            f"Add your own as {paths.user_themes_dir()}/NAME.toml."
        )
    return [clean_line(chosen), *lines]


def _names(path: Path, wanted: str) -> bool:
    """Whether the skipped file ``path`` is ``wanted``'s: by its file name or its ``name``."""
    if path.stem == wanted:
        return True
    if not path.is_file():  # (a FIFO would block)
        return False
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("name") == wanted
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False


def app_variable_defaults(theme: Theme) -> dict[str, str]:
    """Values for :data:`APP_VARIABLES` derived from ``theme``'s colours, and the colours the
    app's CSS derives from them.

    For themes that do not set them (Textual's built-ins); return it from
    ``App.get_theme_variable_defaults`` with ``self.current_theme``. The citation marker is the
    accent, darkened or lightened to :data:`~pplx_tui.ui.contrast.SECONDARY` contrast on the
    background and the surface (answers and the sources panel): textual-light's orange accent
    on its light grey was 1.49:1, rose-pine-dawn's 2.61:1.

    ``citation-cursor-foreground`` is the text of the marker under the reading cursor (drawn on
    the marker's colour): the background, made readable on it. In an ANSI theme, whose
    background is the terminal's default colour (light grey on lime in ansi-dark, 1.14:1), it
    is black on a dark theme's bright accents and bright white on a light theme's dark ones.

    The colours of :data:`~pplx_tui.ui.theme_guard.ROLES` (a dialog's title, a divider…) are
    here too; the app measures them again with the rest of its variables.
    """
    from pplx_tui.ui.theme_guard import roles

    colours = theme.to_color_system().generate()
    accent = Color.parse(colours["accent"])
    marker = accent
    for ground in ("background", "surface"):
        marker = readable(marker, Color.parse(colours[ground]), SECONDARY)
    # (as it was where it is kept: an ANSI theme's accent is the terminal's colour)
    shown = colours["accent"] if marker == accent else marker.hex
    return {
        "citation-marker": shown,
        "citation-cursor-foreground": _cursor_text(
            theme, theme.variables.get("citation-marker", shown), colours["background"]
        ),
        "source-cited": colours["foreground"],
        "source-uncited": colours["foreground-muted"],
        **roles({**colours, **theme.variables}, dark=theme.dark),
    }


def _cursor_text(theme: Theme, marker: str, background: str) -> str:
    """The colour of text drawn on ``marker`` (see :func:`app_variable_defaults`)."""
    on, text = Color.parse(marker), Color.parse(background)
    if on.ansi is not None or text.ansi is not None:
        return "ansi_black" if theme.dark else "ansi_bright_white"
    return readable(text, on, SECONDARY).hex


def remember_theme(name: str) -> str | None:
    """Save ``name`` as ``theme`` in config.toml; a one-line warning if that failed.

    Writes nothing when config.toml already names this theme (so a hand-edited file is not
    rewritten just because the app started with the theme it asked for).
    """
    from pplx_tui.config_read import remember_setting

    return remember_setting("theme", name, "Theme not saved")
