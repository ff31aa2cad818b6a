"""Answers for pilot tests: loopback replies in the providers' wire formats, and the answers and
sources the workspace shows."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pplx_tui.models import Chat, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support import recorded
from tests.support.loopback import RecordedRequest, Reply, sse
from tests.support.tui import type_text, until, workspace


def reply(text: str, *urls: str, **extra: Any) -> Reply:
    """A chat-completions stream answering ``text`` with ``urls`` as its sources."""
    results = [{"title": url.split("/")[-1] or url, "url": url} for url in urls]

    def event(content: str, finish: str | None = None, **more: Any) -> dict[str, Any]:
        choice = {"index": 0, "delta": {"role": "assistant", "content": content}}
        return {
            "id": "gen-1",
            "object": "chat.completion.chunk",
            "citations": list(urls),
            "search_results": results,
            "choices": [{**choice, "finish_reason": finish}],
            **more,
        }

    frames = sse(event(text), event("", "stop", **extra), done=True)
    return Reply(chunks=frames)


def stalled_moons() -> Reply:
    """ "Two moons [1]." with its source, then nothing: the answer streams until it is
    resumed (``Reply.resume``) or stopped."""
    stalled = reply("Two moons [1].", "https://nasa.gov/m")
    stalled.hang_after = 1
    return stalled


def sent_turns(request: RecordedRequest) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in request.json["messages"] if m["role"] != "system"]


def saved(chat_id: str) -> Chat:
    return ChatStore().load(chat_id)


async def focus_conversation(pilot: Pilot[Any]) -> None:
    workspace(pilot.app).conversation.focus()
    await pilot.pause()


async def pick_model(pilot: Pilot[Any], model: str) -> None:
    """In the open model picker (``m``), filter down to ``model`` and choose it: a new
    request, so a second Enter confirms (``SpendGuard``)."""
    await until(pilot, lambda: isinstance(pilot.app.screen, ModelPickerScreen))
    await type_text(pilot, model)
    await pilot.press("enter", "enter")


async def choose_model(pilot: Pilot[Any], typed: str) -> None:
    """ctrl+o, ``typed`` in the model picker's filter and Enter: the picker closes on the
    model chosen (the app's from now on)."""
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, ModelPickerScreen))
    await type_text(pilot, typed)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, ModelPickerScreen))


def answer_reply(pieces: list[str] | None = None, **kw: Any) -> Reply:
    return Reply(chunks=recorded.frames(recorded.perplexity_2026_events(pieces)), **kw)


def answers(app: PplxApp) -> list[AnswerView]:
    return list(workspace(app).query(AnswerView))


def source_items(app: PplxApp) -> list[Source]:
    """The sources the panel lists, in order."""
    return list(workspace(app).query_one(SourcesPanel).sources)
