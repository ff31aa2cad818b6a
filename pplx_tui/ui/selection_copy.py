"""ctrl+c on text selected with the mouse says that it copied it.

Textual copies a screen's selection (a drag over an answer) with ctrl+c (``Screen``'s
``copy_text`` action, through the app's clipboard: OSC 52), and says nothing: QA could not tell
whether it had worked, where ``y`` says "Answer copied with its sources." The words are said
where the copy happens, after Textual's own copy.
"""

from __future__ import annotations

from typing import Any

from pplx_tui.ui.guarded_app import notify_replacing

__all__ = ["COPIED", "SaysSelectionCopied"]

COPIED = "Copied the selection."


class SaysSelectionCopied:
    """Mixed into a screen before ``Screen``: its ctrl+c copy of the selection says so."""

    def action_copy_text(self: Any) -> None:
        # Nothing selected: Textual's SkipAction, and nothing is said (the key goes on).
        super().action_copy_text()
        notify_replacing(self, "selection-copied", COPIED, timeout=2)
