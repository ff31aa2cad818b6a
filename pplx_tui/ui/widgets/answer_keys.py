"""Keys the conversation offers on the selected answer: its alternatives, editing its question,
comparing, and its related questions and images.

``answer('…')`` actions post :class:`Conversation.AnswerActionRequested` for the screen, which
holds the chat (re-asking, cycling, editing and comparing need it); ``focus_related`` and
``focus_images`` stay in the conversation.
"""

from __future__ import annotations

from textual.binding import Binding

__all__ = ["ANSWER_ACTIONS", "ANSWER_BINDINGS", "none_note"]

_ASKED_FOR = {
    "related questions": ("Related", "--related", "return_related_questions"),
    "images": ("Images", "--images", "return_images"),
}


def none_note(what: str, provider: str | None) -> str:
    """Why an answer has no ``what`` ("related questions" or "images"), the fact first (QA:
    on an Agent API answer it came last in a 7-row toast)."""
    if provider == "perplexity":
        return (
            f"Perplexity's Agent API sends no {what}; OpenRouter's perplexity/… models do, "
            f"when asked ({_ASKED_FOR[what][0]} in ctrl+g)."
        )
    toggle, flag, key = _ASKED_FOR[what]
    return (
        f"This answer has no {what}: ask for them with {toggle} in the search settings "
        f"(ctrl+g), {flag}, or {key} = true under [search] in config.toml."
    )


ANSWER_ACTIONS = (
    "next_alternative",
    "previous_alternative",
    "next_version",
    "previous_version",
    "other_model",
    "other_search",
    "edit_question",
    "compare",
)
"""What ``answer('…')`` may name (what the screen's alternatives helper runs)."""

ANSWER_BINDINGS = [
    Binding(
        "a",
        "answer('next_alternative')",
        "Alt",
        id="conversation.next_alternative",
        tooltip="Show the next alternative answer to this question (later questions follow it)",
    ),
    Binding(
        "A",
        "answer('previous_alternative')",
        "Prev alt",
        id="conversation.previous_alternative",
        tooltip="Show the previous alternative answer to this question",
        show=False,
    ),
    Binding(
        "q",
        "answer('next_version')",
        "Versions",
        id="conversation.next_version",
        tooltip="Show the next version of this answer's question (edits), with its own turns",
        show=False,
    ),
    Binding(
        "Q",
        "answer('previous_version')",
        "Prev version",
        id="conversation.previous_version",
        tooltip="Show the previous version of this answer's question",
        show=False,
    ),
    Binding(
        "m",
        "answer('other_model')",
        "Re-ask",
        id="conversation.other_model",
        tooltip="Ask this answer's question again with another model; both answers are kept",
    ),
    Binding(
        "s",
        "answer('other_search')",
        "Other search",
        id="conversation.other_search",
        tooltip="Ask this answer's question again with other search settings; both are kept",
        show=False,
    ),
    Binding(
        # Not a letter: ``e`` typed on an answer by mistake took the rest of the typing into the
        # question box as an edit of the old question, and Enter sent it (QA Q5).
        "ctrl+e",
        "answer('edit_question')",
        "Edit",
        id="conversation.edit_question",
        tooltip="Edit this answer's question and send it again (the old turns stay a branch)",
    ),
    Binding(
        "v",
        "answer('compare')",
        "Compare",
        id="conversation.compare",
        tooltip="Ask this answer's question of two or three models side by side",
        show=False,
    ),
    Binding(
        "f",
        "focus_related",
        "Related",
        id="conversation.related",
        tooltip="Go to the related questions under the answer (Enter asks one)",
        show=False,
    ),
    Binding(
        "i",
        "focus_images",
        "Images",
        id="conversation.images",
        tooltip="Go to the images under the answer (Enter opens, c copies the URL)",
        show=False,
    ),
]
