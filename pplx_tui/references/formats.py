"""A chat's references in a reference manager's format (the package's formatters, by name).

Kept out of the package's ``__init__`` so that the formatters, which build on it, do not form
an import cycle with it.
"""

from __future__ import annotations

from pplx_tui.models import Chat
from pplx_tui.references import collect

__all__ = ["export_references"]


def export_references(chat: Chat, fmt: str) -> bytes:
    """The chat's references as ``fmt`` (``bibtex``, ``csl-json`` or ``ris``), UTF-8."""
    references = collect(chat)
    if fmt == "bibtex":
        from pplx_tui.references.bibtex import to_bibtex

        return to_bibtex(chat, references).encode()
    if fmt == "csl-json":
        from pplx_tui.references.csl import to_csl_json

        return to_csl_json(chat, references).encode()
    if fmt == "ris":
        from pplx_tui.references.ris import to_ris

        return to_ris(chat, references).encode()
    raise ValueError(f"unknown reference format {fmt!r}")
