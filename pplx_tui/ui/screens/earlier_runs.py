"""Background runs started earlier: picked up at start-up, and checked again on request.

A question to the Agent API's ``background_models`` is a run at the provider's
(:class:`~pplx_tui.ui.screens.run_follower.RunFollower`); if the app closed before it ended
(or ``pplx ask --background`` started it), :meth:`EarlierRuns.resume` follows it again at the
next start, and ctrl+r on an answer whose polling failed checks it again
(:meth:`EarlierRuns.check_again`). While the app is open, another process's runs are seen when
the chat list sees the folder change (:meth:`EarlierRuns.look_again`): one it started is
followed as at a start, and one it ended (``pplx runs wait``) that nobody follows here marks its
chat as a run ended here does. Two processes may follow the same run: each only polls it, and
the store's merge keeps whichever filled it in first. A followed run is one of the workspace's
working answers (:class:`~pplx_tui.ui.screens.answering.Answering`); the columns of a
comparison that wait on several runs are followed together, as that comparison
(:mod:`~pplx_tui.ui.screens.comparison_resumed`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Protocol

from pplx_tui.session import TargetError
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.screens.answer_host import AnsweringHost
from pplx_tui.ui.screens.comparison_resumed import resumed_comparison, waiting_columns
from pplx_tui.ui.screens.deleted_runs import run_target
from pplx_tui.ui.screens.run_follower import RunFollower

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.store import ChatStore
    from pplx_tui.ui.screens.answering import Answering
    from pplx_tui.ui.screens.chat_actions import ChatActions

__all__ = ["EarlierRuns"]

logger = logging.getLogger("pplx_tui.ui")

MAX_RESUMED = 20
"""Runs followed again at start at most: each is polled every few seconds with the user's key
(chats that wait on hundreds, an import's or a provider's that never ends them, started as many
pollers). The others are checked with ctrl+r in their chat, or ``pplx runs wait``. Runs
another process starts while the app is open are followed while fewer are."""
CLOCK_SLACK = 2.0
"""Seconds before the last look that a chat file's time may say (coarse file times)."""


class RunsHost(AnsweringHost, Protocol):
    """The workspace, which takes in what another process saved to its open chat."""

    chats: ChatActions

    def still_answering(self) -> bool:
        """Whether an answer or a comparison works in the open chat now."""
        ...


class EarlierRuns:
    """The background runs the chats wait on, followed as ``answering``'s answers."""

    def __init__(self, answering: Answering, screen: RunsHost) -> None:
        self.answering = answering
        self.screen = screen
        self._unfollowed: set[tuple[str, str]] = set()
        """``(chat id, answer id)`` of the runs the chats wait on that nobody follows here:
        another process ending one marks its chat (:meth:`look_again`)."""
        self._read_at: float | None = None
        """When the chats were last read for runs (Unix time; ``None``: not yet)."""
        self._reading = asyncio.Lock()

    async def resume(self) -> None:
        """Poll the background runs the chats are still waiting on (from earlier sessions,
        or from ``pplx ask --background``)."""
        async with self._reading:
            await self._resume()

    async def _resume(self) -> None:
        from pplx_tui.runs import run_message, unfinished_runs

        screen = self.screen
        store = screen.app.store
        self._read_at = time.time()
        try:
            found = await asyncio.to_thread(unfinished_runs, store)
        except OSError as error:
            logger.warning("background runs not read: %s", error)
            return
        resumed = left = 0
        for chat_id, message_id in found:
            if self.answering.works_in(chat_id):
                continue
            if resumed >= MAX_RESUMED:
                left += 1
                continue
            if chat_id == screen.chat.id:
                chat = screen.chat
            else:
                try:
                    chat = await asyncio.to_thread(store.load, chat_id)
                except Exception as error:  # a store error: the chat cannot be followed now
                    logger.warning("chat %s not resumed: %s", chat_id, error)
                    continue
            message = run_message(chat, message_id)
            if message is not None:  # (its comparison's other waiting columns with it)
                resumed += await self._follow(chat, message)
        works_in = self.answering.works_in
        self._unfollowed |= {key for key in found if not works_in(key[0])}
        if resumed:
            runs, marked = (
                ("1 background run", "its chat")
                if resumed == 1
                else (f"{resumed} background runs", "their chats")
            )
            retry, chats = (
                key_named(screen.app, f"research.{n}") for n in ("retry", "toggle_chats")
            )
            more = f" {left} more wait: {retry} in their chat, or pplx runs wait, checks them."
            self.answering.ready.following(
                f"Following {runs} started earlier; the chat list ({chats}) marks {marked}."
                + (more if left else "")
            )

    async def look_again(self) -> None:
        """Another process changed the chats: follow the runs it started (``pplx ask
        --background``), and mark the chats whose runs it ended (``pplx runs wait``) that
        nobody follows here. Only the chats saved since the last look are read."""
        async with self._reading:
            if self._read_at is None:
                return  # (the start reads every chat for runs)
            since, self._read_at = self._read_at, time.time()
            store = self.screen.app.store
            try:
                changed = await asyncio.to_thread(_holding_runs, store, since - CLOCK_SLACK)
            except OSError as error:
                logger.warning("background runs not read: %s", error)
                return
            for chat in changed:
                await self._look_at(chat)

    async def _look_at(self, chat: Chat) -> None:
        """``chat`` (as read from its file) was saved since the last look."""
        screen = self.screen
        if self.answering.works_in(chat.id) or screen.saver.unsaved_version(chat.id) is not None:
            return  # followed here (its end is told), or newer here than in its file
        for message in chat.messages:
            key = (chat.id, message.id)
            if message.run is None:
                continue
            if not message.running:
                if key in self._unfollowed:
                    self._unfollowed.discard(key)
                    self._ended_elsewhere(chat, message)
            elif key in self._unfollowed:
                continue
            # One whose check failed here (a refused key) waits for ctrl+r, not for a look.
            elif message.error or not await self._follow_new(chat.id, message.id):
                self._unfollowed.add(key)

    async def _follow_new(self, chat_id: str, message_id: str) -> bool:
        """Follow a run another process started in chat ``chat_id``, as at a start; False when
        it still waits, not followed here (in the open chat while it answers; as many
        followed as at a start; no key)."""
        from pplx_tui.runs import run_message

        screen = self.screen
        if chat_id == screen.chat.id:
            if run_message(screen.chat, message_id) is None and not screen.still_answering():
                await screen.chats.take_in_others()  # (shown again, with a note)
            shown = run_message(screen.chat, message_id)
            if shown is None or not shown.running:
                return shown is not None  # (its own run, ended here)
            return await self.follow(screen.chat, shown)
        if sum(isinstance(a, RunFollower) for a in self.answering.working.values()) >= MAX_RESUMED:
            return False
        try:
            chat = await asyncio.to_thread(screen.app.store.load, chat_id)
        except Exception as error:  # a store error: the chat cannot be followed now
            logger.warning("chat %s not followed: %s", chat_id, error)
            return False
        message = run_message(chat, message_id)
        if message is None or not message.running:
            return True  # ended since it was read (this app's own run, just filled in)
        return await self.follow(chat, message)

    def _ended_elsewhere(self, chat: Chat, message: Message) -> None:
        """Another process ended the run of ``message``, which nobody followed here: its chat
        is marked (unless it is on screen) as a run that ended here would be."""
        if chat.id != self.screen.chat.id:
            self.answering.ended_elsewhere(chat, message)

    def _waiting(self, chat: Chat) -> Message | None:
        """The answer of ``chat`` that waits on a background run nobody follows here."""
        if self.answering.works_in(chat.id):
            return None
        path = chat.active_path()
        last = path[-1] if path else None
        return last if last is not None and last.running else None

    async def check_again(self, chat: Chat, message: Message | None = None) -> bool:
        """Follow the background run ``chat``'s last answer waits on, which nobody checks
        now (ctrl+r after polling failed); ``message``: only if it is that answer. False when
        there is no such run. One followed already is left as it is (True)."""
        followed = self.answering.of(chat.id)
        if isinstance(followed, RunFollower) and (message is None or message is followed.message):
            # Checked already: asking again would cancel minutes of (paid) research.
            self.screen.notify(
                "This chat's background run is being checked already; Esc stops it.",
                timeout=5,
                markup=False,
            )
            return True
        waiting = self._waiting(chat)
        if waiting is None or (message is not None and message is not waiting):
            return False
        await self.follow(chat, waiting)
        return True

    async def follow(self, chat: Chat, message: Message) -> bool:
        """Poll the background run ``message`` of ``chat`` waits on, until it ends; False when
        it cannot be followed here (followed already, the open chat answers or compares, or no
        such provider or key). A column of a comparison whose other columns wait too is
        followed with them, as that comparison (:mod:`.comparison_resumed`)."""
        return await self._follow(chat, message) > 0

    async def _follow(self, chat: Chat, message: Message) -> int:
        """:meth:`follow`; how many runs are followed now."""
        if self.answering.works_in(chat.id) or message.run is None or not message.running:
            return 0
        if chat is self.screen.chat and self.screen.still_answering():
            # A comparison follows its own runs (in no chat's working answers): followed again,
            # its chat was drawn again under the columns still streaming, and the next to end
            # closed the app (QA: the chat list took the first save for another process's).
            return 0
        columns = waiting_columns(chat, message)
        if len(columns) > 1:
            return await self._follow_compared(chat, columns)
        target = self._target_for(message)
        if target is None:
            return 0
        message.error = message.error_kind = None  # why it was not followed before
        screen = self.screen
        follower = RunFollower(None, chat, target, None, message)
        self.answering.add(follower)
        self._unfollowed = {key for key in self._unfollowed if key[0] != chat.id}  # its end told
        if chat is screen.chat:  # shown before it starts: a quick end must find its view
            await screen.show_chat(chat)
        follower.start(screen, screen.app.client_for(target), screen.app.wait_notice)
        return 1

    async def _follow_compared(self, chat: Chat, columns: list[Message]) -> int:
        """Follow the runs the answers ``columns`` (of one comparison of ``chat``) wait on, as
        that comparison: one working answer a chat would leave all but one "checking" for good
        (QA); how many are followed (those with a provider and a key)."""
        followers: list[RunFollower] = []
        for message in columns:
            target = self._target_for(message)
            if target is not None:
                message.error = message.error_kind = None
                followers.append(RunFollower(None, chat, target, None, message))
        if not followers:
            return 0
        screen = self.screen
        screen.alternatives.take_up(resumed_comparison(chat, followers))
        self._unfollowed = {key for key in self._unfollowed if key[0] != chat.id}
        if chat is screen.chat:  # drawn with its columns before they start
            await screen.show_chat(chat)
        for follower in followers:
            client = screen.app.client_for(follower.target)
            follower.start(screen, client, screen.app.wait_notice)
        return len(followers)

    def _target_for(self, message: Message) -> Target | None:
        app = self.screen.app
        try:
            target = run_target(app, message)
        except TargetError as error:
            logger.warning("background run not resumed: %s", error)
            return None
        if target.needs_key:
            app.notify(
                f"A background run on {target.provider.name} waits, but there is no key for it "
                f"here; add one with {key_named(app, 'app.add_key')} and start again.",
                severity="warning",
                markup=False,
            )
            return None
        return target


def _holding_runs(store: ChatStore, since: float) -> list[Chat]:
    """The chats saved since ``since`` (a Unix time) that hold background runs (for reading:
    a long one is its light copy)."""
    from pplx_tui.runs import RUN_NEEDLE

    return list(store.chats_holding(RUN_NEEDLE, modified_since=since))
