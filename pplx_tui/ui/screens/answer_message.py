""":class:`AnswerMessage`, what an answer's worker posts to the workspace, in a module of its
own: the workspace handles it from its first frame, before the answering machinery (the
client's events, the stream, background runs) is loaded. It is generic over the answer's class
(:class:`~pplx_tui.ui.screens.answer_stream.AnswerStream`), which it therefore need not import.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.message import Message as TextualMessage

__all__ = ["AnswerMessage"]

AnswerT = TypeVar("AnswerT")


class AnswerMessage(TextualMessage, Generic[AnswerT]):
    """Something happened to ``answer`` (posted to the node its worker runs on)."""

    def __init__(self, answer: AnswerT) -> None:
        super().__init__()
        self.answer = answer
