"""Make untrusted text (model output, web page titles, URLs) inert before it is shown.

Answers and sources come from the web. Terminal control sequences in them could move the
cursor, write the clipboard (OSC 52) or forge hyperlinks (OSC 8), so every piece of such text
passes through :func:`clean_text` before it reaches the screen, the clipboard or stdout.
"""

from __future__ import annotations

import functools
import os
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


_KNOWN_SECRETS: set[str] = set()
SECRET_PREFIX = 12
"""Servers echo a key's start (``sk-or-v1-abc…wxyz``): so many first characters are secret too."""
KEY_VARIABLES = ("PERPLEXITY_API_KEY", "OPENROUTER_API_KEY", "GROQ_API_KEY")


def remember_secret(secret: str | None) -> None:
    """Make :func:`redact_known` (so every chat file, export, log record and error message)
    remove ``secret`` from now on."""
    if secret and len(secret.strip()) >= 4:
        _KNOWN_SECRETS.add(secret.strip())


def redact_known(text: str, *secrets: str | None) -> str:
    """``text`` without the keys in use (remembered, or in the providers' environment
    variables), nor their first :data:`SECRET_PREFIX` characters, nor ``secrets``.

    Only known keys: text merely shaped like a key stays (an answer may explain key formats).
    The key characters that follow one go with it (:func:`secrets_pattern`).
    """
    return redact_these(text, known_secrets(*secrets))


def redact_these(text: str, secrets: tuple[str, ...]) -> str:
    """:func:`redact_known` with the keys (:func:`known_secrets`) looked up already, once for
    many texts: the lookup costs many times what a short text's search does."""
    found = tuple(secret for secret in secrets if secret in text)
    return secrets_pattern(found).sub("***", text) if found else text


class StreamRedactor:
    """:func:`redact_known` for text printed as it streams in pieces: a key cut between two
    pieces (or spread over many) is caught too. Only an end of the text that a key starts
    with is held back, until the next piece or :meth:`flush` shows what it is."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets = secrets
        self._known: tuple[str, ...] | None = None
        """The keys to mask, looked up at the first piece (not at each: 4 µs a delta)."""
        self._pending = ""
        self._before = ""
        """The last character printed: whether a short key in the next piece stands alone."""

    def feed(self, text: str) -> str:
        """What of ``text`` (after what was held back) can be printed now, keys replaced."""
        pending = self._pending + text
        if self._known is None:
            self._known = known_secrets(*self._secrets)
        secrets = self._known
        if not secrets:
            self._pending = ""
            return pending
        hold = _possible_key_start(pending, 0, secrets)
        parts: list[str] = []
        position = 0
        before = len(self._before)  # (seen by the pattern, not searched again)
        for match in secrets_pattern(secrets).finditer(self._before + pending, before):
            start, end = match.start() - before, match.end() - before
            if start >= hold:
                break
            if end == len(pending):  # the next piece may hold more of its characters
                hold = start
                break
            parts += [pending[position:start], "***"]
            position = end
            if position > hold:  # the key seen whole ran into what looked like one's start
                hold = _possible_key_start(pending, position, secrets)
        parts.append(pending[position:hold])
        self._pending = pending[hold:]
        printed = "".join(parts)
        self._before = printed[-1:] or self._before
        return printed

    def flush(self) -> str:
        """The text held back, keys replaced (the stream has ended)."""
        pending, self._pending = self._pending, ""
        before = self._before
        return redact_known(before + pending, *self._secrets)[len(before) :]


def _possible_key_start(text: str, start: int, secrets: tuple[str, ...]) -> int:
    """Where, from ``start`` on, the rest of ``text`` could be the start of a key (a part of
    one that the next piece may complete); ``len(text)`` when nowhere. Only that is held
    back, so an answer that stalls shows all it has (a key's first letter aside)."""
    firsts = {secret[0] for secret in secrets}
    for index in range(max(start, len(text) - len(secrets[0]) + 1), len(text)):
        if text[index] not in firsts:
            continue
        tail = text[index:]
        if any(len(secret) > len(tail) and secret.startswith(tail) for secret in secrets):
            return index
    return len(text)


KEY_CHARACTERS = "A-Za-z0-9_-"
"""What keys are made of: a regular expression's character class, without its brackets."""


@functools.lru_cache(maxsize=8)
def secrets_pattern(secrets: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for ``secrets`` (longest first, so a key wins over its own start), each
    with the :data:`KEY_CHARACTERS` that follow it: a cut copy of a key, its start and then
    some more of it (``sk-or-v1-abcdef``), is one match, so no fragment is left after
    ``***``. A key run into more key characters is masked with them (they may be its own).

    A key shorter than a key's start (:data:`SECRET_PREFIX`; a local gateway's ``test``) is
    masked only where it stands alone: inside a word, a URL (next to a ``/``) or a dotted name
    (``test.example.org``) it is theirs (QA: "the la*** con*** result", a source's
    ``/la***/`` URL, ``https://***.example.org``)."""
    before = f"(?<![/{KEY_CHARACTERS}])(?<!\\w\\.)"
    after = f"(?![/{KEY_CHARACTERS}])(?!\\.\\w)"
    return re.compile(
        "|".join(
            f"{before}{re.escape(secret)}{after}"
            if len(secret) < SECRET_PREFIX
            else f"{re.escape(secret)}[{KEY_CHARACTERS}]*"
            for secret in secrets
        )
    )


def known_secrets(*secrets: str | None) -> tuple[str, ...]:
    """What :func:`redact_known` replaces: each key and its start, longest first."""
    candidates = (*secrets, *_KNOWN_SECRETS, *(os.environ.get(name) for name in KEY_VARIABLES))
    found: set[str] = set()
    for secret in (s for s in candidates if s and len(s) >= 4):
        found.add(secret)
        if len(secret) > SECRET_PREFIX + 4:
            found.add(secret[:SECRET_PREFIX])
    return tuple(sorted(found, key=len, reverse=True))


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
