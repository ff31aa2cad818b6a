"""The command palette (ctrl+p): every action of the workspace, plus "Open chat: …" per chat."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pplx_tui.sanitize import clean_line

__all__ = ["PplxCommands"]

# (palette text, help, action, namespace): namespace "app", "screen" or a widget id.
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("Choose model", "The provider and model for the next question (ctrl+o)", "pick_model", "app"),
    ("Add API key", "Save a provider's key to config.toml (ctrl+k)", "add_key", "app"),
    ("New chat", "Start a new chat (ctrl+n)", "new_chat", "screen"),
    (
        "Stop answer",
        "Stop the streaming answer; the partial answer is kept (escape)",
        "stop",
        "screen",
    ),
    (
        "Retry / regenerate",
        "Ask the last question again; the earlier answer stays an alternative (ctrl+r)",
        "retry",
        "screen",
    ),
    (
        "Compare models side by side",
        "Ask the question in the box, or the selected answer's, of 2 or 3 models at once (ctrl+t)",
        "compare",
        "screen",
    ),
    (
        "Ask again with another model",
        "Re-ask the selected answer's question; both answers are kept (m)",
        "answer('other_model')",
        "#conversation",
    ),
    (
        "Ask again with other search settings",
        "Re-ask the selected answer's question with edited search settings (s)",
        "answer('other_search')",
        "#conversation",
    ),
    (
        "Next alternative answer",
        "Show the selected answer's next alternative; later questions follow it (a)",
        "answer('next_alternative')",
        "#conversation",
    ),
    (
        "Previous alternative answer",
        "Show the selected answer's previous alternative (A)",
        "answer('previous_alternative')",
        "#conversation",
    ),
    (
        "Edit question and resend",
        "Edit the selected answer's question; the old turns stay as a branch (e)",
        "answer('edit_question')",
        "#conversation",
    ),
    (
        "Related questions",
        "Go to the selected answer's related questions; Enter asks one (f)",
        "focus_related",
        "#conversation",
    ),
    (
        "Images",
        "Go to the selected answer's images; Enter opens, c copies the URL (i)",
        "focus_images",
        "#conversation",
    ),
    ("Toggle chat list", "Show or hide the saved chats (ctrl+b)", "toggle_chats", "screen"),
    ("Toggle sources", "Show or hide the sources panel (ctrl+s)", "toggle_sources", "screen"),
    ("Search chats", "Filter the saved chats by their text (ctrl+f)", "search_chats", "screen"),
    ("Rename chat", "Give the open chat a title", "rename_current", "screen"),
    ("Delete chat", "Delete the open chat (asks first)", "delete_current", "screen"),
    ("Copy answer", "Copy the selected answer's Markdown (y)", "copy_answer", "#conversation"),
    (
        "Next citation",
        "Highlight the source of the next [n] marker (n)",
        "marker(1)",
        "#conversation",
    ),
    (
        "Previous citation",
        "Highlight the source of the previous [n] marker (p)",
        "marker(-1)",
        "#conversation",
    ),
    ("Open source", "Open the highlighted source in the browser (o)", "open_source", "#sources"),
    ("Copy source URL", "Copy the highlighted source's URL (c)", "copy_url", "#sources"),
    ("Focus question box", "Type a question (escape)", "focus_prompt", "screen"),
    (
        "Search settings",
        "Recency, dates, domains, mode, context size, no web search for this chat (ctrl+g)",
        "search_settings",
        "screen",
    ),
    (
        "Export sources as BibTeX",
        "The chat's sources, cited first, for JabRef, Zotero or LaTeX (.bib)",
        "export_sources('bibtex')",
        "screen",
    ),
    (
        "Export sources as CSL-JSON",
        "The chat's sources, cited first, for pandoc or Zotero (.csl.json)",
        "export_sources('csl-json')",
        "screen",
    ),
    (
        "Export sources as RIS",
        "The chat's sources, cited first, for Zotero, EndNote or Mendeley (.ris)",
        "export_sources('ris')",
        "screen",
    ),
)


class PplxCommands(Provider):
    """Workspace actions and saved chats for the command palette."""

    def _entries(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        for text, help_text, action, namespace in COMMANDS:
            if namespace == "app":
                target: Any = self.app
            elif namespace == "screen":
                target = screen
            else:
                found = screen.query(namespace)
                if not found:
                    continue
                target = found.first()
            yield text, help_text, partial(self.app.run_action, action, target)
        chat_list = screen.query("#chats")
        if chat_list:
            open_chat = getattr(screen, "open_chat", None)
            for entry in getattr(chat_list.first(), "entries", ()):
                if open_chat is not None:
                    title = clean_line(entry.title) or "Untitled chat"
                    yield (
                        f"Open chat: {title}",
                        "Open this saved chat",
                        partial(open_chat, entry.id),
                    )

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            if not text.startswith("Open chat: "):
                yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
