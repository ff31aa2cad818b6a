"""Citation markers of four digits or more (QA: an answer with 10,000 sources cited [5658],
[9999], [10000] and [1234], and the app drew them as text, marked them "not cited", skipped
them with n/p, and its digit keys took two digits at most: `9 9 9 9` went to [99])."""

from __future__ import annotations

from pplx_tui.citations import UNCITED
from pplx_tui.export import export_chat
from pplx_tui.models import Chat, Message, Source
from pplx_tui.references import collect
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.reading import stops
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.tui import cited_in_panel, workspace
from tests.support.waits import until

NUMBERS = (1, 2, 3, 100, 139, 1234, 5000, 5658, 9999, 10000)
CITED = [5658, 139, 100, 9999, 10000, 5000, 1234]
TEXT = "Far sources [5658] [139] [100] [9999] [10000] [5000] [1234], all of them in [2024]."


def far_sources_chat(store: ChatStore) -> Chat:
    """A saved answer whose sources are numbered up to 10,000 (ids of the Agent API's
    searches go on, so a few sources can carry big numbers), citing seven of them."""
    chat = store.new_chat()
    chat.title = "Far sources"
    chat.messages.append(Message(role="user", content="Which sources?"))
    sources = [Source(index=n, url=f"https://s{n}.example/", title=f"Page {n}") for n in NUMBERS]
    chat.messages.append(
        Message(
            role="assistant", content=TEXT, provider="demo", model="demo/sonar", sources=sources
        )
    )
    return store.save(chat)


def test_exports_count_a_source_numbered_in_the_thousands_as_cited() -> None:
    chat = far_sources_chat(ChatStore())
    references = collect(chat)
    assert [r.url for r in references if r.cited] == [f"https://s{n}.example/" for n in CITED]
    assert references[0].note.endswith("as [5658].")
    markdown = export_chat(chat, "md").decode()
    uncited = [line for line in markdown.splitlines() if line.endswith(UNCITED)]
    assert [line.split()[1] for line in uncited] == ["[1]", "[2]", "[3]"]


async def test_markers_in_the_thousands_are_drawn_cited_and_reachable() -> None:
    chat = far_sources_chat(ChatStore())
    app = make_app(demo=True, chat_id=chat.id)
    async with app.run_test(size=(150, 40)) as pilot:
        view = workspace(app).query_one(AnswerView)
        await until(pilot, lambda: bool(stops(view)))
        assert [stop.number for stop in stops(view)] == CITED  # [2024] is text
        progress = str(view.query_one(".answer-view--progress").render())
        assert "10 sources, 7 cited" in progress and "names no source" not in progress
        assert cited_in_panel(app) == set(CITED)

        panel = workspace(app).query_one(SourcesPanel)
        workspace(app).query_one(Conversation).focus()
        seen = []
        for _ in CITED:
            await pilot.press("n")
            await pilot.pause()
            seen.append(panel.highlighted.index if panel.highlighted else None)
        assert seen == CITED

        def highlighted() -> int | None:
            return panel.highlighted.index if panel.highlighted else None

        for keys, number in [
            ("9999", 9999),
            ("1234", 1234),  # each digit waits for the next while a source starts with them
            ("139", 139),
            ("10000", 10000),
            ("2", 2),
            ("100", 100),  # [10000] starts so too: [100] once no digit follows
        ]:
            await pilot.press(*keys)
            await until(pilot, lambda number=number: highlighted() == number, what=keys)
