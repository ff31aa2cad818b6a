"""The workspace's answers: any number of chats answering at once, one answer per chat.

An answer keeps working when the user opens another chat, starts a new one or asks elsewhere:
its view goes with the conversation and comes back, with everything so far, when its chat is
shown again (:meth:`Answering.attach`); so does a comparison, whose columns are the
alternatives' (:class:`~pplx_tui.ui.screens.comparisons.Comparisons`), not a working answer
here. The chat list marks chats that are answering or comparing (with the time since the
question) and those whose answer finished while another chat was open; a
notification says so too (:mod:`~pplx_tui.ui.screens.answer_endings`). Questions to the
``background_models`` of the Agent API are asked as background runs
(:class:`~pplx_tui.ui.screens.run_follower.RunFollower`), which the next start picks up again
(:mod:`~pplx_tui.ui.screens.earlier_runs`) if the app is closed before they end. Closing keeps
every streamed answer's partial text (interrupted) and leaves background runs running.

:class:`Answering` also starts each answer (:meth:`Answering.start`, :meth:`Answering.stream`)
and handles what its stream posts to the workspace (:meth:`Answering.handle`: events to show, a
silent server, the end), then keeps it (:meth:`Answering.finish`: added to its chat, saved and
shown as saved). It reaches the workspace only through :class:`AnsweringHost`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import AGENT_SAMPLING, not_honoured, sampling_not_sent
from pplx_tui.session import build_request
from pplx_tui.ui import answer_progress
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.screens.answer_endings import tell_ended, tell_unseen_end
from pplx_tui.ui.screens.answer_message import AnswerMessage
from pplx_tui.ui.screens.answer_stream import AnswerStream
from pplx_tui.ui.screens.ready_notice import ReadyNotice
from pplx_tui.ui.screens.run_follower import RunFollower
from pplx_tui.ui.unread_marks import read_marks, set_mark
from pplx_tui.values import MessageStatus, SearchSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.timer import Timer

    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.ui.screens.answer_host import AnsweringHost
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["ANSWERING", "WAITING", "WORKING", "Answering"]

logger = logging.getLogger("pplx_tui.ui")

ANSWERING = "answering…"
WAITING = "waiting for the server… (Esc to stop)"
WORKING = "the server is still working… (Esc to stop)"


class Answering:
    """The answers working now (by chat id) for the workspace ``screen``."""

    def __init__(self, screen: AnsweringHost) -> None:
        self.screen = screen
        self.working: dict[str, AnswerStream] = {}
        """The chats answering now → their answer."""
        self.unseen: dict[str, str] = read_marks()
        """Chats whose answer ended while another chat was open → how (the chat list's mark);
        kept across starts until the chat is opened (:mod:`~pplx_tui.ui.unread_marks`)."""
        self._ticker: Timer | None = None
        self.ready = ReadyNotice(screen.app)
        """Answers ready in chats not on screen, said together (:func:`tell_ended`)."""
        self._unsent_said: set[tuple[str, ...]] = set()
        """The sampling options said to be not sent (:meth:`_say_sampling_not_sent`)."""

    def of(self, chat_id: str) -> AnswerStream | None:
        return self.working.get(chat_id)

    def chat(self, chat_id: str) -> Chat | None:
        """The chat object an answer or a comparison is working in (the newest version)."""
        answer = self.working.get(chat_id)
        if answer is not None:
            return answer.chat
        compared = self.screen.alternatives.live.get(chat_id)
        return compared.chat if compared is not None else None

    def works_in(self, chat_id: str) -> bool:
        """Whether an answer or a comparison works in chat ``chat_id`` now."""
        return chat_id in self.working or chat_id in self.screen.alternatives.live

    # -- starting and ending -------------------------------------------------------------------

    def kind_for(self, target: Target) -> type[AnswerStream]:
        """A background run for the Agent API's ``background_models``, else a stream."""
        settings = self.screen.app.settings
        if settings.runs_in_background(target.provider.dialect, target.model.id):
            return RunFollower
        return AnswerStream

    async def start(
        self,
        question: Message | None = None,
        target: Target | None = None,
        search: SearchSettings | None = None,
    ) -> AnswerStream:
        """Answer ``question`` (default: the end of the shown line) with ``target`` (default:
        the current one) and ``search`` (default: the chat's), in a new view at the bottom."""
        screen = self.screen
        chat, target = screen.chat, target or screen.app.target
        path = chat.path_to(question.id) if question else chat.active_path()
        view = await screen.conversation.add_answer(target.provider.name, target.model.id)
        answer = self.stream(view, target, path, search, kind=self.kind_for(target))
        self.add(answer)
        return answer

    def begin(self, question: Message) -> AnswerStream:
        """Send the request for ``question`` with the current target, before anything is
        mounted. The answer has no view until :meth:`show`, which must follow in the same
        handler of the screen: the stream's messages come to the screen, so none is handled
        before the view is attached."""
        screen = self.screen
        target = screen.app.target
        path = screen.chat.path_to(question.id)
        answer = self.stream(None, target, path, kind=self.kind_for(target))
        self.add(answer)
        return answer

    async def show(self, answer: AnswerStream) -> None:
        """Mount the view of ``answer`` (from :meth:`begin`) at the bottom and show in it what
        arrived so far."""
        target, request = answer.target, answer.request
        view = await self.screen.conversation.add_answer(target.provider.name, target.model.id)
        if request is not None:
            view.show_search_settings(
                request.search, not_honoured(request.search, target.provider, target.model.id)
            )
        await answer.attach(view)
        # What came while the views were mounted is shown now, in the frame that first draws
        # them, not in the next one (on a quick server the first words come meanwhile).
        await self._events_arrived(answer)

    def stream(
        self,
        view: AnswerView | None,
        target: Target,
        path: list[Message],
        search: SearchSettings | None = None,
        comparison: str | None = None,
        kind: type[AnswerStream] = AnswerStream,
    ) -> AnswerStream:
        """Stream the answer to ``path[-1]`` (the earlier messages are the context) into
        ``view`` (``None``: attached later); the answer is kept as a child of that question.
        ``kind`` :class:`RunFollower` asks it as a background run instead."""
        screen = self.screen
        settings = screen.chat.settings
        request = build_request(
            path[:-1],
            path[-1].content,
            target.model.id,
            system_prompt=settings.system_prompt,
            search=search or settings.search,
            sampling=settings.sampling,
        )
        if view is not None:
            view.show_search_settings(
                request.search, not_honoured(request.search, target.provider, target.model.id)
            )
        self._say_sampling_not_sent(sampling_not_sent(settings.sampling, target.provider))
        answer = kind(
            view, screen.chat, target, request, question_id=path[-1].id, comparison=comparison
        )
        answer.start(screen, screen.app.client_for(target), screen.app.wait_notice)
        return answer

    def _say_sampling_not_sent(self, names: list[str]) -> None:
        """Say once which sampling options (config.toml's ``[sampling]``, the command line's)
        the provider is not sent, as ``pplx ask`` notes them: they went unsent without a word.
        Not again for each question: the same options, once a run."""
        if not names or tuple(names) in self._unsent_said:
            return
        self._unsent_said.add(tuple(names))
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        self.screen.notify(
            f"The sampling option{'s' if len(names) > 1 else ''} {listed} "
            f"{'are' if len(names) > 1 else 'is'} not sent: the Agent API takes only "
            f"{AGENT_SAMPLING}.",
            markup=False,
        )

    def still_researching(self, question: str) -> bool:
        """Whether the open chat waits on a background run, which a new question would stop
        (throwing the research away): then ``question`` goes back into the prompt and a
        warning says what to do instead."""
        if not self.refuses_for_research():
            return False
        self.screen.prompt.load_text(question)
        return True

    def refuses_for_research(self) -> bool:
        """Whether the open chat waits on a background run that another request in it (a
        question, ``r``, ``m``, ``s``, an edit, a comparison) would stop, throwing the research
        away (QA: ``r`` on an earlier answer cancelled the run without a word): then a warning
        says what to do instead."""
        screen = self.screen
        followed = isinstance(self.of(screen.chat.id), RunFollower)
        path = screen.chat.active_path()
        if not (followed or (path and path[-1].running)):
            return False
        # Not followed here (its check failed): it goes on all the same.
        app = screen.app
        stop, retry = key_named(app, "research.stop"), key_named(app, "research.retry")
        then = f"stop the run ({stop}) first" if followed else f"check the run ({retry}) first"
        screen.notify(
            "This chat is still researching in the background: ask in a new chat "
            f"({key_named(app, 'research.new_chat')}), or {then}.",
            severity="warning",
            markup=False,
        )
        return True

    def add(self, answer: AnswerStream) -> None:
        """``answer`` (started) is its chat's working answer now."""
        self.working[answer.chat.id] = answer
        self.changed()

    async def stop(self, chat_id: str) -> bool:
        """The user stops chat ``chat_id``'s answer: what arrived is kept (interrupted). False
        when it goes on: a background run the provider would not cancel (still followed)."""
        answer = self.working.get(chat_id)
        if answer is None:
            return True
        if isinstance(answer, RunFollower):
            if answer.cancelling:  # a stop already waits for the provider's word
                return False
            if not await answer.stop_run():
                return False
        else:
            answer.cancel()
        await self.finish(answer, MessageStatus.INTERRUPTED)
        return True

    async def forget(self, chat_id: str) -> None:
        """Chat ``chat_id`` is being deleted: its answer (or comparison) ends here. A background
        run it follows is left for the caller to cancel with the chat's others; one the
        provider is just taking is cancelled once it says so. Its unread mark goes."""
        if self.unseen.pop(chat_id, None) is not None:
            set_mark(chat_id, None)
        await self.screen.alternatives.forget(chat_id)
        answer = self.working.get(chat_id)
        if answer is None:
            return
        if isinstance(answer, RunFollower) and answer.run_id is None:
            await answer.stop_run()
        else:
            answer.cancel()
        await self.finish(answer, MessageStatus.INTERRUPTED)

    async def handle(self, message: AnswerMessage[AnswerStream]) -> None:
        """What an answer's worker posted to the workspace."""
        answer = message.answer
        if isinstance(message, AnswerStream.EventsArrived):
            await self._events_arrived(answer)
        elif isinstance(message, AnswerStream.WentSilent):
            if answer is self.of(self.screen.chat.id):
                self.screen.header.busy = WORKING if message.alive else WAITING
        elif isinstance(message, RunFollower.RunNoted):
            # The run id (or its new status) is in the chat: save it now, so a later start
            # (or ``pplx runs``) sees it.
            self.screen.saver.save(answer.chat)
            self.screen.chat_list.reload()
        elif isinstance(message, AnswerStream.Ended):
            await self.finish(answer)

    async def _events_arrived(self, answer: AnswerStream) -> None:
        applied = await answer.apply()
        screen = self.screen
        if answer.chat is not screen.chat:
            return
        if applied.sources:
            await screen.panes.sources_arrived(answer.view)
            screen.alternatives.sources_changed(answer)
        if answer is not self.of(screen.chat.id):
            return
        if applied.resumed:
            self.changed()
        if applied.usage_cost is not None:
            screen.spending.show_chat_cost(screen.chat, so_far=applied.usage_cost)

    async def finish(self, answer: AnswerStream, status: MessageStatus | None = None) -> None:
        """End ``answer``: add it to its chat, save, and show it as saved."""
        if answer.finished:
            return
        message = answer.keep(status)
        self.ended(answer, message, status)
        screen = self.screen
        screen.saver.save(answer.chat)
        if answer.chat is screen.chat:
            screen.header.chat_title = screen.chat.title
            screen.spending.show_chat_cost(screen.chat)
        view = answer.view
        if view is not None:
            await view.finish(message)
            if view.is_attached:  # (else taken off the screen as it streamed: nothing to show)
                await screen.panes.answer_finished(view)
        if (
            message.status == MessageStatus.INTERRUPTED
            and answer.error
            and answer.chat is screen.chat
        ):  # (elsewhere: ended() says)
            screen.call_after_refresh(self._tell_broken_unseen, view)
        screen.alternatives.ended(answer)
        screen.send_hold.answer_ended()
        screen.chat_list.reload()
        screen.spending.update_day_cost()
        if isinstance(answer, RunFollower) and answer.cancelled_here:
            screen.run_worker(
                self._cost_once_cancelled(answer, message),
                group="cancelled-run-cost",
                exit_on_error=False,
            )

    async def _cost_once_cancelled(self, answer: RunFollower, message: Message) -> None:
        """Save with ``message`` what the provider reports its run, cancelled here, cost (as
        ``pplx runs wait`` does for a run cancelled elsewhere): read after the stop, which
        does not wait for it."""
        usage = await answer.reported_usage()
        if usage is None or message.usage is not None:
            return
        message.usage = usage
        screen = self.screen
        screen.saver.save(answer.chat)
        if answer.chat is screen.chat:
            screen.spending.show_chat_cost(screen.chat)
        view = answer.view
        if view is not None and view.is_attached and view.message is message:
            view.show_summary()
        screen.spending.update_day_cost()

    def _tell_broken_unseen(self, view: AnswerView | None) -> None:
        """An answer of the open chat broke off: its note says why, under its text; a short
        toast says so only where that note is out of view (scrolled away, under a dialog)."""
        screen = self.screen
        if view is not None and screen.app.screen is screen and view.end_in_view():
            return
        retry = key_named(screen.app, "research.retry")
        screen.notify(
            f"The answer broke off; the partial answer is kept ({retry} asks again).",
            severity="warning",
            timeout=6,
        )

    def ended(self, answer: AnswerStream, message: Message, status: MessageStatus | None) -> None:
        """``answer`` was kept as ``message`` (``status``: the user stopped it): it works no
        more; a chat not on screen is marked unseen, and a notification says how it ended
        (:func:`~pplx_tui.ui.screens.answer_endings.tell_ended`)."""
        if self.working.get(answer.chat.id) is not answer:
            return
        del self.working[answer.chat.id]
        mark = tell_ended(self.screen, answer, message, status, self.ready)
        if mark is not None:
            self.unseen[answer.chat.id] = mark
            set_mark(answer.chat.id, mark)
        self.changed()

    def ended_elsewhere(self, chat: Chat, message: Message) -> None:
        """``chat``'s answer ``message``, which was not its working answer here (a comparison
        ended, a run another process ended), ended while the chat was not on screen: the chat
        is marked as for one of its own, and a notification says how it ended."""
        title = clean_line(chat.title) or "a chat"
        mark = tell_unseen_end(self.screen, title, message, self.ready)
        self.unseen[chat.id] = mark
        set_mark(chat.id, mark)
        self.changed()

    async def close(self, compared: Sequence[AnswerStream] = ()) -> list[Chat]:
        """The app is closing: streamed answers keep their partial text (interrupted); background
        runs go on and are picked up at the next start, those the provider is just taking once
        it says so (:meth:`RunFollower.confirm_start`). ``compared``: the columns of a
        comparison, the same (they are no chat's working answer). Returns the chats to save."""
        kept: list[Chat] = []
        answers = [*self.working.values(), *(a for a in compared if not a.finished)]
        self.working.clear()
        for answer in answers:
            answer.cancel()
        starting = [a for a in answers if isinstance(a, RunFollower) and a.message is None]
        await asyncio.gather(*(a.confirm_start() for a in starting))
        for answer in answers:
            if not isinstance(answer, RunFollower) or answer.message is None:
                answer.keep(MessageStatus.INTERRUPTED)
            # (a run goes on: its id is in the chat, saved again in case it was just added)
            kept.append(answer.chat)
        return kept

    # -- the chat on screen --------------------------------------------------------------------

    def detach(self) -> None:
        """The conversation is about to show another chat: answers go on without a view."""
        for answer in self.working.values():
            answer.view = None

    def hides(self, message: Message) -> bool:
        """Whether ``message`` is a background run's answer that :meth:`attach` shows under the
        conversation. Not a compared one: its comparison shows it, in its column (QA: followed
        by later questions, it came back alone, the comparison gone)."""
        chat = self.screen.chat
        answer = self.working.get(chat.id)
        if not isinstance(answer, RunFollower) or answer.message is not message:
            return False
        return len(chat.compared_with(message.id)) < 2

    async def attach(self, chat: Chat) -> None:
        """``chat`` is on screen: show its working answer (everything so far) at the end."""
        if self.unseen.pop(chat.id, None) is not None:
            set_mark(chat.id, None)  # read
        answer = self.working.get(chat.id)
        if answer is not None and not answer.finished:
            conversation = self.screen.conversation
            view = self._column_of(answer) or await conversation.add_answer(
                answer.target.provider.name, answer.target.model.id
            )
            await answer.attach(view)
            # A column of a comparison reopened: what its sources share with the others'
            # (polled while its chat was not open) is said now, not at the next change.
            self.screen.alternatives.sources_changed(answer)
        self.changed()

    def _column_of(self, answer: AnswerStream) -> AnswerView | None:
        """The column a compared background run shows in (the comparison, reopened, has one
        for it), made ready to take the answer; ``None`` for any other answer."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        message = answer.message if isinstance(answer, RunFollower) else None
        if message is None or message.comparison is None:
            return None
        for view in self.screen.conversation.query(AnswerView):
            if view.message is not None and view.message.id == message.id:
                view.begin()
                return view
        return None

    def changed(self) -> None:
        """Tell the chat list, the header and the key bar what is working now (the answers
        and the comparisons, in the open chat and elsewhere)."""
        screen = self.screen
        compared = screen.alternatives.live
        working = {chat_id: live.started for chat_id, live in compared.items()}
        working |= {chat_id: answer.started for chat_id, answer in self.working.items()}
        screen.chat_list.set_activity(working, self.unseen)
        chat_id = screen.chat.id
        screen.header.elsewhere = len(working) - (chat_id in working)
        answer = self.working.get(chat_id)
        if answer is None:
            comparison = compared.get(chat_id)
            screen.header.busy = comparison.busy if comparison is not None else ""
        elif not answer.waiting:  # while it waits, the header says so (``WentSilent``)
            screen.header.busy = ANSWERING
        if working and self._ticker is None:
            self._ticker = screen.set_interval(1.0, self._tick)
        elif not working and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        screen.refresh_bindings()

    def _tick(self) -> None:
        """Every second: the open chat's working answer and the chat list say how long each
        answer has been at it, counted to one time (QA: two ticks, one a second ahead). Those
        of other chats keep the time, shown once they are (QA: back in a chat, its answer said
        the time it was left at until the next tick)."""
        now = answer_progress.clock()
        self.screen.chat_list.tick(now)
        for answer in self.working.values():
            answer.show_progress(now)  # (drawn only where its chat is open)
