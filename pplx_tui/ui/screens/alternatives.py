"""Alternatives, branches and comparisons in the research screen's open chat.

- **Ask again** (``m`` other model, ``s`` other search settings, ``r`` after a yes / ctrl+r
  same model: a retry after an error, or a regenerate): the answer's question is asked again and
  the new answer is kept beside the old ones as an alternative of that question, shown and
  chosen. A comparison's column is asked again in its column (ctrl+r: every failed one; m / s:
  the column then compares the model or search settings picked), and the comparison stays.
- **Cycle** (``a`` / ``A``): show the next alternative; the turns that followed it come back
  with it, and it is what later questions carry as context (``Chat.choose``); see
  :mod:`~pplx_tui.ui.screens.alternative_cycling`.
- **Edit** (ctrl+e): the question goes back into the question box; sending it adds a new version
  of the question after the same answer (a branch): the turns after the old version stay.
- **Compare** (ctrl+t in the question box, ``v`` on an answer): handed to
  :class:`~pplx_tui.ui.screens.comparisons.Comparisons`.

Every answer streams in its own :class:`~pplx_tui.ui.screens.answer_stream.AnswerStream`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.ui.dialogs.spend_guard import quoted
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, VERSION_KEYS, key_named, keys_named
from pplx_tui.ui.screens.alternative_cycling import cycle, cycle_versions
from pplx_tui.ui.screens.comparisons import Comparisons, comparison_of
from pplx_tui.ui.widgets.stay_behind import asked_again, later_questions, stay_behind
from pplx_tui.values import MessageStatus

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Message, SearchSettings
    from pplx_tui.session import Target
    from pplx_tui.ui.screens.answer_host import AnswerHost
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.screens.live_comparison import LiveComparison
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["Alternatives"]

ASK_AGAIN = "Ask again with another model (new questions keep the current one)"
ASK_IN_COLUMN = "Ask again in this column with another model (the comparison stays)"
EDITED = "Sent as version {count} of the question; the earlier ones are kept ({keys} switch)."
_RETRYABLE = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)
EDITING = "Editing · {send} sends a new version (the old one stays) · {cancel} cancels"


class Alternatives:
    """Asking again, cycling and editing for ``screen``; comparing goes to :class:`Comparisons`."""

    def __init__(self, screen: AnswerHost) -> None:
        self.screen = screen
        self.editing: Message | None = None
        """The question being edited in the question box, if any."""
        self._draft = ""
        """What was in the question box when the edit began: it comes back after the edit."""
        self.comparisons = Comparisons(screen)

    async def run(self, action: str, view: AnswerView) -> None:
        """A key's ``action`` (``answer_keys.ANSWER_ACTIONS``) on the answer ``view``."""
        steps = {"next_alternative": 1, "previous_alternative": -1, "show_alternative": 0}
        if action in steps:
            await cycle(self.screen, view, steps[action], comparing=self._comparing(view))
            return
        question = self.question_of(view)
        if question is None:
            self.screen.notify("Wait for this answer to end (Esc stops it).", timeout=3)
        elif action in ("next_version", "previous_version"):
            await cycle_versions(self.screen, question, 1 if action == "next_version" else -1)
        elif action == "other_model":
            message = view.message
            in_column = comparison_of(view) is not None
            keys = keys_named(self.screen.app, *ALTERNATIVE_KEYS)
            self.screen.app.pick_target(
                lambda target: self.ask_again(view, question, target),
                title=ASK_IN_COLUMN if in_column else ASK_AGAIN,
                marked=(message.provider, message.model) if message and message.provider else None,
                asks=f"Ask {quoted(question.content)} again",
                note=stay_behind(self.screen.chat, message, keys),
            )
        elif action == "other_search":
            self._pick_search(view, question)
        elif action == "edit_question":
            self.edit(question)
        elif action == "compare":
            self.comparisons.compare_again(view, question)

    def question_of(self, view: AnswerView) -> Message | None:
        """The saved question the (finished) answer ``view`` answers."""
        chat = self.screen.chat
        if view.message is None:
            return None
        try:
            question = chat.message(chat.parent_key(view.message))
        except KeyError:
            return None
        return question if question.role == "user" else None

    # -- asking again ------------------------------------------------------------------------

    async def ask_again(
        self,
        view: AnswerView,
        question: Message,
        target: Target,
        search: SearchSettings | None = None,
        *,
        over_budget_ok: bool = False,
    ) -> None:
        """Ask ``question`` again with ``target`` in place of the answer ``view`` (and the turns
        after it); the old answer stays an alternative, the new one is shown and chosen. A
        comparison's column is asked again in its column, as r asks it: the comparison stays.
        Past the daily budget, a dialog asks first."""
        screen = self.screen
        if not over_budget_ok and not screen.spending.allows_request(
            partial(self.ask_again, view, question, target, search, over_budget_ok=True),
            targets=[target],
        ):
            return
        comparison = comparison_of(view)
        if comparison is not None:
            await self.comparisons.ask_columns_again(
                comparison, [view], lambda _: target, search, over_budget_ok=True
            )
            return
        if not await screen.make_way():
            return
        if not view.is_attached:  # stopping re-drew the conversation
            return
        keys = keys_named(screen.app, *ALTERNATIVE_KEYS)
        told = asked_again(screen.chat, view.message, keys)  # (before the new answer is in)
        await screen.conversation.replace_from(view, [], screen.chat)
        search = search or (view.message.search if view.message else None)
        await screen.start_answer(question, target, search)
        screen.notify(told, timeout=6)

    async def regenerate(self, view: AnswerView) -> None:
        """Ask the answer's question again with the model that gave it (if it can still be
        asked; else the current one): a retry after an error, or another try."""
        question = self.question_of(view)
        if question is None or self._says_no_key(view):
            return
        comparison = comparison_of(view)
        if comparison is not None:  # in its column: the comparison stays
            await self.comparisons.ask_columns_again(comparison, [view], self._target_of)
            return
        await self.ask_again(view, question, self._target_of(view) or self.screen.target)

    def _says_no_key(self, view: AnswerView) -> bool:
        """Whether ``view``'s answer came from a provider with no key here, which is then said
        with what to do: asked again "same model", it went to the model in use instead,
        without a word (QA: an OpenRouter answer retried on the demo)."""
        message, app = view.message, self.screen.app
        if message is None or not message.provider or app.has_key(message.provider):
            return False
        provider = app.catalog.providers.get(message.provider)
        if provider is None:  # gone from the catalog: asked with the model in use, as before
            return False
        add_key, other = (
            key_named(app, name) for name in ("app.add_key", "conversation.other_model")
        )
        self.screen.notify(
            f"This answer came from {provider.label}, which has no key here: {add_key} adds "
            f"one, {other} asks another model.",
            severity="warning",
        )
        return True

    def ask_again_if_sure(self, view: AnswerView, question: str) -> None:
        """``r`` on an answer: a paid request, so ``question`` (the dialog's text) asks first;
        the yes takes no letter. Yes: the answer's retry goes on as its button's would."""
        from pplx_tui.ui.dialogs.confirm import ConfirmScreen

        conversation = self.screen.conversation
        # (said before the dialog, not after its yes)
        if self.screen.answering.refuses_for_research() or self._says_no_key(view):
            return

        def answered(yes: bool | None) -> None:
            if yes and view.is_attached:
                conversation.post_message(view.RetryRequested(view))

        dialog = ConfirmScreen(question, title="Ask again", yes_label="Ask again", letter_yes=False)
        self.screen.app.push_screen(dialog, answered)

    async def retry(self) -> None:
        """ctrl+r: answer the last question if it has no answer yet, else ask it again."""
        screen = self.screen
        if not await screen.make_way():
            return
        path = screen.chat.active_path()
        if not path:
            screen.notify("Retry: there is no question to ask again yet.", timeout=4)
            return
        if path[-1].role == "user":  # it has no answer yet
            if screen.spending.allows_request(screen.start_answer):
                await screen.start_answer()
            return
        await self.retry_last(path[-1])

    async def retry_last(self, answer: Message) -> None:
        """Ask the question of ``answer`` (the last shown) again; in a comparison, of every
        column that failed or stopped (their Retry buttons name ctrl+r), each in its column.
        Where none did (a complete answer), the "Ask again" dialog asks first, as ``r`` does."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        group = self.screen.chat.compared_with(answer.id)
        failed = [message for message in group if message.status in _RETRYABLE]
        refused = [message for message in failed if self.screen.app.key_still_refused(message)]
        if refused and len(refused) == len(failed):
            self.say_refused_again(refused[0])
            return
        failed = [message for message in failed if message not in refused]
        wanted = failed or [answer]
        views = [
            view
            for view in self.screen.conversation.query(AnswerView)
            if any(view.message is message for message in wanted)
        ]
        if views and not failed:  # a paid request by one key (QA): asked first, as r asks
            view = self._selected_column(group) or views[0]
            message = view.message or answer
            self.ask_again_if_sure(view, self.screen.conversation.ask_again_text(view, message))
            return
        comparison = comparison_of(views[0]) if views else None
        if any(self._says_no_key(view) for view in views):
            return
        if comparison is not None:
            await self.comparisons.ask_columns_again(comparison, views, self._target_of)
        elif views:
            await self.regenerate(views[0])

    def say_refused_again(self, answer: Message) -> None:
        """ctrl+r or r after a refused key still in use: the same key would be refused again
        (QA: it was sent again, and a second failed try added), so it says so and what to
        press."""
        app = self.screen.app
        provider = app.catalog.providers.get(answer.provider)
        name = provider.label if provider is not None else answer.provider
        add_key = key_named(app, "app.add_key")
        self.screen.notify(
            f"The key {name} refused is still in use: it would be refused again. "
            f"{add_key} adds another key.",
            severity="warning",
        )

    def _selected_column(self, group: list[Message]) -> AnswerView | None:
        """The selected answer where it is a column of ``group`` (a comparison): ctrl+r asks
        again in the column the user looks at, as ``r`` does (QA: it asked about the column
        later questions follow, and asked that one)."""
        selected = self.screen.conversation.selected
        if selected is None or len(group) < 2:
            return None
        return selected if any(selected.message is column for column in group) else None

    def _target_of(self, view: AnswerView) -> Target | None:
        """The target that gave ``view``'s answer, when it can be used now."""
        screen = self.screen
        message = view.message
        if message is None or not message.provider:
            return None
        current = screen.target
        if (message.provider, message.model) == (current.provider.name, current.model.id):
            return current
        if not screen.app.has_key(message.provider):
            return None
        try:
            return screen.app.resolve(message.provider, message.model)
        except Exception:  # a provider or model gone from the catalog: use the current one
            return None

    def _pick_search(self, view: AnswerView, question: Message) -> None:
        """Edit the answer's search settings, then ask its question again with them."""
        from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen

        screen = self.screen
        target = self._target_of(view) or screen.target
        settings = view.message.search if view.message and view.message.search else None
        in_column = comparison_of(view) is not None
        keys = keys_named(screen.app, *ALTERNATIVE_KEYS)
        editor = SearchSettingsScreen(
            (settings or screen.chat.settings.search).model_copy(deep=True),
            provider=target.provider,
            model_id=target.model.id,
            title="Ask again in this column with these search settings"
            if in_column
            else "Ask again with these search settings",
            asks=f"Ask {quoted(question.content)} again",
            note=stay_behind(screen.chat, view.message, keys),
        )

        async def chosen(search: SearchSettings | None) -> None:
            if search is not None:
                await self.ask_again(view, question, target, search)

        screen.app.push_screen(editor, chosen)

    # -- editing -----------------------------------------------------------------------------

    def edit(self, question: Message) -> None:
        """Put ``question`` in the question box to edit and send again."""
        prompt = self.screen.prompt
        if self.editing is None:
            self._draft = prompt.text
        self.editing = question
        prompt.clear()
        prompt.insert(question.content)
        app = self.screen.app
        send, cancel = key_named(app, "prompt.submit"), key_named(app, "research.focus_prompt")
        prompt.border_title = EDITING.format(send=send, cancel=cancel)
        prompt.focus()
        self.screen.refresh_bindings()  # the key bar says how to cancel the edit

    def cancel_edit(self) -> bool:
        """Stop editing (the box gets back what it held before); ``False`` if nothing was
        being edited."""
        if self.editing is None:
            return False
        self.editing = None
        self._restore_draft()
        return True

    def _restore_draft(self) -> None:
        prompt = self.screen.prompt
        prompt.clear()
        prompt.insert(self._draft)
        prompt.border_title = None
        self._draft = ""
        self.screen.refresh_bindings()

    async def send_edit(self, text: str) -> None:
        """Ask ``text`` as a new version of the question being edited (a branch)."""
        screen = self.screen
        question, self.editing = self.editing, None
        self._restore_draft()
        if question is None:
            return
        if not await screen.make_way():
            return
        from pplx_tui.models import Message  # the chat models: loaded after the first frame

        chat = screen.chat
        edited = chat.add(
            Message(role="user", content=text, search=chat.settings.search),
            after=chat.parent_key(question),
        )
        screen.save_chat()
        old = [v for v in screen.conversation.query("QuestionView") if v.message is question]
        if old:
            await screen.conversation.replace_from(old[0], [edited], chat)
        else:  # scrolled out of the mounted page: show the new line from the start
            await screen.conversation.show_messages(chat.active_path(), chat)
        await screen.start_answer(edited)
        count = len(chat.alternatives(edited.id))
        keys = keys_named(screen.app, *VERSION_KEYS)
        screen.notify(EDITED.format(count=count, keys=keys), timeout=4)

    # -- comparing (see comparisons.py) ----------------------------------------------------

    async def follow_column_of(self, widget: Widget) -> None:
        """Later questions follow the comparison column holding ``widget`` (its related
        questions: one picked there is asked after that column's answer; QA: it went with the
        followed column's as its context), and a line says so; nothing for any other answer,
        or while the comparison streams."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        screen = self.screen
        view = next((n for n in widget.ancestors if isinstance(n, AnswerView)), None)
        comparison = comparison_of(view) if view is not None else None
        if view is None or view.message is None or comparison is None or self._comparing(view):
            return
        left = comparison.views[comparison.current]
        if left is view:
            return
        chat = screen.chat
        later = chat.questions_after(left.message.id) if left.message is not None else 0
        names = comparison.names()
        name, left_name = names[comparison.views.index(view)], names[comparison.current]
        chat.choose(view.message.id)
        await screen.conversation.replace_from(
            view, [view.message, *chat.path_from(view.message.id)], chat
        )
        screen.save_chat()
        stays = f"; {later_questions(later)} with {left_name}" if later else ""
        said = f"Later questions follow {name}, the column the question came from{stays}."
        screen.notify(said, timeout=5)

    @property
    def comparing(self) -> bool:
        """Whether a comparison works in the open chat."""
        return bool(self.comparisons.comparing)

    @property
    def live(self) -> dict[str, LiveComparison]:
        """The chats comparing now (the open one or others) → their comparison."""
        return self.comparisons.live

    def take_up(self, live: LiveComparison) -> None:
        """Work on ``live``, a comparison whose runs are followed again
        (:meth:`Comparisons.take_up`)."""
        self.comparisons.take_up(live)

    def _comparing(self, view: AnswerView) -> bool:
        """Whether a comparison is streaming, or ``view``'s comparison (reopened) has a column
        whose background run is followed: its columns stay as they are until it ends (QA:
        drawn again, the run was followed into a column no longer shown, and the app failed)."""
        if self.comparing:
            return True
        comparison = comparison_of(view)
        pending = self.screen.pending
        return comparison is not None and pending is not None and pending.view in comparison.views

    def compare_prompt(self) -> None:
        """Compare the question in the box (or, when it is empty, the selected answer's)."""
        screen = self.screen
        text = screen.prompt.text.strip()
        if text and self.editing is None:
            self.comparisons.compare_text(text)
            return
        view = screen.conversation.selected
        question = self.question_of(view) if view is not None else None
        if view is None or question is None:
            compare = key_named(screen.app, "research.compare")
            screen.notify(f"Type a question first, then {compare} compares models.", timeout=3)
            return
        self.comparisons.compare_again(view, question)

    def sources_changed(self, answer: AnswerStream) -> None:
        """An answer's sources changed (a compared one updates the common-sources line)."""
        self.comparisons.sources_changed(answer)

    def ended(self, answer: AnswerStream) -> None:
        """An answer ended: it says which alternative it is ("2/2")."""
        chat = self.screen.chat
        view = answer.view  # None: the answer ended while its chat was not on screen
        # (a column of the comparison streaming is numbered as it will be once all have ended)
        compared = answer in self.comparisons.comparing
        if view is not None and view.message is not None and answer.chat is chat and not compared:
            view.set_place(chat.places().get(view.message.id))
        self.comparisons.ended(answer)

    async def stop(self) -> bool:
        """Stop the open chat's compared answers still working (what arrived is kept); False
        when a background run among them goes on (its provider would not cancel it)."""
        return await self.comparisons.stop()

    async def forget(self, chat_id: str) -> None:
        """Chat ``chat_id`` is being deleted: its comparison ends (:meth:`Comparisons.forget`)."""
        await self.comparisons.forget(chat_id)
