"""BibTeX (biblatex ``@online``) for JabRef, Zotero and pandoc.

Each reference is an ``@online`` entry with ``title``, ``url``, ``urldate``, ``date`` (and the
classic ``year`` for BibTeX styles), ``organization`` (the site), ``abstract`` (the
snippet) and ``note`` (which answers cited it). Text is UTF-8 with LaTeX's special characters
escaped, each so that the braces of every value balance as BibTeX counts them (a brace is
``\textbraceleft{}``, a backslash ``\textbackslash{}``); in the title each word holding a
capital is braced (``{NASA}``, ``{Mars}``), so that classic BibTeX styles, which set titles in
sentence case, keep it as the page wrote it. A URL is written as is, except for the characters
a ``.bib`` value cannot hold (braces, backslashes, spaces, double quotes), which are
percent-encoded; RIS and CSL-JSON, which can hold them, keep
them as the source gave them. Keys are ASCII, made from the site, year and first title word
(``wikipedia2026kyoto``), unique in the file: the ids of the CSL-JSON and RIS exports
(:mod:`.keys`).
"""

from __future__ import annotations

import re

from pplx_tui.models import Chat
from pplx_tui.references import Reference
from pplx_tui.references.keys import cite_keys
from pplx_tui.sanitize import clean_line

_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX, biber and btparse count those as braces too, so one left
    # unmatched (a question about a "missing } error") ended the field early or ran it on to
    # the end of the file.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", '"': "%22"}


def to_bibtex(chat: Chat, references: list[Reference]) -> str:
    if not references:  # nothing, not a lone comment to append to someone's library
        return ""
    # An @ outside an entry would start one in BibTeX's eyes: none in the comment.
    title = (clean_line(chat.title) or chat.id).replace("@", "(at)")
    lines = [f"% Sources of the pplx-tui chat {escape(title)} ({chat.id}), cited ones first.", ""]
    for reference, key in zip(references, cite_keys(references), strict=True):
        lines += _entry(reference, key)
    return "\n".join(lines)


def escape(text: str) -> str:
    """``text`` as the value of a braced BibTeX field."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def _title(text: str) -> str:
    """``text`` escaped, each word holding a capital braced against a style's case change:
    which are names and acronyms a page's title does not say. The first word's leading capital
    is left bare (the styles keep it)."""
    words = []
    for number, word in enumerate(text.split(" ")):
        capitals = sum(c.isupper() for c in word)
        escaped = escape(word)
        if capitals and not (number == 0 and capitals == 1 and word[:1].isupper()):
            # `{\...}` would be a "special character", whose letters the styles do change.
            escaped = f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"
        words.append(escaped)
    return " ".join(words)


def _url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


def _entry(reference: Reference, key: str) -> list[str]:
    fields = [("title", _title(reference.title)), ("url", _url(reference.url))]
    if reference.accessed:
        fields.append(("urldate", reference.accessed.isoformat()))
    if reference.issued:
        fields.append(("date", "-".join(f"{p:02d}" for p in reference.issued)))
        fields.append(("year", str(reference.issued[0])))
    if reference.site:
        fields.append(("organization", escape(reference.site)))
    if reference.abstract:
        fields.append(("abstract", escape(reference.abstract)))
    if note := reference.note:
        fields.append(("note", escape(note)))
    body = [f"  {name} = {{{value}}}," for name, value in fields]
    return [f"@online{{{key},", *body, "}", ""]
