"""What ``pplx ask`` says became of a partial answer: it is kept only when the exchange is
saved (``--save``, or ``--chat`` without ``--no-save``); without, it was only printed.

The client's errors say "the partial answer is kept", true in the app (the chat keeps it) and
for a saved answer: an answer not saved says instead that it is not, and how to keep the next.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pplx_tui.cli.common import option

if TYPE_CHECKING:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.errors import ClientError

__all__ = ["broken", "cut_reason", "interrupted", "saves", "stop_hint"]


def saves(args: argparse.Namespace) -> bool:
    """``--save``, or ``--chat`` without ``--no-save``: a continued chat keeps its follow-up."""
    return bool(args.save or (option(args, "chat") and not args.no_save))


def _not_saved(args: argparse.Namespace) -> str:
    hint = "" if args.no_save else " (add --save to keep it)"
    return f"the partial answer is not saved{hint}"


def interrupted(args: argparse.Namespace, builder: AnswerBuilder) -> str:
    """What became of an answer stopped by Ctrl-C (or SIGTERM, SIGHUP)."""
    if not builder.content:
        return "interrupted before the answer began"
    if saves(args):
        return "interrupted; the partial answer is kept"
    return f"interrupted; {_not_saved(args)}"


def broken(args: argparse.Namespace, error: ClientError) -> str:
    """The line for a stream that broke off mid-answer (the error's own for any other, but
    the retired Sonar endpoint's, which names the option that helps here)."""
    from pplx_tui.client.errors import RetiredEndpointError, StreamInterrupted
    from pplx_tui.client.http_errors import RETIRED_FLAG_MESSAGE

    if isinstance(error, RetiredEndpointError):
        return RETIRED_FLAG_MESSAGE
    if saves(args) or not isinstance(error, StreamInterrupted):
        return str(error)
    return f"{error.reason}; {_not_saved(args)}."


def cut_reason(args: argparse.Namespace, error: ClientError) -> str:
    """What broke, for the note under the printed answer: the saved answer's own (the export
    writes the same note), else not the "add --save" of stderr's line, which read as part of
    the answer's text."""
    from pplx_tui.client.errors import StreamInterrupted

    if saves(args) or not isinstance(error, StreamInterrupted):
        return str(error)
    return f"{error.reason}."


def stop_hint(args: argparse.Namespace) -> str:
    """What Ctrl-C does, for the "waiting for the server" line."""
    if saves(args):
        return "Ctrl-C stops and keeps the partial answer"
    return f"Ctrl-C stops; {_not_saved(args)}"
