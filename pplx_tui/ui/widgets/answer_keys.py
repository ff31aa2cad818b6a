"""Keys the conversation offers on the selected answer for its follow-ups: related questions
and images (the conversation's ``focus_related`` / ``focus_images`` actions)."""

from __future__ import annotations

from textual.binding import Binding

__all__ = ["ANSWER_BINDINGS", "NO_IMAGES", "NO_RELATED"]

NO_RELATED = (
    "This answer has no related questions. Chat-completions providers (OpenRouter, custom "
    "gateways) send them when asked: --related, or return_related_questions = true under "
    "[search] in config.toml. Perplexity's Agent API has none."
)
NO_IMAGES = (
    "This answer has no images. Chat-completions providers (OpenRouter, custom gateways) send "
    "them when asked: --images, or return_images = true under [search] in config.toml. "
    "Perplexity's Agent API has none."
)

ANSWER_BINDINGS = [
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
