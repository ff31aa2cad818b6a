"""Keep the user's API keys out of everything written: chat files, exports, logs, errors.

Servers echo keys (a whole one in an error body, or its start in ``sk-or-v1-abc…``), and a
model may repeat one inside an answer. Only the keys in use are masked (remembered ones and
the providers' environment variables); text merely shaped like a key stays.
"""

from __future__ import annotations

import functools
import os
import re

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
