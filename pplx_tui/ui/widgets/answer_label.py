"""An answer's label (model · provider · place · how it ended) fitted to the width it is given:
in a narrow comparison column a long model name is cut with "…" and the place ("2/3") stays in
view (:func:`~pplx_tui.ui.widgets.answer_lines.fitted`); the label was cut at the column's edge
without a mark, and the place with it."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from pplx_tui.ui.widgets.answer_lines import fitted

__all__ = ["AnswerLabel"]


class AnswerLabel(Static):
    """The label, laid out again at each width (its name cut to fit)."""

    DEFAULT_CSS = """
    AnswerLabel {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, parts: tuple[str, Content], *, classes: str) -> None:
        super().__init__(classes=classes, markup=False)
        self._parts = parts

    def show(self, parts: tuple[str, Content]) -> None:
        """Label the answer with its model's name and the rest (" · provider · 2/3 · …"):
        :func:`~pplx_tui.ui.widgets.answer_lines.label`."""
        self._parts = parts
        self.refresh(layout=True)

    def render(self) -> Content:
        return fitted(*self._parts, self.content_region.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if "\n" in fitted(*self._parts, width).plain else 1
