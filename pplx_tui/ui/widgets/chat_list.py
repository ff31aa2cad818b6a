"""The saved chats, newest first, with a search box that filters them from the store's index.

The list only shows what it is given and says what the user wants: open, new, rename, delete,
search. The screen does the store work (in workers) and hands the results back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pplx_tui.sanitize import clean_line

__all__ = ["ChatEntry", "ChatList", "format_date"]


@dataclass(frozen=True, slots=True)
class ChatEntry:
    """What a row shows: a chat's id, title, last change and, for a search hit, a snippet."""

    id: str
    title: str
    updated_at: datetime
    detail: str = ""


def format_date(moment: datetime) -> str:
    """A stable, local, absolute date such as ``2026-11-23 14:05``."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ChatList(Vertical):
    """Chats of the store; the open chat is marked."""

    DEFAULT_CSS = """
    ChatList {
        width: 32;
        height: 1fr;
        background: $surface;
        border-right: solid $panel-lighten-1;
        & > .chat-list--title {
            width: 1fr;
            padding: 0 1;
            background: $panel;
            text-style: bold;
        }
        & > Input {
            margin: 0;
            border: none;
            height: 1;
            padding: 0 1;
            background: $boost;
        }
        & > OptionList {
            height: 1fr;
            border: none;
            background: transparent;
            padding: 0;
        }
    }
    """

    BINDINGS = [
        Binding(
            "delete,d",
            "delete",
            "Delete",
            id="chat_list.delete",
            tooltip="Delete the highlighted chat (asks first)",
        ),
        Binding(
            "f2,e", "rename", "Rename", id="chat_list.rename", tooltip="Rename the highlighted chat"
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="chat_list.search",
            tooltip="Filter the chats by their text",
        ),
    ]

    class ChatChosen(Message):
        """Open chat ``chat_id``."""

        def __init__(self, chat_list: ChatList, chat_id: str) -> None:
            super().__init__()
            self.chat_list = chat_list
            self.chat_id = chat_id

        @property
        def control(self) -> ChatList:
            return self.chat_list

    class DeleteRequested(ChatChosen):
        """Delete chat ``chat_id`` (after asking)."""

    class RenameRequested(ChatChosen):
        """Rename chat ``chat_id``."""

    class SearchChanged(Message):
        """The search text changed; an empty query means "all chats"."""

        def __init__(self, chat_list: ChatList, query: str) -> None:
            super().__init__()
            self.chat_list = chat_list
            self.query = query

        @property
        def control(self) -> ChatList:
            return self.chat_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.current_id: str | None = None
        self._entries: tuple[ChatEntry, ...] = ()

    def compose(self) -> ComposeResult:
        yield Label("Chats", classes="chat-list--title")
        yield Input(placeholder="Search chats…", id="chat-search")
        yield OptionList(id="chat-options")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value.strip()

    def show(self, entries: Sequence[ChatEntry], *, searching: bool = False) -> None:
        """Show ``entries`` (newest first); keeps the highlight on the same chat if it can."""
        entries = tuple(entries)
        options = self.options
        highlighted = (
            options.get_option_at_index(options.highlighted).id
            if options.highlighted is not None and options.option_count
            else self.current_id
        )
        self._entries = entries
        options.clear_options()
        options.add_options(self._option(entry) for entry in entries)
        title = f"Chats ({len(entries)})" if not searching else f"Found in {len(entries)} chats"
        self.query_one(".chat-list--title", Label).update(title)
        if not entries:
            return
        ids = [entry.id for entry in entries]
        options.highlighted = ids.index(highlighted) if highlighted in ids else 0

    @property
    def entries(self) -> tuple[ChatEntry, ...]:
        return self._entries

    def title_of(self, chat_id: str) -> str:
        return next((e.title for e in self._entries if e.id == chat_id), "")

    def mark_current(self, chat_id: str | None) -> None:
        """Mark the open chat (it is shown with a ``▸``)."""
        self.current_id = chat_id
        if self._entries:
            self.show(self._entries, searching=bool(self.query_text))

    def _option(self, entry: ChatEntry) -> Option:
        marker = "▸ " if entry.id == self.current_id else ""
        title = clean_line(entry.title) or "Untitled chat"
        lines = [
            Content.assemble((marker, "$primary"), (title, "bold")),
            Content.styled(format_date(entry.updated_at), "$text-muted"),
        ]
        if entry.detail:
            lines.append(Content.styled(clean_line(entry.detail), "italic $text-muted"))
        return Option(Content("\n").join(lines), id=entry.id)

    def _highlighted_id(self) -> str | None:
        options = self.options
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ChatChosen(self, event.option.id))

    @on(Input.Changed)
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.SearchChanged(self, event.value.strip()))

    @on(Input.Submitted)
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.options.focus()

    def action_delete(self) -> None:
        if chat_id := self._highlighted_id():
            self.post_message(self.DeleteRequested(self, chat_id))

    def action_rename(self) -> None:
        if chat_id := self._highlighted_id():
            self.post_message(self.RenameRequested(self, chat_id))

    def action_search(self) -> None:
        self.query_one(Input).focus()
