"""Choose the models to compare side by side: two or three, from the providers with a key.

The dialog names the question it asks, cut to its width, and says whether it is the selected
answer's (ctrl+t with the question box empty, or ``v``). Space (or a click) ticks a model, Enter
(or the Ask button) asks with two or three ticked, Escape cancels; a fourth tick is refused as it
is made, in the line that counts the ticks. Each row says whether it is ticked (``☑`` / ``☐``, the
task list's boxes), not only by its colour. The same model may be compared with itself under
two search settings: tick one model and press ``2`` to ask it twice; the caller then asks for
the second column's search settings.
"""

from __future__ import annotations

from typing import Self

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.selection_list import Selection

from pplx_tui.providers import Catalog
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.dialogs.buttons import DialogButtons
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.dialogs.spend_guard import SpendGuard
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.widgets.fitted_line import FittedLine, cells, cut
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.option_rows import HangingLines
from pplx_tui.ui.widgets.selection_rows import HighlightingSelectionList

__all__ = ["MAX_COLUMNS", "ComparePickerScreen", "question_row"]

MAX_COLUMNS = 3

AROUND_THE_LIST = 14
"""Rows of the dialog besides the models' (question, help, ticked line, buttons, frame), at
most: with the models' rows they fit in 80% of the screen, the dialog is only as tall as that."""

Choice = tuple[str, str]
"""``(provider name, model id)``."""


class _TickedInText(HighlightingSelectionList[int]):
    """The models, each row saying in text whether it is ticked (``☑`` / ``☐``), without
    ``SelectionList``'s own ``▐X▌`` box beside it: two boxes a row, and the box's ``X`` is
    drawn ticked or not, told apart only by its colour (lost with NO_COLOR). A row is still
    ticked by Space or a click on it, as before; never more than :data:`MAX_COLUMNS` (QA: a
    click ticked a fourth, and only Enter then said no)."""

    class TickRefused(Message):
        """A tick beyond :data:`MAX_COLUMNS` was refused."""

    def toggle(self, selection: Selection[int] | int) -> Self:
        value = selection.value if isinstance(selection, Selection) else selection
        if value not in self.selected and len(self.selected) >= MAX_COLUMNS:
            self.post_message(self.TickRefused())
            return self
        return super().toggle(selection)

    def _get_left_gutter_width(self) -> int:
        return 0

    def render_line(self, y: int) -> Strip:
        return OptionList.render_line(self, y)


class ComparePickerScreen(Dialog[list[Choice] | None]):
    """Dismisses with the ticked ``(provider, model)`` pairs in list order, or ``None``."""

    DEFAULT_CSS = """
    ComparePickerScreen .compare-picker--dialog {
        width: 90%;
        max-width: 90;
        height: 80%;
        padding: 0 1;
    }
    ComparePickerScreen .compare-picker--question {
        text-style: bold;
    }
    ComparePickerScreen .compare-picker--help {
        color: $text-muted;
        margin-bottom: 1;
    }
    ComparePickerScreen .compare-picker--note {
        color: $text-warning;
        margin-bottom: 1;
    }
    ComparePickerScreen .compare-picker--ticked {
        color: $text-accent;
        /* One line, whatever it says: a second moved the rows down under the pointer. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &.-refused {
            color: $text-warning;
            text-style: bold;
        }
    }
    ComparePickerScreen SelectionList {
        height: 1fr;
        border: none;
        background: $surface;
    }
    /* A few models: the dialog as tall as its rows, not 80% of the screen, mostly empty list. */
    ComparePickerScreen.-few {
        .compare-picker--dialog, SelectionList {
            height: auto;
        }
    }
    """

    BINDINGS = [
        Binding(
            "enter",
            "ask",
            "Ask",
            id="compare_picker.ask",
            priority=True,
            tooltip="Ask the ticked models",
        ),
        Binding(
            "2",
            "twice",
            "Same model twice",
            id="compare_picker.twice",
            tooltip="Ask the one ticked model twice (the second with other search settings)",
        ),
        Binding("escape", "cancel", "Cancel", id="compare_picker.cancel", tooltip="Do not ask"),
        # The list's own keys run as they arrive too, in order with Enter (a priority key: the
        # list's Enter would tick): left to the list, a Space read with an Enter ticked only
        # after the Enter had asked.
        Binding("space", "list('toggle')", "Tick", priority=True),  # (named in the key bar)
        Binding("down", "list('down')", "Next", show=False, priority=True),
        Binding("up", "list('up')", "Previous", show=False, priority=True),
    ]

    def __init__(
        self,
        catalog: Catalog,
        usable: list[str],
        current: Choice | None,
        asks: str = "Ask it",
        question: str = "",
        *,
        selected: bool = False,
        note: str | None = None,
    ) -> None:
        """Offer the models of the providers named in ``usable``; ``current`` starts ticked.
        ``asks`` (e.g. 'Ask “…” again') names the question in the line that asks for a second
        Enter before the requests go (:class:`SpendGuard`; not when all go to the offline demo,
        which costs nothing). ``question`` is named at the top (:func:`question_row`), and the
        help says whether it is the ``selected`` answer's, asked again; ``note``: a line under
        the help (the later questions that stay with the earlier answer, as ``m``'s says)."""
        super().__init__()
        self.asks = asks
        self.note = note
        self.question = clean_line(question)
        self.selected = selected
        self._armed: list[Choice] = []
        """The models the line names."""
        self._offline = {p.name for p in catalog.providers.values() if p.dialect == "demo"}
        self.choices: list[Choice] = [
            (provider.name, model.id)
            for name in usable
            if (provider := catalog.providers.get(name))
            for model in provider.models
        ]
        self.current = current
        self._names = {
            (provider.name, model.id): clean_line(model.label)
            for provider in catalog.providers.values()
            for model in provider.models
        }
        self._labels = {
            (provider.name, model.id): Content.assemble(
                (clean_line(model.label), "bold"),
                (f"  {clean_line(model.id)} · {clean_line(provider.name)}", "$foreground-muted"),
            )
            for name in usable
            if (provider := catalog.providers.get(name))
            for model in provider.models
        }

    def compose(self) -> ComposeResult:
        with Vertical(classes="compare-picker--dialog dialog") as dialog:
            dialog.border_title = "Compare side by side"
            if self.question:
                yield FittedLine(
                    lambda room: question_row(self.question, room),
                    classes="compare-picker--question",
                )
            which = "the selected answer's question" if self.selected else "this question"
            ask, twice = (key_named(self.app, f"compare_picker.{n}") for n in ("ask", "twice"))
            yield Static(
                f"Tick two or three models (space), then {ask} asks them {which} at once. "
                f"Or tick one and press {twice}: it is asked twice, the second time with the "
                "search settings you set next.",
                classes="compare-picker--help",
            )
            if self.note:
                yield Static(self.note, markup=False, classes="compare-picker--note")
            yield Static("", classes="compare-picker--ticked", markup=False)
            yield SpendGuard(id="compare-picker-guard")
            yield _TickedInText(  # (the rows' lines put in on mount)
                *(
                    Selection(
                        self._row(n, choice == self.current).content, n, choice == self.current
                    )
                    for n, choice in enumerate(self.choices)
                )
            )
            yield DialogButtons("Ask", "ask(True)")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self._show_ticks()
        self.query_one(SelectionList).focus()
        self._say_ticked()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """As tall as its rows where they fit in 80% of ``height``, else 80% with the list
        scrolling."""
        self.set_class(len(self.choices) + AROUND_THE_LIST <= height * 0.8, "-few")

    def _row(self, n: int, ticked: bool) -> HangingLines:
        """The ``n``th model's row, its tick said in text: a tick's colour is lost on a
        monochrome terminal (NO_COLOR) and to a screen reader. Highlighted, it is drawn in the
        highlight's colours: the model's id and provider were the theme's muted grey on the
        highlight (1.02:1 in pplx-high-contrast)."""
        tick = Content.styled("☑ " if ticked else "☐ ", "bold")
        return HangingLines([(2, tick + self._labels[self.choices[n]])])

    def _show_ticks(self) -> None:
        """Each row as :meth:`_row` draws it, saying whether it is ticked."""
        models = self.query_one(SelectionList)
        for n in range(len(self.choices)):
            models.replace_option_prompt_at_index(n, self._row(n, n in models.selected))

    @on(SelectionList.SelectedChanged)
    def _disarm(self) -> None:
        """A tick changed: each row says whether it is ticked; other models ticked than the
        line names, the next Enter only names them."""
        self._show_ticks()
        self._say_ticked()
        if self._ticked() != self._armed:
            self.query_one(SpendGuard).disarm()

    def _say_ticked(self, refused: bool = False) -> None:
        """Which models are ticked, in one line (QA Q13), after why a tick was ``refused``
        (said there, above the rows being ticked, not in a toast at the screen's edge); the
        Ask button is offered with two or three ticked."""
        ticked = self._ticked()
        names = ", ".join(_apart([(self._names[choice], choice[0]) for choice in ticked]))
        text = f"Ticked ({len(ticked)}): {names}" if ticked else "Nothing ticked yet."
        if refused:
            text = f"Three at most: untick one first. {text}"
        line = self.query_one(".compare-picker--ticked", Static)
        line.update(text)
        line.set_class(refused, "-refused")
        self.query_one(DialogButtons).go.disabled = not 2 <= len(ticked) <= MAX_COLUMNS

    @on(_TickedInText.TickRefused)
    def _refused(self) -> None:
        self._say_ticked(refused=True)

    def _ticked(self) -> list[Choice]:
        return [self.choices[n] for n in sorted(self.query_one(SelectionList).selected)]

    def action_ask(self, clicked: bool = False) -> None:
        """Ask the ticked models: after a second Enter (:class:`SpendGuard`), at once for a
        click on the button (deliberate, as a click on a row is)."""
        ticked = self._ticked()
        if clicked and 2 <= len(ticked) <= MAX_COLUMNS:
            self.dismiss(ticked)
        elif 2 <= len(ticked) <= MAX_COLUMNS:  # (all to the offline demo: asked at once)
            models = ", ".join(_apart([(clean_line(m), provider) for provider, m in ticked]))
            guard = self.query_one(SpendGuard)
            self._armed = ticked
            guard.check(
                f"{self.asks} of {models}",
                lambda: self.dismiss(ticked),
                len(ticked),
                free=sum(provider in self._offline for provider, _ in ticked),
            )
        else:
            self.notify(
                f"Tick two or three models ({len(ticked)} ticked), or one and press "
                f"{key_named(self.app, 'compare_picker.twice')}.",
                severity="warning",
                timeout=3,
            )

    def action_list(self, key: str) -> None:
        """Space ticks (or unticks) the highlighted model, Down and Up move; from the spend
        guard, back in the list first (as any other key goes back)."""
        guard = self.query_one(SpendGuard)
        if guard.has_focus:
            guard.disarm()
        models = self.query_one(SelectionList)
        if key == "down":
            models.action_cursor_down()
        elif key == "up":
            models.action_cursor_up()
        elif models.highlighted is not None:
            models.toggle(models.get_option_at_index(models.highlighted))

    def action_twice(self) -> None:
        ticked = self._ticked()
        if len(ticked) == 1:
            self.dismiss(ticked * 2)
        else:
            self.notify("Tick exactly one model to ask it twice.", severity="warning", timeout=3)

    def action_cancel(self) -> None:
        self.dismiss(None)


def question_row(question: str, room: int) -> str:
    """``Question: “How many moons does Mars have?”`` in ``room`` cells (0: any), the question
    cut with "…" inside its quotes where it does not fit."""
    whole = f"Question: “{question}”"
    if room <= 0 or cells(whole) <= room:
        return whole
    left = room - cells("Question: “”")
    return f"Question: “{cut(question, left)}”" if left >= 2 else cut(whole, room)


def _apart(named: list[tuple[str, str]]) -> list[str]:
    """Each ``(name, provider)`` as its name, with its provider where another ticked model has
    the same name (Sonar at Perplexity and at OpenRouter)."""
    names = [name for name, _ in named]
    return [name if names.count(name) == 1 else f"{name} ({provider})" for name, provider in named]
