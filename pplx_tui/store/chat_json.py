"""The chat file's JSON: written with no key in use and no raw control character, a message
at a time (:func:`dump_pieces`), and read back validated, with ids for messages saved before
messages had them (:func:`parse_chat`). Where the bytes go is :mod:`.files`' business.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

from pydantic import BaseModel, ValidationError

from pplx_tui.models import SCHEMA_VERSION, Chat
from pplx_tui.redact import known_secrets, secrets_pattern
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError

__all__ = [
    "describe",
    "dump_chat",
    "dump_pieces",
    "fill_message_ids",
    "legacy_message_id",
    "parse_chat",
    "peek_schema_version",
]

_C1_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]")  # DEL and the C1 controls, UTF-8 encoded


def dump_chat(chat: Chat) -> bytes:
    """The chat file's bytes: indented JSON with no raw control character anywhere, and no
    key in use (a server may echo one inside an answer)."""
    return b"".join(dump_pieces(chat))


def dump_pieces(chat: Chat) -> Iterator[bytes]:
    """:func:`dump_chat` a message at a time: a 150 MB chat is written without ever being
    150 MB of bytes (or, as a ``str``, two or four times that) in memory."""
    # The keys to hide, found once for the file (each message looked them up again: a tenth
    # of a second for each save of a 5,000-message chat).
    secrets = _Secrets(known_secrets())
    shell = chat.model_copy(update={"messages": []})
    head, _, tail = _json(shell, secrets).partition(b'"messages": []')  # no field before
    yield head + b'"messages": ['  # it holds an object with such a key, and strings escape "
    for number, message in enumerate(chat.messages):
        # Indented as inside the whole document (JSON has newlines only between tokens).
        piece = _json(message, secrets).replace(b"\n", b"\n    ")
        yield (b",\n    " if number else b"\n    ") + piece
    yield (b"\n  ]" if chat.messages else b"]") + tail


class _Secrets:
    """The keys to hide in a chat file's bytes, as :func:`pplx_tui.redact.redact_known`
    hides them in text: each with the key characters that follow it."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self.needles = [secret.encode() for secret in secrets]
        self.pattern = re.compile(secrets_pattern(secrets).pattern.encode())

    def hide(self, data: bytes) -> bytes:
        """``data`` with the keys replaced by ``***`` (looked for first: a regular expression
        over a long answer costs more than a byte search)."""
        if any(needle in data for needle in self.needles):
            return self.pattern.sub(b"***", data)
        return data


def _json(model: BaseModel, secrets: _Secrets) -> bytes:
    """``model`` as indented JSON, its keys replaced by ``***``."""
    data = secrets.hide(model.__pydantic_serializer__.to_json(model, indent=2))
    if not _has_c1(data):  # a regular expression takes seconds over 150 MB, this much less
        return data
    return _C1_UTF8.sub(lambda match: b"\\u%04x" % ord(match.group().decode()), data)


def _has_c1(data: bytes) -> bool:
    if b"\x7f" in data:
        return True
    at = data.find(b"\xc2")
    while at >= 0:
        if b"\x80" <= data[at + 1 : at + 2] <= b"\x9f":
            return True
        at = data.find(b"\xc2", at + 1)
    return False


def peek_schema_version(data: bytes) -> int | None:
    """The ``schema_version`` of a JSON document that our model may not accept."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        return None
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def describe(error: ValidationError) -> str:
    """A short reason (location and message, never the offending value)."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def parse_chat(data: bytes, chat_id: str) -> Chat:
    """Validate a chat file. The file name is the chat's id, whatever the file says.

    Raises :class:`NewerSchemaError` (unreadable newer file) or :class:`CorruptChatError`.
    """
    try:
        chat = Chat.model_validate_json(data)
    except ValidationError as error:
        version = peek_schema_version(data)
        if version is not None and version > SCHEMA_VERSION:
            raise NewerSchemaError(chat_id, version, readable=False) from None
        raise CorruptChatError(chat_id, describe(error)) from None
    chat.id = chat_id
    return fill_message_ids(chat)


def fill_message_ids(chat: Chat) -> Chat:
    """Give messages saved before messages had ids a deterministic one, and a message whose id
    an earlier message has one of its own (:func:`_renew_repeated_ids`)."""
    for position, message in enumerate(chat.messages):
        if "id" not in message.model_fields_set:
            fields = message.model_fields_set
            created = message.created_at.isoformat() if "created_at" in fields else ""
            message.id = legacy_message_id(position, message.role, created, message.content)
    _renew_repeated_ids(chat)
    return chat


def _renew_repeated_ids(chat: Chat) -> None:
    """Renew the id of each message whose id an earlier message has (a hand-edited file or
    export): with two messages of one id the chat's tree had no start, and the chat showed, and
    sent as context, nothing. Read like a parent that is gone (``Chat._parents``): repaired
    on every read, written back at the next save.

    The new id is derived from the old one and the message's place, so every process reading
    the file agrees on it (the store merges writers by id). A ``parent_id`` naming a repeated id
    names the latest message before it that had it (a message is written after the one it
    follows); a choice at a fork, the pair of those messages that are parent and child.
    """
    messages = chat.messages
    taken = {message.id for message in messages}
    if len(taken) == len(messages):
        return
    holders: dict[str, list[str]] = {}  # an id as written → the ids its messages have now
    for position, message in enumerate(messages):
        if message.parent_id in holders:
            message.parent_id = holders[message.parent_id][-1]
        written = message.id
        if written in holders:
            message.id = _fresh_id(written, position, taken)
        holders.setdefault(written, []).append(message.id)
    parents = chat.parent_keys()
    chosen: dict[str, str] = {}
    for parent, child in chat.chosen.items():
        pairs = (
            (holder, kid)
            for holder in holders.get(parent, [parent])
            for kid in holders.get(child, [child])
            if parents.get(kid) == holder
        )
        holder, kid = next(pairs, (parent, child))
        chosen[holder] = kid
    chat.chosen = chosen


def _fresh_id(written: str, position: int, taken: set[str]) -> str:
    """A message id no message in ``taken`` has, the same for the same ``written`` id and
    ``position`` (added to ``taken``)."""
    salt = 0
    while (fresh := _digest(f"{written}\x00{position}\x00{salt}")) in taken:
        salt += 1
    taken.add(fresh)
    return fresh


def _digest(seed: str) -> str:
    return hashlib.blake2b(seed.encode(), digest_size=8).hexdigest()


def legacy_message_id(position: int, role: str, created: str, content: str) -> str:
    """A deterministic id for a message saved before messages had ids.

    Deterministic so that two processes loading the same old file agree on it.
    """
    return _digest(f"{position}\x00{role}\x00{created}\x00{content}")
