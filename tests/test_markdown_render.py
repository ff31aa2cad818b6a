# ruff: noqa: RUF001  (math as Unicode: look-alike letters are the point)
"""The one Markdown renderer: block renderers by kind, math, task lists, footnotes, code frames,
tables that wrap between words, links that look and act like links."""

from __future__ import annotations

from textual.style import Style

from pplx_tui.math_text import latex_to_text
from pplx_tui.ui.citations import parser
from pplx_tui.ui.widgets.markdown_blocks import BLOCKS
from pplx_tui.ui.widgets.markdown_table import column_widths
from pplx_tui.ui.widgets.markdown_text import MarkdownDocument


def lines(markdown: str, width: int = 60) -> list[str]:
    return [line.plain.rstrip() for line in MarkdownDocument(parser(), markdown).lines(width)]


def test_every_block_kind_has_a_renderer_in_the_table() -> None:
    kinds = {"paragraph", "heading", "bullet_list", "ordered_list", "blockquote", "fence"}
    kinds |= {"table", "hr", "math_block", "footnote", "html_block", "code_block"}
    assert kinds <= set(BLOCKS)


def test_latex_math_reads_as_unicode_and_keeps_what_it_does_not_know() -> None:
    assert latex_to_text(r"\frac{n(n+1)}{2}") == "n(n+1)/2"
    assert latex_to_text(r"\frac{a+b}{2}") == "(a+b)/2"
    assert latex_to_text(r"\alpha \leq \sqrt{x_1^2}") == "α ≤ √(x₁²)"
    assert latex_to_text(r"\mathbb{R}^n") == "ℝⁿ"
    assert latex_to_text(r"\weird{x} + 1") == r"\weird{x} + 1"  # never eaten


def test_math_in_answers_and_prices_that_are_not_math() -> None:
    shown = lines(
        r"Euler: $e^{i\pi}+1=0$, \(x^2\); it costs $5 and $10." + "\n\n\\[\n\\sum_i x_i\n\\]\n"
    )
    assert shown[0] == "Euler: e^(iπ)+1=0, x²; it costs $5 and $10."
    assert shown[2].strip() == "∑ᵢ xᵢ"
    assert "\\" not in "".join(shown)


def test_a_line_starting_with_an_escaped_marker_is_text_not_display_math() -> None:
    """QA: "\\[5\\] starts the line" showed "5" alone and lost the rest of its line: display
    math is ``\\[`` at a line's start and ``\\]`` at its end (an equation number may follow)."""
    shown = lines("\\[5\\] starts the line, \\[6\\] ends it.\n\n\\[ x^2 \\] (1)\n\n\\[ y^2 \\]\n")
    assert shown[0] == "[5] starts the line, [6] ends it."
    assert [line.strip() for line in shown[2:5]] == ["x²  (1)", "", "y²"]


def test_display_math_on_the_lines_after_a_paragraph_s_is_math() -> None:
    """QA: "found from" then ``\\[`` on the next line: the math was read as the paragraph's
    text, backslashes and all."""
    shown = lines("found from\n\\[\n\\lambda^2\n\\]\nso \\[5\\] cites.")
    assert [line.strip() for line in shown[:5]] == ["found from", "", "λ²", "", "so [5] cites."]


def test_matrices_cases_and_aligned_equations_are_laid_out_in_rows() -> None:
    """QA: a pmatrix showed as written, ``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}``."""
    matrix = r"A = \begin{pmatrix} 1 & 20 \\ 300 & 4 \\ 5 & 6 \end{pmatrix}"
    assert latex_to_text(matrix, display=True).split("\n") == [
        "    ⎛  1   20 ⎞",
        "A = ⎜ 300  4  ⎟",
        "    ⎝  5   6  ⎠",
    ]
    assert latex_to_text(matrix) == "A = (1 20; 300 4; 5 6)"
    cases = r"|x| = \begin{cases} x & x \geq 0 \\ -x & \text{otherwise} \end{cases}"
    assert latex_to_text(cases, display=True).split("\n") == [
        "|x| = ⎧ x   x ≥ 0",
        "      ⎩ -x  otherwise",
    ]
    aligned = r"\begin{aligned} x &= 1 + 2 \\ y + z &= 3 \end{aligned}"
    assert latex_to_text(aligned, display=True).split("\n") == ["    x = 1 + 2", "y + z = 3"]
    unclosed = r"\begin{bmatrix} 1 & 2"
    assert latex_to_text(unclosed, display=True) == "[ 1  2 ]"
    assert latex_to_text(r"\begin{tabular} x \end{tabular}") == r"\begin{tabular} x \end{tabular}"


def test_math_nested_past_reason_is_shown_as_written_not_a_failure() -> None:
    """An answer's ``$$`` holding 3,000 nested groups (or matrices) failed its drawing."""
    for nested in ("{" * 3000 + "x" + "}" * 3000, r"\begin{pmatrix}" * 500 + "x"):
        assert lines(f"$${nested}$$")[1].strip().startswith(nested[:40])
    assert latex_to_text("{" * 30 + r"\alpha" + "}" * 30) == "α"


def test_an_answer_s_matrix_is_centred_as_one_block_inline_on_one_line() -> None:
    shown = lines(
        "\\[ \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix} \\]\n\n"
        "Inline $\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}$ here.",
        width=30,
    )
    assert shown[:5] == [
        "",
        "           ⎡ 1  0 ⎤",
        "           ⎣ 0  1 ⎦",
        "",
        "Inline |a b; c d| here.",
    ]


def test_task_lists_show_boxes() -> None:
    assert lines("- [ ] to do\n- [x] done\n- plain\n")[:3] == ["☐ to do", "☑ done", "• plain"]


def test_footnotes_are_set_apart() -> None:
    shown = lines("A claim[^1].\n\n[^1]: Where it comes from,\n  on two lines.\n")
    assert shown[:3] == ["A claim¹.", "", "¹ Where it comes from, on two lines."]


def test_a_paragraph_after_a_footnote_is_not_glued_to_it() -> None:
    """QA Q13: "¹ The footnote text." was followed by the next paragraph on the next line."""
    shown = lines("Claim[^1].\n\n[^1]: The footnote text.\n\nEvil: next paragraph.\n")
    assert shown[2:5] == ["¹ The footnote text.", "", "Evil: next paragraph."]


def test_code_blocks_are_framed_with_their_language() -> None:
    shown = lines("```python\nx = 1\n```\n", 20)
    assert shown[1:4] == ["╭─ python ─────────╮", "│ x = 1            │", "╰──────────────────╯"]


def test_a_line_break_tag_breaks_the_line() -> None:
    assert lines("one<br>two")[:2] == ["one", "two"]


def test_tables_at_80_columns_wrap_between_words() -> None:
    row = "| Sonar Reasoning Pro | " + "multi-step reasoning with search and citations " * 2 + "|"
    table = "| Model | What it does | Price |\n|---|---|---|\n" + row + " $2 / $8 |\n"
    shown = lines(table, 80)
    assert all(len(line) <= 80 for line in shown)
    words = " ".join(shown).replace("│", " ").split()
    assert "Reasoning" in words and "multi-step" in words  # no word cut in two
    assert column_widths([30, 20], 30, [12, 8]) == [17, 13]


def test_a_table_too_narrow_for_its_longest_words_breaks_none() -> None:
    """QA-33: when the columns' longest words did not all fit, every column was cut to one
    width, so short words broke too: "Algorith/m", "behavio/ur", "network/s" in a five-column
    table at 60 columns. Now no word breaks (the table reads as records)."""
    table = (
        "| Algorithm | Default on | Year introduced | Loss based | Notes |\n|---|---|---|---|---|\n"
        "| Reno | old BSD | 1990 | yes | slow on long fat networks, behaviour under bufferbloat |\n"
    )
    words = " ".join(lines(table, 55)).replace("│", " ").split()
    assert {"Algorithm:", "Default", "networks,", "behaviour", "bufferbloat"} <= set(words), words


def test_links_markers_and_web_links_are_styled_apart() -> None:
    line = MarkdownDocument(parser(), "See [2] and [docs](https://example.org/a).").lines(80)[0]
    styles = {line.plain[s.start : s.end]: [] for s in line.spans}
    for span in line.spans:
        styles[line.plain[span.start : span.end]].append(span.style)
    assert ".markdown-text--citation" in styles["[2]"]
    assert ".markdown-text--link" in styles["docs"]
    hyperlinks = [s.link for s in styles["docs"] if isinstance(s, Style)]
    assert hyperlinks == ["https://example.org/a"]  # an OSC 8 hyperlink
    assert not any(isinstance(s, Style) and s.link for s in styles["[2]"])


def test_double_dollar_math_inside_a_sentence_is_shown_not_dropped() -> None:
    """QA: "math $E=mc^2$ and $$\\int_0^1 x^2 dx = \\frac{1}{3}$$ and a long url" showed as
    "math E=mc² and  and a long url": the parser makes ``$$…$$`` within a line a token of
    its own kind, which no renderer drew."""
    shown = lines(r"math $E=mc^2$ and $$\int_0^1 x^2 dx = \frac{1}{3}$$ and a url", width=80)
    assert shown[0] == "math E=mc² and ∫₀¹ x² dx = 1/3 and a url"


def test_a_table_too_narrow_for_its_words_reads_as_records() -> None:
    """Seen in a comparison's 38-column column: a three-column table broke "Encryptio/n",
    "independe/nt", "connectio/n". Too narrow for its longest words side by side, each row
    reads as a record: its first cell, then ``header: cell`` lines, no word cut."""
    table = (
        "| | TCP | QUIC |\n|---|---|---|\n"
        "| Encryption | optional, a separate layer | always on, TLS 1.3 built in [1] |\n"
        "| Streams | one ordered byte stream | many independent streams [1] |\n"
    )
    shown = lines(table, 38)
    assert shown[-1] == ""  # (a block's bottom margin)
    assert shown[:-1] == [
        "Encryption",
        "  TCP: optional, a separate layer",
        "  QUIC: always on, TLS 1.3 built in",
        "    [1]",
        "",
        "Streams",
        "  TCP: one ordered byte stream",
        "  QUIC: many independent streams [1]",
    ]
    assert lines(table, 70)[0].startswith("┌")  # with room, the table stays a table
