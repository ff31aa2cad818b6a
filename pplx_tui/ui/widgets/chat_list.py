"""The saved chats, newest first, with a search box that filters them from the store's index.

The list reads the store itself, in a thread worker (:meth:`ChatList.reload`, what it reads:
:mod:`chat_listing`; typing in the search box reloads it too), and says what the user wants with
messages: open, rename, delete. The screen does those, and calls :meth:`ChatList.reload` after
anything that changes a chat. Chats another process saves (``pplx ask --save``, another window)
are listed within :data:`FOLDER_CHECK_SECONDS`: the list looks at the chats folder's mtime that
often, and at the files of the chats it lists first (a title edited by hand in place). A row
is drawn by :mod:`chat_rows`; the marks of chats answering are :mod:`chat_activity`;
the search box's keys are :mod:`chat_search`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker

from pplx_tui.sanitize import clean_line
from pplx_tui.ui.warning_fold import warn
from pplx_tui.ui.widgets.chat_activity import ActivityMarks
from pplx_tui.ui.widgets.chat_listing import (
    Indexing,
    Listed,
    neighbour,
    read_listing,
    watched_stamp,
)
from pplx_tui.ui.widgets.chat_rows import ChatEntry, chat_row, empty_note, searching_note
from pplx_tui.ui.widgets.chat_search import SearchBox, SearchInput
from pplx_tui.ui.widgets.keys_in_turn import hand_on, run_binding_now
from pplx_tui.ui.widgets.option_rows import HangingLines, RewrappingOptionList
from pplx_tui.ui.workers import log_failed_worker

if TYPE_CHECKING:
    from pplx_tui.store import ChatFinder

FOLDER_CHECK_SECONDS = 2.0
"""How often the list checks whether a chat was saved, added or deleted behind its back."""
DIM_OUTDATED_AFTER = 0.3
"""Seconds the hits of the words before stay bright while the search box's words are looked
for (a search of 2,000 chats takes ~30 ms: dimmed at once, the rows blinked at every key; one
that indexes first takes seconds)."""

__all__ = ["ChatList"]


_SEARCH_KEY = frozenset({"chat_list.search"})
"""The binding of the list's search key (`/`, or the one in `[keymap]`)."""


class _ChatRows(RewrappingOptionList):
    """The list's rows; a click opens none while they are the hits of words no longer in the
    search box (QA: while a search indexed, a click opened a hit of the words before). Keys
    read with ``/`` go on to the search box it focuses (QA: ``/dog`` typed at once left the
    box empty, and ``d`` asked to delete a chat)."""

    outdated = False

    async def _on_key(self, event: events.Key) -> None:
        if await hand_on(self, event):
            return
        # The list's search key runs in this turn, not once it has bubbled up to the app:
        # the keys read with it, already handed to the rows, then go on to the box.
        if self.parent is not None and await run_binding_now(
            self, self.parent, event.key, _SEARCH_KEY
        ):
            event.prevent_default()
            event.stop()

    async def _on_click(self, event: events.Click) -> None:
        if self.outdated:
            event.prevent_default()  # (OptionList's own handler would open the row)


class ChatList(SearchBox, ActivityMarks, Vertical):
    """Chats of the store; the open chat is marked."""

    DEFAULT_CSS = """
    ChatList {
        width: 24;
        height: 1fr;
        background: $surface;
        border-right: solid $divider;
        & > .chat-list--title {
            width: 1fr;
            padding: 0 1;
            background: $panel;
            text-style: bold;
        }
        & > Input, & > Input:focus {
            margin: 0;
            border: none;
            height: 1;
            padding: 0 1;
            background: $boost;
        }
        /* Focused, the list shows it by its edge's colour and its highlight's, never by a
           frame: the frame's top line moved every row down under the pointer, so a click
           opened nothing, or the chat above (QA). */
        & > OptionList, & > OptionList:focus {
            height: 1fr;
            border: none;
            background: transparent;
            padding: 0;
        }
        & > OptionList.-outdated {
            text-opacity: 50%;
        }
        &:focus-within {
            border-right: solid $border;
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

    class ChatMessage(Message):
        """Base of the messages about one chat of the list, ``chat_id``."""

        def __init__(self, chat_list: ChatList, chat_id: str) -> None:
            super().__init__()
            self.chat_list = chat_list
            self.chat_id = chat_id

        @property
        def control(self) -> ChatList:
            return self.chat_list

    class ChatChosen(ChatMessage):
        """Open chat ``chat_id`` (at message ``message_index`` when a search hit was chosen,
        whose text matched is ``found``)."""

        def __init__(
            self,
            chat_list: ChatList,
            chat_id: str,
            message_index: int | None = None,
            found: str = "",
        ) -> None:
            super().__init__(chat_list, chat_id)
            self.message_index = message_index
            self.found = found

    class DeleteRequested(ChatMessage):
        """Delete chat ``chat_id`` (after asking)."""

    class RenameRequested(ChatMessage):
        """Rename chat ``chat_id``."""

    def __init__(
        self, store: ChatFinder | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        """A list of ``store``'s chats (none without a store: then :meth:`show` fills it)."""
        super().__init__(id=id, classes=classes)
        self.store = store
        self.current_id: str | None = None
        self._entries: tuple[ChatEntry, ...] = ()
        self._generation = 0
        self._listed_generation = 0
        self._listed_query = ""
        """The words of the search the list shows ("": every chat)."""
        self._open_best_hit = False
        """Enter was pressed on the list while it was read for new words: open the best."""
        self._folder_stamp = 0
        """The chats folder and files as the list last read them (see :meth:`_check_folder`)."""
        self._more = False
        self._changed_elsewhere: Callable[[], object] | None = None

    def compose(self) -> ComposeResult:
        yield Label("Chats", classes="chat-list--title")
        yield SearchInput(placeholder="Search (Esc clears)", id="chat-search")
        yield _ChatRows(id="chat-options")

    @property
    def options(self) -> _ChatRows:
        return self.query_one(_ChatRows)

    def show(
        self,
        entries: Sequence[ChatEntry],
        *,
        searching: bool = False,
        found: bool = False,
        keep_cursor: bool = True,
    ) -> None:
        """Show ``entries`` (newest first; ``found``: the hits of a search, best first).

        The cursor rests on the open chat, so that rename and delete act on what is on screen;
        on the best of new hits (Enter after the words opens it, not the open chat further
        down); while the user moves it in the list, it stays on the chat they chose, or where
        it was if that chat is gone (``keep_cursor``: not when the list is read for other
        words than those it showed).
        """
        entries = tuple(entries)
        options = self.options
        options.outdated = False
        options.remove_class("-outdated")
        highlighted = None if found else self.current_id
        if keep_cursor and options.has_focus and (chosen := self._highlighted_id()):
            highlighted = chosen
        shown = [entry.id for entry in self._entries]
        self._entries = entries
        options.clear_options()
        options.add_options(self._option(entry) for entry in entries)
        count = f"{len(entries):,}{'+' if self._more else ''}"
        hits = f"Found in {count} chat{'' if count == '1' else 's'}"
        title = hits if searching else f"Chats ({len(entries):,})"
        self.query_one(".chat-list--title", Label).update(title)
        if not entries:
            options.add_option(Option(empty_note(self.query_text), disabled=True))
            self.screen.refresh_bindings()  # no chat to rename or delete: the key bar says so
            return
        ids = [entry.id for entry in entries]
        if keep_cursor and highlighted not in ids and highlighted in shown:
            highlighted = neighbour(shown, highlighted, ids)  # deleted: stay at its place
        options.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def list_from(
        self, store: ChatFinder, changed_elsewhere: Callable[[], object] | None = None
    ) -> None:
        """List ``store``'s chats from now on (the app's store is made after the first frame);
        ``changed_elsewhere`` is called when another process saved or deleted one."""
        self.store = store
        self._changed_elsewhere = changed_elsewhere
        self.reload()
        self.set_interval(FOLDER_CHECK_SECONDS, self._check_folder)

    def _check_folder(self) -> None:
        """Read the chats again if one was saved, added, deleted or edited in place since they
        were read (by another process: this one reloads after its own changes)."""
        if self.store is None or self._listed_generation != self._generation:
            return  # (a reading is on its way)
        if self._pruning:  # the app is ending: the screen's header may be gone already
            return
        stamp = watched_stamp(self.store, self.store.folder_stamp(), self._entries)
        if stamp != self._folder_stamp:
            self.reload()
            if self._changed_elsewhere is not None:
                self._changed_elsewhere()

    def reload(self) -> None:
        """Read the chats (or the search results for the search box's text) again."""
        if self.store is None:
            return
        self._generation += 1
        self._list(self.store, self.query_text, self._generation)
        if self.query_text != self._listed_query:  # the rows are the hits of other words
            self.options.outdated = True
            self.set_timer(DIM_OUTDATED_AFTER, self._dim_outdated)

    def _dim_outdated(self) -> None:
        """Rows still of other words than the search box's are dimmed (the note of no hit
        says the words looked for)."""
        options = self.options
        if options.outdated:
            options.add_class("-outdated")
            if not self._entries and self.query_text:
                options.replace_option_prompt_at_index(0, searching_note(self.query_text))

    @work(group="chat-list", thread=True, exit_on_error=False)
    def _list(self, store: ChatFinder, query: str, generation: int) -> None:
        self.post_message(read_listing(self, store, query, generation))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        log_failed_worker(event, "reading the chat list")

    @on(Indexing)
    def _indexing(self, message: Indexing) -> None:
        """The header says a search indexes: the rows are not its hits (later words wait)."""
        message.stop()
        if message.generation > self._listed_generation:
            self.query_one(".chat-list--title", Label).update(message.title)

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        message.stop()
        for notice in message.notices:  # (said even when a newer reading is on its way)
            warn(self, clean_line(notice), logged=True)  # (the store logs what it says)
        if message.generation == self._generation:
            self._listed_generation = message.generation
            self._folder_stamp = message.stamp
            self._more = message.more
            # Enter typed before the hits came put the cursor in the list of the words before.
            same_words = message.query == self._listed_query
            self._listed_query = message.query
            self.show(
                message.entries,
                searching=bool(message.query),
                found=bool(message.query),
                keep_cursor=same_words,
            )
            open_best, self._open_best_hit = self._open_best_hit, False
            if open_best and self.has_focus_within:
                self._open_highlighted()

    @property
    def entries(self) -> tuple[ChatEntry, ...]:
        return self._entries

    def title_of(self, chat_id: str) -> str:
        return next((e.title for e in self._entries if e.id == chat_id), "")

    def mark_current(self, chat_id: str | None) -> None:
        """Mark the open chat (it is shown with a ``▸``) and put the cursor on it (unless the
        user is moving it in the list): only the two rows that change are drawn again (with
        2,000 chats, listing them all again took more than a second at each chat opened)."""
        before, self.current_id = self.current_id, chat_id
        if not self._entries:
            return
        self._refresh_rows({before, chat_id} - {None})  # type: ignore[arg-type]
        options = self.options
        if options.has_focus and self._highlighted_id() is not None:
            return
        ids = [entry.id for entry in self._entries]
        options.highlighted = ids.index(chat_id) if chat_id in ids else 0

    def _option(self, entry: ChatEntry) -> Option:
        return Option(self._prompt(entry), id=entry.id)

    def _prompt(self, entry: ChatEntry) -> Content | HangingLines:
        return chat_row(
            entry,
            is_open=entry.id == self.current_id,
            started=self._working.get(entry.id),
            now=self._now,
            mark=self._unseen.get(entry.id),
            words=self.query_text.split(),
        )

    def binding_description(self, action: str) -> str | None:
        """The key bar's words: rename and delete name their chat, not offered with none; no
        ``/`` to search in the search box (``/`` types a slash there)."""
        if action == "search":
            return "" if self.query_one(Input).has_focus else None
        if action not in ("rename", "delete"):
            return None
        if (chat_id := self._highlighted_id()) is None:
            return ""  # (a search without hits: QA saw del Delete, f2 Rename act on nothing)
        title = clean_line(self.title_of(chat_id)) or "Untitled chat"
        return f"{action.capitalize()} “{title if len(title) <= 18 else title[:17] + '…'}”"

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.screen.refresh_bindings()  # the key bar names the highlighted chat

    def best_hit(self) -> str | None:
        return self._highlighted_id()

    def _highlighted_id(self) -> str | None:
        options = self.options
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_chosen()

    def _open_chosen(self) -> None:
        """Open the chat under the cursor; if the list still shows the hits of other words
        (Enter typed faster than the search), the best hit of these once it is read."""
        if self.query_text != self._listed_query:
            self._open_best_hit = True
        else:
            self._open_highlighted()

    def _open_highlighted(self) -> None:
        if chat_id := self._highlighted_id():
            entry = next((e for e in self._entries if e.id == chat_id), None)
            index = entry.message_index if entry is not None else None
            found = entry.found if entry is not None else ""
            self.post_message(self.ChatChosen(self, chat_id, index, found))

    class SearchEnded(Message):
        """Escape ended the search: the list is whole again (the workspace goes to the
        question box)."""

        def __init__(self, chat_list: ChatList) -> None:
            super().__init__()
            self.chat_list = chat_list

        @property
        def control(self) -> ChatList:
            return self.chat_list

    def action_delete(self) -> None:
        if chat_id := self._highlighted_id():
            self.post_message(self.DeleteRequested(self, chat_id))

    def action_rename(self) -> None:
        if chat_id := self._highlighted_id():
            self.post_message(self.RenameRequested(self, chat_id))
