"""``--json`` output, one way for every command: what is written (indented, UTF-8, controls
escaped, no key in it), how it reaches stdout (all of it, or exit 1 when the pipe closes), and
how times read in it (UTC, ``Z``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime


def print_json(value: Any) -> None:
    """``--json`` output, one style for every command: indented by 2, UTF-8 as is (``jq -c``
    makes it one line), written by :func:`write_json`."""
    import json  # only for --json

    write_json(json.dumps(value, ensure_ascii=False, indent=2))


def write_json(json_text: str) -> None:
    """The one way ``--json`` output reaches stdout: no key in use, every control character
    (C0, C1, the bidi overrides and isolates) a ``\\uXXXX`` escape, so it is harmless on a
    terminal and reads back the same; one last line break.

    Written as UTF-8 bytes whatever stdout's encoding (``PYTHONIOENCODING=ascii`` made "?" of
    every other letter), all of them (:func:`~pplx_tui.cli.closed_streams.write_bytes`).
    """
    from pplx_tui.cli.closed_streams import write_bytes
    from pplx_tui.redact import redact_known
    from pplx_tui.sanitize import escape_controls

    text = escape_controls(redact_known(json_text.rstrip("\n"))) + "\n"
    write_bytes([text.encode("utf-8", "replace")])


def json_time(moment: datetime) -> str:
    """A time as every ``--json`` output (and the chat files, and the exports) writes it: UTC,
    ending in ``Z`` (``2026-12-02T10:59:28.366961Z``)."""
    from datetime import UTC

    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
