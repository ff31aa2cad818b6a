"""A source's URL reads and leads the same everywhere (QA): no invisible character is part of
it, a host that is not pure ASCII is its punycode (``xn--``) form in the sources panel, what
Enter opens and c copies, `pplx ask` on a terminal, in a pipe and in ``--json``, and the
exports; and a source without a URL has nothing after its title."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pplx_tui.sanitize import clean_url, safe_url
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.cli import USAGE, chunk, pplx, saved_id
from tests.support.loopback import LoopbackServer, Reply, sse
from tests.support.tui import ask, loopback_app, screen_text, until
from tests.support.tui import workspace as research

INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
RESULTS = [
    {"title": "Bidi", "url": "https://exa\u200bmple.com/bidi"},  # looks like example.com
    {"title": "Apple", "url": "https://\u0430pple.com/login"},  # a Cyrillic first letter
    {"title": "Soft", "url": "https://exam\u00adple.org/a\u2060b\ufeff"},
    {"title": "Punycode", "url": "https://xn--pple-43d.com/x"},
    {"title": "No URL source", "url": ""},
]
SHOWN = [
    "https://example.com/bidi",
    "https://xn--pple-43d.com/login",
    "https://example.org/ab",
    "https://xn--pple-43d.com/x",
    "",
]
ANSWER = "Bidi [1], apple [2], soft [3], puny [4] and none [5]; [web](https://exa\u200bmple.com/w)."
WEB = "https://example.com/w"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        *zip([r["url"] for r in RESULTS], SHOWN, strict=True),
        (
            "https://B\u00dcCHER.de:8443/\u00fcber?q=\u00e4",
            "https://xn--bcher-kva.de:8443/\u00fcber?q=\u00e4",
        ),
        ("https://user@b\u00fccher.de/", "https://user@xn--bcher-kva.de/"),
        ("mailto:a\u200b@b.c", "mailto:a@b.c"),
    ],
)
def test_a_url_has_no_invisible_characters_and_an_ascii_host(url: str, shown: str) -> None:
    assert clean_url(url) == shown
    assert clean_url(shown) == shown
    if shown.startswith("https://") and "//." not in shown:
        assert safe_url(url) == shown


def _events() -> list[dict[str, Any]]:
    extra = {"search_results": RESULTS, "citations": [r["url"] for r in RESULTS]}
    return [chunk(ANSWER, **extra), chunk("", finish="stop", usage=USAGE, **extra)]


def _osc8_targets(text: str) -> list[str]:
    return [t for t in re.findall(r"\x1b\]8;[^;]*;([^\x1b\x07]*)", text) if t]


def test_pplx_ask_shows_and_links_each_source_by_one_clean_url(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=sse(*_events(), done=True)))
    piped = pplx("ask", "--save", "q", server=loopback)
    assert piped.returncode == 0, piped.stderr
    lines = piped.stdout.splitlines()
    sources = lines[lines.index("Sources:") + 1 :]
    assert sources == [
        "[1] Bidi — https://example.com/bidi",
        "[2] Apple — https://xn--pple-43d.com/login",
        "[3] Soft — https://example.org/ab",
        "[4] Punycode — https://xn--pple-43d.com/x",
        "[5] No URL source",
    ]
    chat_id = saved_id(piped.stderr)

    loopback.queue(Reply(chunks=sse(*_events(), done=True)))
    listed = json.loads(pplx("ask", "--json", "q", server=loopback).stdout)["sources"]
    assert [s["url"] for s in listed] == SHOWN

    loopback.queue(Reply(chunks=sse(*_events(), done=True)))
    drawn = pplx("ask", "q", server=loopback, tty=("stdout",), TERM="xterm-256color", COLUMNS="100")
    assert drawn.returncode == 0, drawn.stderr
    assert not INVISIBLE.search(drawn.stdout)
    targets = _osc8_targets(drawn.stdout)
    assert set(targets) == {*SHOWN[:4], WEB}, targets  # markers and sources lead to the same
    text = re.sub(r"\x1b\][^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", drawn.stdout)
    assert "Bidi — https://example.com/bidi" in text
    assert "[5] No URL source\n" in text and "No URL source —" not in text

    exported = pplx("chats", "export", chat_id, "--format", "md").stdout
    assert not INVISIBLE.search(exported)
    assert "<https://example.com/bidi>" in exported and f"[web]({WEB})" in exported
    assert "<https://xn--pple-43d.com/login>" in exported
    assert "- [5] No URL source\n" in exported and "``" not in exported
    shown = pplx("chats", "show", chat_id).stdout
    assert not INVISIBLE.search(shown) and "\u0430pple" not in shown


def test_a_chat_saved_before_keeps_no_invisible_character_in_its_urls() -> None:
    """A chat file written before URLs were cleaned as they arrive is cleaned where shown."""
    from pplx_tui.models import Message, Source

    store = ChatStore()
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content="q"))
    sources = [Source(index=n, **r) for n, r in enumerate(RESULTS, 1)]
    chat.messages.append(Message(role="assistant", content=ANSWER, sources=sources))
    store.save(chat)
    for result in (
        pplx("chats", "export", chat.id, "--format", "md"),
        pplx("chats", "export", chat.id, "--format", "ris"),
        pplx("chats", "show", chat.id),
    ):
        assert result.returncode == 0, result.stderr
        assert not INVISIBLE.search(result.stdout), result.stdout
        assert "\u0430pple" not in result.stdout and "xn--pple-43d.com/login" in result.stdout


async def test_the_sources_panel_shows_opens_and_copies_the_clean_url(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(Reply(chunks=sse(*_events(), done=True)))
    app = loopback_app(loopback)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(150, 40)) as pilot:
        await ask(pilot, "Sources please")
        await until(pilot, lambda: "[5] No URL source" in screen_text(app))
        shown = screen_text(app)
        assert not INVISIBLE.search(shown)
        assert "\u0430pple" not in shown and "xn--pple-43d.com" in shown
        spots = [spot.href for view in research(app).query(AnswerText) for spot in view.spots()]
        assert WEB in spots, spots
        panel = research(app).query_one(SourcesPanel)
        panel.list_view.focus()
        for number in "1234":
            await pilot.press(number, "enter", "c")
        assert opened == SHOWN[:4]
        assert copied == SHOWN[:4]

        research(app).conversation.focus()
        await pilot.press("y")
        await until(pilot, lambda: len(copied) == 5)
        assert not INVISIBLE.search(copied[-1])
        assert "<https://xn--pple-43d.com/login>" in copied[-1]
        assert copied[-1].endswith("\n- [5] No URL source\n") and "``" not in copied[-1]


async def test_an_autolink_in_the_app_shows_the_clean_url(loopback: LoopbackServer) -> None:
    """QA: ``<https://zw\u200bhost.example/>`` showed its zero-width space in the app (so a
    mouse selection copied it), and ``<https://\u0430pple.com/>`` its Cyrillic letter, where
    `pplx ask` and the exports show the URL as :func:`clean_url` writes it."""
    answer = "Also <https://zw\u200bhost.example/> autolink, <https://\u0430pple.com/p> too."
    loopback.queue(
        Reply(chunks=sse(chunk(answer), chunk("", finish="stop", usage=USAGE), done=True))
    )
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "Links please")
        await until(pilot, lambda: "autolink" in screen_text(app))
        shown = screen_text(app)
        assert not INVISIBLE.search(shown)
        assert "https://zwhost.example/" in shown and "https://xn--pple-43d.com/p" in shown
        assert "\u0430pple" not in shown


HIDDEN_TITLES = [
    {"title": "Tab\u200bby", "url": "https://example.com/a b/c d.html"},
    {
        "title": "\U0001f469\u200d\U0001f52c Lab soft\u00adhy\u2060ph\ufeffen",
        "url": "https://lab.example/",
    },
]
HIDDEN_ANSWER = "Tabby [1] and the lab [2]."


def _hidden_events() -> list[dict[str, Any]]:
    extra = {"search_results": HIDDEN_TITLES, "citations": [r["url"] for r in HIDDEN_TITLES]}
    return [chunk(HIDDEN_ANSWER, **extra), chunk("", finish="stop", usage=USAGE, **extra)]


def _zero_width(text: str) -> list[str]:
    """The invisible characters in ``text`` that no one-line field keeps: all but the joiner
    (U+200D), which makes one emoji of 👩 and 🔬, and the non-joiner, which Persian needs."""
    return re.findall("[\u00ad\u200b\u2060\ufeff]", text)


SCIENTIST = "\U0001f469\u200d\U0001f52c Lab softhyphen"


def test_source_titles_lose_invisible_characters_but_emoji_stay_joined(
    loopback: LoopbackServer,
) -> None:
    """QA: ``[2] Tab\u200bby`` kept its zero-width space in `pplx ask` and the exports (only
    URLs were cleaned); and a pipe listed ``https://example.com/a b/c d.html`` with raw
    spaces, where the terminal's link and the app's copy have ``%20``."""
    loopback.queue(Reply(chunks=sse(*_hidden_events(), done=True)))
    piped = pplx("ask", "--save", "q", server=loopback)
    assert piped.returncode == 0, piped.stderr
    lines = piped.stdout.splitlines()
    assert lines[lines.index("Sources:") + 1 :] == [
        "[1] Tabby — https://example.com/a%20b/c%20d.html",
        f"[2] {SCIENTIST} — https://lab.example/",
    ]
    loopback.queue(Reply(chunks=sse(*_hidden_events(), done=True)))
    drawn = pplx("ask", "q", server=loopback, tty=("stdout",), TERM="xterm-256color", COLUMNS="100")
    assert not _zero_width(drawn.stdout) and "Tabby" in drawn.stdout and SCIENTIST in drawn.stdout
    exported = pplx("chats", "show", saved_id(piped.stderr)).stdout
    assert not _zero_width(exported) and "Tabby" in exported and SCIENTIST in exported


async def test_the_sources_panel_shows_titles_without_invisible_characters(
    loopback: LoopbackServer,
) -> None:
    """QA: the sources panel showed ``[1] Tab\u200bby``."""
    loopback.queue(Reply(chunks=sse(*_hidden_events(), done=True)))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "Sources please")
        await until(pilot, lambda: "[2]" in screen_text(app))
        shown = screen_text(app)
        assert not _zero_width(shown) and "[1] Tabby" in shown
