"""The model picker: every provider's models with their capabilities, filtered as you type."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pplx_tui.providers import Catalog, ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.dialogs.model_matches import ModelEntry, model_entries, named_exactly
from pplx_tui.ui.dialogs.spend_guard import SpendGuard
from pplx_tui.ui.keys_in_force import add_key_named
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.keys_in_turn import TextInput
from pplx_tui.ui.widgets.option_rows import HangingLines, RewrappingOptionList

__all__ = ["ModelPickerScreen"]


class ModelPickerScreen(Dialog[tuple[str, str] | None]):
    """Choose a model; dismisses with ``(provider, model_id)``, or ``None`` on Escape.

    The filter keeps the focus: typing narrows the list (every word must appear in the
    provider, the model id, its label or its capabilities; a model named exactly, by id or
    name, is highlighted), the arrow keys move in the list and Enter chooses. Choosing a model
    of a provider without a key first opens :class:`ApiKeyScreen` for that provider; the pick
    is made once the key is saved.
    """

    DEFAULT_CSS = """
    ModelPickerScreen .model-picker--dialog {
        width: 90%;
        max-width: 110;
        height: 85%;
        padding: 0 1;
    }
    ModelPickerScreen .model-picker--filter {
        margin-bottom: 1;
    }
    ModelPickerScreen .model-picker--note {
        color: $text-warning;
    }
    ModelPickerScreen .model-picker--list {
        height: 1fr;
        border: none;
        background: $surface;
        padding: 0 1;
        /* The filter keeps the focus for the list, so the list's row is the focused cursor,
           as in Textual's command palette (blurred, it had no colour in the ANSI themes). */
        & > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    # The list's keys run as they arrive (priority): bubbled up from the filter box, a Down read
    # with an Enter moved the highlight after the box had taken the Enter and chosen.
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="model_picker.cancel",
            tooltip="Close the picker and keep the current model",
        ),
        Binding(
            "down",
            "cursor('down')",
            "Next",
            show=False,
            priority=True,
            id="model_picker.next",
            tooltip="Highlight the next model",
        ),
        Binding(
            "up",
            "cursor('up')",
            "Previous",
            show=False,
            priority=True,
            id="model_picker.previous",
            tooltip="Highlight the previous model",
        ),
        Binding(
            "pagedown",
            "cursor('page_down')",
            "Page down",
            show=False,
            priority=True,
            id="model_picker.page_down",
            tooltip="Highlight a model one page down",
        ),
        Binding(
            "pageup",
            "cursor('page_up')",
            "Page up",
            show=False,
            priority=True,
            id="model_picker.page_up",
            tooltip="Highlight a model one page up",
        ),
    ]

    def __init__(
        self,
        catalog: Catalog,
        current: tuple[str, str] | None = None,
        has_key: Callable[[str], bool] = lambda provider: False,
        *,
        title: str = "Choose a model",
        asks: str | None = None,
        note: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Show ``catalog``'s models, with ``current`` (provider, model id) marked.

        ``has_key`` tells whether a provider (by name) has a key; the demo provider never
        needs one.
        ``title`` says what the choice is for. ``asks`` (e.g. 'Ask “…” again'): choosing
        sends a new request, so Enter asks for a second Enter (:class:`SpendGuard`). ``note``:
        a line over the filter on what else the choice does.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.current = current
        self._has_key = has_key
        self.title_text = title
        self.asks = asks
        self.note = note
        self._armed: str | None = None
        """The option the line names (``asks``)."""
        self._keys_added: set[str] = set()
        self._option_ids: dict[tuple[str, str], str] = {}
        """(provider, model id) → its option, kept when the catalog is shown again."""
        self._list_models(catalog)

    def _list_models(self, catalog: Catalog) -> None:
        """The entries of ``catalog``'s models, by option and by provider."""
        self.catalog = catalog
        self._entries = model_entries(catalog, self._option_ids)
        self._by_option = {entry.option_id: entry for entry in self._entries}
        self._groups = [
            (provider, [entry for entry in self._entries if entry.provider is provider])
            for provider in catalog.providers.values()
        ]
        """Each provider with its models' entries, in the catalog's order."""

    def show_catalog(self, catalog: Catalog) -> None:
        """List ``catalog``'s models from now on (a live model list read while the picker is
        open): the filter's text stays, and so does the model highlighted, while it is
        listed."""
        self._list_models(catalog)
        if self.is_mounted:
            self._show(self.query_one(Input).value, keep_highlight=True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="model-picker--dialog dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "↑↓ move · enter choose"
            if self.note:
                yield Static(self.note, markup=False, classes="model-picker--note")
            yield TextInput(
                placeholder="Filter by provider, model or capability…",
                classes="model-picker--filter",
                id="model-picker-filter",
                # The focus comes back to it from the Enter line: a letter typed there goes on
                # the filter (QA: all of it selected, the letter replaced it).
                select_on_focus=False,
            )
            if self.asks is not None:
                yield SpendGuard(id="model-picker-guard")
            # (its models drawn in the highlight's colours on the highlighted row: a model's
            # id and details were the theme's muted grey on it, 1.02:1 in pplx-high-contrast)
            options = RewrappingOptionList(classes="model-picker--list", id="model-picker-list")
            options.can_focus = False
            yield options
        yield KeyBar()

    def on_mount(self) -> None:
        self._show("")
        self.query_one(Input).focus()

    def provider_has_key(self, provider: ProviderInfo) -> bool:
        """Whether ``provider`` can be used now (it has a key, or needs none)."""
        if provider.dialect == "demo" or provider.name in self._keys_added:
            return True
        return self._has_key(provider.name)

    @property
    def _list(self) -> OptionList:
        return self.query_one(OptionList)

    def _show(self, query: str, *, keep_highlight: bool = False) -> None:
        """Fill the list with the models that match ``query``, grouped by provider.

        ``keep_highlight``: the model highlighted stays so while it matches (the list grew
        under the user's eyes; the filter typed is unchanged)."""
        words = query.lower().split()
        option_list = self._list
        previous = option_list.highlighted_option
        keep = previous.id if previous is not None else None
        options: list[Option] = []
        usable: str | None = None  # the first match that can be asked now
        for provider, entries in self._groups:
            matching = [entry for entry in entries if entry.matches(words)]
            # A provider with no model to choose (a gateway with `models = []`) is listed by
            # its header, which says why: it was left out without a word.
            named = all(word in f"{provider.name} {provider.label}".lower() for word in words)
            if matching or (not provider.models and named):
                options.append(self._header(provider, first=not options))
            for entry in matching:
                options.append(Option(self._prompt(entry), id=entry.option_id))
                if usable is None and self.provider_has_key(entry.provider):
                    usable = entry.option_id
        if not options:
            message = Content.assemble(
                ("No model matches ", "$foreground-muted"), (clean_line(query), "bold")
            )
            options.append(Option(message, disabled=True))
        option_list.set_options(options)
        # A model named exactly comes first: the one highlighted before (the current model,
        # on opening) stayed while it still matched, so 'perplexity/sonar' typed on Sonar Pro
        # (perplexity/sonar-pro) chose Sonar Pro again.
        current = self.current[0] if self.current else None
        kept = keep if keep and any(o.id == keep for o in options) else None
        target = kept if keep_highlight else None
        if target is None:
            target = named_exactly(self._entries, query, current, self.provider_has_key)
        if target is None:
            target = kept
        if target is None and not query:
            target = self._current_option_id()
        elif target is None:
            # Not a model whose provider has no key, listed first ('sonar pro': Perplexity's
            # preset, no key, before OpenRouter's Sonar Pro): Enter opened the key dialog.
            target = usable
        if target is not None:
            option_list.highlighted = option_list.get_option_index(target)
        else:
            option_list.action_first()

    def _current_option_id(self) -> str | None:
        return next(
            (e.option_id for e in self._entries if (e.provider.name, e.model.id) == self.current),
            None,
        )

    def _header(self, provider: ProviderInfo, *, first: bool) -> Option:
        lines = [
            Content.assemble(
                ("" if first else "\n"),
                (clean_line(provider.label), "bold $text-primary"),
                ("  " + provider.name, "$foreground-muted"),
            )
        ]
        for note in (provider.notice, provider.config_note):
            if note:
                lines.append(Content.styled(clean_line(note), "$text-warning"))
        if not self.provider_has_key(provider):
            help_text = add_key_named(
                self.app, provider.key_help or "Add a key with the API key dialog."
            )
            lines.append(
                Content.assemble(("No key. ", "bold $text-warning"), (clean_line(help_text), ""))
            )
        return Option(Content("\n").join(lines), disabled=True)

    def _prompt(self, entry: ModelEntry) -> HangingLines:
        model = entry.model
        is_current = (entry.provider.name, model.id) == self.current
        details = model.capabilities
        if model.price_label:
            details += " · " + model.price_label
        first = Content.assemble(
            ("● " if is_current else "  ", "$text-accent"),
            (clean_line(model.label), "bold"),
            ("  " + clean_line(model.id), "$foreground-muted"),
        )
        second = Content.assemble(("    " + details, "$foreground-muted"))
        if not self.provider_has_key(entry.provider):
            second = second + Content.styled(" · needs a key", "$text-warning")
        return HangingLines([(2, first), (4, second)])

    @on(Input.Changed, "#model-picker-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._disarm()
        self._show(event.value)

    @on(Input.Submitted, "#model-picker-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self._list.highlighted_option
        if option is None or option.disabled or option.id is None:
            return
        entry = self._by_option.get(option.id)
        if self.asks is None or entry is None:
            self._choose(option.id)
            return
        chosen = self._armed = option.id
        model = f"{clean_line(entry.model.label)} · {clean_line(entry.provider.name)}"
        guard = self.query_one(SpendGuard)
        free = int(entry.provider.dialect == "demo")
        guard.check(f"{self.asks} with {model}", lambda: self._choose(chosen), free=free)

    @on(OptionList.OptionHighlighted, "#model-picker-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The list's highlight now, not the message's: those of a filter typed with its Enter
        # arrive after the Enter, stale (QA: they took away the line it showed).
        highlighted = self._list.highlighted_option
        if highlighted is None or highlighted.id != self._armed:
            self._disarm()

    def _disarm(self) -> None:
        """Another model is highlighted: the next Enter only names it."""
        if self.asks is not None:
            self.query_one(SpendGuard).disarm()

    @on(SpendGuard.Shown)
    def _keep_highlight(self) -> None:
        """The line made the list shorter: keep the model it names in view."""
        self._list.scroll_to_highlight()

    @on(OptionList.OptionSelected, "#model-picker-list")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._choose(event.option.id)

    def _choose(self, option_id: str) -> None:
        entry = self._by_option.get(option_id)
        if entry is None:
            return
        choice = (entry.provider.name, entry.model.id)
        if self.provider_has_key(entry.provider):
            self.dismiss(choice)
            return

        def key_saved(provider: str | None) -> None:
            if provider is None:
                return
            self._keys_added.add(provider)
            if provider == choice[0]:
                self.dismiss(choice)
            else:
                self._show(self.query_one(Input).value)

        self.open_dialog(ApiKeyScreen(self.catalog, entry.provider.name), key_saved)

    def action_cursor(self, move: str) -> None:
        """Move the list's highlight while the filter keeps the focus."""
        option_list = self._list
        actions: dict[str, Callable[[], None]] = {
            "down": option_list.action_cursor_down,
            "up": option_list.action_cursor_up,
            "page_down": option_list.action_page_down,
            "page_up": option_list.action_page_up,
        }
        if action := actions.get(move):
            action()

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
