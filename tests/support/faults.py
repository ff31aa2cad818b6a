"""Faults the network cannot cause, injected into the real ``pplx`` code for one call.

``inject(fault, patch)`` installs one fault with ``patch`` (a ``pytest.MonkeyPatch``), so it is
undone when the patch is; nothing else changes:

``enospc-fsync``
    ``os.fsync`` of a file raises ENOSPC: the disk filled up while a file was written.
``enospc-replace``
    ``os.replace`` raises ENOSPC.
``erofs``
    Anything that would write under the data folder raises EROFS: a read-only file system
    (chmod cannot simulate that for root, who ignores permission bits).
``crash``
    ``AnswerBuilder.add`` raises ``RuntimeError`` naming the API key: a bug nobody foresaw.
``as-user``
    Under the data folder, the owner's permission bits are enforced as the kernel enforces them
    for a user who is not root (root, who runs CI, ignores them): a file opened without its
    read or write bit, a file made, moved or removed in a folder without its write bit, raise
    EACCES; ``os.access`` answers by the same bits. A test chmods as for a user, and the test
    holds as root too.
"""

from __future__ import annotations

import errno
import os
import stat

import pytest

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from tests.support.cli import SOURCES

IN_BAND_ERROR = {
    "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
    "choices": [{"delta": {"content": ""}, "finish_reason": "error"}],
}
"""A chat-completions event saying the provider failed mid-answer."""

FAULTS = ("enospc-fsync", "enospc-replace", "erofs", "crash", "as-user")


def _raise(code: int, path: object = None) -> None:
    raise OSError(code, os.strerror(code), path)


def _inside_data(path: object) -> bool:
    from pplx_tui import paths

    try:
        return os.path.abspath(os.fsdecode(path)).startswith(str(paths.data_dir()))  # type: ignore[arg-type]
    except TypeError:  # a descriptor
        return False


def inject(fault: str, patch: pytest.MonkeyPatch) -> None:
    if fault == "enospc-fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                _raise(errno.ENOSPC)
            real_fsync(fd)

        patch.setattr(os, "fsync", fsync)
    elif fault == "enospc-replace":

        def replace(src: object, dst: object, **_: object) -> None:
            _raise(errno.ENOSPC, dst)

        patch.setattr(os, "replace", replace)
    elif fault == "erofs":
        real_open, real_mkdir = os.open, os.mkdir
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

        def open_(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
            if flags & writing and _inside_data(path):
                _raise(errno.EROFS, path)
            return real_open(path, flags, mode, dir_fd=dir_fd)

        def mkdir(path, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
            if _inside_data(path):
                _raise(errno.EROFS, path)
            return real_mkdir(path, mode, dir_fd=dir_fd)

        patch.setattr(os, "open", open_)
        patch.setattr(os, "mkdir", mkdir)
    elif fault == "crash":
        from pplx_tui.client.answer import AnswerBuilder

        def add(self: AnswerBuilder, event: object) -> None:
            raise RuntimeError(f"boom while holding {os.environ.get('OPENROUTER_API_KEY')}")

        patch.setattr(AnswerBuilder, "add", add)
    elif fault == "as-user":
        _as_user(patch)
    else:
        raise ValueError(f"unknown fault {fault!r} (one of {', '.join(FAULTS)})")


def _as_user(patch: pytest.MonkeyPatch) -> None:
    """The ``as-user`` fault: see the module's docstring."""
    real_open, real_mkdir, real_replace, real_rename, real_unlink, real_access = (
        os.open,
        os.mkdir,
        os.replace,
        os.rename,
        os.unlink,
        os.access,
    )

    def refuse_unless(path: object, bit: int, *, named: object = None) -> None:
        """EACCES (naming ``named``, else ``path``) unless ``path``'s mode has ``bit``."""
        if _inside_data(path):
            try:
                mode = os.stat(path).st_mode  # type: ignore[arg-type]
            except (FileNotFoundError, NotADirectoryError):
                return
            if not mode & bit:
                _raise(errno.EACCES, path if named is None else named)

    def in_folder(path: object) -> None:
        """A name made, moved or removed in ``path``'s folder: the folder must be writable."""
        if _inside_data(path):
            folder = os.path.dirname(os.path.abspath(os.fsdecode(path)))  # type: ignore[arg-type]
            refuse_unless(folder, stat.S_IWUSR, named=path)

    def open_(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if dir_fd is None and _inside_data(path):
            access = flags & os.O_ACCMODE
            if not os.path.lexists(path):
                if flags & os.O_CREAT:
                    in_folder(path)
            else:
                if access in (os.O_RDONLY, os.O_RDWR):
                    refuse_unless(path, stat.S_IRUSR)
                if access in (os.O_WRONLY, os.O_RDWR):
                    refuse_unless(path, stat.S_IWUSR)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def mkdir(path, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if dir_fd is None and not os.path.lexists(path):
            in_folder(path)
        return real_mkdir(path, mode, dir_fd=dir_fd)

    def moving(real):  # type: ignore[no-untyped-def]
        def move(src, dst, **kw):  # type: ignore[no-untyped-def]
            if not kw:
                in_folder(src)
                in_folder(dst)
            return real(src, dst, **kw)

        return move

    def unlink(path, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if dir_fd is None:
            in_folder(path)
        return real_unlink(path, dir_fd=dir_fd)

    def access(path, mode, **kw):  # type: ignore[no-untyped-def]
        bits = ((os.R_OK, stat.S_IRUSR), (os.W_OK, stat.S_IWUSR), (os.X_OK, stat.S_IXUSR))
        if kw or not (_inside_data(path) and os.path.exists(path)):
            return real_access(path, mode, **kw)
        refused = any(mode & asked and not os.stat(path).st_mode & bit for asked, bit in bits)
        return not refused and real_access(path, mode)

    patch.setattr(os, "open", open_)
    patch.setattr(os, "mkdir", mkdir)
    patch.setattr(os, "replace", moving(real_replace))
    patch.setattr(os, "rename", moving(real_rename))
    patch.setattr(os, "unlink", unlink)
    patch.setattr(os, "access", access)


def moons_chat() -> Chat:
    """A new chat (not yet saved): "How many moons does Mars have?", answered "Two [1]." by
    OpenRouter's Sonar, citing NASA."""
    chat = ChatStore().new_chat()
    chat.messages += [
        Message(role="user", content="How many moons does Mars have?"),
        Message(
            role="assistant",
            content="Two [1].",
            provider="openrouter",
            model="perplexity/sonar",
            sources=[Source(index=1, url=SOURCES[0]["url"], title="NASA")],
        ),
    ]
    return chat
