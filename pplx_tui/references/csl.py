"""CSL-JSON (the Citation Style Language's data format) for pandoc, Zotero and citeproc.

A JSON array of ``webpage`` items: ``id``, ``title``, ``URL``, ``container-title`` (the site),
``issued`` and ``accessed`` as ``date-parts``, ``abstract`` (the snippet) and ``note`` (which
answers cited it). Ids are ``source-1``, ``source-2``… in the file's order (cited first).
"""

from __future__ import annotations

import json
from typing import Any

from pplx_tui.models import Chat
from pplx_tui.references import Reference


def to_csl_json(chat: Chat, references: list[Reference]) -> str:
    items = [_item(number, r) for number, r in enumerate(references, start=1)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _item(number: int, reference: Reference) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"source-{number}",
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
