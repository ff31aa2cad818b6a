"""An answer's label (model · provider · place · how it ended) fitted to the width it is given:
in a narrow comparison column a long model name is cut with "…" and the place ("2/3") stays in
view (:func:`~pplx_tui.ui.widgets.answer_lines.fitted`); the label was cut at the column's edge
without a mark, and the place with it. A comparison has its columns' labels drop the vendor
alike (:meth:`AnswerLabel.use_short`), told by :class:`AnswerLabel.Refit` when one may have to."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Static

from pplx_tui.ui.widgets.answer_lines import drops_vendor, fitted

__all__ = ["AnswerLabel"]


class AnswerLabel(Static):
    """The label, laid out again at each width (its name cut to fit)."""

    DEFAULT_CSS = """
    AnswerLabel {
        width: 1fr;
        height: auto;
    }
    """

    class Refit(Message):
        """The label's text or width changed: whether its name must drop the vendor may have."""

    def __init__(self, parts: tuple[str, Content], *, classes: str) -> None:
        super().__init__(classes=classes, markup=False)
        self._parts = parts
        self._short = False

    def show(self, parts: tuple[str, Content]) -> None:
        """Label the answer with its model's name and the rest (" · provider · 2/3 · …"):
        :func:`~pplx_tui.ui.widgets.answer_lines.label`."""
        self._parts = parts
        self.refresh(layout=True)
        self.post_message(self.Refit())

    def use_short(self, short: bool) -> None:
        """Name the model without its vendor even where the full name fits (or no longer)."""
        if short != self._short:
            self._short = short
            self.refresh(layout=True)

    @property
    def drops_vendor(self) -> bool:
        """Whether the name must lose its vendor to fit the label's width."""
        return drops_vendor(*self._parts, self.content_region.width)

    def on_resize(self) -> None:
        self.post_message(self.Refit())

    def render(self) -> Content:
        return fitted(*self._parts, self.content_region.width, short=self._short)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if "\n" in fitted(*self._parts, width, short=self._short).plain else 1
