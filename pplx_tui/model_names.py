"""Model ids as labels show them where room is short.

Shared by the app's answer labels and comparison columns and ``pplx usage``'s table, so a
model cut to fit reads the same everywhere.
"""

from __future__ import annotations

__all__ = ["without_vendor"]


def without_vendor(model: str) -> str:
    """``sonar-pro`` for ``perplexity/sonar-pro``: the part that tells models apart (cut
    first, ``perplexity/sonar`` and ``perplexity/sonar-pro`` both read ``perplexity/…``)."""
    return model.rsplit("/", 1)[-1] or model
