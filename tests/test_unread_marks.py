"""The chat list's unread marks, kept in the state folder across starts."""

from __future__ import annotations

import json
import stat

from pplx_tui import paths
from pplx_tui.ui.unread_marks import read_marks, set_mark

CHAT = "01m8v4z4ck9ah7ye"
OTHER = "01m8v4z4ck9ah7yf"


def test_marks_are_kept_owner_only_and_a_read_chat_loses_its_own() -> None:
    set_mark(CHAT, "new answer")
    set_mark(OTHER, "answer failed")
    set_mark(CHAT, None)

    assert read_marks() == {OTHER: "answer failed"}
    saved = paths.state_dir() / "unread.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_a_damaged_or_hand_edited_file_is_no_marks_or_only_its_sound_ones() -> None:
    saved = paths.state_dir() / "unread.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text("{not json")
    assert read_marks() == {}
    hand_edited = {"../x": "new answer", CHAT: 3, OTHER: "new\x1b[2Janswer"}
    saved.write_text(json.dumps(hand_edited))
    assert read_marks() == {OTHER: "newanswer"}  # (no terminal controls reach a row)
    saved.write_text("[" * 100_000 + "]" * 100_000)  # nested too deeply for json
    assert read_marks() == {}
