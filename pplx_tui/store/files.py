"""Chat files on disk: layout, locks, parsing, atomic writes, and setting bad files aside.

Layout under the chats folder (0700; every file 0600)::

    <id>.json          one chat, written by write_atomic (temp file, fsync, os.replace)
    .locks/<id>.lock   advisory flock held while a chat is read, merged and written
    .corrupt/          files that did not parse or validate, kept for the curious
    .index/            the rebuildable listing and search index (see index.py)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from pplx_tui.atomic import write_atomic
from pplx_tui.models import SCHEMA_VERSION, Chat
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError, StoreBusyError
from pplx_tui.store.ids import check_chat_id, is_chat_id, legacy_message_id

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, last writer wins
    fcntl = None  # type: ignore[assignment]

Stamp = tuple[int, int, int]
"""``(mtime_ns, size, inode)`` of a chat file: what tells the index a file changed."""

FOLDER_MODE = 0o700
FILE_MODE = 0o600
LOCK_TIMEOUT = 10.0
STALE_TEMP_SECONDS = 600
_C1 = re.compile(r"[\x7f-\x9f]")


def dump_chat(chat: Chat) -> bytes:
    """The chat file's bytes: indented JSON with no raw control character anywhere."""
    return escape_controls(chat.model_dump_json(indent=2)).encode()


def escape_controls(json_text: str) -> str:
    """Escape DEL and the C1 controls (``\\x9b`` is a CSI) in JSON text.

    JSON escapes C0 controls itself; with these escaped too, printing JSON on a terminal is
    harmless. They can only occur inside strings, where a ``\\u`` escape means the same.
    """
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


def peek_schema_version(data: bytes) -> int | None:
    """The ``schema_version`` of a JSON document that our model may not accept."""
    try:
        raw = json.loads(data)
    except ValueError:
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
    """Give messages saved before messages had ids a deterministic one."""
    for position, message in enumerate(chat.messages):
        if "id" not in message.model_fields_set:
            fields = message.model_fields_set
            created = message.created_at.isoformat() if "created_at" in fields else ""
            message.id = legacy_message_id(position, message.role, created, message.content)
    return chat


class ChatFiles:
    """Paths and raw file operations; knows nothing about merging or the index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index_dir = root / ".index"
        self._locks = root / ".locks"
        self._corrupt = root / ".corrupt"

    def path(self, chat_id: str) -> Path:
        return self.root / f"{check_chat_id(chat_id)}.json"

    def ensure_root(self) -> None:
        """Create the chats folder, owner-only, on the first write."""
        if not self.root.is_dir():
            self.root.parent.mkdir(parents=True, exist_ok=True)
            self.root.mkdir(mode=FOLDER_MODE, exist_ok=True)

    def exists(self, chat_id: str) -> bool:
        return self.path(chat_id).is_file()

    def read(self, chat_id: str) -> tuple[bytes, Stamp]:
        """The file's bytes and the stamp of exactly those bytes (raises FileNotFoundError)."""
        with open(self.path(chat_id), "rb") as handle:
            status = os.fstat(handle.fileno())
            return handle.read(), (status.st_mtime_ns, status.st_size, status.st_ino)

    def write(self, chat: Chat) -> None:
        self.ensure_root()
        write_atomic(self.path(chat.id), dump_chat(chat), FILE_MODE)

    def scan(self) -> dict[str, Stamp]:
        """Every chat file's stamp, from one directory scan (no file is opened).

        Temporary files left by a writer that died are removed once they are old.
        """
        found: dict[str, Stamp] = {}
        try:
            entries = os.scandir(self.root)
        except (FileNotFoundError, NotADirectoryError):
            return found
        stale = time.time() - STALE_TEMP_SECONDS
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".json") and is_chat_id(name[:-5]):
                    if entry.is_file(follow_symlinks=False):
                        status = entry.stat(follow_symlinks=False)
                        found[name[:-5]] = (status.st_mtime_ns, status.st_size, entry.inode())
                elif name.startswith(".") and name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_mtime < stale:
                            os.unlink(entry.path)
        return found

    @contextlib.contextmanager
    def lock(self, chat_id: str, *, remove: bool = False) -> Iterator[None]:
        """Hold the chat's advisory lock; ``remove`` deletes the lock file before release."""
        with _flock(self._locks / f"{check_chat_id(chat_id)}.lock", remove=remove):
            yield

    @contextlib.contextmanager
    def index_lock(self) -> Iterator[None]:
        with _flock(self.index_dir / "lock"):
            yield

    def set_aside(self, chat_id: str) -> Path:
        """Move a bad chat file to ``.corrupt/`` (call with the chat's lock held)."""
        self._corrupt.mkdir(mode=FOLDER_MODE, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self._corrupt / f"{chat_id}.{stamp}.json"
        os.replace(self.path(chat_id), target)
        return target


@contextlib.contextmanager
def _flock(path: Path, *, remove: bool = False) -> Iterator[None]:
    """An exclusive flock on ``path``, safe against the file being removed and recreated.

    After locking, the descriptor must still name the file at ``path``; if a remover unlinked
    it meanwhile, we locked a dead inode and must try again.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    path.parent.mkdir(mode=FOLDER_MODE, parents=False, exist_ok=True)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        try:
            _acquire(descriptor, deadline, path)
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path).st_ino == os.fstat(descriptor).st_ino:
                    break
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
    try:
        yield
    finally:
        if remove:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        os.close(descriptor)


def _acquire(descriptor: int, deadline: float, path: Path) -> None:
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise StoreBusyError(
                    f"another pplx-tui process has held {path.name} for over "
                    f"{LOCK_TIMEOUT:.0f} s; try again"
                ) from None
            time.sleep(0.002)
