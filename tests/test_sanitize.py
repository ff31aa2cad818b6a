"""Untrusted text is inert: no escape sequence, control character or odd URL gets through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pplx_tui.sanitize import clean_line, clean_text, is_web_url, safe_url

ATTACKS = [
    ("\x1b]52;c;ZXZpbA==\x07ok", "ok"),  # OSC 52 clipboard write
    ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 fake link
    ("\x1b[2J\x1b[Hcleared", "cleared"),  # CSI clear screen
    ("red\x1b[31m text\x1b[0m", "red text"),
    ("\x9b31mC1 csi", "C1 csi"),
    ("\x9d0;title\x9cafter", "after"),
    ("bell\x07 and nul\x00", "bell and nul"),
    ("over\rwrite", "overwrite"),
    ("\x1bPdcs payload\x1b\\visible", "visible"),
    ("lone escape \x1b", "lone escape "),
]


@pytest.mark.parametrize(("raw", "expected"), ATTACKS)
def test_control_sequences_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_newlines_tabs_and_unicode_are_kept() -> None:
    text = "line one\n\tindented — café 東京 🚀\n"

    assert clean_text(text) == text


def test_bidirectional_overrides_are_removed_and_other_scripts_kept() -> None:
    """A title "invoice\u202efdp.exe" was shown as "invoiceexe.pdf" (a right-to-left
    override turns what follows around on terminals that do bidi): the overrides, embeddings
    and isolates go; right-to-left text itself, its marks and emoji joiners stay."""
    spoof = "invoice\u202efdp.exe \u2066x\u2069 \u202ay\u202c"
    kept = (
        "\u05e9\u05dc\u05d5\u05dd \u200f\u0645\u0631\u062d\u0628\u0627 \U0001f469\u200d\U0001f4bb"
    )

    assert clean_text(spoof) == "invoicefdp.exe x y"
    assert clean_line(spoof) == "invoicefdp.exe x y"
    assert clean_text(kept) == kept


def test_clean_line_folds_whitespace() -> None:
    assert clean_line("  A\ntitle\twith\x1b[1m bold  ") == "A title with bold"


@given(st.text())
def test_no_escape_or_control_survives_any_input(text: str) -> None:
    cleaned = clean_text(text)

    assert "\x1b" not in cleaned
    assert all(ch in "\n\t" or not (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F) for ch in cleaned)


@pytest.mark.parametrize(
    "url",
    ["https://nature.com/a?b=1", "http://example.org", "HTTPS://EXAMPLE.ORG/x"],
)
def test_web_urls_are_allowed(url: str) -> None:
    assert is_web_url(url)
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "ftp://example.org",
        "https://",
        "//example.org/no-scheme",
        "https://exa mple.org",
        "",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    assert safe_url(url) is None


def test_escape_sequences_inside_a_url_are_stripped() -> None:
    assert safe_url("https://example.org/\x1b]52;c;eA==\x07") == "https://example.org/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a b/c d.html", "https://example.com/a%20b/c%20d.html"),
        (
            "https://example.com/search?q=two moons#a b",
            "https://example.com/search?q=two%20moons#a%20b",
        ),
    ],
)
def test_spaces_after_the_host_are_encoded(url: str, expected: str) -> None:
    assert safe_url(url) == expected
