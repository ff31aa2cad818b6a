"""Search finds a chat by its title (a renamed chat too) and ranks by where the words are:
the title first, then the questions, answers and sources, ties newest first."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta

from pplx_tui.models import Chat, Message, Source
from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.store import ChatStore
from pplx_tui.store.index_db import DB_NAME
from tests.support.chats import seeded_chat
from tests.support.cli import pplx

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def chat_on(store: ChatStore, day: int, question: str, answer: str, title: str = "") -> Chat:
    chat = store.new_chat()
    chat.title = title
    chat.messages.append(Message(role="user", content=question))
    chat.messages.append(Message(role="assistant", content=answer, model="sonar"))
    chat.created_at = chat.updated_at = T0 + timedelta(days=day)
    return store.save(chat, touch=False)


def test_a_renamed_chat_is_found_by_its_new_title() -> None:
    """QA: `pplx chats rename ID "Jazz harmony: modal interchange"`, then `pplx chats search
    harmony` said no chat matches: titles were not searched."""
    chat = seeded_chat()
    pplx("chats", "search", "phobos")  # the index holds the chat before the rename

    renamed = pplx("chats", "rename", chat.id, "Jazz harmony: modal interchange")
    found = pplx("chats", "search", "harmony")
    as_json = pplx("chats", "search", "modal", "interchange", "--json")

    assert renamed.returncode == 0, renamed.stderr
    assert found.returncode == 0 and "no chat matches" not in found.stderr, found.stderr
    assert found.stdout.splitlines()[0].split()[0] == chat.id
    assert found.stdout.splitlines()[1].strip() == "title: Jazz harmony: modal interchange"
    [hit] = json.loads(as_json.stdout)
    assert (hit["field"], hit["message_index"]) == ("title", 0)
    assert hit["snippet"][slice(*hit["highlight"])] == "modal interchange"
    assert pplx("chats", "search", "mars").stdout.split()[0] == chat.id  # texts still found


def test_equal_matches_in_the_title_come_newest_first() -> None:
    """QA: ten chats titled "question N about tardigrades" were listed with the newest last:
    BM25 pushed the chats with longer answers down."""
    store = ChatStore()
    chats = [
        chat_on(store, n, f"question {n} about tardigrades", "They survive. " + "Words. " * 20 * n)
        for n in range(1, 11)
    ]

    found = pplx("chats", "search", "tardigrades", "--json")

    assert [h["chat_id"] for h in json.loads(found.stdout)] == [c.id for c in reversed(chats)]


def test_a_match_in_the_title_ranks_above_one_in_the_texts() -> None:
    store = ChatStore()
    titled = chat_on(store, 1, "What next?", "Nothing.", title="Tardigrades")
    in_question = chat_on(store, 2, "Tardigrades in space?", "Yes.", title="Space")
    in_answer = chat_on(store, 3, "Water bears?", "Tardigrades: tardigrades, tardigrades.")

    assert [h.chat_id for h in store.search("tardigrades")] == [
        titled.id,
        in_question.id,
        in_answer.id,
    ]


def test_an_index_made_before_titles_were_searched_is_rebuilt() -> None:
    """An index file of the previous version (no title in its search documents) would answer
    a title search with nothing: it is built again."""
    chat = seeded_chat()
    ChatStore().search("phobos")
    path = ChatStore().root / ".index" / DB_NAME
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "DROP TABLE docs;"
            " CREATE VIRTUAL TABLE docs USING fts5 (body,"
            " tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');"
            " INSERT INTO docs (rowid, body) SELECT rowid, 'how many moons' FROM chats;"
            f" PRAGMA user_version = {5000 + SCHEMA_VERSION};"
        )
    ChatStore().rename(chat.id, "Jazz harmony")

    assert [h.chat_id for h in ChatStore().search("harmony")] == [chat.id]


def test_a_title_holding_the_words_is_the_snippet_rather_than_a_source_url() -> None:
    """QA: `pplx chats search "Future schema"` showed a source's URL as the snippet
    (``…/future-schema-notes``) of a chat whose title holds both words."""
    store = ChatStore()
    chat = chat_on(store, 1, "How do we migrate?", "Step by step [1].", title="Future schema plan")
    chat.messages[1].sources = [
        Source(index=1, url="https://example.org/future-schema-notes", title="Notes")
    ]
    store.save(chat, touch=False)

    [hit] = store.search("Future schema")
    found = pplx("chats", "search", "Future schema")

    assert (hit.field, hit.snippet) == ("title", "Future schema plan")
    assert found.stdout.splitlines()[1].strip() == "title: Future schema plan"


def test_a_chat_holding_the_whole_word_ranks_above_those_holding_longer_ones() -> None:
    """QA: the app's search box looks for its last word as a prefix (``Uniqueword43*``), and
    the chat holding ``Uniqueword43`` itself came last, under ten newer ones holding
    ``Uniqueword430`` to ``439``; Enter opened one of those. The whole word ranks first (also over
    a title holding only a longer one), then the rest as before."""
    store = ChatStore()
    exact = chat_on(store, 1, "Is it Uniqueword43?", "Yes, Uniqueword43.", title="Chat 43")
    longer = [
        chat_on(store, 2 + n, f"About Uniqueword43{n}?", "It is.", title=f"Uniqueword43{n}")
        for n in range(10)
    ]

    hits = store.search("Uniqueword43*")

    assert [h.chat_id for h in hits] == [exact.id, *(c.id for c in reversed(longer))]
    assert hits[0].snippet[slice(*hits[0].highlight)] == "Uniqueword43"
    assert [h.chat_id for h in store.search("Uniqueword43")] == [exact.id]


def test_asterisks_wrapping_no_text_stay_in_the_snippet() -> None:
    """QA: a question ``zebra rating 5 *** stars`` was shown ``zebra rating 5 * stars`` by
    `pplx chats search zebra` (``***`` is also what a masked key reads as)."""
    store = ChatStore()
    chat_on(store, 1, "zebra rating 5 *** stars", "Fine.", title="Ratings")

    found = pplx("chats", "search", "zebra")

    assert found.stdout.splitlines()[1].strip().endswith("zebra rating 5 *** stars")


def test_a_snippet_over_two_paragraphs_reads_as_text_with_a_break_between() -> None:
    """QA: `pplx chats search coffee` showed ``…or Is coffee good for you? *Demo answer:
    canned offline text…``: the next paragraph glued on, its emphasis as typed."""
    store = ChatStore()
    answer = (
        "Ask about Mars or Is coffee good for you?\n\n"
        "*Demo answer: canned offline text from pplx-tui, not a live web search of anything "
        "at all, nor of the news, nor of the weather.*"
    )
    chat_on(store, 1, "What can I ask?", answer, title="Asking")
    chat_on(store, 2, "Tea?", "Steps:\n- boil the kettle\n- pour onto leaves", title="Tea")

    coffee = pplx("chats", "search", "coffee").stdout.splitlines()
    kettle = pplx("chats", "search", "kettle").stdout.splitlines()

    assert coffee[1].strip() == (
        "answer 1: Ask about Mars or Is coffee good for you? · Demo answer: canned offline "
        "text from pplx-tui, not a live web search of anything…"
    ), coffee
    assert kettle[1].strip() == "answer 1: Steps: · boil the kettle · pour onto leaves", kettle


def test_a_snippet_cut_at_the_start_of_a_list_item_or_heading_shows_no_marker() -> None:
    """QA: a snippet whose left cut fell at the start of a list item began ``…- first item``:
    the bullet is dropped at the cut as it is after ' · '; so is a heading's ``#`` and an
    answer's first line's bullet."""
    store = ChatStore()
    words = "see:" + "-" * 200  # (no space in it: the snippet's left cut is at the line's start)
    chat_on(store, 1, "Zebras?", f"{words}\n- first item mentions quagga stripes", title="Zebras")
    chat_on(store, 2, "Deer?", f"{words}\n## Antlers grow yearly on stags", title="Deer")
    chat_on(store, 3, "Owls?", "- owls hunt at night, mostly", title="Owls")

    quagga = pplx("chats", "search", "quagga").stdout.splitlines()
    antlers = pplx("chats", "search", "antlers").stdout.splitlines()
    owls = pplx("chats", "search", "hunt").stdout.splitlines()

    assert quagga[1].strip() == "answer 1: …first item mentions quagga stripes", quagga
    assert antlers[1].strip() == "answer 1: …Antlers grow yearly on stags", antlers
    assert owls[1].strip() == "answer 1: owls hunt at night, mostly", owls


def test_a_snippet_cut_right_after_a_list_marker_ends_before_it() -> None:
    """QA: ``pplx chats search Stickney`` ended ``…three times a day [2]. -…``: the snippet's
    right cut fell just after the next item's ``-``."""
    store = ChatStore()
    text = (
        "Phobos has the large Stickney crater [2]. Orbits only about 6,000 km above the "
        "surface, circling Mars three times a day [2].\n- It is the larger moon"
    )
    chat_on(store, 1, "Phobos?", text, title="Phobos")

    found = pplx("chats", "search", "Stickney").stdout.splitlines()

    assert found[1].rstrip().endswith("three times a day [2].…"), found
