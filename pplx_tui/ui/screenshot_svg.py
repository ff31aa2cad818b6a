"""The screenshot the palette saves: Textual's SVG of the screen, without the keys in use.

An answer shows a key the server echoed as ``***``, but a key can be on the screen elsewhere
(typed into the question box, in a source's title while its answer streams): the file keeps
none, as no other file the app writes does. Each row is searched whole (a key can span
several of a row's segments); a key becomes ``***`` and spaces to its width, so the columns
after it stay where they were. A key wrapped onto the next row is caught by its first
characters (:data:`~pplx_tui.redact.SECRET_PREFIX`) when they are on one row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment
from textual.app import App
from textual.strip import Strip

from pplx_tui.redact import known_secrets, secrets_pattern

__all__ = ["screenshot_svg"]


def screenshot_svg(app: App[object]) -> str:
    """The screen as Textual's ``export_screenshot`` draws it (notifications included), each
    key in use replaced by ``***``."""
    secrets = known_secrets()
    if not secrets:
        return app.export_screenshot()
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    # What App.export_screenshot prints, its rows masked first.
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    pattern = secrets_pattern(secrets)
    update.strips = [_masked(row, pattern) for row in update.strips]
    console.print(update)
    return console.export_svg(title=app.title)


def _masked(row: Iterable[Strip], pattern: re.Pattern[str]) -> list[Strip]:
    """``row`` as one strip with each key replaced by ``***`` and spaces (as it was when it
    holds none)."""
    strips = list(row)
    segments = [segment for strip in strips for segment in strip]
    text = "".join(segment.text for segment in segments if not segment.control)
    spans = [match.span() for match in pattern.finditer(text)]
    if not spans:
        return strips
    characters = list(text)
    for start, end in spans:  # keys are ASCII: a cell a character, before and after
        characters[start:end] = "***".ljust(end - start)
    masked: list[Segment] = []
    at = 0
    for segment in segments:
        if segment.control:
            masked.append(segment)
            continue
        size = len(segment.text)
        masked.append(Segment("".join(characters[at : at + size]), segment.style))
        at += size
    return [Strip(masked)]
