"""WCAG contrast between two colours, and text colours chosen to keep it readable.

Used where the app mixes its own colours into a theme's (a muted line on a highlighted row, the
citation marker of a theme that sets none): a theme's accent or its ``text-muted`` is picked for
its own background, and on another (a highlight, a light theme's panel) it can all but vanish.
"""

from __future__ import annotations

from rich._palettes import EIGHT_BIT_PALETTE
from rich.color import ColorSystem, ColorType
from rich.console import COLOR_SYSTEMS, Console
from textual.color import Color

__all__ = [
    "APART",
    "MUTED",
    "NORMAL",
    "SECONDARY",
    "XTERM_16",
    "contrast_ratio",
    "muted_on",
    "readable",
    "reduced",
    "relative_luminance",
    "shown_contrast",
    "terminal_colours",
]

NORMAL = 4.5
"""WCAG AA's least contrast for text."""
SECONDARY = 3.0
"""The least contrast for secondary text (dates, snippets) and for citation markers (WCAG AA
for large or bold text)."""
MUTED = 0.7
"""How much of a text colour a muted line keeps over its background (before :func:`readable`
darkens or lightens it back to its least contrast)."""
APART = 1.3
"""How many times less contrast a muted line may have than the text beside it, where that
text has too little to spare for the muted line to keep :data:`NORMAL`."""


def relative_luminance(colour: Color) -> float:
    """WCAG 2's relative luminance of ``colour`` (its alpha ignored), 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2's contrast ratio of two opaque colours: 1 (the same) to 21 (black and white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown_contrast(
    colour: Color,
    background: Color,
    system: ColorSystem = ColorSystem.TRUECOLOR,
    mono: bool = False,
) -> float:
    """The contrast of ``colour`` on ``background`` as a terminal of ``system``'s colours shows
    them (:func:`reduced`); ``mono``: in the greys of Textual's ``NO_COLOR`` filter, which the
    terminal is sent in its colours too (pplx-light's highlight, grey 241 in 256 colours)."""
    if mono:
        colour, background = colour.monochrome, background.monochrome
    if system != ColorSystem.TRUECOLOR:
        colour, background = reduced(colour, system), reduced(background, system)
    return contrast_ratio(colour, background)


def readable(
    colour: Color,
    background: Color,
    minimum: float = NORMAL,
    system: ColorSystem = ColorSystem.TRUECOLOR,
    mono: bool = False,
) -> Color:
    """``colour`` (its alpha blended over ``background``), or, where that falls short of
    ``minimum`` contrast on ``background``, the nearest step of it towards black or white
    (whichever ``background`` contrasts with more) that reaches it: the hue kept as far as it
    can be. ``system``: the terminal's colours; where it has fewer than truecolor, ``colour``
    is kept where it reads as the terminal shows it (:func:`reduced`): pplx-light's teal
    highlight is cyan in 16 colours, and the text the theme guard gives it, near black, only
    3.3:1 on the teal itself.

    ``mono``: the colours are shown in greys (``NO_COLOR``), and ``colour`` reads in them
    (towards the other end where the grey of ``background`` is another shade).

    A terminal's own colours (an ``ansi-*`` theme's) are the terminal's to choose: such a
    ``colour`` or ``background`` is given back as it is."""
    if colour.ansi is not None or background.ansi is not None:
        return colour
    shown = background + colour

    def reads(candidate: Color, as_shown: bool) -> bool:
        if mono:  # (the colours themselves never shown)
            return shown_contrast(candidate, background, system, mono=True) >= minimum
        if contrast_ratio(candidate, background) >= minimum:
            return True
        return as_shown and shown_contrast(candidate, background, system) >= minimum

    if reads(shown, as_shown=system != ColorSystem.TRUECOLOR):
        return shown
    ends = sorted(
        (Color(255, 255, 255), Color(0, 0, 0)), key=lambda end: -contrast_ratio(end, background)
    )
    for target in ends:
        for step in range(1, 21):
            candidate = shown.blend(target, step / 20, alpha=1.0)
            if reads(candidate, as_shown=False):
                return candidate
    return ends[0]


def muted_on(colour: Color, background: Color, mono: bool = False) -> Color:
    """``colour`` faded towards ``background`` for a muted line (a date, a snippet) beside text
    in ``colour``: distinguishable from it, yet readable. It keeps :data:`NORMAL` contrast where
    ``colour`` has contrast to spare (:data:`APART` times as much), else as much as it can
    with its contrast that much under the text's, at least :data:`SECONDARY`: on a highlight
    of only 4.5:1 (pplx-light's) a muted line held to 4.5:1 was the text's colour.

    A terminal of 256 or 16 colours is sent the nearest of its colours (:func:`reduced`); where
    that loses the fade (pplx-dark's highlighted source, TERM=xterm: grey on cyan, 1.21:1) the
    line is the text's colour, moved towards black or white as far as it must to keep
    :data:`SECONDARY` there too (towards the other where the reduced highlight is another
    shade: atom-one-light's light blue is bright blue in 16 colours). ``mono``: the colours
    are shown in greys (``NO_COLOR``), where the line holds :data:`SECONDARY` too (QA,
    pplx-light: a faded line grey 235 on the highlight's 241 in 256 colours)."""
    if colour.ansi is not None or background.ansi is not None:
        return colour
    shown = background + colour
    minimum = max(SECONDARY, min(NORMAL, contrast_ratio(shown, background) / APART))
    muted = readable(shown.multiply_alpha(MUTED), background, minimum)
    if _holds_reduced(muted, background, mono):
        return muted
    ends = sorted(
        (Color(255, 255, 255), Color(0, 0, 0)), key=lambda end: -contrast_ratio(end, background)
    )
    for target in ends:  # (the other end where the reduced background is another shade)
        for step in range(21):
            candidate = shown.blend(target, step / 20, alpha=1.0)
            if (mono or contrast_ratio(candidate, background) >= SECONDARY) and _holds_reduced(
                candidate, background, mono
            ):
                return candidate
    return shown


XTERM_16 = (
    *((0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0)),
    *((0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229)),
    *((127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0)),
    *((92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)),
)
"""xterm's default 16 colours (``ansi_black`` to ``ansi_bright_white``): the palette a
terminal's own colours are measured in. (Rich's 256-colour palette starts with another 16:
its cyan, 0,128,128, is 4.8:1 on bright white, xterm's 1.98:1.)"""


def reduced(colour: Color, system: ColorSystem) -> Color:
    """``colour`` as a terminal of fewer colours shows it: Rich's downgrade to 256
    (``EIGHT_BIT``) or 16 (``STANDARD``) colours, the 16 in xterm's palette
    (:data:`XTERM_16`)."""
    rich = colour.rich_color.downgrade(system)
    if rich.type == ColorType.TRUECOLOR:
        return colour
    number = rich.number if rich.number is not None else 0
    return Color(*(XTERM_16[number] if number < 16 else EIGHT_BIT_PALETTE[number]))


def terminal_colours(console: Console) -> ColorSystem:
    """The colours ``console``'s terminal is sent (Rich's reading of TERM and COLORTERM;
    truecolor where it sends none): a Windows console's 16 as any terminal's 16."""
    system = COLOR_SYSTEMS.get(console.color_system or "", ColorSystem.TRUECOLOR)
    return ColorSystem.STANDARD if system == ColorSystem.WINDOWS else system


def _holds_reduced(colour: Color, background: Color, mono: bool = False) -> bool:
    """Whether ``colour`` keeps :data:`SECONDARY` contrast on ``background`` in 256 and 16
    colours (``mono``: in their greys, and truecolor's)."""
    systems = [ColorSystem.EIGHT_BIT, ColorSystem.STANDARD]
    return all(
        shown_contrast(colour, background, system, mono) >= SECONDARY
        for system in (*systems, ColorSystem.TRUECOLOR)
        if mono or system in systems
    )
