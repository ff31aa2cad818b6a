"""Reading an answer by its citations: the reading keys of the conversation and their helpers.

:class:`ReadingKeys` (mixed into :class:`~pplx_tui.ui.widgets.conversation.Conversation`)
moves a reading cursor over the links of the selected answer (citation markers and web links,
in reading order), scrolls to each, shows a source's snippet under the paragraph, opens and
copies; the functions find the links, say where each leads and build what ``y``/``Y`` copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.geometry import Region
from textual.timer import Timer
from textual.widget import Widget

from pplx_tui.markdown_plain import sources_list
from pplx_tui.plain_text import without_heading_marks
from pplx_tui.sanitize import clean_line, clean_text, clean_url, defuse_links, safe_url
from pplx_tui.ui.toast_size import stand_clear_of
from pplx_tui.ui.widgets.nested_place import region_in
from pplx_tui.values import Source

if TYPE_CHECKING:
    from textual.app import App

    from pplx_tui.ui.widgets.answer_text import AnswerText, LinkSpot
    from pplx_tui.ui.widgets.message_view import AnswerView

# The answer widgets and the Markdown parser are imported where a stop is used, not here: the
# conversation (and so the first frame) imports this module (issue 12, start-up).

__all__ = [
    "DIGIT_WAIT",
    "READING_BINDINGS",
    "ReadingKeys",
    "Stop",
    "code_blocks",
    "marker_keys",
    "snippet_for",
    "stops",
    "with_references",
]

DIGIT_WAIT = 0.7
"""Seconds a digit waits for the next one (while a source's number starts with those typed)."""

READING_BINDINGS = [
    Binding(
        "n",
        "marker(1)",
        "Next cite",
        id="conversation.next_marker",
        tooltip="Move the cursor to the next citation or link of the selected answer",
    ),
    Binding(
        "p",
        "marker(-1)",
        "Prev cite",
        id="conversation.previous_marker",
        tooltip="Move the cursor to the previous citation or link of the selected answer",
    ),
    Binding(
        "enter,o",
        "open_target",
        "Open",
        id="conversation.open",
        tooltip="Open the source or link under the cursor in the browser",
    ),
    Binding(
        "c",
        "copy_target",
        "Copy URL",
        id="conversation.copy_url",
        tooltip="Copy the URL of the source or link under the cursor",
    ),
    Binding(
        "space",
        "toggle_snippet",
        "Snippet",
        id="conversation.snippet",
        tooltip="Show or hide the cited source's snippet under the paragraph",
    ),
    Binding(
        "y",
        "copy_answer",
        "Copy answer",
        id="conversation.copy_answer",
        tooltip="Copy the selected answer's Markdown with its Sources list",
    ),
    Binding(
        "Y",
        "copy_code",
        "Copy code",
        id="conversation.copy_code",
        tooltip="Copy the selected answer's next code block",
        show=False,
    ),
    *(
        Binding(
            str(n),
            f"digit({n})",
            f"Source {n}",
            id=f"conversation.source_{n}",
            tooltip=f"Jump to source {n} (more digits for 10 and up)",
            show=False,
        )
        for n in range(10)
    ),
]
"""The reading keys (the conversation's, shown in its footer)."""


def marker_keys(app: App[object]) -> str:
    """The next and previous citation keys as the key bar shows them (``n / p``, or the keys
    ``[keymap]`` gives them): while finding in the chat they step through the finds."""
    from pplx_tui.ui.keys_in_force import shown_key

    return " / ".join(shown_key(app, binding) for binding in READING_BINDINGS[:2])


@dataclass(frozen=True, slots=True)
class Stop:
    """One place the reading cursor can rest: a link of one segment of the answer."""

    segment: AnswerText
    spot: LinkSpot

    @property
    def number(self) -> int | None:
        """The source number of a citation marker (``None`` for a web link)."""
        from pplx_tui.ui import citations

        return citations.source_number(self.spot.href)

    def url(self, sources: Sequence[Source]) -> str | None:
        """Where the stop leads: its source's web address, or the link's (http(s) only)."""
        number = self.number
        if number is None:
            return safe_url(self.spot.href)
        source = next((s for s in sources if s.index == number), None)
        return safe_url(source.url) if source is not None else None


def stops(view: AnswerView) -> list[Stop]:
    """Every link of the answer in reading order."""
    from pplx_tui.ui.widgets.answer_text import AnswerText

    return [
        Stop(segment, spot)
        for segment in view.query_children(AnswerText)
        for spot in segment.spots()
    ]


def snippet_for(stop: Stop, sources: Sequence[Source]) -> str:
    """What the cursor's inline note shows: the cited source's title and snippet, or a URL."""
    number = stop.number
    if number is None:
        return f"Link to {clean_url(stop.spot.href)}"
    source = next((s for s in sources if s.index == number), None)
    if source is None:
        return f"[{number}] names no source of this answer."
    title, url = clean_line(source.title), clean_url(source.url)
    shown = f"{title} — {url}" if title and url and title != url else title or url
    snippet = clean_line(without_heading_marks(source.snippet))
    return f"[{number}] {shown}".rstrip() + (f"\n{snippet}" if snippet else "")


def with_references(markdown: str, sources: Sequence[Source], *, settled: bool) -> str:
    """The answer's Markdown followed by its numbered **Sources** list (what ``y`` copies),
    the list the Markdown export writes (titles escaped, each URL a link, its marks: the
    sources an ended answer does not cite, the markers that name none); its links as the export
    writes them (:func:`defuse_links`)."""
    text = defuse_links(clean_text(markdown)).rstrip()
    listed = sources_list(markdown, sources, settled=settled)
    return "\n".join([text, "", *listed]) if listed else text + "\n"


def code_blocks(markdown: str) -> list[str]:
    """The code of every fenced or indented code block, in order."""
    from pplx_tui.ui import citations

    tokens = citations.plain_parser().parse(clean_text(markdown))
    return [t.content for t in tokens if t.type in ("fence", "code_block") and t.content.strip()]


if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class ReadingKeys(_Host):
    """The reading cursor's actions, for a scrolling widget with a ``selected`` answer; it
    says which source should be highlighted with :meth:`request_source`."""

    selected: AnswerView | None

    def request_source(self, number: int) -> None:
        """Source ``number`` of the selected answer should be highlighted (the panel follows)."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._cursor: Stop | None = None
        self._snippet = False
        """Whether the snippet of the marker under the cursor is shown under its paragraph
        (moving the cursor hides it)."""
        self._digit: int | None = None
        self._digit_timer: Timer | None = None
        self.reset_reading()

    def reset_reading(self) -> None:
        """Forget the cursor's place (another answer was selected): it starts again at the
        first citation, with snippets hidden (QA: a snippet shown in one chat opened at once
        on the next chat's answer)."""
        self._marker_position = -1
        self._code_position = -1
        self._snippet = False

    def action_marker(self, step: int) -> None:
        """Move the reading cursor ``step`` links on (wrapping), scroll to it, show its source."""
        if self.selected is None:
            return
        found = stops(self.selected)
        if not found:
            self.notify("This answer cites no sources and has no links.", timeout=2)
            return
        if self._marker_position < 0:  # none reached yet: n goes to the first, p to the last
            self._marker_position = 0 if step > 0 else len(found) - 1  # (QA: p, the one before)
        else:
            self._marker_position = (self._marker_position + step) % len(found)
        self._move_cursor(found[self._marker_position])

    def _move_cursor(self, stop: Stop) -> None:
        """Put the cursor on ``stop``: the snippet shown goes with the marker it was shown for
        (space shows this one's; QA: the snippet went along, so space on the next marker hid
        it, the key bar saying "Hide snippet" there)."""
        if self._cursor is not None and self._snippet:
            self._snippet = False
            self.refresh_bindings()  # the key bar: "Snippet"
        self.place_cursor(stop)

    def place_cursor(self, stop: Stop | None) -> None:
        """Mark ``stop`` (``None``: clear, and no snippet), scroll to it and let the sources
        panel follow."""
        old, self._cursor = self._cursor, stop
        if old is not None and (stop is None or old.segment is not stop.segment):
            old.segment.set_cursor(None)
        if stop is None:
            self._snippet = False
        if stop is None or self.selected is None:
            return
        sources = self.selected.sources
        stop.segment.set_cursor(stop.spot, snippet_for(stop, sources) if self._snippet else "")
        focused = self.screen.focused
        if focused is not None and focused is not self and self in focused.ancestors:
            # From an answer's related questions or images (n bubbles up to here): the Enter
            # or c that follows opens or copies the marker's source, as the key bar says,
            # not the list's question (QA: Enter asked it) or image.
            self.focus()
        self.release_anchor()
        self.call_after_refresh(self._scroll_to_stop, stop)
        if (number := stop.number) is not None:
            self.request_source(number)

    def _scroll_to_stop(self, stop: Stop, checks: int = 1, scrolled: float | None = None) -> None:
        """Bring the cursor's line and its snippet into view (as much as fits); once more after
        the next frame, unless the user scrolled meanwhile: the snippet's rows may be laid out
        only then (QA: opened on an answer's last line, the snippet stayed under the question
        box but for its first row)."""
        segment = stop.segment
        if self._cursor is not stop or not segment.is_attached or self not in segment.ancestors:
            return
        if scrolled is not None and self.scroll_y != scrolled:
            return
        if self.max_scroll_y <= 0:
            # It all fits: it sits at the bottom, as a short chat does. Released, the anchor
            # left the view where the shorter chat sat, the snippet drawn below it. Anchored,
            # the next layout puts it right.
            self.anchor()
            self.refresh(layout=True)
            scrolled = None  # (the next layout moves the view, not the user)
        else:
            top, bottom = segment.cursor_lines()
            lines = Region(0, top, segment.size.width, bottom - top + 1)
            self.scroll_to_region(region_in(self, segment, lines), animate=False, immediate=True)
            scrolled = self.scroll_y
        if checks:
            self.call_after_refresh(self._scroll_to_stop, stop, checks - 1, scrolled)

    def toasts_clear_of_cursor(self, _: object = None) -> None:
        """Toasts stand clear of the cursor's marker where it shows (after each layout of the
        screen: a toast shown, the view scrolled; QA: the toast naming the source covered it)."""
        stand_clear_of(self.screen, self._marker_cells())

    def _marker_cells(self) -> list[Region]:
        """Where the cursor's marker is drawn on the screen (each of its lines), if it shows."""
        stop = self._cursor
        if stop is None or not self.display or not stop.segment.is_attached:
            return []
        segment, view = stop.segment, self.content_region
        x, y = segment.content_region.offset
        cells = (
            Region(x + start, y + line, end - start, 1) for line, start, end in stop.spot.pieces()
        )
        return [cell for cell in cells if view.contains_region(cell)]

    def action_open_target(self) -> None:
        if (url := self._cursor_url()) is not None:
            self.app.open_url(url)

    def action_copy_target(self) -> None:
        if (url := self._cursor_url()) is not None:
            self.app.copy_to_clipboard(url)
            self.notify("URL copied to the clipboard.", timeout=2)

    def _cursor_url(self) -> str | None:
        stop = self._cursor
        if stop is None or self.selected is None:
            keys = marker_keys(self.app)
            self.notify(f"Move to a citation or link first ({keys}, or its number).", timeout=2)
            return None
        sources = self.selected.sources
        url = stop.url(sources)
        if url is not None:
            return url
        number = stop.number
        if number is not None and all(source.index != number for source in sources):
            self.notify(f"There is no source [{number}].", timeout=2)  # as its digit key says
        else:
            self.notify("This has no web link to open or copy.", severity="warning", timeout=3)
        return None

    def action_toggle_snippet(self) -> None:
        self._snippet = not self._snippet
        self.refresh_bindings()  # the key bar: "Snippet" or "Hide snippet"
        if self._cursor is None:
            self.action_marker(1)
        else:  # its link where it is drawn now (a resize since moved it: see AnswerText)
            segment = self._cursor.segment
            self.place_cursor(Stop(segment, segment.cursor or self._cursor.spot))

    def action_digit(self, digit: int) -> None:
        """A digit: jump to that source. Digits make one number while a source's number starts
        with those typed and is longer (ids go on across the Agent API's searches, so a few
        sources can be [1] to [3] and [11] to [13]; an answer can have 10,000): each then waits
        :data:`DIGIT_WAIT` for the next. A first 0 is no number."""
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None
        typed, self._digit = (self._digit or 0) * 10 + digit, None
        if not typed:
            return
        sources = self.selected.sources if self.selected is not None else ()
        start = str(typed)
        numbers = (str(source.index) for source in sources)
        if any(len(n) > len(start) and n.startswith(start) for n in numbers):
            self._digit = typed
            self._digit_timer = self.set_timer(DIGIT_WAIT, self._digit_alone)
        else:
            self.action_source(typed)

    def _digit_alone(self) -> None:
        self._digit_timer = None
        if self._digit is not None:
            digit, self._digit = self._digit, None
            self.action_source(digit)

    def action_source(self, number: int) -> None:
        """Jump to source ``number``: the cursor goes to its first marker in the answer."""
        if not self._cursor_to_first(lambda stop: stop.number == number):
            self.request_source(number)

    def marker_clicked(self, number: int, segment: AnswerText, spot: LinkSpot | None) -> None:
        """A click on marker ``spot`` of ``segment``: the cursor goes onto it, as a digit key
        would (onto its source's first marker where the place clicked is not known)."""
        if spot is None or not self._cursor_to_first(
            lambda stop: stop.segment is segment and stop.spot == spot
        ):
            self.action_source(number)

    def _cursor_to_first(self, wanted: Callable[[Stop], bool]) -> bool:
        """Move the cursor to the selected answer's first link that is ``wanted`` (if any)."""
        if self.selected is not None:
            for position, stop in enumerate(stops(self.selected)):
                if wanted(stop):
                    self._marker_position = position
                    self._move_cursor(stop)
                    return True
        return False

    def action_copy_answer(self) -> None:
        if self.selected is not None and (text := self.selected.text):
            message = self.selected.message
            settled = message is not None and not message.running  # as the panel marks them
            copied = with_references(text, self.selected.sources, settled=settled)
            self.app.copy_to_clipboard(copied)
            self.notify("Answer copied with its sources.", timeout=2)

    def action_copy_code(self) -> None:
        if self.selected is None:
            return
        blocks = code_blocks(self.selected.text)
        if not blocks:
            self.notify("This answer has no code block.", timeout=2)
            return
        self._code_position = (self._code_position + 1) % len(blocks)
        self.app.copy_to_clipboard(blocks[self._code_position])
        self.notify(f"Code block {self._code_position + 1} of {len(blocks)} copied.", timeout=2)
