"""Paint the first screen once, after the app's start-up batch.

Textual composes and mounts the app inside :meth:`~textual.app.App.batch_update`, and lays the
first screen out and paints it in that batch; the app throws a paint made in a batch away
(``App._display``), and the screen's next update paints the frame the user sees. The workspace
is the biggest paint of the start (its lists, panels and key bar): thrown away, it was ~7% of
the time to the first frame, profiled (issue 12). Here the paint waits for the batch to end.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PaintAfterBatch"]


class PaintAfterBatch:
    """Mixed into a screen before ``Screen``: no paint inside the app's batch, one asked for
    after it (the app's callbacks run once its start-up is over)."""

    def _compositor_refresh(self: Any) -> None:
        app = self.app
        if app._batch_count and self is app.screen and not app.is_inline:
            app.call_later(self.refresh)
            return
        super()._compositor_refresh()
