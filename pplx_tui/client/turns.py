"""Make a conversation acceptable to Perplexity: user and assistant turns strictly alternate."""

from __future__ import annotations

from collections.abc import Iterable

from pplx_tui.client.request import Turn


def alternating(turns: Iterable[Turn]) -> list[dict[str, str]]:
    """``[{role, content}]`` with leading assistant turns dropped and same-role neighbours merged.

    Merged contents are joined with a blank line, so nothing the user wrote is lost.
    """
    messages: list[dict[str, str]] = []
    for turn in turns:
        if not messages and turn.role != "user":
            continue
        if messages and messages[-1]["role"] == turn.role:
            previous = messages[-1]["content"]
            messages[-1]["content"] = (
                f"{previous}\n\n{turn.content}"
                if previous and turn.content
                else previous or turn.content
            )
            continue
        messages.append({"role": turn.role, "content": turn.content})
    return messages
