"""What to ask: the provider-neutral request that each dialect turns into its own JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pplx_tui.values import SamplingOptions, SearchSettings


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier or current turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A question with its context. ``turns`` ends with the user's new question.

    The dialects make ``turns`` strictly alternate (Perplexity rejects otherwise) by merging
    neighbours of the same role and dropping a leading assistant turn.
    """

    model: str
    turns: tuple[Turn, ...]
    system_prompt: str | None = None
    search: SearchSettings = field(default_factory=SearchSettings)
    sampling: SamplingOptions = field(default_factory=SamplingOptions)
