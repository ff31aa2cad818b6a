"""A chat-search hit in an answer that is not shown (another alternative of its question, or a
turn of another branch) never changes which answer later questions follow, nor saves the chat:
the answer shown in its place (a comparison's column holding the words, if one does) is marked,
and a line says where the match is when it is not there."""

from __future__ import annotations

from textual.pilot import Pilot

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.answers import focus_conversation
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import (
    Notifications,
    demo_app,
    loopback_app,
    settle,
    until,
    workspace,
)

WIDE = (150, 40)


async def _open_hit(pilot: Pilot[None], app: PplxApp, query: str) -> None:
    chat_list = workspace(app).query_one(ChatList)
    await until(pilot, lambda: len(chat_list.entries) == 1)
    workspace(app).prompt.focus()  # (in the conversation, ctrl+f finds in the open chat)
    await pilot.press("ctrl+f", *query)
    await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
    chat_list.options.focus()
    chat_list.options.highlighted = 0
    await pilot.press("enter")


def _file_bytes(chat_id: str) -> bytes:
    return ChatStore().root.joinpath(f"{chat_id}.json").read_bytes()


async def test_a_hit_in_an_alternative_compared_away_marks_the_column_holding_it() -> None:
    """QA: the first answer about Mars was compared (demo/sonar beside demo/sonar-reasoning)
    and a follow-up asked after the comparison's first column; the hit for "stickney" was in
    the first answer (the first text holding it), not shown. Opening it chose that answer and
    saved the chat: "1/3" shown, the follow-up gone, the chat's time changed. The columns hold
    the word too: the column followed is marked, nothing switched, nothing saved."""
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="How many moons does Mars have?"))
    text = "Phobos has the large Stickney crater."
    chat.add(Message(role="assistant", content=text, provider="demo", model="demo/sonar"))
    columns = [
        chat.add(
            Message(
                role="assistant",
                content=text,
                provider="demo",
                model=model,
                comparison="c1",
                column=n,
            ),
            after=question.id,
        )
        for n, model in enumerate(("demo/sonar", "demo/sonar-reasoning"))
    ]
    chat.choose(columns[0].id)
    chat.add(Message(role="user", content="Which moon is bigger?"))
    chat.add(Message(role="assistant", content="Phobos is bigger.", provider="demo"))
    store.save(chat)
    path = [m.id for m in chat.active_path()]
    saved = _file_bytes(chat.id)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(160, 45), message_hook=notes) as pilot:
        screen = workspace(app)
        await _open_hit(pilot, app, "stickney")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        await settle(pilot)
        marked = screen.conversation.query_one(".-found")
        assert isinstance(marked, AnswerView) and marked.message.id == columns[0].id
        assert [m.id for m in screen.chat.active_path()] == path
        assert "Which moon is bigger?" in [m.content for m in screen.chat.active_path()]
        assert screen.conversation.query(Comparison)  # still side by side
        assert not [t for t in notes.texts() if "match" in t]  # it is there: nothing to say
    assert _file_bytes(chat.id) == saved  # not saved


async def test_a_hit_in_an_alternative_not_shown_marks_the_one_shown_and_says_where() -> None:
    """QA: the hit was in alternative 1/2 of an answer while 2/2 was shown: the chat opened at
    its end, nothing marked, nothing said. Showing 1/2 would change what the later questions
    follow: 2/2 is marked, a line says where the match is, and nothing is saved."""
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Where does the ferry go?"))
    found = chat.add(
        Message(role="assistant", content="The zanzibar ferry leaves at nine.", provider="demo"),
        after=question.id,
    )
    shown = chat.add(
        Message(role="assistant", content="It goes to the islands.", provider="demo"),
        after=question.id,
    )
    for n in range(6):
        chat.add(Message(role="user", content=f"Later question {n}?"))
        chat.add(Message(role="assistant", content=f"Later answer {n}.", provider="demo"))
    store.save(chat)
    saved = _file_bytes(chat.id)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await _open_hit(pilot, app, "zanzibar")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        marked = screen.conversation.query_one(".-found")
        assert isinstance(marked, AnswerView) and marked.message.id == shown.id
        assert marked.has_class("-selected") and marked.place == (2, 2)
        assert screen.chat.active_path()[1].id == shown.id  # later questions still follow it
        await until(pilot, lambda: any("answer 1/2" in t for t in notes.texts()))
        said = next(t for t in notes.texts() if "answer 1/2" in t)
        assert "a / A" in said and "\n" not in said
        assert found.id not in {m.id for m in screen.chat.active_path()}
    assert _file_bytes(chat.id) == saved


async def test_a_hit_in_another_branch_marks_where_it_forks_and_says_so() -> None:
    """The hit is in a turn that followed the first version of an edited question: the version
    shown is marked, a line says where the match is, the chat is neither switched nor saved."""
    store = ChatStore()
    chat = store.new_chat()
    first = chat.add(Message(role="user", content="Moons of Mras?"))
    chat.add(Message(role="assistant", content="Two moons.", provider="demo"))
    chat.add(Message(role="user", content="Which is bigger?"))
    chat.add(Message(role="assistant", content="Phobos, the quokka one.", provider="demo"))
    edited = chat.add(Message(role="user", content="Moons of Mars?"), after="")
    chat.add(Message(role="assistant", content="Mars has two moons.", provider="demo"))
    assert first.id not in {m.id for m in chat.active_path()}
    store.save(chat)
    saved = _file_bytes(chat.id)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await _open_hit(pilot, app, "quokka")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        marked = screen.conversation.query_one(".-found")
        assert marked.message.id == edited.id  # type: ignore[attr-defined]
        assert screen.chat.active_path()[0].id == edited.id
        await until(pilot, lambda: any("version 1/2" in t for t in notes.texts()))
    assert _file_bytes(chat.id) == saved


async def test_a_hit_elsewhere_in_a_chat_comparing_now_leaves_the_columns_be(
    loopback: LoopbackServer,
) -> None:
    """While a comparison streams in the open chat, a hit in another alternative of it says
    where the match is instead of drawing the chat again under the columns."""
    hanging = [Reply(chunks=answer_frames(["Still ", "going"]), hang_after=1) for _ in range(2)]
    loopback.queue(*hanging)
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Where does the ferry go?"))
    chat.add(
        Message(role="assistant", content="The zanzibar ferry leaves at nine.", provider="demo"),
        after=question.id,
    )
    chat.add(
        Message(role="assistant", content="To the islands.", provider="demo"), after=question.id
    )
    store.save(chat)
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.id == chat.id)
        await focus_conversation(pilot)
        await pilot.press("v", "down", "space", "enter", "enter")  # two models side by side
        await until(pilot, lambda: len(loopback.requests) == 2)
        comparison = screen.conversation.query_one(Comparison)

        await _open_hit(pilot, app, "zanzibar")
        await until(pilot, lambda: "another alternative" in " ".join(notes.texts()))
        assert comparison.is_attached and not screen.conversation.query(".-found")
        for reply in hanging:
            reply.resume()
        await settle(pilot)


async def test_a_hit_in_a_question_selects_its_answer_and_shows_its_sources() -> None:
    """QA: a hit in a question near the top of a long chat left the chat's last answer
    selected: the sources panel beside the answer in view listed another answer's sources."""
    from pplx_tui.models import Source
    from pplx_tui.ui.widgets.sources_panel import SourcesPanel

    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Which zanzibar ferry goes first?"))
    chat.add(
        Message(
            role="assistant",
            content="The nine o'clock one [1].",
            provider="demo",
            sources=[Source(index=1, url="https://ferries.example/zanzibar", title="Ferries")],
        )
    )
    for n in range(8):
        chat.add(Message(role="user", content=f"Later question {n}?"))
        chat.add(
            Message(
                role="assistant",
                content=f"Later answer {n} [1].",
                provider="demo",
                sources=[Source(index=1, url=f"https://later.example/{n}", title=f"Later {n}")],
            )
        )
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await _open_hit(pilot, app, "zanzibar")
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.query(".-found"))
        await settle(pilot)
        selected = conversation.selected
        assert selected is not None and selected.message is not None
        assert selected.message.content == "The nine o'clock one [1]."
        panel = workspace(app).query_one(SourcesPanel)
        await until(pilot, lambda: [s.title for s in panel.sources] == ["Ferries"])
