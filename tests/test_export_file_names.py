"""The file an export is offered as: a slug of the chat's title, safe in any folder and shell."""

from __future__ import annotations

import pytest

from pplx_tui.export_file import file_name

CHAT_ID = "01m8sp6hhd8dxrn4"


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("How many moons does Mars have?", "how-many-moons-does-mars-have"),
        ("  TCP vs. QUIC: what changed?  ", "tcp-vs-quic-what-changed"),
        ("Café au lait — crème brûlée", "cafe-au-lait-creme-brulee"),
        ("../../etc/passwd", "etc-passwd"),
        ("~/.ssh/id_rsa; rm -rf *", "ssh-id_rsa-rm-rf"),
        ("-rf --help", "rf-help"),
        ("$(reboot) `id` a\tb\nc\x1b[31m", "reboot-id-a-b-c-31m"),
        ("京都の天気", "京都の天気"),
        ("हिन्दी समाचार", "हिन्दी-समाचार"),
        ("C++ and C#", "c-and-c"),
    ],
)
def test_a_title_becomes_a_readable_slug(title: str, stem: str) -> None:
    assert file_name(title, CHAT_ID, ".md") == f"{stem}.md"


@pytest.mark.parametrize("title", ["", "   ", "???", "🚀🚀", "…", "CON", "nul", "Lpt1"])
def test_a_title_with_no_safe_word_gives_the_chat_id(title: str) -> None:
    assert file_name(title, CHAT_ID, ".bib") == f"{CHAT_ID}.bib"


def test_a_long_title_is_cut_between_words() -> None:
    title = "What are the long-term health effects of drinking four cups of coffee every day"
    name = file_name(title, CHAT_ID, ".csl.json")
    stem = name.removesuffix(".csl.json")
    assert len(stem) <= 60
    assert stem == "what-are-the-long-term-health-effects-of-drinking-four-cups"
    assert file_name("x" * 300, CHAT_ID, ".md") == "x" * 60 + ".md"
