"""RIS (the tagged format of EndNote, Zotero, Mendeley and JabRef).

One ``TY  - ELEC`` record per reference: ``ID`` the key of the BibTeX export's entry for the
same page (:mod:`.keys`), ``TI`` title, ``UR`` URL, ``T2`` the site,
``PY``/``DA`` the publication date (``YYYY`` / ``YYYY/MM/DD/``), ``Y2`` the access date,
``AB`` the snippet, ``N1`` which answers cited it, then ``ER``. Every value is one line.
"""

from __future__ import annotations

from pplx_tui.models import Chat
from pplx_tui.references import Reference
from pplx_tui.references.keys import cite_keys


def to_ris(chat: Chat, references: list[Reference]) -> str:
    lines: list[str] = []
    for reference, key in zip(references, cite_keys(references), strict=True):
        lines += _record(reference, key)
    return "\r\n".join(lines) + ("\r\n" if lines else "")


def _record(reference: Reference, key: str) -> list[str]:
    tags = [("TY", "ELEC"), ("ID", key), ("TI", reference.title), ("UR", reference.url)]
    if reference.site:
        tags.append(("T2", reference.site))
    if reference.issued:
        parts = [*(f"{p:02d}" for p in reference.issued), "", "", ""][:3]
        tags += [("PY", str(reference.issued[0])), ("DA", "/".join(parts) + "/")]
    if reference.accessed:
        tags.append(("Y2", reference.accessed.strftime("%Y/%m/%d")))
    if reference.abstract:
        tags.append(("AB", reference.abstract))
    if note := reference.note:
        tags.append(("N1", note))
    tags.append(("ER", ""))
    return [*(f"{tag}  - {value}" for tag, value in tags), ""]
