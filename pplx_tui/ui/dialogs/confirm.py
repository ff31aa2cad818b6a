"""A yes/no question, for anything that cannot be undone (deleting a chat…)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from pplx_tui.sanitize import clean_text
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.widgets.key_bar import KeyBar

__all__ = ["ConfirmScreen"]

DIALOG_LEAST, DIALOG_WIDEST = 40, 72
"""The question's dialog's width, in cells, where the screen has room."""


class AnswerButton(Button):
    """A button of the question: the key bar says what Enter answers now (``⏎ No``)."""

    BINDINGS = [Binding("enter", "press", "Press", show=True)]

    def __init__(
        self, answer: str, label: str, *, id: str, variant: ButtonVariant = "default"
    ) -> None:
        super().__init__(label, id=id, variant=variant)
        self.answer = answer
        """The answer it gives, without the key in its label ("Delete", "No")."""

    def binding_description(self, action: str) -> str | None:
        return self.answer if action == "press" else None


class ConfirmScreen(Dialog[bool]):
    """Ask ``message``; dismisses with ``True`` for yes (y), ``False`` for no (n, Escape).

    The "No" button has the focus, so a stray Enter never confirms. A destructive question takes
    no letter for yes: typing meant for the prompt ("dyes" with the focus in the chat list) must
    not delete a chat, so only its button (Tab, Enter, or a click) confirms. Nor does a question
    with ``letter_yes=False`` (a paid request: "are you sure" typed on an answer).

    The key bar says every key that works (QA: the delete question's said only "n No"): what
    Enter answers on the focused button, the yes letter where there is one, Tab to the other
    button, n and Escape.
    """

    DEFAULT_CSS = """
    ConfirmScreen .confirm--dialog {
        width: auto;  /* (its least and most widths: fitted to the screen, see `on_resize`) */
    }
    ConfirmScreen.-destructive .confirm--dialog {
        border: round $error;
        border-title-color: $text-error;
    }
    ConfirmScreen .confirm--message {
        width: auto;
    }
    ConfirmScreen .confirm--buttons {
        width: 100%;
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ConfirmScreen .confirm--buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Answer yes"),
        Binding(
            "tab,shift+tab",
            "switch",
            "Other button",
            id="confirm.switch",
            tooltip="Move to the other button (Enter presses it)",
        ),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Answer no"),
        Binding(
            # Its own action: the key bar shows one key an action, and n's is "answer(False)".
            "escape",
            "cancel",
            "Cancel",
            id="confirm.cancel",
            tooltip="Answer no and close",
        ),
    ]

    def __init__(
        self,
        message: str,
        *,
        title: str = "Confirm",
        yes_label: str = "Yes",
        no_label: str = "No",
        destructive: bool = False,
        letter_yes: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``destructive`` draws the dialog and the yes button in the error colour;
        ``letter_yes``: whether ``y`` answers yes (by default, unless ``destructive``)."""
        super().__init__(name=name, id=id, classes=classes)
        self.message = message
        self.title_text = title
        self.yes_label = yes_label
        self.no_label = no_label
        self.letter_yes = not destructive if letter_yes is None else letter_yes
        self.set_class(destructive, "-destructive")

    def compose(self) -> ComposeResult:
        destructive = self.has_class("-destructive")
        with Vertical(classes="confirm--dialog dialog") as dialog:
            dialog.border_title = self.title_text
            yield Static(clean_text(self.message), markup=False, classes="confirm--message")
            with Horizontal(classes="confirm--buttons"):
                yes, no = key_named(self.app, "confirm.yes"), key_named(self.app, "confirm.no")
                yield AnswerButton(
                    self.yes_label,
                    f"{self.yes_label} ({yes})" if self.letter_yes else self.yes_label,
                    id="confirm-yes",
                    variant="error" if destructive else "primary",
                )
                yield AnswerButton(self.no_label, f"{self.no_label} ({no})", id="confirm-no")
        yield KeyBar()  # its own keys, not the workspace's under it ('n Next cite' beside 'No (n)')

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No yes key where typing must not confirm (hidden from the footer and the palette too)."""
        return self.letter_yes or not (action == "answer" and parameters == (True,))

    def binding_description(self, action: str) -> str | None:
        """y and n name their buttons' answers ("y Ask anyway"); Tab the button it goes to."""
        yes = self.query_one("#confirm-yes", AnswerButton)
        if action == "answer(True)":
            return yes.answer
        if action == "answer(False)":
            return self.no_label
        if action == "switch":
            return f"To {self.no_label if self.focused is yes else yes.answer}"
        return None

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """The dialog 40 to 72 cells wide, and never wider than the screen (QA: at 40 columns
        the Delete question's right border, its last words and its No button were off it)."""
        dialog = self.query_one(".confirm--dialog")
        widest = min(DIALOG_WIDEST, width)
        dialog.styles.min_width = min(DIALOG_LEAST, widest)
        dialog.styles.max_width = widest
        # (the dialog's border and padding: 6 cells; the message wraps within the rest)
        self.query_one(".confirm--message").styles.max_width = max(widest - 6, 1)

    def action_switch(self) -> None:
        """Move to the other button, at once: Tab and Enter typed in one burst (read before
        either is handled) press the button Tab went to. ``Widget.focus`` moves the focus a
        moment later, after the Enter had gone to the button Tab left (QA: Tab+Enter said No)."""
        yes, no = self.query_one("#confirm-yes", Button), self.query_one("#confirm-no", Button)
        self.set_focus(no if self.focused is yes else yes)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)
