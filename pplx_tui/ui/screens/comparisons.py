"""Comparing side by side: one question to two or three models (or one model under two search
settings) at once, one :class:`~pplx_tui.ui.screens.answer_stream.AnswerStream` per column.

ctrl+t asks the question in the box, ``v`` on an answer asks its question again. The columns
stream concurrently and one failing does not stop the others; the common-sources line is
said again as sources arrive. The answers are kept as alternatives of the question sharing a
``comparison`` id; once all have ended, the column shown (the first, until ``a`` moves on) is
the chosen one, which later questions carry as context.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.ui import answer_progress
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, keys_named
from pplx_tui.ui.screens.compare_targets import pick_targets
from pplx_tui.ui.screens.comparison_places import places_to_come
from pplx_tui.ui.screens.run_follower import RunFollower
from pplx_tui.ui.widgets.stay_behind import later_questions, stay_behind
from pplx_tui.values import MessageStatus, SearchSettings

if TYPE_CHECKING:
    from textual.timer import Timer

    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.ui.screens.answer_host import AnswerHost
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["Comparisons", "comparison_of"]

COMPARING = "comparing {count} answers…"
ASKING_AGAIN = "asking {count} column again…", "asking {count} columns again…"
"""The header while columns of a comparison are asked again in place (one, several)."""
_UNFINISHED = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)


class Comparisons:
    """The comparison streaming on ``screen`` (one at a time)."""

    def __init__(self, screen: AnswerHost) -> None:
        self.screen = screen
        self.comparing: list[AnswerStream] = []
        """The answers of the comparison streaming now."""
        self._comparison: Comparison | None = None
        self._replaced: list[Message] = []
        """The answers of columns asked again (:meth:`ask_again`), no longer in the comparison."""
        self._ticker: Timer | None = None
        """Says each second how long the columns have been at it (:meth:`_keep_time`)."""

    def compare_text(self, text: str) -> None:
        """Pick the models, then ask ``text`` as a new question of them side by side."""
        pick_targets(self.screen, partial(self._compare_new, text), text)

    def compare_again(self, view: AnswerView, question: Message) -> None:
        """Pick the models, then ask ``question`` again of them in place of ``view`` (the
        picker says which later questions stay with it, as ``m``'s does)."""
        keys = keys_named(self.screen.app, *ALTERNATIVE_KEYS)
        note = stay_behind(self.screen.chat, view.message, keys)
        ask = partial(self._compare_again, view, question)
        pick_targets(self.screen, ask, question.content, True, note)

    async def _compare_new(
        self, text: str, targets: list[Target], searches: list[SearchSettings | None]
    ) -> None:
        screen = self.screen
        if not await screen.stop_answer():  # a run goes on: the question stays in the prompt
            return
        screen.prompt.clear()
        question = await screen.add_question(text)
        await self.compare(question, targets, searches)

    async def _compare_again(
        self,
        view: AnswerView,
        question: Message,
        targets: list[Target],
        searches: list[SearchSettings | None],
    ) -> None:
        screen = self.screen
        if not await screen.stop_answer():
            return
        if view.is_attached:
            await screen.conversation.replace_from(view, [], screen.chat)
        await self.compare(question, targets, searches)

    async def compare(
        self,
        question: Message,
        targets: list[Target],
        searches: list[SearchSettings | None] | None = None,
    ) -> None:
        """Stream one answer per target (each with its search settings, default the chat's)
        into columns; they are kept as alternatives of ``question``."""
        from pplx_tui.ui.widgets.comparison import Comparison
        from pplx_tui.ui.widgets.message_view import AnswerView

        screen = self.screen
        views = [AnswerView(provider=t.provider.name, model=t.model.id) for t in targets]
        comparison = Comparison(views)
        conversation = screen.conversation
        await conversation.mount(comparison)
        self._comparison = comparison
        path = screen.chat.path_to(question.id)
        comparison_id = secrets.token_hex(6)
        self.comparing = []
        for view, target, search in zip(
            views, targets, searches or [None] * len(targets), strict=True
        ):
            view.begin()
            stream = screen.stream_answer(view, target, path, search, comparison_id)
            stream.leads = not self.comparing  # the first column, which later questions follow
            stream.column = len(self.comparing)
            self.comparing.append(stream)
        self._number_ahead(comparison, question.id)
        comparison.names_changed()
        self._keep_time()
        conversation.select(views[0])
        conversation.anchor()
        screen.header.busy = COMPARING.format(count=len(targets))
        screen.refresh_bindings()

    async def ask_columns_again(
        self,
        comparison: Comparison,
        views: list[AnswerView],
        target_of: Callable[[AnswerView], Target | None],
        search: SearchSettings | None = None,
        *,
        over_budget_ok: bool = False,
    ) -> None:
        """Ask the questions of ``views`` (columns of ``comparison``) again, each with the model
        ``target_of`` gives (the one that gave it for r / ctrl+r, the one picked for m;
        ``None``: the current one) and ``search`` (s; default: each answer's own), in its
        column (:meth:`ask_again`). Past the daily budget, a dialog asks first."""
        screen = self.screen
        if not over_budget_ok and not screen.spending.allows_request(
            partial(
                self.ask_columns_again, comparison, views, target_of, search, over_budget_ok=True
            ),
            targets=[target_of(view) or screen.target for view in views],
        ):
            return
        if not await screen.stop_answer():
            return
        if not comparison.is_attached:  # stopping re-drew the conversation
            return
        columns = [(v, target_of(v) or screen.target) for v in views if v in comparison.views]
        await self.ask_again(comparison, columns, search)

    async def ask_again(
        self,
        comparison: Comparison,
        columns: list[tuple[AnswerView, Target]],
        search: SearchSettings | None = None,
    ) -> None:
        """Ask the question of each of ``columns`` (answers of ``comparison``, each with the
        target to ask) again in its place: the comparison stays, its other columns as they are.
        The answers replaced leave the comparison (``Message.replaced_by``): a finished one stays
        an alternative of the question, a failed or broken-off try is set aside (kept in the
        file and the exports, not among the alternatives: ``Message.retired``), but for one that
        later questions follow: it stays an alternative, with them (QA: set aside, they could
        no longer be reached). Later questions that followed the column shown leave the screen.
        """
        from pplx_tui.ui.widgets.message_view import AnswerView

        screen = self.screen
        chat = screen.chat
        asked = [(view, view.message, target) for view, target in columns if view.message]
        if not asked:
            return
        later = sum(chat.questions_after(message.id) for _, message, _ in asked)
        aside = {message.id for _, message, _ in asked if _set_aside(chat, message)}
        if any(old is comparison.views[comparison.current] for old, _, _ in asked):
            await screen.conversation.drop_after(comparison)
        question = chat.parent_key(asked[0][1])
        path = chat.path_to(question)
        views = [AnswerView(provider=t.provider.name, model=t.model.id) for _, _, t in asked]
        for (old, _, _), view in zip(asked, views, strict=True):
            await comparison.replace_column(old, view)
        for column, view in enumerate(comparison.views):  # (answers kept before columns were)
            if view.message is not None:
                view.message.column = column
        # Every column is in place before one is asked: a quick answer ends on the first await.
        self._comparison, self._replaced, self.comparing = comparison, [], []
        for (_, message, target), view in zip(asked, views, strict=True):
            comparison_id, message.comparison = message.comparison, None
            self._replaced.append(message)
            view.begin()
            asked_with = search or message.search
            stream = screen.stream_answer(view, target, path, asked_with, comparison_id)
            if message.status not in _UNFINISHED or message.id in aside:
                stream.replaces = message  # (a try later questions follow is not set aside)
            stream.column = comparison.views.index(view)
            stream.leads = stream.column == comparison.current
            self.comparing.append(stream)
        self._number_ahead(comparison, question, self._replaced, aside)
        comparison.names_changed()
        self._keep_time()
        screen.conversation.select(comparison.views[comparison.current])
        count = len(self.comparing)
        screen.header.busy = ASKING_AGAIN[count > 1].format(count=count)
        screen.refresh_bindings()
        keys = keys_named(screen.app, *ALTERNATIVE_KEYS)
        said = _asked_again_text([(m, t, m.id in aside) for _, m, t in asked], keys, later)
        screen.notify(said, timeout=5)

    def _number_ahead(
        self,
        comparison: Comparison,
        question: str,
        replaced: list[Message] | None = None,
        set_aside: Collection[str] = (),
    ) -> None:
        """Number the columns as they will be once the comparison has ended (the labels' "6/7"
        and the switcher's numbers), not by their columns while they stream; the answers
        ``replaced`` that are ``set_aside`` are not numbered."""
        replaced = replaced or []
        columns = [view.message.id if view.message else None for view in comparison.views]
        ids = [message.id for message in replaced]
        places = places_to_come(self.screen.chat, question, columns, ids, set_aside)
        for view, place in zip(comparison.views, places or [None] * len(columns), strict=True):
            view.set_place(place)

    def _keep_time(self) -> None:
        """Each second, the columns still working say how long they have been at it, as an
        answer alone does (QA: a background run's column said it at each poll, 20 s apart)."""
        if self._ticker is None:
            self._ticker = self.screen.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        now = answer_progress.clock()
        for stream in self.comparing:
            stream.show_progress(now)

    def sources_changed(self, answer: AnswerStream) -> None:
        """An answer's sources changed: if it is compared (in this comparison, or in one
        reopened while its background run goes on), say again what they share."""
        _say_common(answer)

    def ended(self, answer: AnswerStream) -> None:
        """A compared answer ended; once all have, the column shown is the chosen one."""
        chat = self.screen.chat
        _say_common(answer)
        if answer not in self.comparing:
            return
        if not all(stream.finished for stream in self.comparing):
            return
        streams, self.comparing = self.comparing, []
        comparison, self._comparison = self._comparison, None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        screen = self.screen
        replaced, self._replaced = self._replaced, []
        failed = sum(1 for stream in streams if stream.error)
        moved = None
        if comparison is not None:
            columns = [v.message for v in comparison.views if v.message]
            failed = sum(1 for message in columns if message.error)
            _in_column_order(chat, columns, replaced)
            moved = _follow_an_answer(comparison)
            shown = comparison.is_attached  # (else taken off the screen as its columns streamed)
            if moved is not None and shown and screen.conversation.selected is moved:
                screen.conversation.select(comparison.views[comparison.current])
            chosen = comparison.views[comparison.current].message
            if chosen is not None:
                chat.choose(chosen.id)
            places = chat.places()
            for view in comparison.views:
                if view.message is not None:
                    view.set_place(places.get(view.message.id))
            if shown:
                comparison.names_changed()  # the switcher numbers them as their labels do
        screen.header.busy = ""
        screen.refresh_bindings()
        screen.save_chat()
        if failed:
            compared = len(comparison.views) if comparison is not None else len(streams)
            said = _failed_text(failed, compared)
            if comparison is not None and moved is not None:
                said += f" Later questions follow {comparison.names()[comparison.current]}."
            screen.notify(said, severity="warning", timeout=6)

    async def stop(self) -> bool:
        """Stop every compared answer still streaming (what arrived is kept); a background
        run is cancelled at the provider too, as Escape does for a run asked alone. False when
        a run goes on (its provider would not cancel it): its column is no longer followed
        but its answer still waits on it (ctrl+r, the next start or ``pplx runs wait``)."""
        stopped = True
        for stream in list(self.comparing):
            if stream.finished:
                continue
            status: MessageStatus | None = MessageStatus.INTERRUPTED
            if isinstance(stream, RunFollower) and not await stream.stop_run():
                stream.cancel()
                stream.error = "The run could not be stopped and goes on; it is not checked now."
                stream.error_kind, status, stopped = "server", None, False
            elif not isinstance(stream, RunFollower):
                stream.cancel()
            await self.screen.finish_answer(stream, status)
        return stopped


def comparison_of(view: AnswerView) -> Comparison | None:
    """The comparison ``view`` is a column of, if any."""
    from pplx_tui.ui.widgets.comparison import Comparison

    parent = view.parent.parent if view.parent is not None else None
    return parent if isinstance(parent, Comparison) else None


def _say_common(answer: AnswerStream) -> None:
    """Say again what the sources of the columns of the comparison ``answer`` is shown in
    share, if it is in one."""
    from pplx_tui.ui.widgets.comparison import Comparison

    view = answer.view
    comparison = (
        next((n for n in view.ancestors if isinstance(n, Comparison)), None) if view else None
    )
    if comparison is not None and comparison.is_attached:
        comparison.update_common()


def _in_column_order(chat: Chat, columns: list[Message], replaced: list[Message]) -> None:
    """Put a comparison's answers, kept in the order they ended, in the order of its columns:
    their numbers ("1/2") and the columns of the reopened chat follow the screen. The answers
    ``replaced`` by columns asked again come after them ("4/5")."""
    ids = [message.id for message in [*columns, *replaced]]
    slots = [number for number, message in enumerate(chat.messages) if message.id in ids]
    if len(slots) != len(ids):
        return
    by_id = {chat.messages[slot].id: chat.messages[slot] for slot in slots}
    for slot, message_id in zip(slots, ids, strict=True):
        chat.messages[slot] = by_id[message_id]


def _follow_an_answer(comparison: Comparison) -> AnswerView | None:
    """The column later questions follow, when it ended without finishing (it failed, broke off
    or was stopped), gives way to the first that finished: later questions carried no answer
    (or half of one) beside an answer in full. Returns the column left, if it was."""
    views = comparison.views
    old = comparison.current
    message = views[old].message
    if message is None or message.status == MessageStatus.COMPLETE:
        return None
    finished = [
        n for n, v in enumerate(views) if v.message and v.message.status == MessageStatus.COMPLETE
    ]
    if not finished:
        return None
    comparison.current = finished[0]
    return views[old]


def _failed_text(failed: int, compared: int) -> str:
    """The toast when ``failed`` of ``compared`` answers failed (never "the others are kept"
    when there are none)."""
    if failed < compared:
        return f"{failed} of the {compared} compared answers failed; the others are kept."
    return (
        "Both compared answers failed."
        if compared == 2
        else f"All {compared} compared answers failed."
    )


def _set_aside(chat: Chat, message: Message) -> bool:
    """Whether ``message``, asked again in its column, is set aside (``Message.retired``): it
    failed, broke off or was stopped, and no question follows it."""
    return message.status in _UNFINISHED and not message.running and not chat.children(message.id)


def _asked_again_text(asked: list[tuple[Message, Target, bool]], keys: str, later: int) -> str:
    """The toast when the columns of ``asked`` (each answer replaced, the target asked in its
    place, and whether the answer is set aside) are asked again: where, what became of the
    answers replaced (``keys``: those that show the alternatives, ``a / A``), and of the
    ``later`` questions that followed them."""
    names = " and ".join(
        clean_line(target.model.id)
        + (
            ""
            if target.model.id == message.model
            else f" (in place of {clean_line(message.model or '')})"
        )
        for message, target, _ in asked
    )
    one = len(asked) == 1
    unfinished = sum(1 for _, _, aside in asked if aside)
    if not unfinished:
        failed = one and asked[0][0].status in _UNFINISHED
        kept = (
            f"the {'failed try' if failed else 'earlier answer'} stays an alternative ({keys})"
            if one
            else f"the earlier answers stay alternatives ({keys})"
        )
    elif unfinished == len(asked):
        kept = (
            "the failed try is set aside (kept in the chat's exports)"
            if one
            else "the failed tries are set aside (kept in the chat's exports)"
        )
    else:
        tries = "try is" if unfinished == 1 else "tries are"
        others = (
            "other stays an alternative"
            if len(asked) - unfinished == 1
            else "others stay alternatives"
        )
        kept = f"the failed {tries} set aside, the {others} ({keys})"
    if later:
        kept += f"; {later_questions(later)} with {'it' if one else 'them'}"
    return f"Asking {names} again in {'its column' if one else 'their columns'}; {kept}."
