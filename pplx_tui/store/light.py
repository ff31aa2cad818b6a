"""A big chat file read a piece at a time, for listing and searching with bounded memory.

Listing needs a chat's title, times, message count and models; searching needs its texts.
For a file over :data:`~.files.LIGHT_ABOVE` bytes these come from a *light* copy of the chat:
the file is decoded one message at a time (never whole), each message is validated as on any
read, and only the start of its long texts is kept — a question or an answer up to
:data:`TEXT_LIMIT` characters, reasoning not at all — and, past :data:`LIGHT_BUDGET` characters
in all, the oldest answers keep none (the first question stays: it makes the title). Memory is
then about one message plus the budget, however big the file.
"""

from __future__ import annotations

import codecs
import json
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from pydantic import ValidationError

from pplx_tui.models import SCHEMA_VERSION, Chat, Message
from pplx_tui.store.chat_json import describe, fill_message_ids
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError

TEXT_LIMIT = 64 * 1024
"""Characters of one question or answer that a light copy keeps (so search looks at)."""
LIGHT_BUDGET = 16 * 2**20
"""Characters of question and answer text a light copy keeps in all, newest kept first."""
_CHUNK = 2**20
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def read_light(handle: IO[bytes], chat_id: str) -> Chat:
    """The light copy of the chat in ``handle`` (an open chat file).

    Raises :class:`CorruptChatError` or :class:`NewerSchemaError` like a whole read.
    """
    fields: dict[str, Any] = {}
    messages: list[Message] = []
    kept: deque[Message] = deque()  # messages whose text counts against the budget
    total = 0
    try:
        for name, value in _top_level(_Reader(handle)):
            if name != "messages":
                fields[name] = value
                continue
            for raw in value:
                message = _light_message(raw)
                messages.append(message)
                if message.role == "user" and len(messages) == 1:
                    continue  # the first question makes the title: never dropped
                kept.append(message)
                total += len(message.content)
                while total > LIGHT_BUDGET and kept:
                    oldest = kept.popleft()
                    total -= len(oldest.content)
                    oldest.content = ""
        chat = Chat.model_validate(fields)
    except ValidationError as error:
        version = fields.get("schema_version")
        if type(version) is int and version > SCHEMA_VERSION:
            raise NewerSchemaError(chat_id, version, readable=False) from None
        raise CorruptChatError(chat_id, describe(error)) from None
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else "not JSON"
        raise CorruptChatError(chat_id, reason) from None
    chat.messages = messages
    chat.id = chat_id
    return fill_message_ids(chat)


def _light_message(raw: object) -> Message:
    if not isinstance(raw, dict):
        raise ValueError("a message is not an object")
    raw.pop("reasoning", None)
    if isinstance(text := raw.get("content"), str) and len(text) > TEXT_LIMIT:
        raw["content"] = text[:TEXT_LIMIT]
    return Message.model_validate(raw)


class _Reader:
    """Text from a binary file, a megabyte at a time, with a cursor into what is held."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.at = 0
        self.ended = False

    def more(self) -> bool:
        """Read the next piece (dropping what was consumed); False at the end of the file."""
        if self.ended:
            return False
        data = self._handle.read(max(_CHUNK, len(self.text) - self.at))
        self.text = self.text[self.at :] + self._decoder.decode(data, final=not data)
        self.at = 0
        self.ended = not data
        return True

    def skip_space(self) -> str:
        """The next non-space character (not consumed); ``""`` at the end of the file."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def expect(self, characters: str) -> str:
        found = self.skip_space()
        if not found or found not in characters:
            raise ValueError(f"expected one of {characters!r}")
        self.at += 1
        return found

    def value(self) -> Any:
        """The next complete JSON value (the held text grows until it holds all of it)."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if not self.more():
                    raise
                continue
            if end < len(self.text) or self.ended:  # a number may go on in the next piece
                self.at = end
                return value
            self.more()


def _top_level(reader: _Reader) -> Iterator[tuple[str, Any]]:
    """``(name, value)`` for each field of the chat object; ``messages`` is an iterator of
    raw messages, to be used up before the next field is read."""
    reader.expect("{")
    if reader.skip_space() == "}":
        return
    while True:
        name = reader.value()
        if not isinstance(name, str):
            raise ValueError("a field name is not a string")
        reader.expect(":")
        if name == "messages" and reader.skip_space() == "[":
            yield name, _elements(reader)
        else:
            yield name, reader.value()
        if reader.expect(",}") == "}":
            return


def _elements(reader: _Reader) -> Iterator[Any]:
    reader.expect("[")
    if reader.skip_space() == "]":
        reader.at += 1
        return
    while True:
        yield reader.value()
        if reader.expect(",]") == "]":
            return
