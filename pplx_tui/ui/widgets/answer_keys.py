"""Keys the conversation offers on the selected answer: asking its question again, its
alternatives, editing its question, comparing, its related questions and images, and
unfolding its reasoning.

:class:`AnswerKeys` (mixed into :class:`~pplx_tui.ui.widgets.conversation.Conversation`) runs
them. ``r`` and the ``answer('…')`` actions ask the screen, which holds the chat (re-asking,
cycling, editing and comparing need it), through the conversation's messages
(:meth:`AnswerKeys.request_ask_again`, :meth:`AnswerKeys.request_answer_action`);
``focus_related``, ``focus_images`` and ``toggle_reasoning`` stay in the conversation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding

from pplx_tui.sanitize import clean_line
from pplx_tui.session import DEMO
from pplx_tui.ui.guarded_app import notify_replacing
from pplx_tui.ui.keys_in_force import key_named, keys_named, keys_of
from pplx_tui.ui.widgets.reasoning_key import REASONING_BINDING
from pplx_tui.ui.widgets.stay_behind import later_questions, stay_behind

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = [
    "ANSWER_ACTIONS",
    "ANSWER_BINDINGS",
    "ANSWER_DIALOGS",
    "ASK_AGAIN_BINDING",
    "AnswerKeys",
    "alternatives_description",
    "none_note",
    "reasoning_description",
]

_ASKED_FOR = {
    "related questions": ("Related", "--related", "return_related_questions"),
    "images": ("Images", "--images", "return_images"),
}


def none_note(
    what: str,
    provider: str | None,
    asked: bool = False,
    settings_key: str = "ctrl+g",
    not_sent: tuple[str, str] | None = None,
) -> str:
    """Why an answer has no ``what`` ("related questions" or "images"), the fact first (QA:
    on an Agent API answer it came last in a 7-row toast); ``asked``: its search settings asked
    for them (then "ask for them" would be wrong advice); ``settings_key`` opens those;
    ``not_sent``: the model they were not sent to and why (the answer line's "not sent")."""
    if not_sent is not None:
        model, why = not_sent
        return f"{what.capitalize()} were not asked for: not sent to {model} ({why})."
    if provider == "demo" and what == "images":
        return "The offline demo has no images (it lists related questions when asked)."
    if provider == "perplexity":
        return (
            f"Perplexity's Agent API sends no {what}; OpenRouter's perplexity/… models do, "
            f"when asked ({_ASKED_FOR[what][0]} in {settings_key})."
        )
    toggle, flag, key = _ASKED_FOR[what]
    if asked:
        return f"This answer was asked for {what}; none came back."
    return (
        f"This answer has no {what}: ask for them with {toggle} in the search settings "
        f"({settings_key}), {flag}, or {key} = true under [search] in config.toml."
    )


ANSWER_ACTIONS = (
    "next_alternative",
    "previous_alternative",
    "show_alternative",  # (no key: a click on a number on a comparison's switcher line)
    "next_version",
    "previous_version",
    "other_model",
    "other_search",
    "edit_question",
    "compare",
)
"""What ``answer('…')`` may name (what the screen's alternatives helper runs)."""

ASK_AGAIN_BINDING = Binding(
    "r",
    "retry",
    "Ask again",
    id="conversation.retry",
    tooltip="Ask this answer's question again, same model, once you say yes (a new "
    "request; the earlier answer stays an alternative)",
    show=False,
)

ANSWER_BINDINGS = [
    Binding(
        "a",
        "answer('next_alternative')",
        "Alt",
        id="conversation.next_alternative",
        tooltip="Show the next alternative answer to this question (later questions follow it)",
    ),
    Binding(
        "A",
        "answer('previous_alternative')",
        "Prev alt",
        id="conversation.previous_alternative",
        tooltip="Show the previous alternative answer to this question",
        show=False,
    ),
    Binding(
        "q",
        "answer('next_version')",
        "Versions",
        id="conversation.next_version",
        tooltip="Show the next version of this answer's question (edits), with its own turns",
        show=False,
    ),
    Binding(
        "Q",
        "answer('previous_version')",
        "Prev version",
        id="conversation.previous_version",
        tooltip="Show the previous version of this answer's question",
        show=False,
    ),
    REASONING_BINDING,
    Binding(
        "m",
        "answer('other_model')",
        "Re-ask",
        id="conversation.other_model",
        tooltip="Ask this answer's question again with another model; both answers are kept",
    ),
    Binding(
        "s",
        "answer('other_search')",
        "Other search",
        id="conversation.other_search",
        tooltip="Ask this answer's question again with other search settings; both are kept",
        show=False,
    ),
    Binding(
        # Not a letter: ``e`` typed on an answer by mistake took the rest of the typing into the
        # question box as an edit of the old question, and Enter sent it (QA Q5).
        "ctrl+e",
        "answer('edit_question')",
        "Edit",
        id="conversation.edit_question",
        tooltip="Edit this answer's question and send it again (the old turns stay a branch)",
    ),
    Binding(
        "v",
        "answer('compare')",
        "Compare",
        id="conversation.compare",
        tooltip="Ask this answer's question of two or three models side by side",
        show=False,
    ),
    # f and i move the focus as they arrive (priority: only while the focus is in the
    # conversation), so that the keys read with them go to the list: run once bubbled up to
    # the app, f left the Down and Enter after it to the answer, where Enter opened a link.
    Binding(
        "f",
        "focus_related",
        "Related",
        id="conversation.related",
        tooltip="Go to the related questions under the answer (Enter asks one)",
        show=False,
        priority=True,
    ),
    Binding(
        "i",
        "focus_images",
        "Images",
        id="conversation.images",
        tooltip="Go to the images under the answer (Enter opens, c copies the URL)",
        show=False,
        priority=True,
    ),
]


def reasoning_description(view: AnswerView | None) -> str | None:
    """What the key bar calls the reasoning key on ``view``, the selected answer: nothing
    (``""``, left out) without reasoning, "Hide reasoning" once unfolded, else the binding's."""
    unfolded = view.reasoning_unfolded if view is not None else None
    if unfolded is None:
        return ""
    return "Hide reasoning" if unfolded else None


def alternatives_description(view: AnswerView | None) -> str | None:
    """What the key bar calls the next-alternative key on ``view``, the selected answer:
    nothing (``""``, left out) on an answer without alternatives (QA: ``a Alt`` showed where it
    did nothing) or on one still streaming (``a`` waits for it), else the binding's."""
    return "" if view is None or view.place is None or view.message is None else None


ANSWER_DIALOGS = frozenset(
    {
        "conversation.other_model",
        "conversation.other_search",
        "conversation.compare",
        "conversation.retry",
    }
)
"""Ids of the keys that open a dialog for the selected answer (the model picker, the search
settings, the compare picker, "Ask again")."""


def _in_comparison(view: AnswerView) -> bool:
    """Whether ``view`` is a column of a comparison (asked again, it is asked in its column)."""
    from pplx_tui.ui.widgets.comparison import Comparison

    return view.parent is not None and isinstance(view.parent.parent, Comparison)


if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class AnswerKeys(_Host):
    """The selected answer's keys, for a widget with a ``selected`` answer of a chat
    (``_chat``); what the screen must do it asks with the ``request_…`` methods."""

    selected: AnswerView | None
    _chat: Chat | None

    def request_ask_again(self, view: AnswerView, text: str) -> None:
        """``view``'s question should be asked again once the user says yes to ``text``."""
        raise NotImplementedError

    def request_answer_action(self, view: AnswerView, action: str) -> None:
        """``action`` (one of :data:`ANSWER_ACTIONS`) should run on ``view``."""
        raise NotImplementedError

    def action_retry(self) -> None:
        """Ask the selected answer's question again, once the user says yes on the button.

        A new request may cost money, and ``r`` is a letter: typed on the answer by mistake
        ("are you sure" meant for the question box) it must not send (QA Q5). The yes takes no
        letter, and "No" has the focus.
        """
        view = self.selected
        if view is None:
            return
        if view.message is None:  # still streaming (as m, s and ctrl+e say)
            self.notify("Wait for this answer to end (Esc stops it).", timeout=3)
            return
        self.request_ask_again(view, self.ask_again_text(view, view.message))

    def ask_again_text(self, view: AnswerView, answer: Message) -> str:
        """The question the "Ask again" dialog puts for ``view`` (showing ``answer``): which
        question, with which model, and what stays (``r``, and ctrl+r on a complete answer)."""
        question = self._question_of(answer)
        model = " · ".join(part for part in (view.model, view.provider) if part)
        question = clean_line(question)
        if len(question) > 80:
            question = question[:79].rstrip() + "…"
        asked = f"“{question}”" if question else "this answer's question"
        # (the demo's answers are free: QA, it said they may cost money)
        cost = "free on the offline demo" if answer.provider == DEMO else "which may cost money"
        with_model = f"with {model or 'the same model'}? A new request, {cost}."
        if _in_comparison(view):  # asked again in its column, as m and s do there
            text = f"Ask {asked} again in this column {with_model} The comparison stays."
            stays = stay_behind(self._chat, answer, "a/A") if self._chat else None
            text += f" {stays}" if stays else ""
        else:
            later = self._chat.questions_after(answer.id) if self._chat else 0
            kept = f", and {later_questions(later)} with it" if later else ""
            text = f"Ask {asked} again {with_model} The earlier answer is kept{kept} (a/A switch)."
        return text

    def _question_of(self, answer: Message) -> str:
        chat = self._chat
        try:
            question = chat.message(chat.parent_key(answer)) if chat is not None else None
        except KeyError:
            return ""
        return question.content if question is not None and question.role == "user" else ""

    def on_key(self, event: events.Key) -> None:
        """``e`` was the edit key until it moved to ctrl+e (QA Q5): say so, rather than
        swallowing it (QA Q13). One toast however often it is pressed."""
        keys = keys_of(self.app, "conversation.edit_question")
        if event.key != "e" or not self.has_focus or self.selected is None or "e" in keys:
            return
        text = f"Edit is {keys[0]}."
        notify_replacing(self, "edit-key", text, timeout=3)

    def action_answer(self, action: str) -> None:
        """Ask the screen for ``action`` (one of :data:`ANSWER_ACTIONS`) on the selected answer."""
        if action not in ANSWER_ACTIONS:
            return
        if self.selected is None:
            keys = keys_named(self.app, "conversation.previous_answer", "conversation.next_answer")
            self.notify(f"Select an answer first ({keys}).", timeout=3)
            return
        self.request_answer_action(self.selected, action)

    def action_focus_related(self) -> None:
        """Go to the selected answer's related questions (or say why there are none)."""
        extras = self.selected.extras if self.selected is not None else None
        if extras is None or not extras.focus_related():
            self.notify(self._none_note("related questions"), timeout=6)

    def action_focus_images(self) -> None:
        """Go to the selected answer's images (or say why there are none)."""
        extras = self.selected.extras if self.selected is not None else None
        if extras is None or not extras.focus_images():
            self.notify(self._none_note("images"), timeout=6)

    def action_toggle_reasoning(self) -> None:
        """Unfold (or fold) the reasoning of the answer whose fold has the focus (Tab reaches
        it), else of the selected answer."""
        focused = self.screen.focused
        around = [focused, *focused.ancestors] if focused is not None else []
        fold = next((node for node in around if node.has_class("answer-view--reasoning")), None)
        view = cast("AnswerView", fold.parent) if fold is not None else self.selected
        if view is not None and not view.toggle_reasoning():
            self.notify(
                "This answer has no reasoning: a reasoning model's thinking is folded above "
                "its answer.",
                timeout=3,
            )

    def _none_note(self, what: str) -> str:
        view = self.selected
        message = view.message if view is not None else None
        search = message.search if message is not None else None
        option = _ASKED_FOR[what][2]
        asked = search is not None and bool(getattr(search, option))
        not_sent = None
        if message is not None and (why := message.search_not_sent.get(option)):
            not_sent = (clean_line(message.model or "this model"), why)
        settings_key = key_named(self.app, "research.search_settings")
        provider = view.provider if view is not None else None
        return none_note(what, provider, asked, settings_key, not_sent)
