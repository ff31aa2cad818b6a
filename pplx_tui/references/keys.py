"""Citation keys: one per reference, the same in every format (the BibTeX entry's key, the
CSL-JSON item's ``id``, the RIS record's ``ID``), so that a pandoc document citing
``@wikipedia2026kyoto`` reads the same with the ``.bib`` as with the ``.json``.

A key is ASCII, made from the site, year and first title word (``wikipedia2026kyoto``), unique
in the file: a clash gets ``a``, ``b``, … ``z``, ``aa`` added, the first not taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pplx_tui.references import Reference

__all__ = ["cite_keys"]

_STOP = {"a", "an", "the", "of", "and", "for", "in", "on", "to", "how", "what", "why"}


def cite_keys(references: Sequence[Reference]) -> list[str]:
    """The key of each of ``references``, in their order (the file's)."""
    keys = _Keys()
    return [keys.key(reference) for reference in references]


class _Keys:
    """Unique keys for a file's entries: the base (site, year, first title word), then with
    ``a``, ``b``, … ``z``, ``aa`` added, the first not taken.

    Each base remembers the suffix it reached (only keys are ever added, so the first free
    one is never before it): 10,000 sources of one site and year took 50 million tries,
    69 seconds, when every key counted up from ``a``.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.reached: dict[str, int] = {}

    def key(self, reference: Reference) -> str:
        site = reference.site.split(".")
        label = _readable(site[-2] if len(site) >= 2 else site[0])
        year = str(reference.issued[0]) if reference.issued else ""
        word = next((w for w in _ascii(reference.title).split() if w not in _STOP), "")
        base = (_ascii(label).replace(" ", "") + year + word) or "source"
        n = self.reached.get(base, 0)
        key = f"{base}{_suffix(n)}"
        while key in self.taken:
            n += 1
            key = f"{base}{_suffix(n)}"
        self.reached[base] = n
        self.taken.add(key)
        return key


def _readable(label: str) -> str:
    """A host label as its letters read (``xn--bcher-kva`` is ``bücher``), for the key."""
    if label.startswith("xn--"):
        try:
            return label[4:].encode("ascii").decode("punycode")
        except UnicodeError:
            return label
    return label


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _suffix(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
