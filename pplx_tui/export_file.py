"""Writing an export to the file a person named (``pplx chats export -o``, the app's export
dialog): as they meant it, owner-only, crash-safe where it can be."""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pplx_tui.atomic import write_atomic
from pplx_tui.redact import redact_known

__all__ = ["FORMAT_NAMES", "file_name", "what_was_written", "write_export"]

FORMAT_NAMES = {
    "md": "Markdown",
    "json": "JSON",
    "bibtex": "BibTeX",
    "csl-json": "CSL-JSON",
    "ris": "RIS",
}
"""Each export format's name, as the app and ``pplx chats export`` say it."""

STEM_LENGTH = 60
"""Characters of a title a file name keeps (cut between words)."""
_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))}
"""Names Windows keeps for devices, whatever the suffix."""


def write_export(typed: str, data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` to the file ``typed`` names; the path, ``~`` expanded. An ``OSError``
    names the file as typed.

    - A name ending in a slash is a folder, which ``Path`` would drop quietly (``-o exports/``
      wrote a file named ``exports``): :class:`IsADirectoryError`, as for a folder named
      without it (``-o .``).
    - A device, a pipe or the file behind ``/dev/stdout`` (``>(gzip > x.gz)``, ``>> log``) is
      written where it is, appended to: replacing it needs the right to write in its folder,
      as root put a file where the device was, and dropped what ``>>`` kept.
    - A link is followed: the file it names is replaced, the link kept (it was replaced by a
      plain file).
    - Anything else is replaced atomically, 0600, missing folders made (0700).
    """
    path = Path(typed).expanduser()
    if typed.endswith(("/", os.sep)) or path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it names a folder, not a file", typed)
    try:
        if _in_place(path):
            with open(path, "ab") as handle:
                handle.writelines([data] if isinstance(data, bytes) else data)
        else:
            write_atomic(Path(os.path.realpath(path)), data, make_folders=True)
    except OSError as error:
        if error.errno is None or error.filename == typed:
            raise
        raise type(error)(error.errno, error.strerror, typed) from error
    return path


def what_was_written(fmt: str, sources: int, chat: str = "the chat") -> str:
    """What an export in ``fmt`` holds, for the line saying it was written: ``the chat
    (Markdown)`` (``chat``), ``5 sources (BibTeX)``."""
    if fmt in ("md", "json"):
        return f"{chat} ({FORMAT_NAMES[fmt]})"
    return f"{sources:,} source{'' if sources == 1 else 's'} ({FORMAT_NAMES[fmt]})"


def _in_place(path: Path) -> bool:
    """Whether ``path`` is written where it is: a device, a pipe, or a file behind
    ``/dev/stdout``."""
    try:
        mode = os.stat(path).st_mode  # every link followed, /proc's too
    except OSError:
        return False  # a new file (or an error write_atomic names)
    if stat.S_ISDIR(mode):
        return False
    return not stat.S_ISREG(mode) or _through_proc(path)


def _through_proc(path: Path) -> bool:
    """Whether ``path`` reaches its file through /proc (``/dev/stdout``, ``/dev/fd/1``): a
    file a shell opened for the process (``>>`` appends), not one to replace."""
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's limit on links followed
        if os.path.realpath(os.path.dirname(hop)).startswith("/proc/"):
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return False


def file_name(title: str, chat_id: str, suffix: str) -> str:
    """The file an export of chat ``chat_id`` titled ``title`` is offered as: its title's
    words in lower case, joined by ``-`` (letters and digits of any script, accents dropped
    from Latin ones, ``_``; nothing a shell or a path reads: no ``/``, ``.``, ``~``, ``$``,
    space or leading ``-``), cut between words at :data:`STEM_LENGTH` characters; the chat's id
    when no word is left. ``suffix`` (``.md``) is added. A key in the title is left out, as
    it is from the export."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", redact_known(title)):
        kind = unicodedata.category(char)
        if kind[0] in "LN" or char == "_":
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            kept.append(base.lower() if base.isascii() and base.isalnum() else char.lower())
        elif kind[0] == "M" and kept and not kept[-1].isascii():
            kept.append(char)  # a vowel sign or virama of the letter before it
        elif kept and kept[-1] != "-":
            kept.append("-")
    stem = "".join(kept).strip("-")
    if len(stem) > STEM_LENGTH:
        cut = stem[: STEM_LENGTH + 1]
        stem = cut[: cut.rfind("-")] if "-" in cut else cut[:STEM_LENGTH]
    stem = stem.strip("-")
    if not stem or stem in _RESERVED:
        stem = chat_id
    return stem + suffix
