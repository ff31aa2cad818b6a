"""Comparisons side by side, driven through pilots: columns streaming at once against the
loopback server (the tests assert on what it received), reopening, narrow terminals, retry."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import focus_conversation, reply, saved
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply
from tests.support.tui import (
    Notifications,
    loopback_app,
    on_screen,
    region_text,
    screen_text,
    settle,
    until,
    workspace,
)

WIDE = (150, 40)
AND_SONAR_PRO = ("down", "space", "enter", "enter")
"""Keys in the compare picker: sonar (ticked, the current model) and sonar-pro; the second
Enter asks."""


async def compare(pilot: Pilot[Any], question: str, *keys: str) -> None:
    """Ask ``question`` in a comparison: ctrl+t opens the picker (the current model ticked),
    ``keys`` tick more and ask; then wait until every column has ended."""
    app = pilot.app
    workspace(app).prompt.insert(question)
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
    await pilot.press(*keys)
    await until(pilot, lambda: bool(workspace(app).query(Comparison)))
    await settle(pilot)
    await until(pilot, lambda: not workspace(app).alternatives.comparing)


async def test_three_models_compared_stream_at_once_and_one_failing_stops_none(
    loopback: LoopbackServer,
) -> None:
    arrived = threading.Barrier(3, timeout=10)

    def answer(request: RecordedRequest) -> Reply:
        arrived.wait()  # all three requests are open at once, or this times out
        model = request.json["model"]
        if model == "perplexity/sonar-pro":
            return json_reply(400, {"error": {"message": "model refused"}})
        urls = ["https://nasa.gov/mars", f"https://{model.split('/')[-1]}.example/only"]
        return reply(f"{model} says two [1][2].", *urls)

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        # sonar is ticked (the current model); tick sonar-pro and sonar-pro-search.
        await compare(pilot, "How many moons?", "down", "space", *AND_SONAR_PRO)
        # What failed comes before what one answer cites alone (the line is cut to the width).
        assert on_screen(app, "In common: nasa.gov/mars · failed: sonar-pro · only sonar: ")
        requests = [r.json["model"] for r in loopback.requests]

        # r on the failed column asks its model again in that column: the comparison stays,
        # and the failed try is kept, marked replaced, but no longer one of the alternatives
        # ("2/3", not "2/4": a / A would show it alone).
        loopback.default = lambda request: reply("Now it answers.")
        comparison = workspace(app).query_one(Comparison)
        failed = next(v for v in comparison.views if v.model == "perplexity/sonar-pro")
        workspace(app).conversation.select(failed)
        await focus_conversation(pilot)
        await pilot.press("r")  # asks first (a new request): its button says yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(loopback.requests) == 4)
        await settle(pilot)
        assert workspace(app).query_one(Comparison) is comparison
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        column = comparison.views[1]
        assert (column.model, column.place) == ("perplexity/sonar-pro", (2, 3))
        assert not on_screen(app, "failed: sonar-pro")
    assert sorted(requests) == [
        "perplexity/sonar",
        "perplexity/sonar-pro",
        "perplexity/sonar-pro-search",
    ]
    chat = saved(chat_id)
    *answers, earlier = chat.children(chat.messages[0].id)
    assert len(answers) == 3 and len({a.comparison for a in answers}) == 1
    assert all(a.status == MessageStatus.COMPLETE for a in answers)
    assert (earlier.model, earlier.status) == ("perplexity/sonar-pro", MessageStatus.ERROR)
    assert earlier.comparison is None and earlier.replaced_by == answers[1].id


@pytest.mark.parametrize("size", [(150, 40), (100, 30)])
async def test_a_saved_comparison_reopens_in_columns_or_one_with_a_switcher(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    del loopback
    store = ChatStore()
    chat = store.new_chat()
    from pplx_tui.models import Message

    question = chat.add(Message(role="user", content="Moons?"))
    for model in ("demo/sonar", "demo/sonar-reasoning"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
        )
    chat.choose(chat.children(question.id)[0].id)
    store.save(chat)
    from pplx_tui.ui.factory import make_app

    app = make_app(chat_id=chat.id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        comparison = workspace(app).query_one(Comparison)
        assert comparison.narrow == (size[0] < 120)
        shown = [v for v in comparison.views if v.display and v.styles.display != "none"]
        assert comparison.current == 0
        if comparison.narrow:
            assert on_screen(app, "[1 demo/sonar]  2 demo/sonar-reasoning") and len(shown) == 1
        else:
            assert on_screen(app, "Later questions follow demo/sonar") and len(shown) == 2


async def test_a_narrow_comparison_numbers_its_answers_once(loopback: LoopbackServer) -> None:
    """QA-13: below 120 columns the switcher said "[1/2 demo/sonar]" (its column) right above
    the label "demo/sonar · demo · 2/3" (its place among the question's answers, what a / A
    step through): the switcher numbers each answer as its label does ("2" for "2/3")."""
    del loopback
    from pplx_tui.models import Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    chat.add(Message(role="assistant", content="first", model="demo/sonar"), after=question.id)
    for model in ("demo/sonar", "demo/sonar-pro"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
        )
    chat.choose(chat.children(question.id)[1].id)
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        comparison = workspace(app).query_one(Comparison)
        assert comparison.narrow
        switcher = str(comparison.query_one(".comparison--switcher").render())
        assert (
            switcher == "[2 demo/sonar]  3 demo/sonar-pro\nLater questions follow 2 (a / A: switch)"
        )
        assert on_screen(app, "demo/sonar · 2/3"), screen_text(app)


async def test_one_model_compared_with_itself_under_two_search_settings(
    loopback: LoopbackServer,
) -> None:
    loopback.default = lambda request: reply(
        "Hour." if "search_recency_filter" in request.json else "Any."
    )
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        workspace(app).prompt.insert("News on Phobos?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("2")  # the ticked (current) model, twice
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "enter", "enter")  # the second Enter asks
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert on_screen(app, "Later questions follow perplexity/sonar (default search)")
        names = workspace(app).query_one(Comparison).names()
        assert names == ["perplexity/sonar (default search)", "perplexity/sonar (hour)"]
    assert {r.json["model"] for r in loopback.requests} == {"perplexity/sonar"}
    answers = saved(chat_id).children(saved(chat_id).messages[0].id)
    assert sorted(a.content for a in answers) == ["Any.", "Hour."]
    assert len({a.comparison for a in answers}) == 1


async def test_one_model_compared_with_itself_is_labelled_by_the_setting_that_differs(
    loopback: LoopbackServer,
) -> None:
    """QA: with month, nature.com and academic, the same model compared with recency "year"
    read "[1 sonar (month · nature.com · academic)]  2" at 80 columns and "Later questions
    follow perplexity/sonar (month · nature.com · academic)": the one setting that differs was
    not named on its own. Each column is labelled by what differs between them."""
    from pplx_tui import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[search]\nrecency = "month"\ndomains = ["nature.com"]\nmode = "academic"\n',
        encoding="utf-8",
    )
    loopback.default = lambda request: reply(f"{request.json['search_recency_filter']}.")
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        workspace(app).prompt.insert("News on Phobos?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "enter", "enter")  # recency month → year; Enter asks
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        comparison = workspace(app).query_one(Comparison)
        assert comparison.names() == ["perplexity/sonar (month)", "perplexity/sonar (year)"]
        assert on_screen(app, "Later questions follow perplexity/sonar (month)")
        # QA: side by side, both columns were labelled "perplexity/sonar · openrouter · 1/2".
        labels = [v.query_one(".answer-view--label").render().plain for v in comparison.views]
        assert labels == [  # (too long for its column beside the other: no vendor)
            "sonar (month) · openrouter · 1/2",
            "sonar (year) · openrouter · 2/2",
        ]
        assert all(on_screen(app, label) for label in labels)


async def test_shift_down_on_a_narrow_comparison_selects_and_shows_the_column_shown(
    loopback: LoopbackServer,
) -> None:
    del loopback
    from pplx_tui.models import Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Zero?"))  # a page held back above (pages start
    chat.add(Message(role="assistant", content="Short.", model="demo/sonar"))  # at a question)
    first = chat.add(Message(role="user", content="First?"), after=chat.messages[-1].id)
    chat.add(Message(role="assistant", content="\n\n".join(["Long."] * 30), model="demo/sonar"))
    question = chat.add(Message(role="user", content="Moons?"), after=chat.messages[-1].id)
    for model in ("demo/sonar", "demo/sonar-reasoning", "demo/other"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[1].id)
    store.save(chat)
    del first
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        conversation = workspace(app).conversation
        comparison = conversation.query_one(Comparison)
        await until(pilot, lambda: comparison.narrow)  # (once laid out: under load, later)
        assert comparison.current == 1
        conversation.focus()
        await pilot.press("home")  # the first page: the comparison is held below it
        await until(pilot, lambda: not conversation.query(Comparison))
        await pilot.press("shift+up")  # the answer in view at the top: "Short."
        await until(pilot, lambda: conversation.selected is not None)
        await pilot.press("shift+down", "shift+down")  # "Long.", then mounts it, one turn, in place
        await until(pilot, lambda: bool(conversation.query(Comparison)))
        await pilot.pause()
        comparison = conversation.query_one(Comparison)
        await until(pilot, lambda: comparison.narrow)
        assert comparison.current == 1
        # Selected once the mounted comparison is laid out (under load, a frame later).
        await until(pilot, lambda: conversation.selected is comparison.views[1])
        assert comparison.views[1].display
        await until(pilot, lambda: on_screen(app, "demo/sonar-reasoning answer"))
        await pilot.press("shift+down")  # the last answer: the selection stays, still shown
        await pilot.pause()
        assert conversation.selected is comparison.views[1]


async def test_ctrl_r_after_a_comparison_retries_the_column_that_failed(
    loopback: LoopbackServer,
) -> None:
    def answer(request: RecordedRequest) -> Reply:
        if request.json["model"] == "perplexity/sonar-pro":
            return json_reply(400, {"error": {"message": "model refused"}})
        return reply("Two.")

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        assert on_screen(app, "Later questions follow perplexity/sonar")
        loopback.default = lambda request: reply("Now it answers.")
        await pilot.press("ctrl+r")  # from the question box: the failed column, as it says
        await settle(pilot)
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"
        assert on_screen(app, "perplexity/sonar-pro · openrouter · 2/2")  # in its column
        assert on_screen(app, "Later questions follow perplexity/sonar")


async def test_compared_answers_keep_the_order_of_their_columns(loopback: LoopbackServer) -> None:
    """QA: the answers were kept in the order they ended: the left column (slower) read "2/2"
    and the right one "1/2", and the reopened chat showed the columns the other way round."""

    def answer(request: RecordedRequest) -> Reply:
        model = request.json["model"]
        slow = Reply(chunks=reply(f"{model} answers.").chunks, delay=0.3)
        return slow if model == "perplexity/sonar" else reply(f"{model} answers.")

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        assert on_screen(app, "perplexity/sonar · openrouter · 1/2")
        assert on_screen(app, "perplexity/sonar-pro · openrouter · 2/2")
    chat = saved(chat_id)
    columns = chat.compared_with(chat.children(chat.messages[0].id)[0].id)
    assert [m.model for m in columns] == ["perplexity/sonar", "perplexity/sonar-pro"]


async def test_every_compared_answer_failing_says_so_and_no_others_are_kept(
    loopback: LoopbackServer,
) -> None:
    """QA: with the server gone mid-comparison the toast read "2 of the 2 compared answers
    failed; the others are kept": there were no others."""
    loopback.default = lambda request: json_reply(400, {"error": {"message": "model refused"}})
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        await until(pilot, lambda: any("compared answers" in t for t in notes.texts()))
    said = [text for text in notes.texts("warning") if "compared answers" in text]
    assert said == ["Both compared answers failed."]


async def test_compared_columns_too_narrow_beside_the_side_panels_give_way_to_a_switcher(
    loopback: LoopbackServer,
) -> None:
    """QA: at 120 columns with the chat list shown (ctrl+b) beside the sources, three compared
    answers stood side by side in 19 columns each ("perplexity/sona", a few words a line): the
    columns follow the room the comparison has, not the terminal's width alone."""
    del loopback
    from pplx_tui.models import Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    for model in ("demo/sonar", "demo/sonar-reasoning", "demo/sonar-pro"):
        chat.add(
            Message(role="assistant", content=f"{model} answer", model=model, comparison="c1"),
            after=question.id,
        )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        comparison = workspace(app).query_one(Comparison)
        assert not comparison.narrow  # the chat list is hidden: three columns of 26
        await pilot.press("ctrl+b")
        # The columns are counted again once the comparison is laid out narrower: wait for it.
        await until(pilot, lambda: comparison.narrow)
        switcher = str(comparison.query_one(".comparison--switcher").render())
        assert switcher.endswith(
            "2 sonar-reasoning  [3 sonar-pro]\nLater questions follow 3 (a / A: switch)"
        )
        assert len([v for v in comparison.views if v.styles.display != "none"]) == 1
        await pilot.press("ctrl+b")
        await until(pilot, lambda: not comparison.narrow)


async def test_a_narrow_columns_label_cuts_the_model_name_and_keeps_its_place() -> None:
    """QA: in columns of 26 cells "openrouter/perplexity/sonar-reasoning-pro · 2/3" was cut at
    the column's edge, without a "…", and its place ("2/3") was cut off with it."""
    from pplx_tui.models import Message
    from pplx_tui.ui.factory import make_app

    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    for model in ("demo/sonar", "perplexity/sonar-reasoning-pro", "perplexity/sonar-deep-research"):
        chat.add(
            Message(role="assistant", content="An answer.", model=model, comparison="c1"),
            after=question.id,
        )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        comparison = workspace(app).query_one(Comparison)
        assert not comparison.narrow
        labels = [region_text(app, v.query_one(".answer-view--label")) for v in comparison.views]
        # The vendors dropped alike, then a name cut.
        assert labels[:2] == ["sonar · 1/3", "sonar-reasoning-… · 2/3"]
        assert labels[2].startswith("sonar-deep-res") and labels[2].endswith("… · 3/3")
