"""Chat files on disk: layout, locks, atomic writes, and setting bad files aside (what their
bytes say is :mod:`.chat_json`'s).

Layout under the chats folder (0700; every file 0600)::

    <id>.json          one chat, written by write_atomic (temp file, fsync, os.replace)
    .<id>.json.*.tmp   a write in progress; left behind only by a writer that was killed,
                       removed on the next save of that chat and by the next scan
    .locks/<id>.lock   advisory flock held while a chat is read, merged and written
    .corrupt/          files that did not parse or validate, kept for the curious
    .index/            the rebuildable listing and search index (see index.py); its
                       rebuild.lock only while a damaged index is removed

Nothing inside the folder is followed if it is a symbolic link (a chat file, ``.locks/``, a
lock file, ``.corrupt/``): such a file is not listed, and reading or writing through it
raises :class:`LinkRefusedError`, so no command reads or writes outside the folder. The
folder itself may be a link (a data folder moved to another disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Container, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from pplx_tui.atomic import make_owner_only_folders, write_atomic
from pplx_tui.store.errors import LinkRefusedError, StoreBusyError
from pplx_tui.store.ids import check_chat_id, is_chat_id

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
LIGHT_ABOVE = 8 * 2**20
"""Chat files bigger than this (8 MiB) are listed and searched from a light copy (:mod:`.light`)."""
_CHAT_TEMPORARY = re.compile(r"\.(?P<id>[0-9a-z][0-9a-z_-]{0,63})\.json\.[^.]+\.tmp")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class ChatFiles:
    """Paths and raw file operations; knows nothing about merging or the index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index_dir = root / ".index"
        self._locks = root / ".locks"
        self.corrupt_dir = root / ".corrupt"

    def path(self, chat_id: str) -> Path:
        return self.root / f"{check_chat_id(chat_id)}.json"

    def ensure_root(self) -> None:
        """Create the chats folder, owner-only, on the first write."""
        if not self.root.is_dir():
            make_owner_only_folders(self.root)

    def exists(self, chat_id: str) -> bool:
        """Whether the chat's file is there; a link or special file in its place is refused."""
        path = self.path(chat_id)
        try:
            status = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return False
        _check_regular(path, status.st_mode)
        return True

    def read(self, chat_id: str) -> tuple[bytes, Stamp]:
        """The file's bytes and the stamp of exactly those bytes (raises FileNotFoundError)."""
        with self.open(chat_id) as (handle, stamp):
            return handle.read(), stamp

    @contextlib.contextmanager
    def open(self, chat_id: str) -> Iterator[tuple[BinaryIO, Stamp]]:
        """The open file (never through a link) and its stamp (raises FileNotFoundError)."""
        path = self.path(chat_id)
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC | _NOFOLLOW | _NONBLOCK)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LinkRefusedError(path) from None
            raise
        with open(descriptor, "rb") as handle:
            status = os.fstat(descriptor)
            _check_regular(path, status.st_mode)
            yield handle, (status.st_mtime_ns, status.st_size, status.st_ino)

    def stamp(self, chat_id: str) -> Stamp | None:
        """The stamp of the chat's file as it is now (``None``: none, or not a plain file)."""
        try:
            status = os.lstat(self.path(chat_id))
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        return (status.st_mtime_ns, status.st_size, status.st_ino)

    def write(self, chat_id: str, pieces: Iterable[bytes]) -> Stamp | None:
        """Write a chat's file (its lock held) from its bytes (``chat_json.dump_pieces``);
        the stamp of the file written."""
        self.ensure_root()
        path = self.path(chat_id)
        with contextlib.suppress(FileNotFoundError):
            _check_regular(path, os.lstat(path).st_mode)
        write_atomic(path, pieces, FILE_MODE)
        return self.stamp(chat_id)

    def remove_temporaries(self, chat_id: str) -> None:
        """Remove what killed writers of this chat left (call with the chat's lock held:
        every writer holds it while its temporary file exists, so these are all dead)."""
        prefix = f".{check_chat_id(chat_id)}.json."
        try:
            names = [n for n in os.listdir(self.root) if n.startswith(prefix)]
        except OSError:
            return
        for name in names:
            if _CHAT_TEMPORARY.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(self.root / name)

    def folder_problem(self) -> OSError | None:
        """Why the chats folder cannot be read, when it is there (or a file stands where it,
        or a folder above it, should be); ``None`` when it can, or is not there yet (nothing
        saved). A listing takes an unreadable folder for an empty one: this tells them apart."""
        try:
            if not stat.S_ISDIR(os.stat(self.root).st_mode):
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(self.root))
            os.close(os.open(self.root, os.O_RDONLY | os.O_CLOEXEC | _DIRECTORY))
        except FileNotFoundError:
            return None
        except OSError as error:
            return error
        return None

    def scan(self, known: Container[str] = ()) -> dict[str, Stamp]:
        """Every chat file's stamp, from one listing of the folder and an ``lstat`` of each
        chat file through the folder's descriptor (no file is opened; ``os.scandir``'s
        entries cost half as much again); ``known`` names ids already checked (the index's:
        2,000 ids are not matched again each time).

        Temporary files left by a writer that died are removed: a chat's at once when no
        writer holds that chat's lock, any other once it is old.
        """
        found: dict[str, Stamp] = {}
        try:
            folder = os.open(self.root, os.O_RDONLY | os.O_CLOEXEC | _DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):
            return found
        stale = time.time() - STALE_TEMP_SECONDS
        orphans: set[str] = set()
        try:
            for name in os.listdir(folder):
                if name.endswith(".json") and (
                    (chat_id := name[:-5]) in known or is_chat_id(chat_id)
                ):
                    try:
                        status = os.lstat(name, dir_fd=folder)
                    except FileNotFoundError:
                        continue
                    if stat.S_ISREG(status.st_mode):
                        found[chat_id] = (status.st_mtime_ns, status.st_size, status.st_ino)
                elif name.startswith(".") and name.endswith(".tmp"):
                    if match := _CHAT_TEMPORARY.fullmatch(name):
                        orphans.add(match["id"])
                        continue
                    with contextlib.suppress(OSError):
                        if os.lstat(name, dir_fd=folder).st_mtime < stale:
                            os.unlink(name, dir_fd=folder)
        finally:
            os.close(folder)
        for chat_id in orphans:
            with contextlib.suppress(StoreBusyError, OSError), self.lock(chat_id, wait=False):
                self.remove_temporaries(chat_id)
        return found

    @contextlib.contextmanager
    def lock(
        self,
        chat_id: str,
        *,
        remove: bool = False,
        wait: bool = True,
        timeout: float | None = None,
    ) -> Iterator[None]:
        """Hold the chat's advisory lock; ``remove`` deletes the lock file before release.

        Another holder is waited on for ``timeout`` seconds (``LOCK_TIMEOUT`` if ``None``),
        then :class:`StoreBusyError`; ``wait=False`` raises it at once.
        """
        path = self._locks / f"{check_chat_id(chat_id)}.lock"
        seconds = (LOCK_TIMEOUT if timeout is None else timeout) if wait else 0.0
        with _flock(path, remove=remove, timeout=seconds):
            yield

    def index_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held while a damaged index file is removed (``.index/rebuild.lock``, removed on
        release): two processes finding the same damage remove it once."""
        return _flock(self.index_dir / "rebuild.lock", remove=True)

    def set_aside_since(self, chat_id: str, stamp: Stamp) -> Path | None:
        """The newest copy of the chat's file in ``.corrupt/`` written since ``stamp`` (the
        file as a reader last saw it), if any: what replaced that file did not read."""
        try:
            if not stat.S_ISDIR(os.lstat(self.corrupt_dir).st_mode):  # (a link is not followed)
                return None
        except OSError:
            return None
        found: list[tuple[int, Path]] = []
        for path in self.corrupt_dir.glob(f"{check_chat_id(chat_id)}.*.json"):
            try:
                status = os.lstat(path)
            except OSError:  # (removed meanwhile)
                continue
            if stat.S_ISREG(status.st_mode) and status.st_mtime_ns >= stamp[0]:
                found.append((status.st_mtime_ns, path))
        return max(found)[1] if found else None

    def set_aside(self, chat_id: str) -> Path:
        """Move a bad chat file to ``.corrupt/`` (call with the chat's lock held)."""
        _real_folder(self.corrupt_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.corrupt_dir / f"{chat_id}.{stamp}.json"
        os.replace(self.path(chat_id), target)
        _owner_only(target)  # (one written by hand may be 0644: chat files are 0600)
        return target


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise LinkRefusedError(path)
    if not stat.S_ISREG(mode):
        raise LinkRefusedError(path, "not a regular file")


def _owner_only(path: Path) -> None:
    """Make the file at ``path`` 0600 if it can be (never through a link)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC | _NOFOLLOW | _NONBLOCK)
        try:
            os.fchmod(descriptor, FILE_MODE)
        finally:
            os.close(descriptor)


def _real_folder(path: Path) -> None:
    """Create ``path`` (0700) if missing; refuse it if it is a link or not a folder."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=FOLDER_MODE)
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise LinkRefusedError(path)
    if not stat.S_ISDIR(mode):
        raise LinkRefusedError(path, "not a folder")


@contextlib.contextmanager
def _flock(path: Path, *, remove: bool = False, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive flock on ``path``, safe against the file being removed and recreated.

    After locking, the descriptor must still name the file at ``path``; if a remover unlinked
    it meanwhile, we locked a dead inode and must try again. Neither the folder nor the lock
    file may be a symbolic link (:class:`LinkRefusedError`).
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    _real_folder(path.parent)
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(
                path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | _NOFOLLOW | _NONBLOCK, FILE_MODE
            )
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LinkRefusedError(path) from None
            raise
        try:
            _acquire(descriptor, deadline, path, timeout)
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


def _acquire(descriptor: int, deadline: float, path: Path, timeout: float) -> None:
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"another pplx-tui process has held {path.name} for over "
                    f"{timeout:g} s; try again"
                ) from None
            time.sleep(0.002)
