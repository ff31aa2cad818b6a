"""The sources of the selected answer, numbered exactly like its ``[n]`` markers.

Sources the answer cites stand out (bold, the theme's ``source-cited`` colour) from those the
search retrieved but the text never cites (``source-uncited``, marked "○ not cited"). The
list is virtual (:class:`~pplx_tui.ui.widgets.source_list.SourceList`): 10,000 sources open and
scroll as fast as 10. Titles are terminal hyperlinks where the terminal supports them; Enter
opens the highlighted source in the browser and ``c`` copies its URL. Only ``http(s)`` URLs
are ever opened, linked or copied.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from pplx_tui.sanitize import safe_url
from pplx_tui.ui.widgets.panel_keys import DialogKeysInTurn
from pplx_tui.ui.widgets.source_list import SourceList
from pplx_tui.values import Source

__all__ = ["SourceList", "SourcesPanel"]


class SourcesPanel(DialogKeysInTurn, Vertical):
    """The source list of one answer."""

    DEFAULT_CSS = """
    SourcesPanel {
        width: 36;  /* narrower on a narrow terminal: Panes */
        height: 1fr;
        background: $surface;
        border-left: solid $divider;
        & > .sources-panel--title {
            width: 1fr;
            padding: 0 1;
            background: $panel;
            text-style: bold;
        }
        & > .sources-panel--empty {
            width: 1fr;
            padding: 1 1;
            color: $text-muted;
        }
        & > SourceList {
            height: 1fr;  /* its left margin is its own: a highlight covers it */
        }
    }
    """

    BINDINGS = [
        Binding(
            "enter,o",
            "open_source",
            "Open",
            id="sources.open",
            tooltip="Open the highlighted source in the browser",
        ),
        Binding(
            "c,y",
            "copy_url",
            "Copy URL",
            id="sources.copy_url",
            tooltip="Copy the highlighted source's URL to the clipboard",
        ),
        *(
            Binding(
                str(n),
                f"highlight({n})",
                f"Source {n}",
                id=f"sources.source_{n}",
                tooltip=f"Highlight source {n}",
                show=False,
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        *,
        in_turn: frozenset[str] = frozenset(),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``in_turn``: ids of the screen's and the app's keys that open a dialog (run as they
        arrive: see :class:`DialogKeysInTurn`)."""
        super().__init__(id=id, classes=classes)
        self.in_turn = in_turn
        self.sources: tuple[Source, ...] = ()
        self.cited: frozenset[int] = frozenset()
        self._answer: object = None
        """The answer whose sources are shown (see :meth:`show`)."""

    def compose(self) -> ComposeResult:
        yield Label("Sources", classes="sources-panel--title")
        yield Static("No sources yet.", classes="sources-panel--empty")
        source_list = SourceList()
        source_list.display = False
        yield source_list

    @property
    def list_view(self) -> SourceList:
        """The list itself (virtual: it draws only the sources on screen)."""
        return self.query_one(SourceList)

    @property
    def highlighted(self) -> Source | None:
        return self.list_view.highlighted_source

    def is_cited(self, number: int) -> bool:
        """Whether source ``[number]`` is cited by the answer (drawn to stand out)."""
        return number in self.cited

    async def show(
        self,
        sources: Sequence[Source],
        cited: Collection[int] = (),
        *,
        note: str = "",
        settled: bool = True,
        answer: object = None,
    ) -> None:
        """Show ``sources``; those numbered in ``cited`` stand out, and once the answer has
        ``settled`` (ended) the others say "not cited".

        The sources of another ``answer`` start at ``[1]``, even where they equal those shown
        (QA: a second answer with the same twelve sources opened where the first was scrolled
        to); the same answer's keep the highlight and scroll as it streams and ends."""
        sources = tuple(sources)
        cited = frozenset(cited)
        title = f"Sources ({len(sources)})" if sources else "Sources"
        self.query_one(".sources-panel--title", Label).update(title)
        empty = self.query_one(".sources-panel--empty", Static)
        empty.update(note or "No sources yet.")
        # `display`, not a class on the panel: a class change restyled the whole panel.
        empty.display = not sources
        self.list_view.display = bool(sources)
        if sources == self.sources and answer is self._answer:
            self.mark_cited(cited, settled=settled)
            return
        self.sources, self.cited, self._answer = sources, cited, answer
        self.list_view.set_sources(sources, cited, settled=settled)

    def mark_cited(self, cited: Collection[int], *, settled: bool | None = None) -> None:
        """Restyle the items after the answer cited more sources (or ended: ``settled``)."""
        cited = frozenset(cited)
        if cited == self.cited and settled in (None, self.list_view.settled):
            return
        self.cited = cited
        self.list_view.set_cited(cited, settled=settled)

    def highlight(self, number: int) -> Source | None:
        """Highlight source ``number`` (its ``[n]``); ``None`` if the answer has no such source."""
        for position, source in enumerate(self.sources):
            if source.index == number:
                self.list_view.highlighted = position
                return source
        return None

    def action_highlight(self, number: int) -> None:
        if self.highlight(number) is None:
            self.notify(f"There is no source [{number}].", timeout=2)

    def action_open_source(self) -> None:
        source = self.highlighted
        if source is None:
            self._none_highlighted("open")
            return
        if url := safe_url(source.url):
            self.app.open_url(url)  # the app says what it did (or copies the URL instead)
        else:
            self.notify("This source has no web link to open.", severity="warning", timeout=3)

    def action_copy_url(self) -> None:
        source = self.highlighted
        if source is None:
            self._none_highlighted("copy")
            return
        if url := safe_url(source.url):
            self.app.copy_to_clipboard(url)
            self.notify("URL copied to the clipboard.", timeout=2)
        else:
            self.notify("This source has no web link to copy.", severity="warning", timeout=3)

    def _none_highlighted(self, verb: str) -> None:
        """o / c (or the palette) with no source to act on: say so (it did nothing)."""
        why = "none is highlighted" if self.sources else "this chat has none yet"
        self.notify(f"No source to {verb}: {why}.", timeout=3)

    @on(SourceList.Selected)
    def _selected(self, event: SourceList.Selected) -> None:
        event.stop()
        self.action_open_source()
