"""CSL-JSON (the Citation Style Language's data format) for pandoc, Zotero and citeproc.

A JSON array of ``webpage`` items: ``id``, ``title``, ``URL``, ``container-title`` (the site),
``issued`` and ``accessed`` as ``date-parts``, ``abstract`` (the snippet) and ``note`` (which
answers cited it). An item's ``id`` is the key of the BibTeX export's entry for the same page
(``wikipedia2026kyoto``: :mod:`.keys`), so a document cites it alike with either file.
"""

from __future__ import annotations

import json
from typing import Any

from pplx_tui.models import Chat
from pplx_tui.references import Reference
from pplx_tui.references.keys import cite_keys


def to_csl_json(chat: Chat, references: list[Reference]) -> str:
    keys = cite_keys(references)
    items = [_item(key, r) for key, r in zip(keys, references, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _item(key: str, reference: Reference) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": key,
        "type": "webpage",
        "title": reference.title,
        "URL": reference.url,
    }
    if reference.site:
        item["container-title"] = reference.site
    if reference.issued:
        item["issued"] = {"date-parts": [list(reference.issued)]}
    if reference.accessed:
        accessed = reference.accessed
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if reference.abstract:
        item["abstract"] = reference.abstract
    if note := reference.note:
        item["note"] = note
    return item
