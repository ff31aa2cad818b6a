"""Answers to one question side by side: a column per model (or per search settings).

Above the columns one line (on as many rows as it needs) says which sources (by URL) every
answer cites and which only one does, and which columns took no part, having ended without an
answer (:mod:`pplx_tui.compare`). From :data:`MIN_WIDTH` terminal columns, and while each column
gets :data:`MIN_COLUMN` cells beside the side panels, the answers stand side by side; else one
is shown at a time under a switcher line numbering and naming them
(``[1 sonar]  2 sonar-pro · later questions follow 1 (a / A: switch)``). The *current* column
is the answer the chat carries on with (its chosen alternative): it is marked, and in
one-column mode it is the one shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message as TextualMessage
from textual.reactive import reactive

from pplx_tui.compare import column_names, common_line, left_out, search_tags
from pplx_tui.model_names import without_vendor
from pplx_tui.models import Message
from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import summary
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, key_named
from pplx_tui.ui.widgets.answer_label import AnswerLabel
from pplx_tui.ui.widgets.comparison_switcher import (
    SwitcherLine,
    followed_line,
    switcher_rows,
    wrapped_line,
)
from pplx_tui.ui.widgets.fitted_line import cells
from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["MIN_COLUMN", "MIN_WIDTH", "Comparison"]

MIN_WIDTH = 120
"""Terminal columns from which the answers stand side by side."""
MIN_COLUMN = 24
"""Cells a column needs to stand beside the others (QA: with the chat list and the sources
shown at 120 columns, three columns had 19 cells: "perplexity/sona", a few words a line)."""


class Comparison(Vertical):
    """Two or three :class:`AnswerView` columns with the common-sources line above them."""

    DEFAULT_CSS = """
    Comparison {
        height: auto;
        margin: 1 0 0 0;
        & > .comparison--common {
            width: 1fr;
            color: $text-muted;
            padding: 0 1;
        }
        & > .comparison--switcher {
            width: 1fr;
            padding: 0 1;
            color: $text-secondary;
            pointer: pointer;
            &:hover {
                text-style: underline;
            }
        }
        & > .comparison--columns {
            height: auto;
            & > AnswerView {
                width: 1fr;
                margin: 0 1 0 0;
                display: block;
                &:last-child {
                    margin: 0;  /* the conversation's own padding is at its right */
                }
                & > .answer-view--error {
                    layout: vertical;
                }
            }
        }
        &.-narrow {
            & > .comparison--columns > AnswerView {
                display: none;
                margin: 0;
                &.-current {
                    display: block;
                }
            }
        }
    }
    """

    current: reactive[int] = reactive(0, init=False)
    """The position of the answer the chat carries on with."""

    class SwitchClicked(TextualMessage):
        """The line saying which answer later questions follow was clicked: switch, as the
        alternatives key does on the answer shown, ``view`` (QA clicked it, and nothing
        happened); ``chosen``: the column whose number was clicked, to show instead."""

        def __init__(
            self, comparison: Comparison, view: AnswerView, chosen: AnswerView | None = None
        ) -> None:
            super().__init__()
            self.comparison = comparison
            self.view = view
            self.chosen = chosen

        @property
        def control(self) -> Comparison:
            return self.comparison

    def __init__(self, views: Sequence[AnswerView], current: int = 0) -> None:
        super().__init__(classes="-turn comparison")
        self.views = list(views)
        self.set_reactive(Comparison.current, current)
        for position, view in enumerate(self.views):
            view.add_class("comparison--column")
            view.set_class(position == current, "-current")

    def compose(self) -> ComposeResult:
        yield SwitcherLine(classes="comparison--common")
        yield SwitcherLine(classes="comparison--switcher")
        with Horizontal(classes="comparison--columns"):
            yield from self.views

    def on_mount(self) -> None:
        self._fit()
        self._tag_columns()
        self.update_common()
        self._update_switcher()

    def on_resize(self) -> None:
        self._fit()

    def on_click(self, event: events.Click) -> None:
        switcher = self.query_one(".comparison--switcher", SwitcherLine)
        if switcher.region.contains_point(event.screen_offset):
            event.stop()
            region = switcher.content_region
            spot = event.screen_x - region.x, event.screen_y - region.y
            column = self._column_at(str(switcher.render()), *spot) if self.narrow else None
            chosen = self.views[column] if column is not None else None
            self.post_message(self.SwitchClicked(self, self.views[self.current], chosen))

    @staticmethod
    def _column_at(switcher: str, x: int, y: int) -> int | None:
        """The column whose number (and name) the switcher's text shows at ``x``, ``y`` (QA: a
        click on "3" stepped to 2, as ``a`` does); ``None`` off the names."""
        rows = switcher.split("\n")
        if y != 0 or not rows:
            return None
        start = 0
        for column, part in enumerate(rows[0].split(" · ")[0].split("  ")):
            end = start + cells(part)
            if start <= x < end:
                return column
            start = end + 2
        return None

    def _fit(self) -> None:
        # Before its first layout the comparison has no width: the terminal's decides.
        count = len(self.views)
        column = (self.size.width - count) // count if self.size.width else MIN_COLUMN
        narrow = self.app.size.width < MIN_WIDTH or column < MIN_COLUMN
        if narrow != self.narrow:
            self.set_class(narrow, "-narrow")
            if self.is_mounted:
                self._update_switcher()
                self._fit_labels()
            shown = self.views[self.current]
            if narrow and any(
                view.has_class("-selected") for view in self.views if view is not shown
            ):
                # A column selected side by side is out of sight now: the keys on the selected
                # answer (n / p, digits, Enter) go to the one shown.
                self.post_message(AnswerView.Clicked(shown))

    def on_answer_label_refit(self, message: AnswerLabel.Refit) -> None:
        message.stop()
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Side by side, the columns' labels drop the model's vendor alike: all where one must
        to fit ("perplexity/sonar" beside "sonar-reasoning-pro" read as two kinds of name)."""
        labels = [view.query_one(".answer-view--label", AnswerLabel) for view in self.views]
        short = not self.narrow and any(label.drops_vendor for label in labels)
        for label in labels:
            label.use_short(short)

    async def replace_column(self, old: AnswerView, new: AnswerView) -> None:
        """Show ``new`` in the place of the column ``old`` (asked again there)."""
        position = self.views.index(old)
        new.add_class("comparison--column")
        new.set_class(position == self.current, "-current")
        self.views[position] = new
        await self.query_one(".comparison--columns").mount(new, after=old)
        await old.remove()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def watch_current(self, current: int) -> None:
        for position, view in enumerate(self.views):
            view.set_class(position == current, "-current")
        self._update_switcher()

    def names(self, *, short: bool = False) -> list[str]:
        """A short name per column: its model (``short``: without its vendor, ``sonar-pro``
        for ``perplexity/sonar-pro``); with its search settings when two columns share the
        model (``sonar (month)``), or its provider (``sonar (openrouter)``), numbered when they
        share those too."""
        models = [clean_line(view.model or "answer") for view in self.views]
        if short:
            models = [without_vendor(model) for model in models]
        providers = [clean_line(view.provider) for view in self.views]
        return column_names(models, self._searches(), providers)

    def names_changed(self) -> None:
        """The columns' search settings are known now: name them again."""
        self._tag_columns()
        self._update_switcher()
        self.update_common()

    def _tag_columns(self) -> None:
        """Where a model is compared with itself, its columns' labels name the search settings
        that tell them apart, as :meth:`names` does (``perplexity/sonar (month) · …``)."""
        models = [clean_line(view.model or "answer") for view in self.views]
        for view, tag in zip(self.views, search_tags(models, self._searches()), strict=True):
            view.set_tag(tag)

    def _searches(self) -> list[str]:
        """Each column's search settings in short (``month · academic``; "" for none)."""
        return [summary(view.searched_with) if view.searched_with else "" for view in self.views]

    def update_common(self) -> None:
        """Say again what the answers' sources have in common (as far as they arrived); an
        answer that ended without any (failed, broke off or stopped before its sources) takes
        no part, and the line says how it ended (:func:`~pplx_tui.compare.common_line`); the
        models named without their vendors where the line is too long, then on as many rows as
        it needs (:func:`~pplx_tui.ui.widgets.comparison_switcher.wrapped_line`)."""
        lines = [self._common_line(self.names()), self._common_line(self.names(short=True))]
        self.query_one(".comparison--common", SwitcherLine).show(partial(wrapped_line, lines))

    def _common_line(self, names: list[str]) -> str:
        answers, compared, ended = [], [], []
        for view, name in zip(self.views, names, strict=True):
            message = view.message
            if message is not None and (how := left_out(message)):
                ended.append((name, how))
                continue
            if message is None or message.running:  # what has arrived so far
                message = Message(role="assistant", content=view.text, sources=list(view.sources))
            answers.append(message)
            compared.append(name)
        return common_line(answers, compared, ended)

    def _update_switcher(self) -> None:
        names, short = self.names(), self.names(short=True)
        switcher = self.query_one(".comparison--switcher", SwitcherLine)
        keys = [key_named(self.app, name) for name in ALTERNATIVE_KEYS]
        if not self.narrow:
            followed = [names[self.current], short[self.current]]
            switcher.show(partial(followed_line, followed, keys=keys))
            return
        # Fitted to the width at each layout (comparison_switcher): one row if it fits, else
        # the names above the hint, each row shortened (the hint is never lost).
        rows = partial(switcher_rows, self._numbers(), [names, short], self.current, keys=keys)
        switcher.show(rows)

    def _numbers(self) -> list[int]:
        """Each answer numbered as its label numbers it among the question's answers ("2" for
        "2/3", what a / A step through; QA-13: a column number beside the label's was a second
        numbering), by its column while that is not known yet."""
        places = [view.place for view in self.views]
        return [
            place[0] if place is not None and all(places) else n + 1
            for n, place in enumerate(places)
        ]
