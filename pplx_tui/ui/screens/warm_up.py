"""The workspace's start-up work, done after its first frame while the user types.

The chat models (pydantic) and the workspace's parts that answer and keep chats are loaded in
a thread first: the new chat the app starts on, and the store, are made once they are. Then
what the first answer needs (its client, the answer widgets and their parsers, the code
highlighter, the widgets' default CSS) is loaded, and what reads every chat (the chat list,
background runs to resume, today's spend) is read: done before the first frame, those threads
took its time. It waits for the app's first frame (:attr:`PplxApp.first_frame`), not for the
screen's first refresh: begun there, its threads held the GIL while the frame was still being
written to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import Worker, WorkerState

from pplx_tui.ui.css_warm import add_default_css, answer_widgets

if TYPE_CHECKING:
    from pplx_tui.session import Target
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.screens.earlier_runs import EarlierRuns
    from pplx_tui.ui.screens.spending import Spending
    from pplx_tui.ui.widgets.chat_list import ChatList

__all__ = ["WarmUp"]

CHAT_MODELS = "chat-models"
"""The worker group of the thread that imports the chat models, the store and the parts of
the workspace that use them (:class:`~pplx_tui.ui.screens.workspace_parts.WorkspaceParts`)."""
GROUP = "prepare"
"""The worker group of the thread that imports the answer widgets."""


class WarmUpHost(Protocol):
    """The part of the workspace the start-up work uses."""

    app: PplxApp
    runs: EarlierRuns
    spending: Spending
    chat_list: ChatList

    @property
    def target(self) -> Target:
        """Where the next question goes."""
        ...

    def make_chat(self) -> object:
        """Make the new chat the app started on, if not made yet."""
        ...

    def run_worker(self, work: Any, **options: Any) -> object:
        """Run ``work`` as a worker of the screen."""
        ...


class WarmUp:
    """The start-up work of the workspace ``screen``."""

    def __init__(self, screen: WarmUpHost) -> None:
        self.screen = screen

    def after_first_frame(self) -> None:
        """:meth:`start` once the app's first frame is on screen (a worker of the screen)."""
        self.screen.run_worker(self._after_first_frame(), group="warm-up", exit_on_error=False)

    async def _after_first_frame(self) -> None:
        await self.screen.app.first_frame.wait()
        self.start()

    def start(self) -> None:
        """Load the chat models (pydantic) in a thread while the user types; then the rest
        (:meth:`_chat_models_loaded`)."""
        self.screen.app.prepare_client(self.screen.target)
        self._in_thread(_import_chat_models, CHAT_MODELS)

    def _chat_models_loaded(self) -> None:
        """Make the new chat the app started on and the store; read what reads every chat
        (the chat list, background runs to resume, today's spend); load what the first answer
        needs."""
        screen = self.screen
        screen.make_chat()
        screen.chat_list.list_from(screen.app.store, partial(_changed_elsewhere, screen))
        screen.answering.changed()  # the unread marks kept from the last start, on the list
        self._in_thread(_import_message_views, GROUP)
        screen.run_worker(screen.runs.resume(), group="resume", exit_on_error=False)
        screen.spending.update_day_cost()

    def _in_thread(self, work: Callable[[], None], group: str) -> None:
        self.screen.run_worker(
            work, name=work.__name__, group=group, thread=True, exit_on_error=False
        )

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """The chat models are loaded: go on. The answer widgets are imported: their CSS is
        parsed now, not on Enter. (A failed import goes on all the same: what needs it fails
        then, where it can say so.)"""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if event.worker.group == CHAT_MODELS:
            self._chat_models_loaded()
        elif event.worker.group == GROUP and event.state == WorkerState.SUCCESS:
            add_default_css(self.screen.app.stylesheet, answer_widgets())


def _import_chat_models() -> None:
    import pplx_tui.models  # (pydantic and the chat models)
    import pplx_tui.store.chat_store  # noqa: F401
    from pplx_tui.ui.screens import (  # noqa: F401  (the workspace's parts, made next)
        alternatives,
        answering,
        chat_actions,
        chat_saver,
        earlier_runs,
    )


def _import_message_views() -> None:
    import pplx_tui.ui.widgets.message_view  # noqa: F401  (the answer widgets)
    from pplx_tui.ui import citations
    from pplx_tui.ui.widgets.markdown_blocks import warm_up

    citations.parser()  # markdown-it and its plugins, kept from the first frame
    citations.plain_parser()
    warm_up()  # the code highlighter: ~0.1 s the first time, in a frame if left to then


def _changed_elsewhere(screen: Any) -> None:
    """Another window or process saved, renamed or deleted a chat: it may have spent today
    too, renamed the open chat, started or ended background runs, or broken the open chat's
    file (set aside: the open chat is saved back)."""
    from pplx_tui.ui.screens.title_elsewhere import follow_title

    screen.spending.update_day_cost()
    follow_title(screen)
    screen.run_worker(screen.runs.look_again(), group="runs-elsewhere", exit_on_error=False)
    screen.chats.save_set_aside()
