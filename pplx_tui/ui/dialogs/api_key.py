"""The API key dialog: pick a provider, paste a key; it goes to config.toml (0600) only."""

from __future__ import annotations

import os
from collections.abc import Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from pplx_tui.client.http_errors import sendable_key
from pplx_tui.config import ConfigError, load_settings, update_config
from pplx_tui.providers import Catalog, ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.keys_in_turn import TextInput

__all__ = ["ApiKeyScreen"]

KEY_MIN_LENGTH = 20
"""Shorter than this is doubted: a built-in provider's keys are 50-70 characters (a gateway's
may be anything, but not a word)."""

SHORT_SCREEN = 30
"""Under this height the dialog has no blank row inside its frame and keeps the app's header in
view: at 80x24, with both notes and an error, it covered the header and scrolled its first
rows out of view (QA)."""

KEY_MAX_LENGTH = 4096
"""Longer than this is not a key (a token may run to 2,000 characters): a whole file pasted."""


class KeyInput(TextInput):
    """The key box: a paste is taken whole, its outer whitespace (a final line break) dropped.

    Input keeps the first line of a paste only: a key pasted over two lines was cut to its
    first and saved. Such a paste is refused here (:class:`KeyInput.Refused`), nothing typed.
    """

    class Refused(Message):
        """A paste of more than one line was not taken."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # not Input's handler, which keeps the first line
        event.stop()
        text = event.text.strip()
        if "\n" in text or "\r" in text:
            self.post_message(self.Refused())
        elif text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)


class ApiKeyScreen(Dialog[str | None]):
    """Save an API key for a provider; dismisses with the provider name, or ``None``.

    The key is typed into a masked input, never shown, and written as
    ``providers.<name>.api_key`` in config.toml (atomically, mode 0600). On save the screen
    also posts :class:`ApiKeyScreen.KeySaved` to the app, so it can re-read its settings even
    when another screen pushed this one.
    """

    DEFAULT_CSS = """
    ApiKeyScreen .api-key--dialog {
        width: 80%;
        max-width: 84;
    }
    ApiKeyScreen.-short .api-key--dialog {
        padding: 0 2;
        margin-top: 1;  /* the app's header row stays in view (the screen's own padding moved
                           the workspace under it down a row: QA) */
    }
    ApiKeyScreen .api-key--label {
        color: $text-muted;
        margin-top: 1;
    }
    ApiKeyScreen .api-key--label:first-child {
        margin-top: 0;  /* under the frame's own padding: one blank line, not two */
    }
    ApiKeyScreen .api-key--help {
        color: $text;
        margin-top: 1;
    }
    ApiKeyScreen .api-key--note {
        color: $text-warning;
        display: none;
    }
    ApiKeyScreen .api-key--error {
        color: $text-error;
        text-style: bold;
        display: none;
    }
    ApiKeyScreen .api-key--buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ApiKeyScreen.-short .api-key--label, ApiKeyScreen.-short .api-key--help,
    ApiKeyScreen.-short .api-key--buttons {
        margin-top: 0;
    }
    ApiKeyScreen .api-key--buttons Button {
        margin-left: 2;
    }
    """

    AUTO_FOCUS = "#api-key-input"
    """The key field first, so a paste lands there and Enter saves (QA Q17); the provider list
    is a shift+tab away. Focused as the dialog is composed, before the keys typed with ctrl+k
    reach it."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="api_key.cancel", tooltip="Close without saving a key"
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="api_key.save",
            tooltip="Save the key to config.toml (owner-only)",
        ),
    ]

    class KeySaved(Message):
        """A key was written to config.toml for ``provider`` (the key itself is not carried)."""

        def __init__(self, dialog: ApiKeyScreen, provider: str) -> None:
            super().__init__()
            self.dialog = dialog
            """The dialog that saved the key."""
            self.provider = provider
            """The provider the key is for."""

        @property
        def control(self) -> ApiKeyScreen:
            """The dialog that saved the key."""
            return self.dialog

    def __init__(
        self,
        catalog: Catalog,
        provider: str | None = None,
        *,
        guessed: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Offer every provider of ``catalog`` that takes a key, ``provider`` selected.

        ``guessed``: ``provider`` is only a guess (none given, or the app is on the demo), so a
        pasted key whose prefix names another provider chooses that one.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.catalog = catalog
        self.providers = [p for p in catalog.providers.values() if p.dialect != "demo"]
        names = [p.name for p in self.providers]
        self.initial = provider if provider in names else (names[0] if names else None)
        self.guessed = guessed or provider not in names
        self._shown_by_code = self.initial
        """The provider this dialog selected itself (at first, or for a key's prefix)."""
        self._doubted: tuple[str, str] | None = None
        """The provider and key the last Enter doubted: Enter again with both saves it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="api-key--dialog dialog") as dialog:
            dialog.border_title = "Add an API key"
            yield Label("Provider", classes="api-key--label")
            yield Select(
                [(Content(clean_line(p.label)), p.name) for p in self.providers],
                value=self.initial if self.initial is not None else Select.NULL,
                allow_blank=self.initial is None,
                id="api-key-provider",
            )
            yield Static(classes="api-key--help", id="api-key-help", markup=False)
            yield Static(classes="api-key--note", id="api-key-note", markup=False)
            yield Label("Key (hidden as you type)", classes="api-key--label")
            yield KeyInput(
                placeholder="Paste the key",
                password=True,
                id="api-key-input",
            )
            yield Static(classes="api-key--error", id="api-key-error", markup=False)
            with Horizontal(classes="api-key--buttons"):
                yield Button("Cancel", id="api-key-cancel")
                yield Button("Save", variant="primary", id="api-key-save")
        yield KeyBar()

    def on_mount(self) -> None:
        self._describe(self.selected_provider)
        self.set_class(self.app.size.height < SHORT_SCREEN, "-short")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_SCREEN, "-short")

    @property
    def selected_provider(self) -> ProviderInfo | None:
        """The provider the key is for."""
        value = self.query_one(Select).value
        return next((p for p in self.providers if p.name == value), None)

    def _describe(self, provider: ProviderInfo | None) -> None:
        """Show where to get a key for ``provider`` and how it relates to what is set."""
        help_widget = self.query_one("#api-key-help", Static)
        note_widget = self.query_one("#api-key-note", Static)
        self._error("")
        if provider is None:
            help_widget.update("Choose a provider.")
            note_widget.display = False
            return
        help_text = _key_hint(provider)
        help_widget.update(clean_line(help_text))
        notes: list[str] = []
        if provider.api_key_env and os.environ.get(provider.api_key_env, "").strip():
            notes.append(
                f"{provider.api_key_env} is set in the environment; it wins over a saved key."
            )
        try:
            configured = load_settings().providers.get(provider.name)
        except ConfigError as error:
            notes.append(f"config.toml cannot be read, so no key can be saved: {error.shortened()}")
        else:
            if configured is not None and configured.api_key:
                notes.append("A key is already saved for this provider; saving replaces it.")
        note_widget.update(clean_line(" ".join(notes)))
        note_widget.display = bool(notes)

    def _error(self, text: str) -> None:
        """Say what is wrong with the key, in the place of where to get one (at 80x24 both
        pushed the buttons out of the dialog)."""
        error = self.query_one("#api-key-error", Static)
        error.update(text)
        error.display = bool(text)
        self.query_one("#api-key-help", Static).display = not text

    @on(Select.Changed, "#api-key-provider")
    def _provider_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != self._shown_by_code:
            self.guessed = False  # chosen by hand: a key's prefix no longer overrides it
        self._describe(self.selected_provider)

    @on(Input.Changed, "#api-key-input")
    def _key_changed(self, event: Input.Changed) -> None:
        """A key whose prefix names another provider (``gsk_`` is Groq's) chooses it when the
        provider was a guess: from the demo a pasted key is often another provider's. What
        was wrong with the key before goes (it said "Paste a key first." over a good one)."""
        event.stop()
        self._error("")
        if not self.guessed:
            return  # a provider asked for on purpose (a gateway's keys may look like others')
        key = event.value.strip()
        selected = self.selected_provider
        if selected is not None and selected.key_prefix and key.startswith(selected.key_prefix):
            return
        owner = next(
            (p for p in self.providers if p.key_prefix and key.startswith(p.key_prefix)), None
        )
        if owner is not None:
            self._shown_by_code = owner.name
            self.query_one(Select).value = owner.name

    @on(KeyInput.Refused)
    def _paste_refused(self, event: KeyInput.Refused) -> None:
        event.stop()
        self._error("A key is one line: the paste held more, so it was not taken.")

    @on(Input.Submitted, "#api-key-input")
    def _key_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#api-key-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#api-key-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_save(self) -> None:
        """Validate the key, write it to config.toml and close."""
        provider = self.selected_provider
        key_input = self.query_one(Input)
        key = key_input.value.strip()
        if provider is None:
            self._error("Choose a provider first.")
            return
        if not key:
            self._error("Paste a key first.")
            key_input.focus()
            return
        if len(key) > KEY_MAX_LENGTH:
            self._error(
                f"This is too long for a key ({len(key):,} characters): paste only the key."
            )
            key_input.focus()
            return
        if not sendable_key(key):  # every request would refuse it
            self._error(
                "A key has no spaces, line breaks, control or non-ASCII characters (such as '…')."
            )
            key_input.focus()
            return
        if "." in provider.name:
            self._error(
                f"A key for {provider.name!r} cannot be saved from here; "
                "add it to config.toml by hand."
            )
            return
        doubt = _key_doubt(provider, key, self.providers)
        if doubt and self._doubted != (provider.name, key):
            self._doubted = (provider.name, key)
            self._error(f"{doubt}: Enter again saves it anyway.")
            key_input.focus()
            return
        try:
            update_config({f"providers.{provider.name}.api_key": key})
        except ConfigError as error:
            self._error(clean_line(error.shortened()))
            return
        except OSError as error:  # (QA: "not saved: Permission denied" said not where)
            where = f" in {clean_line(str(error.filename))}" if error.filename else ""
            self._error(f"The key was not saved{where}: {error.strerror or error}.")
            return
        key_input.value = ""
        self.app.post_message(self.KeySaved(self, provider.name))
        self.dismiss(provider.name)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.query_one(Input).value = ""
        self.dismiss(None)


def _key_doubt(
    provider: ProviderInfo, key: str, providers: Sequence[ProviderInfo] = ()
) -> str | None:
    """Why ``key`` does not look like ``provider``'s, or ``None``: a word typed after a
    readline ctrl+k (this dialog's key) must not be saved at once, and a key pasted for the
    wrong provider is named as the other's. A custom gateway's keys (no ``key_prefix``) may
    look like anything, but a short one is doubted as well (a word of 3 letters was saved)."""
    if not provider.key_prefix:
        if len(key) < KEY_MIN_LENGTH:
            return f"This is short for a key ({len(key)} characters)"
        return None
    if not key.startswith(provider.key_prefix):
        owner = next((p for p in providers if p.key_prefix and key.startswith(p.key_prefix)), None)
        if owner is not None:
            return (
                f"This looks like {_a_name(owner)} key ({owner.key_prefix}…), "
                f"not {_name(provider)}'s"
            )
        return f"This does not look like {_a_name(provider)} key ({provider.key_prefix}…)"
    if len(key) < KEY_MIN_LENGTH:
        return f"This is too short for {_a_name(provider)} key ({len(key)} characters)"
    return None


def _name(provider: ProviderInfo) -> str:
    return provider.label.split(" (")[0]


def _a_name(provider: ProviderInfo) -> str:
    """``provider``'s name after "a" or "an"."""
    name = _name(provider)
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


def _key_hint(provider: ProviderInfo) -> str:
    """Where to get a key, said in this dialog: a built-in provider's ``key_help`` says "add it
    in the app with ctrl+k" (QA Q8), a gateway's names its config table."""
    if not provider.key_url:
        return provider.key_help or f"Paste the key for {provider.label} below."
    env = f" (or set {provider.api_key_env} instead)" if provider.api_key_env else ""
    where = f"Create a key at {provider.key_url} and paste it below"
    return f"{where}; it is saved in config.toml{env}."
