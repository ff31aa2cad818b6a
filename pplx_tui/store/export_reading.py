"""Reading a chat export to import it (:meth:`~pplx_tui.store.chat_store.ChatStore.import_file`):
checked to be a chat export of a readable size and schema, its background runs' addresses
forgotten."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pydantic import ValidationError

from pplx_tui.models import SCHEMA_VERSION, Chat
from pplx_tui.redact import redact_known
from pplx_tui.sanitize import shown_name
from pplx_tui.store.chat_json import describe, fill_message_ids
from pplx_tui.store.errors import ImportRejectedError

__all__ = ["MAX_IMPORT_BYTES", "forget_run_addresses", "parse_export", "read_export"]

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def read_export(path: Path) -> Chat:
    """The chat in a JSON export file, checked: a regular file or a pipe (``<(…)``,
    ``/dev/stdin``), at most 20 MiB, a chat."""
    named = shown_name(path)
    try:
        status = path.stat()
    except OSError as error:
        raise ImportRejectedError(f"cannot read {named}: {error.strerror}") from None
    if not (stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        raise ImportRejectedError(f"{named} is not a file")
    if status.st_size > MAX_IMPORT_BYTES:
        raise ImportRejectedError(f"{named} is {status.st_size:,} bytes; {_AT_MOST}")
    with open(path, "rb") as handle:
        data = handle.read(MAX_IMPORT_BYTES + 1)  # a pipe: no more than that is read
    return parse_export(data, str(path))


_AT_MOST = f"a chat export is at most {MAX_IMPORT_BYTES:,} bytes ({MAX_IMPORT_BYTES // 2**20} MiB)"


def parse_export(data: bytes, name: str) -> Chat:
    """The chat in ``data``, a JSON export read from ``name`` (for errors), checked."""
    name = shown_name(name)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejectedError(f"{name} is over {MAX_IMPORT_BYTES:,} bytes; {_AT_MOST}")
    not_a_chat = f"{name} is not a pplx-tui chat export"
    try:
        raw = json.loads(data)
    except ValueError:
        raise ImportRejectedError(f"{not_a_chat} (it is not JSON)") from None
    except RecursionError:
        raise ImportRejectedError(f"{not_a_chat} (it is nested too deeply)") from None
    if not isinstance(raw, dict):
        raise ImportRejectedError(not_a_chat)
    if problem := _shape_problem(raw):
        raise ImportRejectedError(f"{not_a_chat} ({problem})")
    version = raw["schema_version"]
    if version > SCHEMA_VERSION:
        raise ImportRejectedError(
            f"{name} was exported by a newer pplx-tui (format {version}); upgrade to import it"
        )
    if not isinstance(raw.get("id"), str):
        raw["id"] = ""
    try:
        # Through JSON, so the nesting a chat file may have is checked as on every read
        # (unknown fields are kept, and must be writable).
        # Keys masked as a save masks them: also in the title said, the copy compared with.
        chat = Chat.model_validate_json(redact_known(json.dumps(raw)))
    except ValidationError as error:
        raise ImportRejectedError(f"{not_a_chat} ({describe(error)})") from None
    if not chat.messages:  # no chat any pplx-tui saves: it would list as "0 msgs", untitled
        raise ImportRejectedError(f"{name} holds no messages: nothing to import")
    return fill_message_ids(chat)


def _shape_problem(raw: dict[str, object]) -> str:
    """What keeps ``raw`` from having a chat export's shape (a whole ``schema_version`` and a
    list of ``messages``), said as such; "" when it has it."""
    version, messages = raw.get("schema_version"), raw.get("messages")
    if version is None and messages is None:
        return "no schema_version and messages"
    if version is None:
        return "no schema_version"
    if type(version) is not int:  # (not a bool either)
        return "its schema_version is not a whole number"
    if messages is None:
        return "no messages"
    if not isinstance(messages, list):
        return "its messages are not a list"
    return ""


def forget_run_addresses(chat: Chat) -> Chat:
    """``chat`` with no base URL on its background runs (an import's, or one to compare with).

    Anyone may have written a file to import: its runs are polled where this user's provider
    is configured, never at an address the file names (the key goes with every poll).
    """
    for message in chat.messages:
        if message.run is not None:
            message.run.base_url = None
    return chat
