"""Citation markers in answer text: the one definition every part of pplx-tui uses.

Answers cite their sources with ``[n]`` markers; the Agent API's non-fast presets write
``[web:n]`` instead (PROTOCOL.md §2). Both mean the same thing — source ``n`` of the answer
(:attr:`pplx_tui.models.Source.index`) — so every reader of markers goes through this module:
the client, the store's search text, the exports, ``pplx ask`` and the TUI. Markers inside
Markdown code (fenced or inline) are not markers.

A marker may name a number the answer has no source for (a capture of the ``low`` preset
cites ``[web:0]`` with its only page fetched, not searched); :func:`unknown_numbers` finds
those so that every front end can say so rather than drop them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pplx_tui.values import Source

__all__ = [
    "MARKER",
    "MARKER_PATTERN",
    "MARKER_TAIL",
    "UNCITED",
    "cited_numbers",
    "marker_numbers",
    "normalize_markers",
    "unknown_note",
    "unknown_numbers",
]

MARKER_PATTERN = r"\[(?:web:)?(\d{1,3})\]"
"""``[n]`` or ``[web:n]``; group 1 is the number. For building larger patterns."""
MARKER = re.compile(MARKER_PATTERN)
MARKER_TAIL = len("[web:999]") - 1
"""Characters a streaming reader keeps from the previous delta so that a marker split across
deltas (``[web:``, ``12]``) is still seen whole."""
UNCITED = "○ not cited"
"""The mark of a source an answer that has ended does not cite (the sources panel, the export)."""
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)


def marker_numbers(markdown: str) -> list[int]:
    """The numbers of the markers in ``markdown``, in reading order, code excluded."""
    return [int(m.group(1)) for m in MARKER.finditer(_CODE.sub("", markdown))]


def cited_numbers(markdown: str) -> set[int]:
    """The distinct source numbers ``markdown`` cites."""
    return set(marker_numbers(markdown))


def unknown_numbers(markdown: str, sources: Iterable[Source]) -> list[int]:
    """Numbers ``markdown`` cites that name none of ``sources``, ascending."""
    known = {source.index for source in sources}
    return sorted(cited_numbers(markdown) - known)


def normalize_markers(markdown: str) -> str:
    """``[web:n]`` written as ``[n]`` outside code, so a reader matches it to source ``n``."""
    if "[web:" not in markdown:
        return markdown
    parts: list[str] = []
    position = 0
    for code in _CODE.finditer(markdown):
        parts.append(MARKER.sub(r"[\1]", markdown[position : code.start()]))
        parts.append(code.group(0))
        position = code.end()
    parts.append(MARKER.sub(r"[\1]", markdown[position:]))
    return "".join(parts)


def unknown_note(numbers: Iterable[int]) -> str:
    """``"[0] names no source"`` for the numbers :func:`unknown_numbers` found ("" if none)."""
    found = [f"[{n}]" for n in numbers]
    if not found:
        return ""
    return f"{', '.join(found)} {'names' if len(found) == 1 else 'name'} no source"
