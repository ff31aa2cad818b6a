"""Parse widgets' default CSS before their first mount.

Textual parses a widget class's ``DEFAULT_CSS`` when the first widget of that class is mounted.
The first answer mounts nine such classes at once (its view, the question's, Markdown text,
extras, a collapsible, a button…): ~40 ms of parsing between Enter and the first token on
screen, profiled (issue 12). :func:`add_default_css` does that work while the app is idle; the
mount then finds the same sources already parsed.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

__all__ = ["add_default_css"]


def add_default_css(stylesheet: Stylesheet, classes: Iterable[type[DOMNode]]) -> None:
    """Add the default CSS of ``classes`` (and of their bases) as a mount would, and parse it."""
    for cls in classes:
        node = cls.__new__(cls)  # the CSS is the class's: no instance needs building
        for read_from, css, tie_breaker, scope in node._get_default_css():
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=True,
                tie_breaker=tie_breaker,
                scope=scope,
            )
    stylesheet.rules  # noqa: B018  (parses what was added, now)


def answer_widgets() -> tuple[type[DOMNode], ...]:
    """The classes a question and its answer mount (imports the answer widgets)."""
    from textual.containers import Container
    from textual.widgets import Button, Collapsible
    from textual.widgets._collapsible import CollapsibleTitle

    from pplx_tui.ui.widgets.answer_extras import AnswerExtras
    from pplx_tui.ui.widgets.answer_label import AnswerLabel
    from pplx_tui.ui.widgets.markdown_text import MarkdownText
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.question_view import QuestionView

    return (
        QuestionView,
        AnswerView,
        AnswerLabel,
        MarkdownText,
        AnswerExtras,
        Collapsible,
        CollapsibleTitle,
        Collapsible.Contents,
        Container,
        Button,
    )
