"""The log for the curious: ``$XDG_STATE_HOME/pplx-tui/pplx.log``, rotated, owner-only.

Warnings and tracebacks go here instead of the screen; ``pplx --debug`` lowers the level to
DEBUG. Every record passes through :class:`RedactingFilter`, so keys never reach the file.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING

from pplx_tui import paths
from pplx_tui.atomic import make_owner_only_folders

if TYPE_CHECKING:
    from io import TextIOWrapper

LOGGER_NAME = "pplx_tui"


class RedactingFilter(logging.Filter):
    """Replace API keys (those in use and anything key-shaped) and control characters."""

    def filter(self, record: logging.LogRecord) -> bool:
        from pplx_tui.client.errors import redact
        from pplx_tui.sanitize import clean_text

        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        # Keys out (redact knows the providers' variables); and no escape sequence from the
        # web reaches whoever reads the log.
        record.msg = clean_text(redact(message))
        record.args = None
        if record.exc_text:
            record.exc_text = clean_text(redact(record.exc_text))
        record.exc_info = None
        return True


class _OwnerOnlyFileHandler(RotatingFileHandler):
    """Every log file it opens, the first and each one after a rotation, is created 0600."""

    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(*, debug: bool = False) -> None:
    """Send the package's log records to the rotated file (never to the terminal)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    if logger.handlers:
        return
    try:
        folder = paths.state_dir()
        make_owner_only_folders(folder)
        path = paths.log_file()
        if not path.exists():
            path.touch(mode=0o600)
        handler: logging.Handler = _OwnerOnlyFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}")
