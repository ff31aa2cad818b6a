"""The sources of the selected answer, numbered exactly like its ``[n]`` markers.

Sources the answer cites stand out (``-cited``, the theme's ``source-cited`` colour) from those
the search retrieved but the text never cites (``-uncited``). Titles are terminal hyperlinks
where the terminal supports them; Enter opens the highlighted source in the browser and ``c``
copies its URL. Only ``http(s)`` URLs are ever opened, linked or copied.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.style import Style
from textual.widgets import Label, ListItem, ListView, Static

from pplx_tui.models import Source
from pplx_tui.sanitize import clean_line, safe_url

__all__ = ["SourceItem", "SourcesPanel", "domain_of"]

_SNIPPET_CHARS = 180


def domain_of(url: str) -> str:
    """``example.com`` for ``https://www.example.com/page`` (``""`` if there is no host)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return clean_line(host.removeprefix("www."))


class SourceItem(ListItem):
    """One source: ``[n]`` and title, then domain and date, then a short snippet."""

    DEFAULT_CSS = """
    SourceItem {
        height: auto;
        padding: 0 1 1 0;
        color: $source-uncited;
        & > .source-item--heading {
            width: 1fr;
        }
        & > .source-item--meta {
            width: 1fr;
            color: $text-muted;
        }
        & > .source-item--snippet {
            width: 1fr;
            color: $text-muted;
        }
        &.-cited {
            color: $source-cited;
            & > .source-item--heading {
                text-style: bold;
            }
        }
    }
    """

    def __init__(self, source: Source, cited: bool) -> None:
        super().__init__(classes="-cited" if cited else "-uncited")
        self.source = source
        self.url = safe_url(source.url)

    def compose(self) -> ComposeResult:
        source = self.source
        domain = domain_of(source.url)
        title = clean_line(source.title) or domain or clean_line(source.url)
        title_style = Style(link=self.url) if self.url else Style()
        yield Label(
            Content.assemble((f"[{source.index}] ", "$citation-marker"), (title, title_style)),
            classes="source-item--heading",
        )
        meta = " · ".join(p for p in (domain, clean_line(source.date or "")) if p)
        if not self.url:
            meta = f"{meta} · not a web link" if meta else "not a web link"
        yield Label(Content(meta), classes="source-item--meta")  # plain text, never markup
        snippet = clean_line(source.snippet)
        if len(snippet) > _SNIPPET_CHARS:
            snippet = snippet[: _SNIPPET_CHARS - 1].rstrip() + "…"
        if snippet:
            yield Static(snippet, classes="source-item--snippet", markup=False)

    def set_cited(self, cited: bool) -> None:
        self.set_class(cited, "-cited")
        self.set_class(not cited, "-uncited")


class SourcesPanel(Vertical):
    """The source list of one answer."""

    DEFAULT_CSS = """
    SourcesPanel {
        width: 36;
        height: 1fr;
        background: $surface;
        border-left: solid $panel-lighten-1;
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
            display: none;
        }
        & > ListView {
            height: 1fr;
            background: transparent;
            padding: 0 0 0 1;
        }
        &.-empty > ListView {
            display: none;
        }
        &.-empty > .sources-panel--empty {
            display: block;
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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.sources: tuple[Source, ...] = ()
        self.cited: frozenset[int] = frozenset()
        self.add_class("-empty")

    def compose(self) -> ComposeResult:
        yield Label("Sources", classes="sources-panel--title")
        yield Static("No sources yet.", classes="sources-panel--empty")
        yield ListView()

    @property
    def list_view(self) -> ListView:
        return self.query_one(ListView)

    @property
    def highlighted(self) -> Source | None:
        item = self.list_view.highlighted_child
        return item.source if isinstance(item, SourceItem) else None

    async def show(
        self, sources: Sequence[Source], cited: Collection[int] = (), *, note: str = ""
    ) -> None:
        """Show ``sources``; those numbered in ``cited`` stand out."""
        sources = tuple(sources)
        cited = frozenset(cited)
        title = f"Sources ({len(sources)})" if sources else "Sources"
        self.query_one(".sources-panel--title", Label).update(title)
        self.query_one(".sources-panel--empty", Static).update(note or "No sources yet.")
        self.set_class(not sources, "-empty")
        if sources == self.sources:
            self.mark_cited(cited)
            return
        self.sources, self.cited = sources, cited
        list_view = self.list_view
        await list_view.clear()
        await list_view.extend(SourceItem(s, s.index in cited) for s in sources)
        if sources:
            list_view.index = 0

    def mark_cited(self, cited: Collection[int]) -> None:
        """Restyle the items after the answer cited more sources."""
        cited = frozenset(cited)
        if cited == self.cited:
            return
        self.cited = cited
        for item in self.list_view.query(SourceItem):
            item.set_cited(item.source.index in cited)

    def highlight(self, number: int) -> Source | None:
        """Highlight source ``number`` (its ``[n]``); ``None`` if the answer has no such source."""
        for position, source in enumerate(self.sources):
            if source.index == number:
                list_view = self.list_view
                list_view.index = position
                if (item := list_view.highlighted_child) is not None:
                    list_view.scroll_to_widget(item, animate=False)
                return source
        return None

    def action_highlight(self, number: int) -> None:
        if self.highlight(number) is None:
            self.notify(f"There is no source [{number}].", timeout=2)

    def action_open_source(self) -> None:
        source = self.highlighted
        if source is None:
            return
        if url := safe_url(source.url):
            self.app.open_url(url)  # the app says what it did (or copies the URL instead)
        else:
            self.notify("This source has no web link to open.", severity="warning", timeout=3)

    def action_copy_url(self) -> None:
        source = self.highlighted
        if source is None:
            return
        if url := safe_url(source.url):
            self.app.copy_to_clipboard(url)
            self.notify("URL copied to the clipboard.", timeout=2)
        else:
            self.notify("This source has no web link to copy.", severity="warning", timeout=3)

    @on(ListView.Selected)
    def _selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_open_source()
