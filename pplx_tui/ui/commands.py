"""The command palette (ctrl+p): the workspace's keyed actions, plus "Open chat: …" per chat.

An entry is made from its binding: the binding's ``id`` picks it (and its title here), its
``tooltip`` is the help, and the key shown is the one actually bound — after the user's
``[keymap]`` in config.toml — so the palette and the key bar always agree. Every keyed entry
names its key; a widget's key, while the focus is elsewhere, says where it works ("m in the
conversation": in the question box ``m`` types an m). Titles and help are text, not
markup (a chat titled ``[b]x`` is shown as written). Actions without a
key (rename, delete) are listed by action name. A command that cannot act now (no answer yet)
says so, where Textual would do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual import on
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList
from textual.worker import Worker, WorkerState

from pplx_tui.sanitize import clean_line
from pplx_tui.ui.keys_in_force import help_named, keys_of
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.keys_in_turn import TextInput

__all__ = ["KEYED", "UNKEYED", "Palette", "PaletteInput", "PplxCommands", "key_note"]

KEYED: dict[str, str] = {
    "app.pick_model": "Choose model",
    "app.add_key": "Add API key",
    "research.new_chat": "New chat",
    "research.stop": "Stop answer",
    "research.retry": "Retry / regenerate",
    "research.compare": "Compare models side by side",
    "conversation.other_model": "Ask again with another model",
    "conversation.other_search": "Ask again with other search settings",
    "conversation.next_alternative": "Next alternative answer",
    "conversation.previous_alternative": "Previous alternative answer",
    "conversation.edit_question": "Edit question and resend",
    "conversation.next_version": "Next version of the question",
    "conversation.previous_version": "Previous version of the question",
    "conversation.compare": "Compare this answer's question side by side",
    "conversation.related": "Related questions",
    "conversation.images": "Images",
    "conversation.reasoning": "Show or hide reasoning",
    "research.toggle_chats": "Toggle chat list",
    "research.toggle_sources": "Toggle sources",
    "research.search_chats": "Search chats",
    "conversation.find": "Find in this chat",
    "conversation.copy_answer": "Copy answer",
    "conversation.next_marker": "Next citation",
    "conversation.previous_marker": "Previous citation",
    "sources.open": "Open source",
    "sources.copy_url": "Copy source URL",
    "research.focus_prompt": "Focus question box",
    "research.search_settings": "Search settings",
    "research.keys": "Keys (cheat sheet)",
}
"""Binding id → palette title, in palette order."""
UNKEYED: tuple[tuple[str, str, str], ...] = (
    ("Rename chat", "Give the open chat a title", "rename_current"),
    ("Hide the notice", "Hide the line above the conversation (no key: for good)", "hide_notice"),
    ("Delete chat", "Delete the open chat (asks first)", "delete_current"),
    (
        "Export chat as Markdown",
        "The whole chat, every alternative answer and branch, each with its sources (.md)",
        "export_sources('md')",
    ),
    (
        "Export chat as JSON",
        "The chat file, as pplx chats export --format json writes it, for pplx chats "
        "import (.json)",
        "export_sources('json')",
    ),
    (
        "Export sources as BibTeX",
        "The chat's sources, cited first, for JabRef, Zotero or LaTeX (.bib)",
        "export_sources('bibtex')",
    ),
    (
        "Export sources as CSL-JSON",
        "The chat's sources, cited first, for pandoc or Zotero (.csl.json)",
        "export_sources('csl-json')",
    ),
    (
        "Export sources as RIS",
        "The chat's sources, cited first, for Zotero, EndNote or Mendeley (.ris)",
        "export_sources('ris')",
    ),
)
"""(title, help, screen action) of the palette entries no key is bound to."""


def class_bindings(node: DOMNode) -> Iterator[Binding]:
    """The bindings ``node``'s class declares (its own and inherited), as written."""
    for cls in type(node).__mro__:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                yield binding


_PLACES = {"conversation": "the conversation", "sources": "the sources panel"}
"""What an entry calls the widget whose key it names, by the widget's id."""


def _key_works_here(node: DOMNode, screen: DOMNode) -> bool:
    """Whether ``node``'s keys work where the user is: app and screen keys always, a widget's
    only while the focus is in it (``n`` in the question box types an n)."""
    if node is screen or node is screen.app:
        return True
    focused = getattr(screen, "focused", None)
    return focused is not None and (focused is node or node in focused.ancestors)


def _runs_here(key: str, node: DOMNode, screen: Screen[Any]) -> DOMNode | None:
    """The node whose binding ``key`` runs where the focus is on ``screen``, as Textual picks
    it: a priority binding first (the app's ctrl+k, over the question box's own), from the app
    down to the focused widget, else the first up from the focused widget. ``None``: none
    runs; the focused box types the key (``?`` in the question box: Textual leaves such a key
    out of the bindings above the box). Asked with the palette open, where the app refuses
    its dialog keys: the app's and ``node``'s keys count as enabled."""
    app = screen.app
    chain = screen._binding_chain  # (the user's keymap applied, the keys a box types left out)

    def runs(owner: DOMNode, binding: Binding) -> bool:
        return owner in (node, app) or app._check_action_state(binding.action, owner) is not False

    for priority, nodes in ((True, reversed(chain)), (False, chain)):
        for owner, bindings in nodes:
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority == priority and runs(owner, binding):
                    return owner
    return None


def key_note(binding: Binding, node: DOMNode, screen: Screen[Any]) -> str:
    """What a palette entry's help ends with: `` (m)``, a key ``binding`` (of ``node``) has in
    force that runs it from where the user is, else where its key works (`` (m in the
    conversation)``; `` (^f from the question box)`` from the conversation, which finds with
    ^f; `` (? outside the question box)`` from the box, which types a ?)."""
    app = screen.app
    keys = keys_of(app, binding.id, binding.key)
    shown = [app.get_key_display(Binding(key, binding.action)) for key in keys]
    if not _key_works_here(node, screen):
        return f" ({shown[0]} in {_PLACES[node.id or '']})"
    for key, display in zip(keys, shown, strict=True):
        if _runs_here(key, node, screen) is node:
            return f" ({display})"
    focused = screen.focused
    if focused is not None and focused.id == "prompt":
        return f" ({shown[0]} outside the question box)"
    return f" ({shown[0]} from the question box)"


async def _run(title: str, action: str, node: DOMNode) -> None:
    """Run ``action`` on ``node``, or say why it does nothing now (Textual's ``run_action``
    skips an action its node's ``check_action`` refuses, without a word)."""
    _, name, parameters = parse(action)
    if node.check_action(name, parameters):
        await node.app.run_action(action, node)
    elif getattr(node, "selected", ...) is None:  # the conversation, with no answer selected
        node.notify(f"{title}: there is no answer to act on yet.", timeout=4)
    else:
        node.notify(f"{title}: nothing to do here now.", timeout=4)


class PplxCommands(Provider):
    """Workspace actions and saved chats for the command palette."""

    def _keyed(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app, screen = self.app, self.screen
        found: dict[str, tuple[DOMNode, Binding]] = {}
        for node in (app, screen, *screen.query(", ".join(f"#{name}" for name in _PLACES))):
            for binding in class_bindings(node):
                if binding.id in KEYED and binding.id not in found:
                    found[binding.id] = (node, binding)
        for binding_id, title in KEYED.items():
            if binding_id not in found:
                continue
            node, binding = found[binding_id]
            help_text = help_named(app, binding.tooltip or binding.description)
            help_text += key_note(binding, node, screen)
            yield title, help_text, partial(_run, title, binding.action, node)

    def _entries(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        yield from self._keyed()
        for title, help_text, action in UNKEYED:
            yield title, help_text, partial(self.app.run_action, action, screen)
        chat_list = screen.query("#chats")
        open_chat = getattr(screen, "open_chat", None)
        if chat_list and open_chat is not None:
            for entry in getattr(chat_list.first(), "entries", ()):
                title = clean_line(entry.title) or "Untitled chat"
                yield f"Open chat: {title}", "Open this saved chat", partial(open_chat, entry.id)

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            if not text.startswith("Open chat: "):
                yield DiscoveryHit(escape(text), command, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(escape(text)), command, help=escape(help_text))


class PaletteInput(CommandInput, TextInput):
    """The palette's search box, whose editing keys apply in the order typed (as every other
    box's: see :mod:`~pplx_tui.ui.widgets.keys_in_turn`). The keys the key bar names are
    bound here, where the focus is (the box's up and down scroll it, which it cannot, so they
    went on to the palette's list: the bar found the box's and left them out)."""

    BINDINGS = [
        Binding("enter", "submit", "Run"),
        Binding("down", "screen.cursor_down", "Choose", key_display="↑↓"),
        Binding("up", "screen.command_list('cursor_up')", "Previous command", show=False),
    ]


class Palette(CommandPalette):
    """Textual's command palette, running its command once (QA-34) and the one its whole query
    names, its search box a :class:`PaletteInput`.

    Its Enter picks a command (a message to its list, which then runs the command and closes
    the palette); a second Enter of a burst is handled before that, picked it again, so the
    command ran twice and the second close closed the screen under the palette: the workspace,
    and the app ended with an error. Once closed, it takes no more Enters or picks.

    Textual searches for the query in a worker as it is typed, and its Enter picks what the
    list shows then: a name pasted and Enter pressed at once ran the first entry of the list
    shown before the paste ("Choose model", QA). An Enter while the search for the query goes
    on is kept until the search ends, and then picks its best hit.
    """

    BINDINGS = [Binding("escape", "escape", "Close")]  # (Textual's, worded as the others)

    # A command's description: Textual's is its entry's colour dimmed, which in 16 colours was
    # the highlight's own (bright black on bright black, QA); the theme guard's colour for it
    # reads on the list and on its highlight. An ANSI theme's is the terminal's dim.
    DEFAULT_CSS = """
    Palette > .command-palette--help-text {
        color: $palette-help;
        text-style: not dim not bold;
    }
    Palette:ansi > .command-palette--help-text {
        color: transparent;
        text-style: dim not bold;
    }
    """

    _enter_waiting = False

    def compose(self) -> ComposeResult:
        # Textual's layout, with the search box swapped for one that keeps keys in order, and
        # a key bar of the palette's own keys (the workspace's, under it, do nothing here).
        for widget in super().compose():
            if type(widget) is CommandInput:
                widget = PaletteInput(
                    placeholder=widget.placeholder, select_on_focus=widget.select_on_focus
                )
            yield widget
        yield KeyBar()

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _closed_already(
        self, event: Input.Submitted | Button.Pressed | OptionList.OptionSelected
    ) -> None:
        # Handled before CommandPalette's own handler, which prevent_default() skips.
        if self not in self.app.screen_stack:
            event.prevent_default()
            event.stop()

    @on(Input.Submitted)
    def _after_the_search(self, event: Input.Submitted) -> None:
        if self._searching():
            event.prevent_default()  # (Textual's Enter would pick from the list shown now)
            event.stop()
            self._enter_waiting = True

    @on(Input.Changed)
    def _typing_goes_on(self) -> None:
        self._enter_waiting = False  # typed after the Enter: the Enter was not for this query

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (
            self._enter_waiting
            and event.worker.group == self._GATHER_COMMANDS_GROUP
            and event.state is WorkerState.SUCCESS
            and not self._searching()
        ):
            self._enter_waiting = False
            self._select_or_command()

    def _searching(self) -> bool:
        """Whether a search for the query goes on (Textual's worker that fills the list)."""
        return any(
            worker.node is self
            and worker.group == self._GATHER_COMMANDS_GROUP
            and not worker.is_finished
            for worker in self.workers
        )
