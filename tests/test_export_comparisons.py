"""`pplx chats show` and the exports say which answers were compared side by side (a reader
could not tell a comparison from a re-ask), which column was asked again in its place, and
list a try set aside there last, unnumbered, as the app no longer steps through it."""

from __future__ import annotations

import json

import pytest

from pplx_tui.cli import main
from pplx_tui.export import export_chat
from pplx_tui.models import Chat, MessageStatus, SearchSettings
from pplx_tui.references import collect
from pplx_tui.store import ChatStore
from pplx_tui.values import Source
from tests.test_branches import answer, ask


def compared_chat() -> Chat:
    """Q1 compared side by side on sonar and sonar-pro (whose first try failed and was asked
    again in its column), then asked again alone of sonar-reasoning."""
    chat = ChatStore().new_chat()
    q1 = ask(chat, "How many moons?")
    left = answer(chat, "Two.", after=q1.id, provider="openrouter", comparison="cmp1")
    right = answer(
        chat, "Two, small.", q1.id, "sonar-pro", provider="openrouter", comparison="cmp1"
    )
    failed = answer(chat, "", q1.id, "sonar-pro", status=MessageStatus.ERROR, error="refused")
    failed.replaced_by = right.id
    answer(chat, "2", after=q1.id, model="sonar-reasoning", provider="openrouter")
    chat.choose(left.id)
    return chat


def test_markdown_marks_a_comparison_and_the_try_set_aside() -> None:
    markdown = export_chat(compared_chat(), "md").decode()
    compared = (
        "*The next 2 answers were compared side by side: sonar · sonar-pro (answers 1 and 2 of 3).*"
    )
    assert markdown.count(compared) == 1
    assert markdown.index(compared) < markdown.index("answer 1 of 3 · chosen")
    assert "**Assistant** · sonar (openrouter) · answer 1 of 3 · chosen\n" in markdown
    assert "**Assistant** · sonar-pro (openrouter) · alternative 2 of 3\n" in markdown
    assert "**Assistant** · sonar-reasoning (openrouter) · alternative 3 of 3\n" in markdown
    set_aside = "**Assistant** · sonar-pro · earlier try, set aside: asked again in its column"
    assert f"{set_aside} as answer 2\n" in markdown
    assert markdown.index(set_aside) > markdown.index("alternative 3 of 3")
    assert "4 of" not in markdown


def test_a_question_after_a_try_set_aside_is_listed_as_a_branch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: a chat saved before a failed column followed by a later question stayed an
    alternative: that question followed a try set aside, and pplx chats show left it out."""
    chat = compared_chat()
    failed = next(m for m in chat.messages if m.replaced_by)
    ask(chat, "After compare", after=failed.id)
    answer(chat, "Its answer.")
    chat.choose(chat.messages[1].id)
    chat = ChatStore().save(chat)
    assert main(["chats", "show", chat.id]) == 0
    shown = capsys.readouterr().out
    assert "After compare" in shown and "Its answer." in shown
    assert "*Follows the earlier try set aside, by sonar-pro, to “How many moons?”.*" in shown


def test_markdown_says_what_the_compared_answers_sources_have_in_common() -> None:
    """The app's line above the columns (In common, only one) is in the export too: a reader of
    the file could not tell which sources the compared answers shared."""
    chat = ChatStore().new_chat()
    q1 = ask(chat, "How many moons?")
    nasa, wiki, esa = (
        Source(index=n, url=u)
        for n, u in enumerate(
            ("https://nasa.gov/mars", "https://en.wikipedia.org/wiki/Moons", "https://esa.int/m"), 1
        )
    )
    first = answer(chat, "Two [1][2].", after=q1.id, comparison="c", sources=[nasa, wiki])
    answer(chat, "Two [1][3].", q1.id, "sonar-pro", comparison="c", sources=[nasa, esa])
    answer(chat, "", q1.id, "sonar-reasoning", comparison="c", status=MessageStatus.ERROR)
    chat.choose(first.id)
    markdown = export_chat(chat, "md").decode()
    compared = "*The next 3 answers were compared side by side: "
    common = (
        "*In common: nasa.gov/mars · failed: sonar-reasoning · only sonar: "
        "en.wikipedia.org/wiki/Moons · only sonar-pro: esa.int/m*"
    )
    assert markdown.count(common) == 1, markdown
    assert markdown.index(compared) < markdown.index(common) < markdown.index("**Assistant**")


def test_in_common_writes_a_url_as_the_sources_list_does() -> None:
    """QA: "In common" showed ``xn--exmple-cua.de/path with space`` with a literal space, the
    Sources list and the app's panel ``%20``; written either way, it is one source."""
    chat = ChatStore().new_chat()
    q1 = ask(chat, "Where?")
    spaced = Source(index=1, url="https://exämple.de/path with space")
    encoded = Source(index=1, url="https://exämple.de/path%20with%20space")
    first = answer(chat, "Here [1].", after=q1.id, comparison="c", sources=[spaced])
    answer(chat, "There [1].", q1.id, "sonar-pro", comparison="c", sources=[encoded])
    chat.choose(first.id)
    markdown = export_chat(chat, "md").decode()
    assert "*In common: xn--exmple-cua.de/path%20with%20space*" in markdown, markdown
    assert "<https://xn--exmple-cua.de/path%20with%20space>" in markdown


def test_one_model_compared_under_two_searches_is_named_by_them() -> None:
    chat = ChatStore().new_chat()
    q1 = ask(chat, "News?")
    month = SearchSettings(recency="month")
    answer(chat, "Any.", after=q1.id, comparison="c", search=SearchSettings())
    answer(chat, "Month.", after=q1.id, comparison="c", search=month)
    markdown = export_chat(chat, "md").decode()
    assert (
        "compared side by side: sonar (month) · sonar (default search) (answers 2 and 1" in markdown
    )


def test_a_re_ask_is_not_said_to_be_compared() -> None:
    chat = ChatStore().new_chat()
    q1 = ask(chat, "Q1")
    answer(chat, "A1")
    answer(chat, "A1'", after=q1.id, model="sonar-pro")
    assert "compared side by side" not in export_chat(chat, "md").decode()


def test_chats_show_and_the_json_export_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    store = ChatStore()
    chat = store.save(compared_chat())
    assert main(["chats", "show", chat.id]) == 0
    assert "compared side by side: sonar · sonar-pro" in capsys.readouterr().out
    assert main(["chats", "export", chat.id, "--format", "json"]) == 0
    answers = json.loads(capsys.readouterr().out)["messages"][1:]
    assert [a["comparison"] for a in answers] == ["cmp1", "cmp1", None, None]
    assert [a["replaced_by"] for a in answers] == [None, None, answers[1]["id"], None]


def test_references_name_compared_answers() -> None:
    from pplx_tui.models import Source

    chat = compared_chat()
    chat.messages[1].content = "Two [1]."
    chat.messages[1].sources = [Source(index=1, url="https://nasa.gov/mars")]
    (reference,) = collect(chat)
    assert (
        'answer 1 of 3 to "How many moons?", chosen, compared side by side, sonar via openrouter'
        in reference.note
    )


def five_answers() -> Chat:
    """helper QA's chat: one question answered five times, answers 3 and 4 compared side by
    side, answer 4 chosen; each cites its own source."""
    from pplx_tui.models import Source

    chat = ChatStore().new_chat()
    q1 = ask(chat, "How many moons?")
    models = ["sonar", "sonar-pro", "sonar", "sonar-pro", "sonar-deep"]
    made = []
    for n, model in enumerate(models, 1):
        compared = "cmp" if n in (3, 4) else None
        made.append(
            answer(
                chat, f"Answer {n} [1].", q1.id, model, provider="openrouter", comparison=compared
            )
        )
        made[-1].sources = [Source(index=1, url=f"https://example.org/{n}")]
    chat.choose(made[3].id)
    return chat


def test_a_comparison_of_a_later_answer_is_written_together_under_its_line() -> None:
    """helper QA: "Compared side by side … (answers 3 and 4 of 5)" stood above answer 4 (the
    chosen one, written first) while answer 3 came after alternatives 1 and 2."""
    markdown = export_chat(five_answers(), "md").decode()
    heads = [line for line in markdown.splitlines() if line.startswith(("**Assistant**", "*The"))]
    assert heads == [
        "*The next 2 answers were compared side by side: sonar-pro · sonar (answers 4 and 3 "
        "of 5).*",
        "**Assistant** · sonar-pro (openrouter) · answer 4 of 5 · chosen",
        "**Assistant** · sonar (openrouter) · alternative 3 of 5",
        "**Assistant** · sonar (openrouter) · alternative 1 of 5",
        "**Assistant** · sonar-pro (openrouter) · alternative 2 of 5",
        "**Assistant** · sonar-deep (openrouter) · alternative 5 of 5",
    ]


def test_references_number_the_answers_as_the_markdown_export_does() -> None:
    """helper QA: BibTeX called the chosen answer "answer 1 (…), alternative 4 of 5" where
    the Markdown export said "answer 4 of 5 · chosen"."""
    notes = {r.url: r.note for r in collect(five_answers())}
    asked = 'to "How many moons?"'
    assert (
        f"answer 4 of 5 {asked}, chosen, compared side by side, sonar-pro via"
        in (notes["https://example.org/4"])
    )
    assert (
        f"alternative 3 of 5 {asked}, compared side by side, sonar via"
        in (notes["https://example.org/3"])
    )
    assert f"alternative 1 of 5 {asked}, sonar via" in notes["https://example.org/1"]
    bibtex = export_chat(five_answers(), "bibtex").decode()
    assert "alternative 4 of 5" not in bibtex and "answer 4 of 5" in bibtex
