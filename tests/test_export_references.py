"""Reference exports (issue 10 item 7): BibTeX, CSL-JSON and RIS read back by real parsers —
bibtexparser (what JabRef-style tools use), citeproc-py (the CSL processor pandoc's citeproc
follows) and rispy — with cited sources first, titles, URLs, sites, dates and notes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import bibtexparser
import citeproc
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as cite_format
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from pplx_tui.cli import main
from pplx_tui.export import export_chat
from pplx_tui.models import Chat, Message, Source
from pplx_tui.references import collect
from pplx_tui.store import ChatStore
from tests.support.cli import pplx

T0 = datetime(2026, 10, 9, 8, 15, tzinfo=UTC)
T1 = datetime(2026, 10, 10, 17, 0, tzinfo=UTC)
TRICKY = "50% of C# & R_x ~ {braces} \\ back $5 ^ Ünïcode — “quotes” 東京"
WEIRD_URL = "https://example.org/a{b}c?q=1&r=%20#frag_x"


def research_chat() -> Chat:
    """Two answers by two models; a source both cite, one only found, one hostile."""
    shared = Source(
        index=2,
        url="https://en.wikipedia.org/wiki/Kyoto",
        title="Kyoto - Wikipedia",
        date="2026-01-15",
        snippet="Kyoto was the capital of Japan from 794 to 1868.",
    )
    return Chat(
        id="01kyotochat0001",
        title="Kyoto for a first visit",
        created_at=T0,
        updated_at=T1,
        messages=[
            Message(role="user", content="What is Kyoto known for?", created_at=T0),
            Message(
                role="assistant",
                content="Temples [web:3] and the old capital [web:2]; see `[web:9]`.",
                provider="perplexity",
                model="medium",
                created_at=T0,
                finished_at=T0,
                sources=[
                    Source(index=1, url="https://uncited.example/page", title="Never cited"),
                    shared,
                    Source(
                        index=3,
                        url="https://www.kyoto.travel/en/",
                        title="Kyoto City Official Travel Guide",
                        date="2025-11",
                    ),
                    Source(index=9, url="javascript:alert(1)", title="Hostile\x1b]8;;x\x07 link"),
                ],
            ),
            Message(role="user", content="And the gardens?", created_at=T1),
            Message(
                role="assistant",
                content="Moss gardens [1], as the encyclopedia says [2].",
                provider="openrouter",
                model="perplexity/sonar",
                created_at=T1,
                finished_at=T1,
                sources=[
                    Source(index=1, url=WEIRD_URL, title=TRICKY, date="not a date"),
                    shared.model_copy(),
                ],
            ),
        ],
    )


def unbalanced_fields(bib: str) -> list[str]:
    """The field lines of ``bib`` whose value's braces do not balance as BibTeX, biber and
    btparse count them: every ``{`` and ``}``, one after a backslash too (``\\}`` closes a
    group there, so one unmatched brace ended the field early or swallowed the file)."""
    bad = []
    for line in bib.splitlines():
        if not line.startswith("  "):
            continue
        found = re.fullmatch(r"  \w+ = \{(.*)\},", line)
        depth = 0
        for char in found.group(1) if found else "}":
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                break
        if depth:
            bad.append(line)
    return bad


def latex_decoder() -> LatexDecodingMiddleware:
    """bibtexparser's LaTeX decoding, knowing LaTeX's ``\\textbraceleft`` and
    ``\\textbraceright`` (pylatexenc does not: it drops them)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "braces",
        macros=[MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}")],
        prepend=True,
    )
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=context))


def test_references_list_cited_first_once_per_url_with_notes() -> None:
    references = collect(research_chat())

    assert [r.url for r in references] == [
        "https://www.kyoto.travel/en/",
        "https://en.wikipedia.org/wiki/Kyoto",
        WEIRD_URL,
        "https://uncited.example/page",
    ]  # the javascript: one is no reference
    assert [r.cited for r in references] == [True, True, True, False]
    kyoto = references[1]
    assert kyoto.site == "en.wikipedia.org" and kyoto.issued == (2026, 1, 15)
    assert kyoto.note == (
        'In pplx-tui chat "Kyoto for a first visit" (01kyotochat0001): cited by answer to '
        '"What is Kyoto known for?", medium via perplexity, as [2]; answer to "And the '
        'gardens?", perplexity/sonar via openrouter, as [2].'
    )
    assert references[0].site == "kyoto.travel" and references[0].issued == (2025, 11)
    assert references[2].issued == ()  # "not a date" is not guessed at
    assert "found, not cited, by answer to" in references[3].note


def test_bibtex_parses_with_every_field_and_unique_keys() -> None:
    text = export_chat(research_chat(), "bibtex").decode()
    library = bibtexparser.parse_string(text, append_middleware=[latex_decoder()])

    assert library.failed_blocks == []
    assert unbalanced_fields(text) == []
    entries = library.entries
    assert [e.entry_type for e in entries] == ["online"] * 4
    assert len({e.key for e in entries}) == 4
    assert all(e.key.isascii() and " " not in e.key for e in entries)
    first, second, tricky = (e.fields_dict for e in entries[:3])
    assert first["title"].value == "Kyoto City Official Travel Guide"
    assert first["url"].value == "https://www.kyoto.travel/en/"
    assert first["date"].value == "2025-11" and first["year"].value == "2025"
    assert first["urldate"].value == "2026-10-09"
    assert first["organization"].value == "kyoto.travel"
    assert second["note"].value.startswith('In pplx-tui chat "Kyoto for a first visit"')
    # Special characters survive the round trip; the URL is still one URL.
    # (pylatexenc reads LaTeX's \textasciicircum as the modifier letter U+02C6.)
    assert tricky["title"].value == TRICKY.replace("^", "\u02c6")
    # `url` is verbatim in biblatex (JabRef, Zotero and pandoc read it raw): no LaTeX decoding.
    raw = bibtexparser.parse_string(text).entries[2].fields_dict["url"].value
    assert raw == "https://example.org/a%7Bb%7Dc?q=1&r=%20#frag_x"


def test_csl_json_items_are_csl_variables_and_citeproc_formats_them() -> None:
    items = json.loads(export_chat(research_chat(), "csl-json"))

    variables = set(citeproc.VARIABLES) | {"id", "type"}
    for item in items:
        assert {key.replace("-", "_") for key in item} <= variables
        assert item["type"] == "webpage"
    assert items[0]["issued"] == {"date-parts": [[2025, 11]]}
    assert items[0]["accessed"] == {"date-parts": [[2026, 10, 9]]}
    assert items[1]["container-title"] == "en.wikipedia.org"
    assert items[2]["title"] == TRICKY
    assert [i["id"] for i in items] == [
        "kyoto2025kyoto",
        "wikipedia2026kyoto",
        "example50",
        "uncitednever",
    ]  # the BibTeX keys

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), cite_format.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert any("Kyoto City Official Travel Guide" in e and "2025" in e for e in rendered)
    assert any("https://en.wikipedia.org/wiki/Kyoto" in e for e in rendered)


def test_ris_reads_back_with_rispy() -> None:
    raw = export_chat(research_chat(), "ris").decode()
    records = rispy.loads(raw)

    assert len(records) == 4
    first = records[0]
    assert first["type_of_reference"] == "ELEC"
    assert first["title"] == "Kyoto City Official Travel Guide"
    assert first["urls"] == ["https://www.kyoto.travel/en/"]
    assert first["secondary_title"] == "kyoto.travel"
    assert first["year"] == "2025" and first["date"] == "2025/11//"
    assert first["access_date"] == "2026/10/09"
    assert records[1]["notes"][0].startswith('In pplx-tui chat "Kyoto for a first visit"')
    assert records[2]["title"] == TRICKY
    assert all("\n" not in v for r in records for v in r.values() if isinstance(v, str))


@pytest.mark.parametrize(("fmt", "suffix"), [("bibtex", "@online{"), ("ris", "TY  - ELEC")])
def test_cli_writes_reference_formats(
    fmt: str, suffix: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    chat = ChatStore().save(research_chat(), touch=False)
    out = tmp_path / f"refs.{fmt}"

    assert main(["chats", "export", chat.id[:8], "--format", fmt, "-o", str(out)]) == 0
    assert suffix in out.read_text(encoding="utf-8")
    assert f"wrote 4 sources ({'BibTeX' if fmt == 'bibtex' else 'RIS'}) to" in (
        capsys.readouterr().err
    )


def test_cli_says_when_a_chat_has_no_sources(capsys: pytest.CaptureFixture[str]) -> None:
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="Hello?"))

    assert main(["chats", "export", chat.id, "--format", "csl-json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "has no sources to export" in err


@pytest.mark.parametrize(("fmt", "empty"), [("bibtex", b""), ("ris", b""), ("csl-json", b"[]\n")])
def test_a_chat_without_sources_exports_the_same_empty_list_to_stdout_and_to_a_file(
    fmt: str, empty: bytes, tmp_path
) -> None:
    """QA: with no sources, RIS printed an empty line where the file was empty, and BibTeX a
    lone comment: the format's empty list now, the same either way, and a note on stderr."""
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="Hello?"))
    store.append_message(chat, Message(role="assistant", content="Hi.", model="sonar"))
    target = tmp_path / f"refs.{fmt}"

    printed = pplx("chats", "export", chat.id, "--format", fmt)
    written = pplx("chats", "export", chat.id, "--format", fmt, "-o", str(target))

    assert (printed.returncode, written.returncode) == (0, 0)
    assert (printed.stdout.encode(), target.read_bytes()) == (empty, empty)
    assert printed.stderr == f"pplx: chat {chat.id} has no sources to export\n"
    assert written.stderr == (
        f"pplx: chat {chat.id} has no sources to export; wrote an empty list to {target}\n"
    )


def test_an_alternative_answer_is_named_by_its_own_question() -> None:
    chat = Chat(id="01alternatives01", title="", created_at=T0, updated_at=T0)
    first = chat.add(Message(role="user", content="First question?"))
    chat.add(
        Message(
            role="assistant",
            content="One [1].",
            model="sonar",
            provider="openrouter",
            sources=[Source(index=1, url="https://one.example/")],
        )
    )
    chat.add(Message(role="user", content="Second question?"))
    chat.add(Message(role="assistant", content="Two.", model="sonar", provider="openrouter"))
    # Asked again later, with another model: saved after the rest, answering the first question.
    chat.add(
        Message(
            role="assistant",
            content="Also one [3].",
            model="medium",
            provider="perplexity",
            sources=[Source(index=3, url="https://one.example/")],
        ),
        after=first.id,
        choose=False,
    )

    (reference,) = collect(chat)

    assert reference.note == (
        'In pplx-tui chat 01alternatives01: cited by answer 1 of 2 to "First question?", '
        'chosen, sonar via openrouter, as [1]; alternative 2 of 2 to "First question?", medium '
        "via perplexity, as [3]."
    )


def test_a_source_cited_by_hundreds_of_answers_has_a_short_note() -> None:
    """QA: in a 500-message chat, one source's note listed all 250 answers citing it (a ~25 KB
    line). The note names the first three and counts the rest, in every format."""
    source = Source(index=1, url="https://nasa.gov/mars", title="Mars")
    found = Source(index=2, url="https://found.example/", title="Found only")
    messages: list[Message] = []
    for n in range(1, 251):
        messages.append(Message(role="user", content=f"Question {n}?", created_at=T0))
        messages.append(
            Message(
                role="assistant",
                content="Two moons [1].",
                provider="demo",
                model="demo/sonar",
                created_at=T0,
                finished_at=T0,
                sources=[source, found],
            )
        )
    chat = Chat(id="01longchat00001", title="Long", created_at=T0, updated_at=T1, messages=messages)

    cited, only_found = collect(chat)

    assert cited.note == (
        'In pplx-tui chat "Long" (01longchat00001): cited by answer to "Question 1?",'
        ' demo/sonar via demo, as [1]; answer to "Question 2?", demo/sonar via demo, as [1];'
        ' answer to "Question 3?", demo/sonar via demo, as [1]; and 247 more answers.'
    )
    assert only_found.note.endswith("as [2]; and 247 more answers.")
    assert len(only_found.note) < 400
    library = bibtexparser.parse_string(export_chat(chat, "bibtex").decode())
    assert library.failed_blocks == [] and "247 more" in library.entries[0]["note"]
    assert "247 more" in json.loads(export_chat(chat, "csl-json"))[0]["note"]
    assert "247 more" in rispy.loads(export_chat(chat, "ris").decode())[0]["notes"][0]


def test_answers_are_named_as_a_reader_finds_them_not_by_saved_order() -> None:
    """QA: in a chat with a branch and a comparison the notes said 'answer 3 (to "Long one to
    stop …")' and 'alternative 1 of 3 (to question 2, "Follow-up: …")', counting questions in
    saved order, other branches' included; the app and the Markdown export number no questions
    and "Long one" was the second a reader meets. Notes name the question by its text, say
    when it is in another branch, and number only answers, as the app and the export do."""
    pages = iter(range(1, 100))

    def answer(model: str, comparison: str | None = None) -> Message:
        url = f"https://example.org/{next(pages)}"
        return Message(
            role="assistant",
            content="Yes [1].",
            model=model,
            provider="openrouter",
            sources=[Source(index=1, url=url, title="Page")],
            comparison=comparison,
        )

    chat = Chat(id="01branchedchat1")
    chat.add(Message(role="user", content="First?"))
    opening = chat.add(answer("sonar"))
    aside = chat.add(Message(role="user", content="Asked aside?"), after=opening.id, choose=False)
    chat.add(answer("sonar"), after=aside.id, choose=False)
    chat.add(Message(role="user", content="Long one to stop"), after=opening.id)
    chat.add(answer("sonar"))
    follow = chat.add(Message(role="user", content="Follow-up: why?"))
    chat.add(answer("sonar", "c1"), choose=False)
    chat.add(answer("sonar-pro", "c1"), after=follow.id)
    chat.add(answer("sonar-reasoning"), after=follow.id, choose=False)

    notes = [
        r.note.removeprefix("In pplx-tui chat 01branchedchat1: cited by ") for r in collect(chat)
    ]

    assert notes == [
        'answer to "First?", sonar via openrouter, as [1].',
        'answer to "Long one to stop", sonar via openrouter, as [1].',
        'answer 2 of 3 to "Follow-up: why?", chosen, compared side by side, sonar-pro via '
        "openrouter, as [1].",
        'alternative 1 of 3 to "Follow-up: why?", compared side by side, sonar via openrouter, '
        "as [1].",
        'alternative 3 of 3 to "Follow-up: why?", sonar-reasoning via openrouter, as [1].',
        'answer to "Asked aside?" in another branch, sonar via openrouter, as [1].',
    ]


def test_bibtex_titles_keep_their_capitals_in_classic_styles() -> None:
    """QA: classic BibTeX styles set a title in sentence case ("Nasa plans a mars mission"):
    words holding capitals are braced ({NASA}), but the first word's leading capital, which
    those styles keep; the title still reads back as it was."""
    title = "NASA plans a Mars mission with iPhone-grade parts & C# {code}"
    source = Source(index=1, url="https://nasa.gov/", title=title)
    chat = Chat(
        id="01capitals00001",
        messages=[
            Message(role="user", content="Mars?"),
            Message(role="assistant", content="Yes [1].", sources=[source]),
        ],
    )
    text = export_chat(chat, "bibtex").decode()

    raw = bibtexparser.parse_string(text).entries[0].fields_dict["title"].value
    assert raw == (
        r"{NASA} plans a {Mars} mission with {iPhone-grade} parts \& {C\#} "
        r"\textbraceleft{}code\textbraceright{}"
    )
    chat.messages[1].sources[0].title = "Kyoto City guide"
    raw = bibtexparser.parse_string(export_chat(chat, "bibtex").decode()).entries[0]
    assert raw.fields_dict["title"].value == "Kyoto {City} guide"
    decoded = bibtexparser.parse_string(text, append_middleware=[latex_decoder()])
    assert decoded.entries[0].fields_dict["title"].value == title


def test_bibtex_keys_of_thousands_of_sources_from_one_site_are_made_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: 10,000 sources sharing site, year and first title word took 69 s in BibTeX (ris
    0.9 s): each key counted its suffix up from ``a`` past every key taken before it (50
    million suffixes). The next suffix of each base is remembered; the keys are the same."""
    from pplx_tui.references import keys as cite_keys

    made: list[int] = []
    suffix = cite_keys._suffix
    monkeypatch.setattr(cite_keys, "_suffix", lambda n: made.append(n) or suffix(n))
    same = [
        Source(index=n, url=f"https://ex.example.org/{n}", title="Source", date="2025-01-02")
        for n in range(1, 2001)
        if n != 3
    ]
    clash = Source(index=3, url="https://ex.example.org/x", title="Sourcea", date="2025")
    chat = Chat(
        id="01bigsources001",
        title="Big",
        messages=[
            Message(role="user", content="Many?"),
            Message(role="assistant", content="Yes [1].", sources=[*same[:2], clash, *same[2:]]),
        ],
    )

    keys = [e.key for e in bibtexparser.parse_string(export_chat(chat, "bibtex").decode()).entries]

    assert keys[:6] == [
        "example2025source",
        "example2025sourcea",
        "example2025sourceaa",  # its own base was taken by the second "Source"
        "example2025sourceb",
        "example2025sourcec",
        "example2025sourced",
    ]
    assert keys[27:30] == ["example2025sourcez", "example2025sourceab", "example2025sourceac"]
    assert len(set(keys)) == len(keys) == 2000
    assert len(made) < 3 * len(keys)


def test_a_source_url_with_spaces_is_kept_with_them_encoded() -> None:
    """QA: ``https://example.com/a b/c d.html`` was left out of all three formats (the title
    only), though other characters a URL cannot hold were encoded (``}{`` → ``%7D%7B``)."""
    spaced = "https://example.com/a b/c d.html"
    encoded = "https://example.com/a%20b/c%20d.html"
    chat = Chat(
        id="01spacedurl0001",
        title="Spaces",
        messages=[
            Message(role="user", content="q", created_at=T0),
            Message(
                role="assistant",
                content="See [1].",
                created_at=T0,
                sources=[Source(index=1, url=spaced, title="Spaced page")],
            ),
        ],
    )

    [entry] = bibtexparser.parse_string(export_chat(chat, "bibtex").decode()).entries
    [item] = json.loads(export_chat(chat, "csl-json"))
    [record] = rispy.loads(export_chat(chat, "ris").decode())

    assert entry.fields_dict["url"].value == item["URL"] == encoded
    assert record["urls"] == [encoded]


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "ris"])
def test_sources_whose_link_is_not_http_are_left_out_and_not_counted(fmt: str, tmp_path) -> None:
    """QA: ``mailto:``, ``javascript:`` (and relative or empty) links made entries of their
    own, with a title and a note but no URL, and stderr counted them ("wrote 5 sources"),
    though the README says such links are left out: there is no page to go back to."""
    sources = [
        Source(index=1, url="mailto:someone@example.com", title="Mail"),
        Source(index=2, url="javascript:alert(1)", title="Hostile"),
        Source(index=3, url="/relative/page", title="Relative"),
        Source(index=4, url="", title="Empty"),
        Source(index=5, url="https://bücher.de/x", title="Three", date="2026"),
        Source(index=6, url="https://uncited.example/", title="Found only"),
    ]
    chat = Chat(
        id="01nourlsource01",
        title="No URLs",
        messages=[
            Message(role="user", content="q", created_at=T0),
            Message(
                role="assistant",
                content="See [1] [2] [3] [4] [5].",
                created_at=T0,
                finished_at=T0,
                sources=sources,
            ),
        ],
    )
    ChatStore().save(chat, touch=False)

    done = pplx("chats", "export", chat.id, "--format", fmt)
    written = pplx("chats", "export", chat.id, "--format", fmt, "-o", str(tmp_path / "refs"))

    assert done.returncode == 0
    urls = ["https://xn--bcher-kva.de/x", "https://uncited.example/"]
    if fmt == "bibtex":
        entries = bibtexparser.parse_string(done.stdout).entries
        assert [e.fields_dict["url"].value for e in entries] == urls
        assert all("urldate" in e.fields_dict for e in entries)
        assert entries[0].key == "bucher2026three"  # as the host reads, not "xnbcherkva…"
    elif fmt == "csl-json":
        assert [item["URL"] for item in json.loads(done.stdout)] == urls
    else:
        assert [record["urls"] for record in rispy.loads(done.stdout)] == [[u] for u in urls]
    assert not any(word in done.stdout for word in ("Mail", "Hostile", "Relative", "Empty"))
    assert "wrote 2 sources" in written.stderr


def test_urls_differing_only_in_the_case_of_scheme_or_host_are_one_entry() -> None:
    """QA: ``https://ex.com/p`` and ``https://EX.com/p`` (the same page: scheme and host are
    case-blind) made two entries. They are one, as first written; a path's case still counts."""
    chat = Chat(
        id="01hostcase00001",
        messages=[
            Message(role="user", content="q"),
            Message(
                role="assistant",
                content="See [1], [2] and [3]; also [4].",
                sources=[
                    Source(index=1, url="https://ex.com/p", title="P"),
                    Source(index=2, url="https://EX.com/p", title="P again"),
                    Source(index=3, url="HTTPS://Ex.Com/p", title="P once more"),
                    Source(index=4, url="https://ex.com/P", title="Another page"),
                ],
            ),
        ],
    )

    records = rispy.loads(export_chat(chat, "ris").decode())

    assert [(r["title"], r["urls"]) for r in records] == [
        ("P", ["https://ex.com/p"]),
        ("Another page", ["https://ex.com/P"]),
    ]
    assert records[0]["notes"][0].endswith(
        'as [1]; answer to "q", a model, as [2]; answer to "q", a model, as [3].'
    )


def test_a_chat_whose_only_links_are_not_http_has_no_sources_to_export() -> None:
    chat = Chat(
        id="01mailonlychat1",
        messages=[
            Message(role="user", content="q"),
            Message(
                role="assistant",
                content="See [1].",
                sources=[Source(index=1, url="mailto:x@y.z", title="mailto bad")],
            ),
        ],
    )
    ChatStore().save(chat, touch=False)

    done = pplx("chats", "export", chat.id, "--format", "bibtex")

    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == f"pplx: chat {chat.id} has no sources to export\n"


def test_an_answer_beside_a_question_an_older_version_saved_is_no_alternative() -> None:
    """QA: versions before 80c4807 saved a question asked while another waited under that
    question, beside its answer: the note called that answer "answer 2 of 2", the question
    counted as the other one."""
    chat = Chat(id="01oldshapechat2", title="Old shape")
    one = chat.add(Message(role="user", content="Question one?", created_at=T0))
    two = chat.add(Message(role="user", content="Question two?", created_at=T0), after=one.id)
    cited = [Source(index=1, url="https://a.example/", title="A")]
    chat.add(Message(role="assistant", content="One [1].", sources=cited), after=one.id)

    [reference] = collect(chat)

    assert 'cited by answer to "Question one?", a model, as [1]' in reference.note
    assert two.id not in chat.places()


def test_dates_written_in_words_are_read_and_an_unreadable_one_is_left_out() -> None:
    """QA: ``May 3, 2024`` was dropped silently (no ``date``, ``DA`` or ``issued``), though
    the README promises the publication date when the source gave one. The forms providers
    send are read; one that cannot be read (``05/03/2024``: May or March?) stays out."""
    written = {
        "2024-05-03": (2024, 5, 3),
        "2024/05/03": (2024, 5, 3),
        "2024-05-03T08:00:00Z": (2024, 5, 3),
        "May 3, 2024": (2024, 5, 3),
        "3 May 2024": (2024, 5, 3),
        "Fri, 03 May 2024 08:00:00 GMT": (2024, 5, 3),
        "Sept. 30th, 2023": (2023, 9, 30),
        "December 2023": (2023, 12),
        "05/03/2024": (),
        "May 32, 2024": (),
        "last week": (),
    }
    sources = [
        Source(index=n, url=f"https://s{n}.example/", title=f"S{n}", date=when)
        for n, when in enumerate(written, start=1)
    ]
    markers = "".join(f"[{s.index}]" for s in sources)
    chat = Chat(
        id="01worddates0001",
        messages=[
            Message(role="user", content="When?"),
            Message(role="assistant", content=f"Then {markers}.", sources=sources),
        ],
    )

    entries = bibtexparser.parse_string(export_chat(chat, "bibtex").decode()).entries
    items = json.loads(export_chat(chat, "csl-json"))
    records = rispy.loads(export_chat(chat, "ris").decode())
    markdown = export_chat(chat, "md").decode()

    expected = list(written.values())
    iso = ["-".join(f"{p:02d}" for p in parts) for parts in expected]
    assert [e.fields_dict["date"].value if "date" in e.fields_dict else "" for e in entries] == iso
    assert [tuple(i["issued"]["date-parts"][0]) if "issued" in i else () for i in items] == expected
    assert [r.get("date", "") for r in records][3:] == [
        *["2024/05/03/"] * 3,
        "2023/09/30/",
        "2023/12//",
        *[""] * 3,
    ]
    assert "- [4] S4 (2024-05-03) — <https://s4.example/>" in markdown
    assert "- [9] S9 — <https://s9.example/>" in markdown


def test_bibtex_fields_with_unmatched_braces_still_balance_as_bibtex_counts_them() -> None:
    """QA: braces were written ``\\{`` / ``\\}``, which BibTeX still counts: a question about a
    "missing } error" ended its note early (pybtex: "'}' expected"), a snippet
    ``function f(x) { return x`` ran the abstract on to the end of the file (PrematureEOF).
    They are written ``\\textbraceleft{}`` / ``\\textbraceright{}``, and read back as typed."""
    question = "Why does my C code fail with a missing } error?"
    snippet = "function f(x) { return x"
    title = "Sets }{ and \\{ escapes: {Odd} \\"
    chat = Chat(
        id="01bracesbib0001",
        title=question,
        messages=[
            Message(role="user", content=question, created_at=T0),
            Message(
                role="assistant",
                content="A brace is missing [1].",
                model="sonar",
                provider="perplexity",
                created_at=T0,
                sources=[Source(index=1, url="https://ex.example/c", title=title, snippet=snippet)],
            ),
        ],
    )
    text = export_chat(chat, "bibtex").decode()

    assert unbalanced_fields(text) == []
    assert r"missing \textbraceright{} error?" in text
    assert r"function f(x) \textbraceleft{} return x" in text
    library = bibtexparser.parse_string(text, append_middleware=[latex_decoder()])
    assert library.failed_blocks == []
    [entry] = library.entries
    fields = entry.fields_dict
    assert fields["title"].value == title
    assert fields["abstract"].value == snippet
    assert question in fields["note"].value


def test_each_source_has_the_same_key_in_bibtex_csl_json_and_ris() -> None:
    """QA: CSL-JSON ids were ``source-1``… in the file's order (the answer's [4] became
    ``source-3``) while BibTeX keys were ``nasa2024mars``: a pandoc document citing
    ``@nasa2024mars`` could not switch from the .bib to the .json. The CSL-JSON ``id`` and the
    RIS ``ID`` are the BibTeX key, suffix for a clash included."""
    chat = research_chat()
    twin = Source(index=4, url="https://en.wikipedia.org/wiki/Kyoto_", title="Kyoto", date="2026")
    chat.messages[3].content += " And [4]."
    chat.messages[3].sources.append(twin)

    entries = bibtexparser.parse_string(export_chat(chat, "bibtex").decode()).entries
    items = json.loads(export_chat(chat, "csl-json"))
    records = rispy.loads(export_chat(chat, "ris").decode())

    keys = [entry.key for entry in entries]
    assert keys == [
        "kyoto2025kyoto",
        "wikipedia2026kyoto",
        "example50",
        "wikipedia2026kyotoa",
        "uncitednever",
    ]
    assert [item["id"] for item in items] == keys
    assert [record["id"] for record in records] == keys
    assert [item["URL"] for item in items] == [record["urls"][0] for record in records]
