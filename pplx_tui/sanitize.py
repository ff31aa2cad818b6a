"""Make untrusted text (model output, web page titles, URLs) inert before it is shown.

Answers and sources come from the web. Terminal control sequences in them could move the
cursor, write the clipboard (OSC 52) or forge hyperlinks (OSC 8), so every piece of such text
passes through :func:`clean_text` before it reaches the screen, the clipboard or stdout.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

from pplx_tui.markdown_code import code_blocks, open_fence

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P|X|^|_ ... ST), and two-character escapes. Then the 8-bit C1 forms (CSI 0x9b, OSC 0x9d…).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?              # CSI
    | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC / DCS / SOS / PM / APC
    | \x1b[ -/]*[0-~]?                    # other escapes (and a lone ESC)
    | \x9b[0-?]*[ -/]*[@-~]?              # 8-bit CSI
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?  # 8-bit OSC / DCS / SOS / PM / APC
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls; and the bidirectional
# embeddings, overrides and isolates, which turn text around on terminals that do bidi
# ("invoice\u202efdp.exe" shows as "invoiceexe.pdf"). Right-to-left text and its marks stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Remove terminal control sequences and control characters; keep tab and newline.

    A carriage return is dropped too: it can overwrite what a line showed. UTF-16 surrogates
    (JSON's ``\\ud83d\\ude00`` cut between two strings) are joined into the character
    they make; one without its pair becomes U+FFFD (no UTF-8 writer takes it).
    """
    if not text:
        return text
    if text.isprintable():
        return text
    return _surrogates_joined(_stripped(text))


def _stripped(text: str) -> str:
    """``text`` without its control sequences and control characters (surrogates kept)."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def _surrogates_joined(text: str) -> str:
    """Surrogate pairs joined into the characters they make; a lone one as U+FFFD."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


_UNFINISHED = re.compile(
    r"""
    \x1b(?:\[[0-?]*[ -/]*|[\]PX^_][^\x07\x1b\x9c]*|[ -/]*)
    | \x9b[0-?]*[ -/]*
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*
    """,
    re.VERBOSE,
)
"""A :data:`_ESCAPE_SEQUENCE` match that more text could still make longer: no final
character or terminator yet (a lone ESC, ``ESC [ 3``, ``ESC ] 0;title``)."""
CARRY_LIMIT = 1024
"""Characters :class:`StreamCleaner` holds back at most for a sequence that has not ended."""


class StreamCleaner:
    """:func:`clean_text` for text that streams in pieces: a sequence cut between two pieces
    is removed whole (and a surrogate pair joined), so the result does not depend on where
    the stream splits. An escape sequence still open at a piece's end is held back until the
    next piece, :meth:`flush`, or :data:`CARRY_LIMIT` characters (then cleaned as it is: one
    that never ends holds no text back for long); so is a high surrogate, also when control
    characters or sequences come between it and its pair (they go, and the pair is joined, as
    in the whole text)."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> str:
        """What of ``text`` (after what was held back) can be shown now, cleaned."""
        pending = self._held + text
        if pending.isprintable():
            self._held = ""
            return pending
        hold = len(pending)
        for last in deque(_ESCAPE_SEQUENCE.finditer(pending), maxlen=1):
            if (
                last.end() == len(pending)
                and len(pending) - last.start() <= CARRY_LIMIT
                and _UNFINISHED.fullmatch(last.group())
            ):
                hold = last.start()
        shown = _stripped(pending[:hold])
        if shown and "\ud800" <= shown[-1] <= "\udbff":  # its pair may come next
            self._held = shown[-1] + pending[hold:]
            return _surrogates_joined(shown[:-1])
        self._held = pending[hold:]
        return _surrogates_joined(shown)

    def flush(self) -> str:
        """The text held back, cleaned (the stream has ended)."""
        held, self._held = self._held, ""
        return clean_text(held)


def shown_name(name: object) -> str:
    """A file name (or another word the user typed) for a message: as typed, or, where it
    holds a character a terminal would act on or not show (an escape, a newline), as a Python
    string literal (``'/tmp/\\x1b[31mred.md'``), as a bad chat id is named: cleaning it
    would name another file."""
    text = str(name)
    return text if text.isprintable() else repr(text)


_JSON_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What :func:`escape_controls` writes as escapes: C0 controls but the newline, DEL, C1
controls, and the bidirectional embeddings, overrides and isolates."""


def escape_controls(json_text: str) -> str:
    """JSON text with every control character written as a ``\\uXXXX`` escape, so printing it
    on a terminal is harmless and ``json.loads`` still gives back the very same strings.

    That is the C0 controls a serializer let through, DEL, the C1 controls (``\\x9b`` is a
    CSI) and the bidirectional embeddings, overrides and isolates (U+202A to U+202E,
    U+2066 to U+2069), which turn the text around them on a terminal ("Trojan Source"). Only the
    newlines between tokens stay. Such characters can only occur inside strings (a raw C0 one
    would not be JSON), where an escape means the same.
    """
    return _JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


_HIDDEN = re.compile("[\u00ad\u200b\u2060\ufeff]")
"""What a one-line field loses of the :data:`_INVISIBLE` characters (a title ``Tab\u200bby``
reads "Tabby" but is found, copied and selected with it): soft hyphen, zero-width space, word
joiner, zero-width no-break space. The joiner and non-joiner stay: they make one emoji of
👩 and 🔬, and Persian and Indian scripts need them."""


def clean_line(text: str) -> str:
    """Like :func:`clean_text`, for one-line fields (titles): newlines and tabs become spaces,
    and the :data:`_HIDDEN` characters go."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already one line (the only space a printable text can hold is " ")
    return " ".join(_HIDDEN.sub("", clean_text(text)).split())


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind we open or link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
"""Characters that show as nothing: soft hyphen, zero-width space, non-joiner and joiner, word
joiner, zero-width no-break space. In a host they make a look-alike (``exa\u200bmple.com``)."""


def clean_url(url: str) -> str:
    """A URL as it is shown, opened, copied and exported: :func:`clean_line`, without the
    :data:`_INVISIBLE` characters, and a host that is not pure ASCII in its punycode form
    (``xn--pple-43d.com`` for "apple.com" with a Cyrillic first letter), so it looks like
    what it leads to."""
    cleaned = clean_line(url)
    if cleaned.isascii():
        return cleaned
    cleaned = _INVISIBLE.sub("", cleaned)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return cleaned
    user, at, host_port = parts.netloc.rpartition("@")
    host, colon, port = host_port.partition(":")  # a non-ASCII host is no [IPv6] literal
    if host.isascii():
        return cleaned
    head, _, rest = cleaned.partition("//")  # the netloc follows the first "//", as written
    return f"{head}//{user}{at}{_ascii_host(host)}{colon}{port}{rest[len(parts.netloc) :]}"


def _ascii_host(host: str) -> str:
    """``host`` as DNS writes it: IDNA (``bücher.de`` is ``xn--bcher-kva.de``); a host IDNA
    refuses (a label too long) has each non-ASCII label in punycode all the same."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        labels = host.split(".")
        return ".".join(
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
            for label in labels
        )


def domain_of(url: str) -> str:
    """``example.com`` for ``https://www.example.com/page`` (``""`` if there is no host): what
    the sources panel and the Markdown export call a source without a title."""
    try:
        host = urlsplit(clean_url(url)).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def safe_url(url: str) -> str | None:
    """The cleaned URL (:func:`clean_url`) if it may be opened or linked, else ``None``.
    Spaces in its path, query or fragment (``/a b.html``, as some sources give them) are
    encoded as ``%20``, as a browser does; one in its scheme or host makes it no URL."""
    cleaned = clean_url(url)
    if " " in cleaned:
        try:
            parts = urlsplit(cleaned)
        except ValueError:
            return None
        if " " in parts.scheme + parts.netloc:
            return None
        cleaned = cleaned.replace(" ", "%20")
    return cleaned if cleaned and is_web_url(cleaned) else None


# ``[label](target "title")`` and ``![alt](target)``; a target may hold one level of parentheses
# (``…/Phobos_(moon)``) or be written ``<target>``.
_INLINE_LINK = re.compile(
    r"""
    (?P<bang>!?)\[(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]
    \(\s*(?:<(?P<angled>[^>\n]*)>|(?P<bare>(?:[^()\s]|\([^()\s]*\))*))
    (?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)
    """,
    re.VERBOSE,
)
_REFERENCE = re.compile(r"^( {0,3})(\[(?!\^)[^\]\n]+\]:[ \t]*<?)(\S+?)(>?)(?=\s|$)", re.MULTILINE)
"""A link reference definition (``[1]: target``); not a footnote's (``[^1]: text``), which
links nowhere."""
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")


def defuse_links(markdown: str) -> str:
    """Markdown whose only links are http(s), their targets as :func:`clean_url` writes them:
    any other link is escaped to show as written.

    ``[label](javascript:…)``, ``![x](file:///…)``, ``<data:…>`` and reference definitions
    with such targets become literal text (a backslash before ``[``, no angle brackets), so
    a viewer shows the real target instead of a clickable label. Code blocks are left alone.
    """
    if "](" not in markdown and "<" not in markdown and "]:" not in markdown:
        return markdown
    out: list[str] = []
    position = 0
    for start, end in code_blocks(markdown):
        out += [_defuse(markdown[position:start]), markdown[start:end]]
        position = end
    out.append(_defuse(markdown[position:]))
    return "".join(out)


def outside_web_links(markdown: str, change: Callable[[str], str]) -> str:
    """``markdown`` with ``change`` made to all of it but its http(s) inline links and images
    (``[label](https://…)``), left as written: a link's label is its text, a citation marker
    in it too (as in the app, where such a marker is no link of its own)."""
    if "](" not in markdown:
        return change(markdown)
    out: list[str] = []
    position = 0
    for match in _INLINE_LINK.finditer(markdown):
        if _escaped(markdown, match) or not is_web_url(match.group(_target(match)) or ""):
            continue
        out += [change(markdown[position : match.start()]), match.group(0)]
        position = match.end()
    out.append(change(markdown[position:]))
    return "".join(out)


def _target(link: re.Match[str]) -> str:
    """The group of an :data:`_INLINE_LINK` match that holds its target."""
    return "angled" if link.group("angled") is not None else "bare"


def _escaped(text: str, link: re.Match[str]) -> bool:
    """Whether the ``[`` of ``link`` in ``text`` is escaped (an odd number of backslashes
    before it): then it is text, not a link."""
    start = link.start() + len(link.group("bang"))
    return (start - len(text[:start].rstrip("\\"))) % 2 == 1


def close_fence(markdown: str) -> str:
    """``markdown`` with a code fence it leaves open closed at its end: an answer stopped (or
    cut short) inside a code block would otherwise turn all that follows it in a document
    into code."""
    fence = open_fence(markdown)
    return f"{markdown.rstrip()}\n{fence}" if fence else markdown


def _defuse(text: str) -> str:
    if not text:
        return text

    def inline(match: re.Match[str]) -> str:
        part = _target(match)
        target = match.group(part) or ""
        whole = match.group(0)
        if _escaped(text, match):
            return whole
        if is_web_url(target):
            begin, end = match.start(part) - match.start(), match.end(part) - match.start()
            return whole[:begin] + clean_url(target) + whole[end:]
        return "\\" + whole if not match.group("bang") else "!\\" + whole[1:]

    def reference(match: re.Match[str]) -> str:
        if is_web_url(match.group(3)):
            return match.group(1) + match.group(2) + clean_url(match.group(3)) + match.group(4)
        return match.group(1) + "\\" + match.group(0)[len(match.group(1)) :]

    def autolink(match: re.Match[str]) -> str:
        target = match.group(1)
        return f"<{clean_url(target)}>" if is_web_url(target) else target

    text = _INLINE_LINK.sub(inline, text)
    text = _REFERENCE.sub(reference, text)
    return _AUTOLINK.sub(autolink, text)
