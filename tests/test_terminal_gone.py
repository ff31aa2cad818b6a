"""A terminal that goes away while the app draws (its window closed) does not keep the app
from ending: what is still drawn is dropped (issue 8's flaky SIGHUP test: 1 close in 20 left
the process waiting forever on Textual's dead writer thread)."""

from __future__ import annotations

import errno
import io
import threading

from textual.drivers._writer_thread import WriterThread

from pplx_tui.ui.terminal_driver import DrawingStream


class HungUpTerminal(io.StringIO):
    """A terminal after its hang-up: every write and flush fails with EIO."""

    def write(self, text: str) -> int:
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


def test_the_app_can_stop_drawing_on_a_terminal_that_hung_up() -> None:
    stream = DrawingStream(HungUpTerminal())
    writer = WriterThread(stream)  # type: ignore[arg-type]
    writer.start()
    stopped = threading.Event()

    def draw_then_stop() -> None:  # more frames than Textual's writer queue holds (30)
        for frame in range(100):
            writer.write(f"frame {frame}")
        writer.stop()
        stopped.set()

    threading.Thread(target=draw_then_stop, daemon=True).start()
    assert stopped.wait(10), "the app waited forever on a terminal that hung up"
    assert stream.gone


def test_a_working_terminal_gets_every_frame() -> None:
    terminal = io.StringIO()
    stream = DrawingStream(terminal)
    writer = WriterThread(stream)  # type: ignore[arg-type]
    writer.start()
    for frame in range(100):
        writer.write(f"{frame},")
    writer.stop()
    assert terminal.getvalue() == "".join(f"{frame}," for frame in range(100))
    assert not stream.gone and stream.getvalue() == terminal.getvalue()  # the stream's own
