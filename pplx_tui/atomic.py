"""Crash-safe file writes: temporary file in the same folder, fsync, then atomic rename."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], mode: int = 0o600, *, make_folders: bool = False
) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of them) so that a crash leaves the
    old file or the new one.

    The file is created with ``mode`` (owner-only by default) before any byte is written;
    with ``make_folders``, missing folders above it are made first, owner-only (an export to
    ``notes/2026/x.md``, as ``mkdir -p`` would). An ``OSError`` names ``path``, not the
    temporary file or a folder the user never asked for.
    """
    try:
        if make_folders:
            make_owner_only_folders(path.parent)
        _write(path, data, mode)
    except OSError as error:
        if error.errno is None or error.filename == str(path):
            raise
        raise type(error)(error.errno, error.strerror, str(path)) from error
    _fsync_directory(path.parent)


def make_owner_only_folders(folder: Path) -> None:
    """Make ``folder`` and the folders missing above it, each 0700 from the moment it is made
    (``Path.mkdir(parents=True)`` gives the parents the default mode, 0755 under the usual
    umask). A folder that is there already is left as it is: the user may have made it so."""
    missing: list[Path] = []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=0o700)
        except FileExistsError:
            if not each.is_dir():  # a file in the way ("File exists" would puzzle)
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None


def _write(path: Path, data: bytes | Iterable[bytes], mode: int) -> None:
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every filesystem allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
