"""A chat file is anyone's text (an import): no terminal control from it reaches the app's
screen, whichever field it sits in, with the chat's answers shown side by side or one at a time,
the sources panel and the chat list open."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pplx_tui.store import ChatStore
from tests.support.tui import demo_app, screen_text, settle, until, workspace
from tests.test_untrusted_text import EVIL, assert_inert

UNTRUSTED = EVIL + "\u202eexe.pdf"
"""Escape sequences and a right-to-left override (a title that reads backwards)."""


def _answer(number: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"a{number}",
        "role": "assistant",
        "parent_id": "q1",
        "content": f"Answer{UNTRUSTED} [1]",
        "reasoning": f"Thinking{UNTRUSTED}",
        "sources": [
            {
                "index": 1,
                "url": f"https://ok.example/{UNTRUSTED}",
                "title": f"Title{UNTRUSTED}",
                "date": f"2024{UNTRUSTED}",
                "snippet": f"Snippet{UNTRUSTED}",
            }
        ],
        "related_questions": [f"Related{UNTRUSTED}?"],
        "images": [{"image_url": f"https://i.example/{UNTRUSTED}", "title": f"Image{UNTRUSTED}"}],
        "provider": f"openrouter{UNTRUSTED}",
        "model": f"perplexity/sonar{UNTRUSTED}",
        "comparison": "side-by-side",
        "search": {"domains": [f"d{UNTRUSTED}.org"], "after_date": f"01/01/2024{UNTRUSTED}"},
        "search_not_sent": {"domains": f"why{UNTRUSTED}"},
        "usage": {"total_tokens": 5, "cost_usd": 0.5},
        **extra,
    }


def _evil_chat(tmp_path: Path) -> str:
    chat = {
        "schema_version": 2,
        "id": "0evilchat",
        "title": f"Phobos{UNTRUSTED}",
        "messages": [
            {"id": "q1", "role": "user", "parent_id": "", "content": f"Question{UNTRUSTED}"},
            _answer(1, status="error", error=f"Failed{UNTRUSTED}", error_kind="server"),
            _answer(
                2,
                status="interrupted",
                error=f"Lost{UNTRUSTED}",
                run={"id": "resp_1", "status": "lost"},
            ),
        ],
        "settings": {
            "system_prompt": f"Prompt{UNTRUSTED}",
            "search": {"domains": [f"x{UNTRUSTED}.org"]},
        },
    }
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(chat))
    return ChatStore().import_file(path).chat.id


async def test_no_terminal_control_from_a_chat_file_reaches_the_screen(tmp_path: Path) -> None:
    chat_id = _evil_chat(tmp_path)
    app = demo_app(chat_id=chat_id)
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: "Answer" in screen_text(app))
        for keys in ((), ("ctrl+s",), ("ctrl+b",), ("escape", "a")):
            await pilot.press(*keys)
            await settle(pilot)
            text = screen_text(app)
            assert_inert(text)
            assert "\u202e" not in text
        assert workspace(app).chat.id == chat_id
