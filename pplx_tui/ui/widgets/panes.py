"""The workspace's panes side by side: the chat list, the conversation, the sources panel.

:class:`Panes` holds them (the screen composes them inside it) and does what concerns them
together: which side panel shows (by the terminal's width, until the user toggles one), and the
sources panel following the answer selected in the conversation (its sources, the ones it cites,
the one a citation asks for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, getters, on
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive

from pplx_tui.sanitize import clean_line, clean_url
from pplx_tui.ui.guarded_app import notify_replacing
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.conversation_messages import AnswerSelected, SourceRequested
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourcesPanel

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["CHATS_MIN_WIDTH", "SOURCES_MIN_WIDTH", "Panes"]

CHATS_MIN_WIDTH = 140
"""Below this many columns the chat list starts hidden (ctrl+b shows it)."""
SOURCES_MIN_WIDTH = 90
"""Below this many columns the sources panel starts hidden (ctrl+s shows it)."""
CONVERSATION_MIN_WIDTH = 54
"""The side panels show together only where the conversation keeps this many columns (what
the sources panel alone leaves it at :data:`SOURCES_MIN_WIDTH`): on a narrower terminal the one
shown last shows, and the other comes back when it hides or the terminal widens. At 80 columns
the two left the answer 20 columns, a few words a line."""


SOURCES_WIDTH = 36
"""The sources panel's width, where the terminal has room for it beside the conversation."""
CHATS_WIDTH = 24
"""The chat list's width (set in its CSS)."""
WIDE_FROM = 160
"""Past this many columns the chat list grows (one column per four, up to :data:`GROWN_BY`):
at 200 columns the answer had 140 columns while titles in the chat list wrapped every three
words. (The answer keeps the most: three compared answers stand side by side in it.)"""
GROWN_BY = 10
SOURCES_NARROWEST = 24
CONVERSATION_NARROWEST = 40
"""On a terminal too narrow for both at their width (under 76 columns), the sources panel
gives up columns (down to :data:`SOURCES_NARROWEST`) so that the answer keeps these: at 60
columns it left the answer 22, URLs and table cells broken every few letters."""
CONVERSATION_LEAST = 20
"""The conversation's columns at the least beside a side panel (its ``min-width``): on a
terminal narrower than a side panel at its narrowest and these (44 columns), the panel shown
takes the screen until it hides (at 40 columns the conversation, kept 20 columns beside the chat
list's 24, was drawn past the screen's edge)."""


class Panes(Horizontal):
    """The chat list, the conversation (with the question box) and the sources panel."""

    show_chats: reactive[bool | None] = reactive(None, init=False, always_update=True)
    """Whether the user wants the chat list; ``None`` decides by the terminal's width. Where
    both side panels do not fit, a wanted one may still give way to the other."""
    show_sources: reactive[bool | None] = reactive(None, init=False, always_update=True)
    """Whether the user wants the sources panel; ``None`` decides by the terminal's width."""

    _shown_last = "sources"
    """The side panel asked for last ("chats" or "sources"): it shows when both do not fit."""
    _chats_for_search = False
    """The chat list is shown only for a chat search (ctrl+f where it was hidden): a hit opened
    hides it again."""
    _before_search: tuple[bool | None, str] = (None, "sources")
    """:attr:`show_chats` and :attr:`_shown_last` before that search, put back after it."""
    _focus_before_alone: tuple[Widget, Widget] | None = None
    """Where the focus was when a side panel took the screen, and the widget it went to: it
    goes back when the panel gives the screen back (the terminal widened) and the focus is
    still there (QA: it stayed in the chat list, where typed letters renamed and deleted)."""

    chat_list = getters.query_one(ChatList)
    conversation = getters.query_one(Conversation)
    main = getters.query_one("#main", Vertical)
    """The conversation with the question box (and the notice line)."""
    prompt = getters.query_one(PromptInput)
    sources = getters.query_one(SourcesPanel)

    def in_reading_order(self, chain: list[Widget]) -> list[Widget]:
        """``chain`` (the screen's focus chain) as the screen reads: question box →
        conversation (its find bar, once open, just above it) → sources → chats; the order
        within each part is kept."""
        parts = (self.prompt, self.conversation, self.sources, self.chat_list)

        def part_of(widget: Widget) -> int:
            if widget is self.conversation.finder:  # mounted beside it, before it (QA-40)
                return 1
            return next(
                (n for n, part in enumerate(parts) if widget is part or part in widget.ancestors),
                len(parts),
            )

        return sorted(chain, key=part_of)

    # -- which side panels show ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.apply_layout()

    def on_resize(self) -> None:
        self.apply_layout(resized=True)

    def watch_show_chats(self) -> None:
        self.apply_layout()

    def watch_show_sources(self) -> None:
        self.apply_layout()

    def apply_layout(self, *, resized: bool = False) -> None:
        """Show the side panels the user wants (else those the terminal's width allows); where
        both do not leave the conversation :data:`CONVERSATION_MIN_WIDTH`, the one shown last.
        ``resized``: the terminal's size changed (not what the user asked to see)."""
        width = self.screen.size.width
        grown = min(GROWN_BY, max(0, width - WIDE_FROM) // 4)
        chats_width = CHATS_WIDTH + grown
        if (shown := self.chat_list.styles.width) is None or shown.cells != chats_width:
            self.chat_list.styles.width = chats_width
        chats = self.show_chats if self.show_chats is not None else width >= CHATS_MIN_WIDTH
        sources = self.show_sources if self.show_sources is not None else width >= SOURCES_MIN_WIDTH
        sides = chats_width + SOURCES_WIDTH
        if chats and sources and width - sides < CONVERSATION_MIN_WIDTH:
            chats, sources = self._shown_last == "chats", self._shown_last == "sources"
        narrower = max(SOURCES_NARROWEST, min(SOURCES_WIDTH, width - CONVERSATION_NARROWEST))
        alone = (chats or sources) and width < SOURCES_NARROWEST + CONVERSATION_LEAST
        for panel, panel_width in ((self.chat_list, chats_width), (self.sources, narrower)):
            panel_width = width if alone else panel_width
            if (shown := panel.styles.width) is None or shown.cells != panel_width:
                panel.styles.width = panel_width
        for panel, shown in ((self.chat_list, chats), (self.sources, sources)):
            if not shown and panel.has_focus_within:
                # The keys go where the user looks, not to a hidden panel; at once: deferred
                # (``focus()``), it landed after ctrl+b had put the focus in the chat list.
                self.screen.set_focus(self.prompt)
            panel.display = shown
        if alone and self.main.has_focus_within:  # the keys go to the panel taking the screen
            source_list = self.sources.list_view
            given = (
                self.chat_list.options if chats else source_list if source_list.display else None
            )
            before = self.screen.focused
            if resized and before is not None and given is not None:
                self._focus_before_alone = (before, given)
            self.screen.set_focus(given)
        if self.alone and not alone:
            self._give_focus_back()
        self.main.display = not alone
        if not alone and self.screen.focused is None:  # back from a panel with nothing to
            self.screen.set_focus(self.prompt)  # focus (no sources yet): the keys are typed
        self.conversation.sources_shown(sources)

    def _give_focus_back(self) -> None:
        """The focus goes back to where it was before a side panel took the screen, if the
        panel still has it (see :attr:`_focus_before_alone`)."""
        kept, self._focus_before_alone = self._focus_before_alone, None
        if kept is None:
            return
        before, given = kept
        if self.screen.focused is given and before.is_attached:
            self.screen.set_focus(before)

    @property
    def alone(self) -> bool:
        """Whether a side panel has the screen (the conversation hidden)."""
        return not self.main.display

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focus going to the conversation or the question box (Escape, ctrl+n, a chat
        opened) while a side panel has the screen: the panel gives the screen back."""
        widget = event.widget  # still focused: not the question box given the keys as the
        # chat list hid, a moment before the sources taking the screen took them
        if self.alone and widget is self.screen.focused and self.main in widget.ancestors_with_self:
            self._give_way()

    def _give_way(self) -> None:
        """The side panels hide (the terminal's width decides again): the other one, wanted
        but given way, does not take the screen in the place of the one hidden."""
        self._chats_for_search = False
        self.show_chats = self.show_sources = None

    def toggle_chats(self) -> None:
        self._shown_last = "chats"
        self._chats_for_search = False
        self.show_chats = not self.chat_list.display
        if self.show_chats:  # at once: the keys read with ctrl+b go to the list (PromptInput)
            self.screen.set_focus(self.chat_list.options)

    def toggle_sources(self) -> None:
        self._shown_last = "sources"
        self.show_sources = not self.sources.display

    def search_chats(self) -> None:
        if not self.show_chats and not self._chats_for_search:
            # Not asked for (hidden, or shown for the terminal's width): shown for the search
            # only, then the width decides again (QA: searched at 160 columns, the list stayed
            # on at 60, where it shows only when asked for).
            self._chats_for_search = True
            self._before_search = (self.show_chats, self._shown_last)
        self._shown_last = "chats"
        self.show_chats = True
        self.chat_list.action_search()

    @on(ChatList.ChatChosen)
    def _chat_chosen(self, event: ChatList.ChatChosen) -> None:
        """A chat (a hit) opened from a list shown only for the search: the list hides again,
        the conversation gets back its width (the search stays: ctrl+f shows it). The screen
        opens the chat."""
        self._search_done()

    @on(ChatList.SearchEnded)
    def _search_ended(self) -> None:
        self._search_done()  # (the screen then goes to the question box)

    def on_key(self, event: events.Key) -> None:
        """Escape in the chat list ends its search (see ``ChatList``): a list shown only for
        the search hides again. The screen's Escape then goes to the question box."""
        if event.key == "escape" and self.chat_list.has_focus_within:
            self._search_done()

    def end_search(self) -> None:
        """End the chat search (a new chat: a list still filtered would not show it); a list
        shown only for it hides again."""
        self.chat_list.end_search()
        self._search_done()

    def _search_done(self) -> None:
        if self._chats_for_search:
            self._chats_for_search = False
            chats, self._shown_last = self._before_search
            self.show_chats = chats

    # -- the sources of the selected answer ----------------------------------------------------

    @on(AnswerSelected)
    async def _answer_selected(self, event: AnswerSelected) -> None:
        event.stop()
        await self.show_sources_of(event.view)

    async def show_sources_of(self, view: AnswerView | None) -> None:
        """Show ``view``'s sources in the panel (a note when there are none)."""
        if view is None:
            await self.sources.show((), note="No sources yet.")
            return
        note = "This answer has no sources." if view.message else "Waiting for sources…"
        ended = view.message is not None and not view.message.running
        await self.sources.show(view.sources, view.cited, note=note, settled=ended, answer=view)

    async def sources_arrived(self, view: AnswerView | None) -> None:
        """``view``'s sources changed while it streams: shown if it is the selected answer."""
        if view is not None and self.conversation.selected is view:
            await self.sources.show(view.sources, view.cited, settled=False, answer=view)

    async def answer_finished(self, view: AnswerView) -> None:
        """``view``'s answer ended: its sources (or a note) if it is the selected answer."""
        if self.conversation.selected is view:
            await self.show_sources_of(view)

    def on_answer_view_citations_changed(self, event: AnswerView.CitationsChanged) -> None:
        event.stop()
        if self.conversation.selected is event.view:
            self.sources.mark_cited(event.view.cited)

    @on(SourceRequested)
    def _source_requested(self, event: SourceRequested) -> None:
        event.stop()
        source = self.sources.highlight(event.number)
        if source is None:
            self.notify(f"There is no source [{event.number}].", timeout=2)
        elif not self.sources.display:
            title = clean_line(source.title) or clean_url(source.url)
            text = f"[{source.index}] {title}"
            notify_replacing(self, "source", text)  # one toast while stepping, not one a marker
