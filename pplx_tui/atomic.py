"""Crash-safe file writes: temporary file in the same folder, fsync, then atomic rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: bytes | Iterable[bytes], mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of them) so that a crash leaves the
    old file or the new one.

    The file is created with ``mode`` (owner-only by default) before any byte is written. An
    ``OSError`` names ``path``, not the temporary file the user never asked for.
    """
    try:
        _write(path, data, mode)
    except OSError as error:
        if error.errno is None or error.filename == str(path):
            raise
        raise type(error)(error.errno, error.strerror, str(path)) from error
    _fsync_directory(path.parent)


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
