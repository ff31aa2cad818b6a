"""A contrast guard over a theme's CSS variables: the colours the app draws text (and
dividers) in, lifted to a least contrast on the grounds they are drawn on.

Textual's built-in themes, and a user's, pick their colours for Textual's own widgets; the app
draws more with them: headings in the theme's primary (flexoki's blue on black, 2.9:1), key
sheet sections in its accent on a dialog (atom-one-light's yellow on grey, 1.78:1), help text
in ``$text-disabled`` on a light panel (2.6:1), a divider in a lighter shade of the panel that
on a light theme is lighter than the background beside it. Each such colour is kept where it
reads, else moved towards black or white (whichever its ground contrasts with more) only as far
as it must. Without colour (``NO_COLOR``) the grey Textual draws for it must read too.

Each is measured as the terminal shows it (:func:`~pplx_tui.ui.contrast.reduced`): in 256
colours (TERM=xterm-256color, no COLORTERM) solarized-dark's dividers were the panel's own
colour 23, its headings 2.17:1. In 256 colours tokyo-night's chat list, the focus elsewhere,
had its highlighted chat 2.86:1, and solarized-dark's "Retry" button 2.17:1. A terminal of 16
colours shows them in its own palette, the user's, unknown to the app: they are measured in
xterm's default one (:data:`~pplx_tui.ui.contrast.XTERM_16`). There, with TERM=xterm,
pplx-light's placeholders were light grey on bright white (1.26:1), its markers cyan (1.98:1),
textual-light's yellow (1.70:1), pplx-dark's dialog titles cyan on bright black (2.02:1); where
the ground is another shade there than in truecolor (pplx-light's teal highlight is cyan), the
colour goes the other way, towards black. An ANSI theme's colours are the terminal's own, sent
as they are: its text is measured in that palette too, on the terminal's default ground
(ansi-light's cyan labels and bullets were 1.98:1 on white), and swapped for another of the
terminal's colours where it falls short (:func:`_ansi_readable`).

:func:`guard` takes the variables Textual made of the theme (``App.get_css_variables``) and
gives them back guarded, with the app's own roles (:data:`ROLES`) added; :func:`roles` alone
are among the app's variable defaults (:func:`~pplx_tui.ui.themes.app_variable_defaults`), for
an app of the tests that hosts a widget of the app's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rich.color import ANSI_COLOR_NAMES, ColorSystem
from textual.color import Color, ColorParseError

from pplx_tui.ui.contrast import NORMAL, SECONDARY, XTERM_16, contrast_ratio, reduced

__all__ = ["DIVIDER", "GUARDED", "HIGHLIGHTS", "ROLES", "guard", "roles"]

DIVIDER = 1.4
"""The least contrast of a divider or a scrollbar's thumb with what is beside it (pplx-dark's
divider: 1.46:1 on the chat list)."""
_TEXT_GROUNDS = ("background", "surface", "panel", "input-focus", "fence")
"""Where help text, muted and coloured text are drawn: the screen, lists and inputs, dialogs,
a focused input (the surface tinted by the foreground), a code block (whose tokens are in the
``text-*`` colours)."""
_ANSWER_GROUNDS = ("background", "surface")

GUARDED: dict[str, tuple[tuple[str, ...], float]] = {
    # (Textual's lists draw their highlight, the focus elsewhere, in the foreground too.)
    "foreground": (("background", "surface", "panel", "blurred-highlight", "palette"), SECONDARY),
    "button-foreground": (("surface",), SECONDARY),
    # (a primary button's: pplx-light's paper white on its teal, cyan in 16 colours)
    "button-color-foreground": (("primary",), SECONDARY),
    **dict.fromkeys(
        ("source-cited", "source-uncited", "citation-marker"), (_ANSWER_GROUNDS, SECONDARY)
    ),
    "text-muted": (_TEXT_GROUNDS, SECONDARY),
    "text-disabled": (_TEXT_GROUNDS, SECONDARY),
    "foreground-muted": (_TEXT_GROUNDS, SECONDARY),
    **{
        f"text-{name}": (_TEXT_GROUNDS, SECONDARY)
        for name in ("primary", "secondary", "accent", "success")
    },
    # (and inline code: gruvbox's, in 16 colours bright red on bright black)
    **dict.fromkeys(("text-warning", "text-error"), ((*_TEXT_GROUNDS, "code-inline"), SECONDARY)),
    **{f"markdown-h{n}-color": (_ANSWER_GROUNDS, SECONDARY) for n in range(1, 7)},
    # (an input's selected text: the title a rename dialog opens with, 2.18:1 in atom-one-dark)
    "input-selection-foreground": (("input-selection",), SECONDARY),
    "block-cursor-foreground": (("block-cursor-background",), NORMAL),
    # (and the command palette's highlighted entry: its list is never focused)
    "block-cursor-blurred-foreground": (("blurred-highlight", "palette-highlight"), NORMAL),
    **dict.fromkeys(
        ("footer-key-foreground", "footer-description-foreground"),
        (("footer-background",), SECONDARY),
    ),
    "scrollbar": (("scrollbar-background",), DIVIDER),
    "border": (("background", "surface"), DIVIDER),
}
"""Textual's variables the app guards in place: their grounds and least contrast."""

ROLES: dict[str, tuple[str, tuple[str, ...], float]] = {
    "dialog-title": ("primary", ("panel",), SECONDARY),
    "key-section": ("accent", ("panel",), SECONDARY),
    "table-header": ("primary", _ANSWER_GROUNDS, SECONDARY),
    "divider": ("panel-lighten-1", ("background", "surface"), DIVIDER),
    "placeholder": ("auto 40%", _TEXT_GROUNDS, SECONDARY),
    "notice-text": ("text-warning", ("notice",), SECONDARY),
    "notice-hide": ("notice-text 50%", ("notice",), SECONDARY),
    "palette-help": ("foreground-muted", ("palette", "palette-highlight"), SECONDARY),
    "fence-frame": ("foreground 30%", _ANSWER_GROUNDS, DIVIDER),
    "table-lines": ("foreground 20%", _ANSWER_GROUNDS, DIVIDER),
}
"""The app's own variables: the colour each starts from (a variable's or an earlier role's,
``name N%`` for it at N%, or ``auto N%``), its grounds and least contrast. ``notice``: the
line above the conversation (:class:`~pplx_tui.ui.widgets.notice_bar.NoticeBar`), its text
on ``$warning-muted``, its "✕ hide" fainter (Textual's ``dim`` was 1.81:1 in flexoki).
``palette-help``: the command palette's descriptions, on its list and on its highlighted entry
(Textual's ``dim`` of the entry's colour was bright black on bright black with TERM=xterm: QA).
``fence-frame``, ``table-lines``: a code block's frame and a table's rules (bright black on
nord's bright black conversation with TERM=xterm: QA)."""
HIGHLIGHTS: dict[str, tuple[str, ...]] = {
    "block-cursor-background": ("surface",),
    "block-cursor-blurred-background": ("surface", "palette"),
}
"""The lists' highlights (focused, and the focus elsewhere: the command palette's always) and
the grounds of the rows beside them."""
_ANSI_GROUNDS = {
    "notice": "warning-muted",
    "input-selection": "input-selection-background",
    "blurred-highlight": "block-cursor-blurred-background",
}
"""Grounds an ANSI theme may draw in one of the terminal's colours, where the variable is not
the ground's own name (the others, an input's and a code block's, are its default)."""
_ANSI_NAMES = {number: name for name, number in ANSI_COLOR_NAMES.items() if number < 16}


def guard(
    variables: dict[str, str],
    *,
    dark: bool,
    mono: bool = False,
    system: ColorSystem = ColorSystem.TRUECOLOR,
) -> dict[str, str]:
    """``variables`` with :data:`GUARDED` lifted and :data:`ROLES` added (see :func:`roles`);
    ``mono``: measured in the greys of Textual's ``NO_COLOR`` filter as well; ``system``: the
    terminal's colours they are measured in. An ANSI theme's colours are the terminal's: kept,
    or swapped for another of them (:func:`_ansi_readable`)."""
    return dict(_guarded(tuple(variables.items()), dark, mono, system))


@functools.lru_cache(maxsize=16)
def _guarded(
    items: tuple[tuple[str, str], ...], dark: bool, mono: bool, system: ColorSystem
) -> dict[str, str]:
    """:func:`guard`, kept for themes asked again (a theme switched back to; each test's app)."""
    shown = _Shown(mono, system)
    variables = dict(items)
    variables.update(_highlights(variables, dark, shown))
    guarded = {**variables, **roles(variables, dark=dark, mono=mono, system=system)}
    grounds = _grounds(variables, dark)
    for name, (where, least) in GUARDED.items():
        if value := variables.get(name):
            guarded[name] = (
                _ansi_readable(value, _ansi_grounds(variables, where), least, dark)
                or _lifted(value, [grounds.get(g) for g in where], least, shown)
                or value
            )
    return guarded


def _highlights(variables: dict[str, str], dark: bool, shown: _Shown) -> dict[str, str]:
    """The lists' highlights (:data:`HIGHLIGHTS`) kept apart from the rows beside them as the
    terminal shows them: as far as in truecolor, up to :data:`DIVIDER`. In 256 colours nord's
    blurred highlight was colour 60 beside 59 (1.06:1), in 16 colours its rows' own bright
    black: the highlighted chat or command could not be seen (QA)."""
    grounds = _grounds(variables, dark)
    found: dict[str, str] = {}
    for name, where in HIGHLIGHTS.items():
        value = variables.get(name, "")
        colour = _colour(value, variables)
        known = [grounds[g] for g in where if g in grounds]
        if colour is None or not known:
            continue
        least = min(DIVIDER, *(contrast_ratio(ground + colour, ground) for ground in known))
        if lifted := _lifted(value, known, least, shown):
            found[name] = lifted
    return found


def roles(
    variables: dict[str, str],
    *,
    dark: bool,
    mono: bool = False,
    system: ColorSystem = ColorSystem.TRUECOLOR,
) -> dict[str, str]:
    """The app's :data:`ROLES` for a theme's ``variables`` (a ``dark`` theme's divider a
    lighter shade of the panel, a light one's a darker shade); an ANSI theme's in the
    terminal's colours (:func:`_ansi_readable`)."""
    grounds = _grounds(variables, dark)
    shown = _Shown(mono, system)
    found: dict[str, str] = {}
    for name, (source, where, least) in ROLES.items():
        if name == "divider" and not dark:
            source = "panel-darken-1"
        value = _source(source, {**variables, **found})
        found[name] = (
            _ansi_readable(value, _ansi_grounds(variables, where), least, dark)
            or _lifted(value, [grounds.get(g) for g in where], least, shown)
            or value
        )
    return found


def _source(source: str, variables: dict[str, str]) -> str:
    """A role's starting colour: ``auto N%`` as it is, ``name`` (``name N%``) as the variable's
    colour (at N%)."""
    if source.startswith("auto"):
        return source
    name, _, alpha = source.partition(" ")
    return f"{variables[name]} {alpha}".strip()


def _ansi_grounds(variables: dict[str, str], where: tuple[str, ...]) -> list[Color | None]:
    """In an ANSI theme, each of the grounds ``where`` as one of the terminal's 16 colours
    (``None``: the terminal's default); in any other, none."""
    if not variables.get("background", "").startswith("ansi_"):
        return []
    return [_ansi(variables.get(_ANSI_GROUNDS.get(g, g), "")) for g in where]


def _ansi_readable(value: str, grounds: list[Color | None], least: float, dark: bool) -> str | None:
    """In an ANSI theme, text in one of the terminal's 16 colours, measured in xterm's
    (:data:`~pplx_tui.ui.contrast.XTERM_16`) on its ``grounds`` (the terminal's default: black
    on a dark terminal, white on a light one), lifted where it falls short of ``least``:
    ansi-light's cyan bullets and labels were 1.98:1 on white, ansi-dark's blue 2.23:1 on
    black, its notice yellow on yellow. Its twin (bright on a dark terminal, plain on a light
    one) where that reads; else on the default ground the terminal's own text colour (the pair
    every palette is made to read), on a colour black or bright white, whichever reads more.
    ``None`` where it reads, or is not one of the terminal's colours."""
    colour = _ansi(value)
    if colour is None or colour.ansi is None or colour.ansi >= 16 or not grounds:
        return None
    default = Color(0, 0, 0) if dark else Color(255, 255, 255)
    shades = [Color(*XTERM_16[g.ansi]) if g and g.ansi is not None else default for g in grounds]

    def reads(number: int) -> bool:
        return all(contrast_ratio(Color(*XTERM_16[number]), shade) >= least for shade in shades)

    if reads(colour.ansi):
        return None
    twin = colour.ansi + 8 if dark else colour.ansi - 8
    if 0 <= twin < 16 and (colour.ansi < 8) == dark and reads(twin):
        return f"ansi_{_ANSI_NAMES[twin]}"
    if all(g is None for g in grounds):
        return "ansi_default"
    black, white = Color(*XTERM_16[0]), Color(*XTERM_16[15])
    coloured = next(shade for shade, g in zip(shades, grounds, strict=True) if g is not None)
    if contrast_ratio(black, coloured) >= contrast_ratio(white, coloured):
        return "ansi_black"
    return "ansi_bright_white"


def _ansi(value: str) -> Color | None:
    """``value`` (``ansi_yellow``, ``ansi_yellow 50%``) as one of the terminal's colours (its
    default is none of them); ``None`` for any other. (Only ``ansi_`` names are: any other
    word is not parsed, as a word that is no colour costs a search for a suggestion.)"""
    if not value.startswith("ansi_"):
        return None
    try:
        colour = Color.parse(value.split()[0]) if value.split() else None
    except ColorParseError:
        return None
    return colour if colour is not None and colour.ansi is not None and colour.ansi >= 0 else None


def _grounds(variables: dict[str, str], dark: bool) -> dict[str, Color]:
    """The opaque colours text is drawn on, by name (``fence``: a code block's, as
    :data:`~pplx_tui.ui.widgets.markdown_common.MARKDOWN_CSS` draws it; ``blurred-highlight``:
    a list's highlight, the focus elsewhere, on the lists' surface; ``input-selection``: selected
    text's, on a focused input; ``notice``: the notice's ``$warning-muted``; ``code-inline``:
    inline code's, as ``MARKDOWN_CSS`` draws it; ``palette``: the command palette's list, as
    Textual draws it, and ``palette-highlight`` its highlighted entry)."""
    found: dict[str, Color] = {}
    names = (
        *("background", "surface", "panel", "primary", "block-cursor-background"),
        *("scrollbar-background", "footer-background"),
    )
    for name in names:
        colour = _colour(variables.get(name, ""), variables)
        if colour is not None:
            under = found.get("background", Color(0, 0, 0))
            found[name] = under + colour
    if "surface" in found and (text := _colour(variables.get("foreground", ""), variables)):
        found["input-focus"] = found["surface"].blend(text, 0.05)
    selection = _colour(variables.get("input-selection-background", ""), variables)
    if "input-focus" in found and selection is not None:
        found["input-selection"] = found["input-focus"] + selection
    blurred = _colour(variables.get("block-cursor-blurred-background", ""), variables)
    if "surface" in found and blurred is not None:
        found["blurred-highlight"] = found["surface"] + blurred
    if "background" in found and (notice := _colour(variables.get("warning-muted", ""), variables)):
        found["notice"] = found["background"] + notice
    list_ground = _colour(variables.get("panel-darken-1" if dark else "surface", ""), variables)
    if "background" in found and list_ground is not None:
        found["palette"] = found["background"] + list_ground
        if blurred is not None:
            found["palette-highlight"] = found["palette"] + blurred
    if "background" in found:
        fence = Color(0, 0, 0, 0.1) if dark else Color(255, 255, 255, 0.3)
        found["fence"] = found["background"] + fence
    code = _colour(variables.get("warning" if dark else "error", ""), variables)
    if "background" in found and code is not None:
        found["code-inline"] = found["background"] + code.multiply_alpha(0.1 if dark else 0.05)
    return found


def _colour(value: str, variables: dict[str, str], depth: int = 0) -> Color | None:
    """A CSS colour value (``#hex``, ``#hex 35%``, ``$name 50%``) as a colour; ``None`` for
    what it cannot tell (``auto``, an ANSI colour, more)."""
    parts = value.split()
    if not parts or depth > 4:
        return None
    alpha = 1.0
    if len(parts) == 2 and parts[1].endswith("%"):
        try:
            alpha = float(parts[1][:-1]) / 100
        except ValueError:
            return None
    elif len(parts) != 1:
        return None
    if parts[0].startswith("$"):
        colour = _colour(variables.get(parts[0][1:], ""), variables, depth + 1)
    else:
        try:
            colour = Color.parse(parts[0])
        except ColorParseError:
            return None
    if colour is None or colour.ansi is not None:
        return None
    return colour.multiply_alpha(alpha)


@dataclass(frozen=True, slots=True)
class _Shown:
    """How the terminal shows colours: in greys (``NO_COLOR``), in ``system``'s colours."""

    mono: bool
    system: ColorSystem

    def reads(self, colour: Color, ground: Color, least: float) -> bool:
        """Whether ``colour`` over ``ground`` has ``least`` contrast on it as shown (in 16
        colours, the terminal's own: another of them than the ground's)."""
        shown = ground + colour
        if self.mono and contrast_ratio(shown.monochrome, ground.monochrome) < least:
            return False
        if self.system == ColorSystem.TRUECOLOR:
            return contrast_ratio(shown, ground) >= least
        return contrast_ratio(reduced(shown, self.system), reduced(ground, self.system)) >= least


def _lifted(value: str, grounds: list[Color | None], least: float, shown: _Shown) -> str | None:
    """``value`` lifted to ``least`` contrast on every one of ``grounds``: ``None`` where it
    already reads (or cannot be told), else the new value (``auto N%`` stays ``auto``)."""
    known = [ground for ground in grounds if ground is not None]
    if not known or len(known) < len(grounds):
        return None
    if value.startswith("auto"):
        return _lifted_auto(value, known, least, shown)
    colour = _colour(value, {})
    if colour is None or all(shown.reads(colour, ground, least) for ground in known):
        return None
    start = known[0] + colour
    ends = sorted(
        (Color(255, 255, 255), Color(0, 0, 0)), key=lambda end: -contrast_ratio(end, known[0])
    )
    for target in ends:  # (the other where fewer colours show the ground another shade)
        for step in range(1, 21):
            candidate = start.blend(target, step / 20, alpha=1.0)
            if all(shown.reads(candidate, ground, least) for ground in known):
                return candidate.hex
    return ends[0].hex


def _lifted_auto(value: str, grounds: list[Color], least: float, shown: _Shown) -> str | None:
    """``auto N%`` (black or white at N% over each ground) with N raised as far as it must;
    black or white where even ``auto`` falls short as the terminal shows it."""
    try:
        percent = float(value.removeprefix("auto").strip().rstrip("%") or 100)
    except ValueError:
        return None

    def reads(alpha: float) -> bool:
        return all(
            shown.reads(ground.get_contrast_text(alpha), ground, least) for ground in grounds
        )

    if reads(percent / 100):
        return None
    while percent < 100 and not reads(percent / 100):
        percent = min(percent + 5, 100)
    if not reads(1.0):  # (as shown, the ground another shade: textual-dark's blue is cyan)
        for end in (Color(0, 0, 0), Color(255, 255, 255)):
            if all(shown.reads(end, ground, least) for ground in grounds):
                return end.hex
    return f"auto {percent:g}%"
