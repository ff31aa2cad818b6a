"""The workspace's start-up work, done after its first frame while the user types.

What the first answer needs (its client, the answer widgets and their parsers, the code
highlighter, the widgets' default CSS) is loaded, and what reads every chat (the chat list,
background runs to resume, today's spend) is read: done before the first frame, those threads
took its time. It waits for the app's first frame (:attr:`PplxApp.first_frame`), not for the
screen's first refresh: begun there, its threads held the GIL while the frame was still being
written to the terminal.
"""

from __future__ import annotations

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
        """Load what the first answer needs while the user types, and read what reads every
        chat (the chat list, background runs to resume, today's spend)."""
        screen = self.screen
        screen.chat_list.reload()
        screen.app.prepare_client(screen.target)
        self._import_message_views()
        screen.run_worker(screen.runs.resume(), group="resume", exit_on_error=False)
        screen.spending.update_day_cost()

    def _import_message_views(self) -> None:
        self.screen.run_worker(
            _import_message_views,
            name="_import_message_views",
            group=GROUP,
            thread=True,
            exit_on_error=False,
        )

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """The answer widgets are imported: their CSS is parsed now, not on Enter."""
        if event.worker.group == GROUP and event.state == WorkerState.SUCCESS:
            add_default_css(self.screen.app.stylesheet, answer_widgets())


def _import_message_views() -> None:
    import pplx_tui.ui.widgets.message_view  # noqa: F401  (the answer widgets)
    from pplx_tui.ui import citations
    from pplx_tui.ui.widgets.markdown_blocks import warm_up

    citations.parser()  # markdown-it and its plugins, kept from the first frame
    citations.plain_parser()
    warm_up()  # the code highlighter: ~0.1 s the first time, in a frame if left to then
