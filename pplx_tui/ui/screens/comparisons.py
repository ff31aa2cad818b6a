"""Comparing side by side: one question to two or three models (or one model under two search
settings) at once, one :class:`~pplx_tui.ui.screens.answer_stream.AnswerStream` per column.

ctrl+t asks the question in the box, ``v`` on an answer asks its question again. The columns
stream concurrently and one failing does not stop the others; the common-sources line is
said again as sources arrive. The answers are kept as alternatives of the question sharing a
``comparison`` id; once all have ended, the column shown (the first, until ``a`` moves on) is
the chosen one, which later questions carry as context.

A comparison goes on when its chat is left, as an answer alone does (a
:class:`~pplx_tui.ui.screens.live_comparison.LiveComparison` per chat): the chat list marks its
chat answering, and it comes back with its columns as they are when the chat is shown again
(:meth:`Comparisons.attach`). Only Escape in its chat (or deleting the chat) stops it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.ui import answer_progress
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, keys_named
from pplx_tui.ui.screens.compare_targets import pick_targets
from pplx_tui.ui.screens.comparison_outcomes import (
    UNFINISHED,
    asked_again_text,
    failed_text,
    follow_an_answer,
    set_aside,
)
from pplx_tui.ui.screens.comparison_places import places_to_come
from pplx_tui.ui.screens.comparison_reopened import show_again
from pplx_tui.ui.screens.live_comparison import LiveComparison
from pplx_tui.ui.screens.run_follower import RunFollower
from pplx_tui.ui.widgets.stay_behind import stay_behind
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


class Comparisons:
    """The comparisons working for ``screen``: one a chat, in the open chat or elsewhere."""

    def __init__(self, screen: AnswerHost) -> None:
        self.screen = screen
        self.live: dict[str, LiveComparison] = {}
        """The chats comparing now → their comparison."""
        self._ticker: Timer | None = None
        """Says each second how long the columns have been at it (:meth:`_keep_time`)."""

    @property
    def comparing(self) -> list[AnswerStream]:
        """The answers of the open chat's comparison, while it works."""
        live = self.live.get(self.screen.chat.id)
        return live.streams if live is not None else []

    def every_answer(self) -> list[AnswerStream]:
        """The answers of every comparison working now, whichever its chat."""
        return [stream for live in self.live.values() for stream in live.streams]

    def compare_text(self, text: str) -> None:
        """Pick the models, then ask ``text`` as a new question of them side by side; not in a
        chat still researching in the background, as Enter does not send it there."""
        if not self.screen.answering.still_researching(text):
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
        # (checked again: another pplx may have started a run in the chat meanwhile)
        if screen.answering.still_researching(text):
            return
        if not await screen.make_way():  # a run goes on: the question stays in the prompt
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
        if not await screen.make_way():
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
        chat = screen.chat
        views = [AnswerView(provider=t.provider.name, model=t.model.id) for t in targets]
        comparison = Comparison(views)
        conversation = screen.conversation
        await conversation.mount(comparison)
        path = chat.path_to(question.id)
        comparison_id = secrets.token_hex(6)
        streams: list[AnswerStream] = []
        for view, target, search in zip(
            views, targets, searches or [None] * len(targets), strict=True
        ):
            view.begin()
            stream = screen.stream_answer(view, target, path, search, comparison_id)
            stream.leads = not streams  # the first column, which later questions follow
            stream.column = len(streams)
            streams.append(stream)
        busy = COMPARING.format(count=len(targets))
        live = LiveComparison(chat, question.id, streams, len(views), busy, comparison)
        self.live[chat.id] = live
        self._number_ahead(live)
        comparison.names_changed()
        self._keep_time()
        conversation.select(views[0])
        conversation.anchor()
        screen.answering.changed()  # the chat list marks the chat answering, the header says so

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
        if not await screen.make_way():
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
        aside = {message.id for _, message, _ in asked if set_aside(chat, message)}
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
        streams: list[AnswerStream] = []
        for (_, message, target), view in zip(asked, views, strict=True):
            comparison_id, message.comparison = message.comparison, None
            view.begin()
            asked_with = search or message.search
            stream = screen.stream_answer(view, target, path, asked_with, comparison_id)
            if message.status not in UNFINISHED or message.id in aside:
                stream.replaces = message  # (a try later questions follow is not set aside)
            stream.column = comparison.views.index(view)
            stream.leads = stream.column == comparison.current
            streams.append(stream)
        count = len(streams)
        live = LiveComparison(
            chat,
            question,
            streams,
            len(comparison.views),
            ASKING_AGAIN[count > 1].format(count=count),
            comparison,
            replaced=[message for _, message, _ in asked],
            set_aside=frozenset(aside),
        )
        self.live[chat.id] = live
        self._number_ahead(live)
        comparison.names_changed()
        self._keep_time()
        screen.conversation.select(comparison.views[comparison.current])
        screen.answering.changed()
        keys = keys_named(screen.app, *ALTERNATIVE_KEYS)
        said = asked_again_text([(m, t, m.id in aside) for _, m, t in asked], keys, later)
        screen.notify(said, timeout=5)

    def _number_ahead(self, live: LiveComparison) -> None:
        """Number the columns as they will be once the comparison has ended (the labels' "6/7"
        and the switcher's numbers), not by their columns while they stream; the answers of
        columns asked again that are set aside are not numbered."""
        comparison = live.widget
        if comparison is None:
            return
        # (by the chat: a background run's answer is in it while the run goes on)
        columns = [message.id if message else None for message in live.answers()]
        ids = [message.id for message in live.replaced]
        places = places_to_come(live.chat, live.question, columns, ids, live.set_aside)
        for view, place in zip(comparison.views, places or [None] * len(columns), strict=True):
            view.set_place(place)

    # -- the chat on screen --------------------------------------------------------------------

    def line_to_show(self, chat: Chat, line: list[Message]) -> list[Message]:
        """``line`` (the part of ``chat`` to show) down to the question of its comparison still
        working, if it has one: :meth:`attach` shows the comparison and what follows it."""
        live = self.live.get(chat.id)
        ids = [message.id for message in line]
        if live is None or live.question not in ids:
            return line
        return line[: ids.index(live.question) + 1]

    def detach(self) -> None:
        """The open chat leaves the screen (or is drawn again): its comparison goes on without
        its columns on screen."""
        for live in self.live.values():
            live.detach()

    async def attach(self, chat: Chat) -> None:
        """``chat`` is shown: its comparison still working comes back (:func:`show_again`)."""
        live = self.live.get(chat.id)
        if live is not None and live.widget is None:
            live.widget = await show_again(self.screen.conversation, live)
            self._number_ahead(live)
            live.widget.names_changed()

    # -- the columns at work -------------------------------------------------------------------

    def take_up(self, live: LiveComparison) -> None:
        """Work on ``live`` (its columns' background runs followed again, not shown yet) as on
        a comparison asked here: shown with its chat, ended when all its columns have."""
        self.live[live.chat.id] = live
        self._keep_time()
        self.screen.answering.changed()

    def _keep_time(self) -> None:
        """Each second, the columns still working say how long they have been at it, as an
        answer alone does (QA: a background run's column said it at each poll, 20 s apart)."""
        if self._ticker is None:
            self._ticker = self.screen.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        now = answer_progress.clock()
        for stream in self.every_answer():
            stream.show_progress(now)

    def _time_kept(self) -> None:
        """No comparison works any more: the seconds are no longer said."""
        if not self.live and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def sources_changed(self, answer: AnswerStream) -> None:
        """An answer's sources changed: if it is compared (in this comparison, or in one
        reopened while its background run goes on), say again what they share."""
        _say_common(answer)

    def ended(self, answer: AnswerStream) -> None:
        """A compared answer ended; once all of its comparison's have, the column later
        questions follow is the chosen answer. In a chat not on screen, the chat list marks it
        as it marks an answer alone that ended there."""
        _say_common(answer)
        live = next((live for live in self.live.values() if answer in live.streams), None)
        if live is None or not live.finished:
            return
        del self.live[live.chat.id]
        self._time_kept()
        screen, chat = self.screen, live.chat
        answers = live.answers()
        columns = [message for message in answers if message is not None]
        failed = sum(1 for message in columns if message.error)
        _in_column_order(chat, columns, live.replaced)
        old = live.followed()
        followed = follow_an_answer(answers, old)
        chosen = answers[followed]
        if chosen is not None:
            chat.choose(chosen.id)
        comparison = live.widget
        if comparison is not None:
            self._show_ended(comparison, chat, followed)
        screen.answering.changed()
        if chat is not screen.chat:
            screen.saver.save(chat)
            if chosen is not None:
                screen.answering.ended_elsewhere(chat, chosen)
            return
        screen.save_chat()
        if failed:
            said = failed_text(failed, live.columns)
            if comparison is not None and followed != old:
                said += f" Later questions follow {comparison.names()[followed]}."
            screen.notify(said, severity="warning", timeout=6)

    def _show_ended(self, comparison: Comparison, chat: Chat, followed: int) -> None:
        """Show ``comparison`` (of ``chat``) as ended: its columns numbered as saved, and
        ``followed`` the column later questions follow (selected instead of the one that gave
        way to it)."""
        left = comparison.views[comparison.current]
        comparison.current = followed
        shown = comparison.is_attached  # (else taken off the screen as its columns streamed)
        conversation = self.screen.conversation
        if shown and left is not comparison.views[followed] and conversation.selected is left:
            conversation.select(comparison.views[followed])
        places = chat.places()
        for view in comparison.views:
            if view.message is not None:
                view.set_place(places.get(view.message.id))
        if shown:
            comparison.names_changed()  # the switcher numbers them as their labels do

    async def stop(self) -> bool:
        """Stop every answer of the open chat's comparison still working (what arrived is
        kept); a background run is cancelled at the provider too, as Escape does for a run
        asked alone. False when a run goes on (its provider would not cancel it): its column
        is no longer followed but its answer still waits on it (ctrl+r, the next start or
        ``pplx runs wait``)."""
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

    async def forget(self, chat_id: str) -> None:
        """Chat ``chat_id`` is being deleted: its comparison ends here, untold. Its background
        runs are left for the caller to cancel with the chat's others; one the provider is
        just taking is cancelled once it says so."""
        live = self.live.pop(chat_id, None)
        if live is None:
            return
        self._time_kept()
        for stream in live.streams:
            if stream.finished:
                continue
            if isinstance(stream, RunFollower) and stream.run_id is None:
                await stream.stop_run()
            else:
                stream.cancel()
            await self.screen.finish_answer(stream, MessageStatus.INTERRUPTED)
        self.screen.answering.changed()


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
