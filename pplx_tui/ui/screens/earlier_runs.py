"""Background runs started earlier: picked up at start-up, and checked again on request.

A question to the Agent API's ``background_models`` is a run at the provider's
(:class:`~pplx_tui.ui.screens.run_follower.RunFollower`); if the app closed before it ended
(or ``pplx ask --background`` started it), :meth:`EarlierRuns.resume` follows it again at the
next start, and ctrl+r on an answer whose polling failed checks it again
(:meth:`EarlierRuns.check_again`). A followed run is one of the workspace's working answers
(:class:`~pplx_tui.ui.screens.answering.Answering`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from pplx_tui.session import TargetError
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.screens.deleted_runs import run_target
from pplx_tui.ui.screens.run_follower import RunFollower

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.ui.screens.answer_host import AnsweringHost
    from pplx_tui.ui.screens.answering import Answering

__all__ = ["EarlierRuns"]

logger = logging.getLogger("pplx_tui.ui")

MAX_RESUMED = 20
"""Runs followed again at start at most: each is polled every few seconds with the user's key
(chats that wait on hundreds, an import's or a provider's that never ends them, started as many
pollers). The others are checked with ctrl+r in their chat, or ``pplx runs wait``."""


class EarlierRuns:
    """The background runs the chats wait on, followed as ``answering``'s answers."""

    def __init__(self, answering: Answering, screen: AnsweringHost) -> None:
        self.answering = answering
        self.screen = screen

    async def resume(self) -> None:
        """Poll the background runs the chats are still waiting on (from earlier sessions,
        or from ``pplx ask --background``)."""
        from pplx_tui.runs import run_message, unfinished_runs

        screen = self.screen
        store = screen.app.store
        try:
            found = await asyncio.to_thread(unfinished_runs, store)
        except OSError as error:
            logger.warning("background runs not read: %s", error)
            return
        resumed = left = 0
        for chat_id, message_id in found:
            if chat_id in self.answering.working:
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
            if message is not None and await self.follow(chat, message):
                resumed += 1
        if resumed:
            runs = "1 background run" if resumed == 1 else f"{resumed} background runs"
            retry, chats = (
                key_named(screen.app, f"research.{n}") for n in ("retry", "toggle_chats")
            )
            more = f" {left} more wait: {retry} in their chat, or pplx runs wait, checks them."
            self.answering.ready.following(
                f"Following {runs} started earlier; the chat list ({chats}) marks their chats."
                + (more if left else "")
            )

    def _waiting(self, chat: Chat) -> Message | None:
        """The answer of ``chat`` that waits on a background run nobody follows here."""
        if chat.id in self.answering.working:
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
        it cannot be followed here (followed already, or no such provider or key)."""
        if chat.id in self.answering.working or message.run is None or not message.running:
            return False
        target = self._target_for(message)
        if target is None:
            return False
        message.error = message.error_kind = None  # why it was not followed before
        screen = self.screen
        follower = RunFollower(None, chat, target, None, message)
        self.answering.add(follower)
        if chat is screen.chat:  # shown before it starts: a quick end must find its view
            await screen.show_chat(chat)
        follower.start(screen, screen.app.client_for(target), screen.app.wait_notice)
        return True

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
