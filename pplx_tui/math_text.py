# ruff: noqa: RUF001  (the point of this module is look-alike characters)
"""LaTeX math as readable Unicode text: ``\\frac{n(n+1)}{2}`` → ``n(n+1)/2``, ``x^2`` → ``x²``.

Answers about science write math as LaTeX (``$…$``, ``\\(…\\)``, ``\\[…\\]``); a terminal can
show most of it as text. This is a small table of symbols and a handful of structures
(fractions, roots, sub/superscripts, font commands), not a TeX engine: what it does not know
stays as written, backslash included, so nothing is silently lost. (``pylatexenc`` was tried:
140 ms to import, ``\\frac{a+b}{2}`` became ``a+b/2`` and unknown commands vanished.)
"""

from __future__ import annotations

import re

from pplx_tui.math_layout import ENVIRONMENTS, block, lay_out

__all__ = ["DISPLAY_BRACKETS", "latex_to_text"]

DISPLAY_BRACKETS = r"\\\[((?:(?!\\\])[\s\S])+?)\\\][ \t]*(?:\(([^)$\r\n]+?)\)[ \t]*)?$"
"""``\\[…\\]`` display math from its ``\\[`` on (a pattern for ``re.MULTILINE``): its first
``\\]`` ends its line, or an equation number ``(1)`` after it does; groups: the math, the number.
Anything else is text: ``\\[5\\] starts a sentence`` holds an escaped marker, "[5]" (QA: the
app showed "5" alone and dropped the rest of the line; ``pplx ask`` split the sentence)."""

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
    "mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
SYMBOLS = {
    # Greek
    **dict(
        zip(
            _GREEK_NAMES.split(),
            "αβγδϵεζηθϑικλμνξπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ",
            strict=True,
        )
    ),
    # operators and relations
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "supseteq": "⊇", "cup": "∪", "cap": "∩", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧",
    "lor": "∨", "vee": "∨", "oplus": "⊕", "otimes": "⊗", "circ": "∘", "bullet": "•",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦",
    "uparrow": "↑", "downarrow": "↓",
    "sum": "∑", "prod": "∏", "int": "∫", "iint": "∬", "oint": "∮", "partial": "∂",
    "nabla": "∇", "infty": "∞", "sqrt": "√", "angle": "∠", "perp": "⊥", "parallel": "∥",
    "degree": "°", "prime": "′", "hbar": "ℏ", "ell": "ℓ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
    "ldots": "…", "cdots": "⋯", "dots": "…", "vdots": "⋮", "ddots": "⋱",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
    "lbrace": "{", "rbrace": "}", "vert": "|", "Vert": "‖", "mid": "∣", "setminus": "∖",
    "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "\\": "\n",
    "left": "", "right": "", "big": "", "Big": "", "bigl": "", "bigr": "", "displaystyle": "",
    "hline": "",
    "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
    "lim": "lim", "max": "max", "min": "min", "det": "det", "gcd": "gcd", "deg": "deg",
}  # fmt: skip
FONTS = {"text", "mathrm", "mathit", "mathbf", "textbf", "textit", "operatorname", "mbox"}
BLACKBOARD = dict(zip("RNZQCPH", "ℝℕℤℚℂℙℍ", strict=True))
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "vec": "\u20d7", "dot": "\u0307", "tilde": "\u0303"}
SUPER = dict(zip("0123456789+-=()niax", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃˣ", strict=True))
SUB = dict(zip("0123456789+-=()aeijknmx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₘₓ", strict=True))
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_ENVIRONMENT = re.compile(r"\s*\{([A-Za-z]+\*?)\}")
_ENVIRONMENT_EDGE = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}")


_NESTING = re.compile(r"\\(?:begin|end)\b|\\.|[{}]", re.DOTALL)
_STEPS = {"{": 1, "}": -1, "\\begin": 1, "\\end": -1}
_DEEPEST = 40
"""Math nested deeper (groups, environments) stays as written: read nested, it went past
Python's recursion limit (``{`` 3,000 times in an answer's ``$$…$$`` failed its drawing)."""


def latex_to_text(latex: str, *, display: bool = False) -> str:
    """``latex`` (math mode, without its ``$`` or ``\\(`` delimiters) as Unicode text; in
    ``display`` math a matrix, cases or aligned equations take several lines."""
    if _nesting(latex) > _DEEPEST:
        return latex.strip()
    text, _ = _group(latex.strip(), 0, closing="")
    return lay_out(re.sub(r"[ \t]+", " ", text).strip(), display=display)


def _nesting(latex: str) -> int:
    """How deep ``latex``'s groups and environments are nested, at the deepest."""
    depth = deepest = 0
    for found in _NESTING.finditer(latex):
        depth += _STEPS.get(found.group(), 0)
        deepest = max(deepest, depth)
    return deepest


def _group(source: str, position: int, closing: str) -> tuple[str, int]:
    """Text up to ``closing`` (``}`` or the end); returns it and the position after it."""
    out: list[str] = []
    while position < len(source):
        char = source[position]
        if closing and char == closing:
            return "".join(out), position + 1
        if char == "{":
            inner, position = _group(source, position + 1, "}")
            out.append(inner)
        elif char in "^_":
            argument, position = _argument(source, position + 1)
            out.append(_script(argument, SUPER if char == "^" else SUB, char))
        elif char == "\\":
            piece, position = _command(source, position)
            out.append(piece)
        elif char == "~":
            out.append(" ")
            position += 1
        else:
            out.append(char)
            position += 1
    return "".join(out), position


def _argument(source: str, position: int) -> tuple[str, int]:
    """One argument: a ``{group}``, a command, or a single character."""
    while position < len(source) and source[position] == " ":
        position += 1
    if position >= len(source):
        return "", position
    if source[position] == "{":
        return _group(source, position + 1, "}")
    if source[position] == "\\":
        return _command(source, position)
    return source[position], position + 1


def _command(source: str, position: int) -> tuple[str, int]:
    match = _COMMAND.match(source, position)
    if match is None:  # a lone backslash at the end
        return "\\", position + 1
    name, position = match.group(1), match.end()
    if name in ("frac", "dfrac", "tfrac"):
        top, position = _argument(source, position)
        bottom, position = _argument(source, position)
        return f"{_wrap(top)}/{_wrap(bottom)}", position
    if name == "sqrt":
        if position < len(source) and source[position] == "[":
            end = source.find("]", position)
            degree = source[position + 1 : end] if end > 0 else ""
            position = end + 1 if end > 0 else position
            root = {"3": "∛", "4": "∜"}.get(degree.strip(), _script(degree, SUPER, "^") + "√")
        else:
            root = "√"
        argument, position = _argument(source, position)
        return root + (argument if len(argument) == 1 else f"({argument})"), position
    environment = _ENVIRONMENT.match(source, position) if name == "begin" else None
    if environment and environment.group(1) in ENVIRONMENTS:
        return _environment(source, environment.group(1), environment.end())
    if name in FONTS:
        return _argument(source, position)
    if name == "mathbb":
        argument, position = _argument(source, position)
        return "".join(BLACKBOARD.get(c, c) for c in argument), position
    if name in ACCENTS:
        argument, position = _argument(source, position)
        return (argument + ACCENTS[name]) if len(argument) == 1 else argument, position
    if name in SYMBOLS:
        return SYMBOLS[name], position
    # Unknown: kept as written, backslash, braces and all.
    end = position
    while end < len(source) and source[end] == "{":
        end = _group_end(source, end)
    return match.group(0) + source[position:end], end


def _environment(source: str, name: str, position: int) -> tuple[str, int]:
    """The environment ``name`` whose body starts at ``position`` (up to its ``\\end``, or the
    end of ``source``) as a block of rows (:func:`pplx_tui.math_layout.block`)."""
    if name == "array":  # its columns' alignment: {cc}
        _, position = _argument(source, position)
    depth, end, after = 1, len(source), len(source)
    for edge in _ENVIRONMENT_EDGE.finditer(source, position):
        if edge.group(2) == name:
            depth += 1 if edge.group(1) == "begin" else -1
            if depth == 0:
                end, after = edge.start(), edge.end()
                break
    rows = [
        [latex_to_text(cell) for cell in _split(row, "&")]
        for row in _split(source[position:end], "\\\\")
    ]
    return block(name, rows), after


def _split(source: str, separator: str) -> list[str]:
    """``source`` cut at each ``separator`` (``&``, or ``\\\\``) outside braces and inner
    environments."""
    parts, start, depth, index = [], 0, 0, 0
    while index < len(source):
        if source.startswith(separator, index) and depth == 0:
            parts.append(source[start:index])
            index = start = index + len(separator)
            continue
        char = source[index]
        if char == "\\":
            edge = _ENVIRONMENT_EDGE.match(source, index)
            if edge:
                depth += 1 if edge.group(1) == "begin" else -1
                index = edge.end()
            else:
                index += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        index += 1
    parts.append(source[start:])
    return parts


def _group_end(source: str, position: int) -> int:
    """The position after the ``{…}`` group that starts at ``position``."""
    depth = 0
    for index in range(position, len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return index + 1
    return len(source)


def _wrap(text: str) -> str:
    """Parentheses around a fraction's part when it has more than one term (outside brackets)."""
    depth = 0
    for char in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if depth == 0 and char in " +-−±×·/":
            return f"({text})"
    return text


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """A sub/superscript in Unicode when every character has one, else ``^(…)``/``_(…)``."""
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"
