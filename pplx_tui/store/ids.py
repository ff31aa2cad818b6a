"""Chat ids: generated, short, sortable by creation time; ids from outside are validated.

A generated id is 16 characters of Crockford base32 (lower case): 48 bits of Unix time in
milliseconds, then 30 random bits. Any id, generated or imported, must match
:data:`CHAT_ID_PATTERN` before it is joined to a folder, so ``../x`` or ``/etc/passwd`` never
becomes a path.
"""

from __future__ import annotations

import os
import re
import time

from pplx_tui.store.errors import InvalidChatIdError

CHAT_ID_PATTERN = re.compile(r"[0-9a-z][0-9a-z_-]{0,63}")
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RANDOM_BITS = 30
_LENGTH = 16


def new_chat_id(now_ms: int | None = None) -> str:
    """A fresh id; ids made later sort after ids made earlier (to the millisecond)."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    # os.urandom, as secrets.randbits does (importing secrets costs a listing ~4 ms).
    random_bits = int.from_bytes(os.urandom(4), "big") >> (32 - _RANDOM_BITS)
    value = (ms << _RANDOM_BITS) | random_bits
    chars = []
    for _ in range(_LENGTH):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


_OWN_ID = re.compile(f"[{_ALPHABET}]{{{_LENGTH}}}")


def is_own_id(value: str) -> bool:
    """Whether ``value`` has the shape of an id :func:`new_chat_id` makes (an imported chat
    with another, ``zzzz``, gets a new one: ``pplx chats list`` aligns on 16 characters, and
    ids tell when a chat was made)."""
    return _OWN_ID.fullmatch(value) is not None


def is_chat_id(value: object) -> bool:
    return isinstance(value, str) and CHAT_ID_PATTERN.fullmatch(value) is not None


def check_chat_id(value: str, typed: str | None = None) -> str:
    """Return ``value`` if it is a well-formed chat id, else raise :class:`InvalidChatIdError`
    naming ``typed`` (what the user typed, ``value`` its lower case), or ``value``."""
    if not is_chat_id(value):
        named = value if typed is None else typed
        shown = repr(named[:80]) if isinstance(named, str) else type(named).__name__
        raise InvalidChatIdError(
            f"{shown} is not a chat id (ids are lower-case letters, digits, '-' and '_'; "
            "see `pplx chats list`)"
        )
    return value
