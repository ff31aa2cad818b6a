"""The search settings editor: recency, dates, domains, mode, context size, "no web search",
and whether to ask for related questions and images.

A compact dialog driven from the keyboard: ↑/↓ (or Tab) move between rows, ←/→ change a
choice, Enter saves from anywhere, Escape cancels, ctrl+r clears every setting; for the
mouse, Save (or Ask) and Cancel buttons at its foot. Each row says under its choices when the
chosen provider and model cannot honour it (such an option is kept in the settings but never
sent) and when another setting overrides it (dates over recency, "no web search" over every
filter); where they take none of the options, one line at the top says so instead of every
row. Dismisses with the new :class:`SearchSettings`, or ``None``.

Reusable: ``SearchSettingsScreen(settings, provider=..., model_id=...)`` is all it needs (the
research screen edits the chat's settings with it; an alternative answer can be asked with
settings picked here).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from pplx_tui.models import SearchSettings
from pplx_tui.providers import ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.search_input import check_date_range, parse_date, parse_domains
from pplx_tui.search_support import none_taken, not_honoured, option_support, summary
from pplx_tui.ui.dialogs.buttons import DialogButtons
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.dialogs.search_settings_rows import (
    ASK,
    CONTEXT,
    MODE,
    RECENCY,
    ROWS,
    SEARCH,
    TEXT_ROWS,
    parsed,
)
from pplx_tui.ui.dialogs.spend_guard import SpendGuard
from pplx_tui.ui.keys_in_force import key_shown
from pplx_tui.ui.widgets.choice import Choice
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.keys_in_turn import TextInput, is_typed, run_in_place, settled

__all__ = ["SearchSettingsScreen"]

DOMAINS_EXAMPLE = "nature.com, arxiv.org or deny: -x.com"
"""The domains box's placeholder, short enough for the box in a 60-column terminal."""


class SearchSettingsScreen(Dialog[SearchSettings | None]):
    """Edit ``settings`` for questions sent to ``provider`` / ``model_id``."""

    DEFAULT_CSS = """
    SearchSettingsScreen .search-settings--dialog {
        width: 90%;
        max-width: 88;
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    SearchSettingsScreen .search-settings--warning {
        color: $text-warning;
    }
    SearchSettingsScreen .search-settings--row {
        height: auto;
        margin: 0;
    }
    SearchSettingsScreen .search-settings--label {
        width: 12;
        color: $text-secondary;
        text-style: bold;
    }
    SearchSettingsScreen Input {
        width: 34;
    }
    SearchSettingsScreen #search-domains {
        width: 1fr;
    }
    SearchSettingsScreen .search-settings--label.-to-fix {
        color: $text-error;
    }
    SearchSettingsScreen.-none-taken .search-settings--label {
        color: $text-muted;
    }
    SearchSettingsScreen .search-settings--field {
        width: 1fr;
        height: auto;
    }
    SearchSettingsScreen .search-settings--note {
        width: 1fr;
        height: auto;
        color: $text-warning;
    }
    SearchSettingsScreen .search-settings--note.-muted {
        color: $text-muted;
    }
    SearchSettingsScreen .search-settings--summary {
        margin-top: 1;
        color: $text-muted;
    }
    SearchSettingsScreen .search-settings--error {
        color: $text-error;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding(
            "enter",
            "save",
            "Save",
            id="search_settings.save",
            tooltip="Save the search settings (asking again: ask, after a second Enter)",
        ),
        Binding("escape", "cancel", "Cancel", id="search_settings.cancel"),
        # Run as they arrive (priority), so a key read in the same burst goes to the row they
        # moved to: a text box (a date, the domains) took the Right meant for the row below,
        # and a date typed after Tab went into the row it left.
        Binding("down,tab", "row(1)", "Next", show=False, priority=True),
        Binding("up,shift+tab", "row(-1)", "Previous", show=False, priority=True),
        Binding(
            "ctrl+r",
            "defaults",
            "Clear",  # to any / web / default / no: not config.toml's [search]
            id="search_settings.defaults",
            tooltip="Clear every search setting",
            priority=True,  # likewise: the keys after it change the cleared rows
        ),
    ]

    def __init__(
        self,
        settings: SearchSettings,
        *,
        provider: ProviderInfo,
        model_id: str,
        title: str = "Search settings",
        asks: str | None = None,
        requests: int = 1,
        note: str | None = None,
    ) -> None:
        """``asks`` (e.g. 'Ask “…” again'): saving sends ``requests`` new requests, so Enter
        asks for a second Enter (:class:`SpendGuard`). ``note``: a line shown above the rows
        (what asking again does to the later questions)."""
        super().__init__()
        self.initial = settings
        self.provider = provider
        self.model_id = model_id
        self.title_text = title
        self.asks = asks
        self.requests = requests
        self.note = note
        self._armed: SearchSettings | None = None
        """The settings the line names (``asks``)."""
        self._marked: tuple[str, ...] | None = None
        """The texts the rows marked to fix held when Enter refused them (:meth:`_texts`)."""
        self._unsupported = option_support(provider, model_id)
        self._none_taken = none_taken(provider, model_id)
        """Said once at the top, where no row's option is taken (not on each of nine rows)."""

    def compose(self) -> ComposeResult:
        search = self.initial
        with Vertical(classes="search-settings--dialog dialog") as dialog:
            dialog.border_title = self.title_text
            save, cancel, defaults = (
                key_shown(self.app, f"search_settings.{name}")
                for name in ("save", "cancel", "defaults")
            )
            dialog.border_subtitle = (
                f"↑↓ move · ←→ change · {save} {self._go_word.lower()} · {cancel} cancel · "
                f"{defaults} clear"
            )
            if self.note:
                yield Static(self.note, markup=False, classes="search-settings--warning")
            if self._none_taken:
                yield Static(
                    self._none_taken,
                    markup=False,
                    classes="search-settings--warning",
                    id="search-none-taken",
                )
            yield from self._row("recency", Choice(RECENCY, search.recency, id="search-recency"))
            yield from self._row("after_date", self._date_input("after", search.after_date))
            yield from self._row("before_date", self._date_input("before", search.before_date))
            domains = _TextRow(
                ", ".join(search.domains),
                placeholder=DOMAINS_EXAMPLE,
                id="search-domains",
                compact=True,
            )
            yield from self._row("domains", domains)
            yield from self._row("mode", Choice(MODE, search.mode, id="search-mode"))
            context = Choice(CONTEXT, search.context_size, id="search-context")
            yield from self._row("context_size", context)
            switch = Choice(SEARCH, search.disable_search, id="search-disable")
            yield from self._row("disable_search", switch)
            related = Choice(ASK, search.return_related_questions, id="search-related")
            yield from self._row("return_related_questions", related)
            yield from self._row(
                "return_images", Choice(ASK, search.return_images, id="search-images")
            )
            yield Static(classes="search-settings--summary", id="search-summary")
            error = Static(classes="search-settings--error", id="search-error")
            error.display = False
            yield error
            if self.asks is not None:
                yield SpendGuard(id="search-guard")
            yield DialogButtons(self._go_word, "save(True)")
        yield KeyBar()  # its own keys, not the workspace's under it (QA Q13)

    @property
    def _go_word(self) -> str:
        """What saving does: asking again, it asks."""
        return "Save" if self.asks is None else "Ask"

    def binding_description(self, action: str) -> str | None:
        """The key bar's words: Enter asks when saving asks again."""
        return self._go_word if action == "save" else None

    def _row(self, name: str, control: Widget) -> ComposeResult:
        label = dict(ROWS)[name]
        with Horizontal(classes="search-settings--row"):
            yield Label(label, classes="search-settings--label")
            with Vertical(classes="search-settings--field"):
                yield control
                yield Static(classes="search-settings--note", id=f"note-{name}")

    def _date_input(self, which: str, value: str | None) -> Input:
        return _TextRow(
            value or "", placeholder="MM/DD/YYYY", id=f"search-{which}", compact=True, max_length=10
        )

    def on_mount(self) -> None:
        self.set_class(bool(self._none_taken), "-none-taken")
        self.query_one("#search-recency").focus()
        self._refresh_notes()

    # -- reading the form ------------------------------------------------------------------

    def _value(self, widget_id: str) -> object:
        return self.query_one(f"#{widget_id}", Choice).value

    def _text(self, widget_id: str) -> str:
        return clean_line(self.query_one(f"#{widget_id}", Input).value)

    def _read(self, *, lenient: bool = False) -> SearchSettings:
        """The settings as the form holds them; ``ValueError`` says which value is wrong
        (``lenient``: a date or a domain list not readable yet is left out instead)."""
        after = parsed(parse_date, self._text("search-after"), lenient)
        before = parsed(parse_date, self._text("search-before"), lenient)
        if not lenient:
            check_date_range(after, before)
        return self.initial.model_copy(
            update={
                "recency": self._value("search-recency"),
                "after_date": after,
                "before_date": before,
                "domains": parsed(parse_domains, self._text("search-domains"), lenient) or [],
                "mode": self._value("search-mode"),
                "context_size": self._value("search-context"),
                "disable_search": bool(self._value("search-disable")),
                "return_related_questions": bool(self._value("search-related")),
                "return_images": bool(self._value("search-images")),
            }
        )

    def _refresh_notes(self) -> None:
        to_fix = ""
        try:
            settings = self._read()
        except ValueError:  # a date half typed: the rest still reads (never "default search")
            settings = self._read(lenient=True)
            count = len(self._problems())
            values = "a value" if count == 1 else f"{count} values"
            to_fix = f" (and {values} to fix: Enter says which)"
        conflicts = not_honoured(settings, self.provider, self.model_id)
        if unread := self._unread(settings):
            # A row holding text not read yet (a date half typed, allowed and denied domains
            # together) is noted as a set one, not an empty one (QA: Domains had no note under
            # "no web search" while Recency and After had); the other rows, and the summary,
            # go by what was read.
            typed = settings.model_copy(update=unread)
            typed_conflicts = not_honoured(typed, self.provider, self.model_id)
            conflicts |= {name: typed_conflicts[name] for name in unread if name in typed_conflicts}
        for name, _ in ROWS:
            note = self.query_one(f"#note-{name}", Static)
            if self._none_taken:
                reason = None  # said once, at the top
            elif reason := self._unsupported.get(name):
                note.update(Content(f"✗ not sent here: {reason}"))
                note.remove_class("-muted")
            elif reason := conflicts.get(name):
                note.update(Content(f"not sent: {reason}"))
                note.add_class("-muted")
            note.display = bool(reason)
        target = f"{clean_line(self.provider.name)} · {clean_line(self.model_id)}"
        words = self._summary(settings)
        self.query_one("#search-summary", Static).update(Content(f"For {target}: {words}{to_fix}"))

    def _summary(self, settings: SearchSettings) -> str:
        """``settings`` in a few words, as sent to the target: what it would not send (recency
        beside dates…) after "not sent:", as the rows' notes and the header say."""
        return summary(settings, not_honoured(settings, self.provider, self.model_id)) or (
            "default search"
        )

    def _problems(self) -> dict[str, str]:
        """What is wrong with each text row the form cannot read, in the rows' order (an after
        date later than the before date: the after date's, listed before the domains' too),
        every one at once (QA: a bad date and mixed domains were refused one at a time)."""
        problems: dict[str, str] = {}
        for name, widget_id in TEXT_ROWS.items():
            parse = parse_domains if name == "domains" else parse_date
            try:
                parsed(parse, self._text(widget_id), False)
            except ValueError as error:
                problems[name] = str(error)
        if not problems.keys() & {"after_date", "before_date"}:
            settings = self._read(lenient=True)  # both dates read
            try:
                check_date_range(settings.after_date, settings.before_date)
            except ValueError as error:
                problems["after_date"] = str(error)
        return {name: problems[name] for name in TEXT_ROWS if name in problems}  # rows' order

    def _mark(self, problems: dict[str, str]) -> None:
        """Mark the rows of ``problems`` (✗ after the label) and say each one's problem under
        the rows; no problems: no marks."""
        labels = dict(ROWS)
        for name, widget_id in TEXT_ROWS.items():
            row = self.query_one(f"#{widget_id}").query_ancestor(".search-settings--row")
            label = row.query_one(".search-settings--label", Label)
            label.update(f"{labels[name]} ✗" if name in problems else labels[name])
            label.set_class(name in problems, "-to-fix")
        message = self.query_one("#search-error", Static)
        lines = (f"{labels[name]}: {problem}" for name, problem in problems.items())
        message.update(Content("\n".join(lines)))
        message.display = bool(problems)
        self._marked = self._texts() if problems else None

    def _texts(self) -> tuple[str, ...]:
        """What the text rows hold, in order."""
        return tuple(self._text(widget_id) for widget_id in TEXT_ROWS.values())

    def _unread(self, settings: SearchSettings) -> dict[str, object]:
        """The text rows holding text that ``settings`` (read leniently) left out, with it."""
        return {
            name: [text] if name == "domains" else text
            for name, widget_id in TEXT_ROWS.items()
            if (text := self._text(widget_id)) and not getattr(settings, name)
        }

    # -- events ----------------------------------------------------------------------------

    @on(Choice.Changed)
    @on(Input.Changed)
    def _changed(self, event: Choice.Changed | Input.Changed) -> None:
        event.stop()
        if self.asks is not None and self._current() != self._armed:
            self.query_one(SpendGuard).disarm()  # the line named other settings
        if self._texts() != self._marked:  # (a change Enter read already leaves its marks)
            self._mark({})
        self._refresh_notes()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _current(self) -> SearchSettings | None:
        try:
            return self._read()
        except ValueError:
            return None

    def action_row(self, step: int) -> None:
        """The next (``step`` 1) or previous row; from the spend guard, moving from the row it
        came from (which any other key goes back to)."""
        for guard in self.query(SpendGuard):
            if guard.has_focus:
                guard.disarm()
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_save(self, clicked: bool = False) -> None:
        """Save, or asking again, ask: after a second Enter (:class:`SpendGuard`), at once for
        a click on the button (deliberate, as a click on a choice is). Once every row has
        handled the keys read before this one: each row has its own queue, and an Enter on a
        choice saved before the row above had typed the date read with it."""
        self.call_later(self._save, clicked)

    async def _save(self, clicked: bool) -> None:
        """:meth:`action_save`, in the dialog's queue once the rows have caught up."""
        for row in [*self.query(Choice), *self.query(Input)]:
            await settled(row)
        if self.closed:  # (a second Enter of a burst)
            return
        try:
            settings = self._read()
        except ValueError:
            self._mark(self._problems())
            return
        if self.asks is None or clicked:
            self.dismiss(settings)
            return
        self._armed = settings
        words = self._summary(settings)
        target = f"{clean_line(self.provider.name)} · {clean_line(self.model_id)}"
        guard = self.query_one(SpendGuard)
        guard.check(
            f"{self.asks} with {words} ({target})",
            lambda: self.dismiss(self._current()),
            self.requests,
            free=self.requests if self.provider.dialect == "demo" else 0,
        )

    def action_defaults(self) -> None:
        self.query_one("#search-recency", Choice).value = None
        self.query_one("#search-mode", Choice).value = None
        self.query_one("#search-context", Choice).value = None
        for switch in ("disable", "related", "images"):
            self.query_one(f"#search-{switch}", Choice).value = False
        for text_input in self.query(Input):
            text_input.value = ""

    def action_cancel(self) -> None:
        self.dismiss(None)


class _TextRow(TextInput):
    """A row typed as text: Enter saves there too (``Input.Submitted``), and the key bar says
    so. Input's own Enter (hidden) stood in for the dialog's: on a date or the domains the bar
    read only "esc Cancel  ^r Clear" (QA). Its keys run where they were typed, as a
    :class:`Choice`'s do."""

    BINDINGS = [Binding("enter", "submit", "Save")]

    async def _on_key(self, event: events.Key) -> None:
        if not is_typed(event):
            await run_in_place(self, event)

    def binding_description(self, action: str) -> str | None:
        """Enter's word is the dialog's: "Ask" where saving asks again."""
        screen = self.screen
        if action == "submit" and isinstance(screen, SearchSettingsScreen):
            return screen.binding_description("save")
        return None
