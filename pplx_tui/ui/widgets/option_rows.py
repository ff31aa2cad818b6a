"""Rows of an ``OptionList`` (or a ``SelectionList``: :mod:`.selection_rows`): laid out again
when its width changes without a resize, and lines that wrap under their own text (a hanging
indent), drawn in the highlight's own text colours on the highlighted row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.color import ColorSystem
from textual.color import Color
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pplx_tui.ui.contrast import (
    MUTED,
    SECONDARY,
    contrast_ratio,
    muted_on,
    readable,
    reduced,
    terminal_colours,
)

__all__ = ["HangingLines", "RewrappingOptionList", "mark_highlighted"]


def mark_highlighted(options: OptionList, option: Option) -> None:
    """Tell ``option``'s :class:`HangingLines` (if its prompt is) whether it is drawn as the
    highlighted row: called as each row is drawn, with the row's style (the highlight's on the
    highlighted row; the rows are kept per option and style, so each style is drawn once)."""
    if isinstance(prompt := option.prompt, HangingLines):
        prompt.highlighted = option is options.highlighted_option and not option.disabled
        prompt.colours = terminal_colours(options.app.console)
        prompt.mono = options.app.no_color


class RewrappingOptionList(OptionList):
    """Rows wrapped for the width they are drawn in.

    Textual's ``OptionList`` keeps each row's lines (and heights) as first laid out, per
    style, not per width, and forgets them only on a resize. Its focus border narrows the rows
    without one, so the chat list, focused, drew its rows laid out two columns wider: titles
    lost their last letters and a row its date line (QA-30). Listed again, it laid the rows out
    while its scrollbar was gone (no rows yet); the scrollbar came back and they were drawn two
    columns narrower than laid out.

    A resize keeps the highlighted row in view: the rows above it re-wrapped to the new width
    while the scroll offset stayed, and the model picker's current model went out of view (QA:
    40x12, then 50x15).
    """

    _laid_out_width = -1

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        """Rows drawn again in the new theme's colours: its rows are kept per style, and two
        themes may give the list the same one (ansi-dark's and ansi-light's, the terminal's
        default colours) while a row's marks are in colours that differ (yellow and bright red
        for a failed answer)."""
        self._clear_caches()
        self.refresh()

    def _on_resize(self) -> None:
        super()._on_resize()
        self.scroll_to_highlight()

    def action_first(self) -> None:
        """Home: the first row, scrolled into view even when the cursor was on it already
        (after the wheel: QA saw Home leave it out of view, the key bar naming it)."""
        super().action_first()
        self.scroll_to_highlight()

    def action_last(self) -> None:
        """End: the last row, scrolled into view (see :meth:`action_first`)."""
        super().action_last()
        self.scroll_to_highlight()

    def _update_lines(self) -> None:
        # Called before every draw (render_lines) and as options are added.
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            self._laid_out_width = width
            self._line_cache.clear()
            self._option_render_cache.clear()
            self.refresh()
        super()._update_lines()

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        mark_highlighted(self, option)
        return super()._get_option_render(option, style)


class HangingLines(Visual):
    """Lines, each wrapped ``indent`` cells in: its first ``indent`` cells (spaces, or a
    marker such as ``● ``) stand in the margin, and what does not fit goes on under its text,
    not at the row's left edge (QA: at 80 columns a model's details went on under the
    provider's name, a chat's title under the ``▸`` of the open chat).

    On the highlighted row (:attr:`highlighted`, set by :func:`mark_highlighted`) their
    colours give way to the highlight's: its text colour for any coloured part, that colour
    faded for a muted one (a style naming a ``…muted`` colour), each readable on the highlight.
    A theme's muted grey, accent or primary was drawn as it is on any background: grey on the
    yellow highlight of pplx-high-contrast (1.33:1), the open chat's ``▸`` in the very colour of
    the highlight (QA)."""

    highlighted = False
    """Whether the lines are drawn as the highlighted row."""
    colours = ColorSystem.TRUECOLOR
    """The colours of the terminal the lines are drawn in (their text kept readable as it
    shows them)."""
    mono = False
    """Whether they are shown in greys (``NO_COLOR``): the highlighted row's text reads in
    them too."""

    def __init__(
        self, lines: Sequence[tuple[int, Content | Sequence[Content]]], *, right: int = 0
    ) -> None:
        """``lines``: ``(indent, line)`` pairs, each ``line`` one line of text, or its forms,
        widest first (all with the same first ``indent`` cells): the first that fits the width
        is drawn, else the last, wrapped (``⟳ answering · 6m 58s`` wrapped its time).
        ``right``: cells kept blank at the right of every line (in the row's colours, so a
        highlight still spans the row): wrapped text keeps off the panel's edge."""
        self._right = right
        self._lines = [
            (indent, forms[0][:indent], [form[indent:] for form in forms])
            for indent, line in lines
            for forms in [[line] if isinstance(line, Content) else list(line)]
        ]
        self._heights: dict[int, int] = {}
        """Height per width: the list measures every row again whenever one row changes (an
        open chat marked, an answering chat's time) — 2,000 chats re-wrapped each time."""

    def __str__(self) -> str:
        return self.content.plain

    @property
    def content(self) -> Content:
        """The lines as one text, with their styles (what is drawn, but for the wrapping and
        the narrower forms)."""
        return Content("\n").join(head + bodies[0] for _, head, bodies in self._lines)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (
                indent + bodies[0].get_optimal_width(rules, container_width) + self._right
                for indent, _, bodies in self._lines
            ),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        if (height := self._heights.get(width)) is None:
            height = self._heights[width] = sum(
                _height(_fitting(bodies, room), rules, room)
                for indent, _, bodies in self._lines
                for room in [max(1, width - indent - self._right)]
            )
        return height

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        if self.highlighted:
            style, options = _on_highlight(style, options, self.colours, self.mono)
        else:
            options = _muted_on_ground(style, options, self.colours)
        margin_style = style.rich_style
        for indent, head, bodies in self._lines:
            indent = min(indent, max(0, width - 1))
            room = max(1, width - indent - self._right)
            body = _fitting(bodies, room)
            text = body.render_strips(room, None, style, options) or [
                Strip.blank(room, margin_style)
            ]
            margin = head.render_strips(indent, 1, style, options) if indent else []
            first = margin[0].crop_pad(indent, 0, 0, margin_style) if margin else None
            blank = Strip.blank(indent, margin_style)
            right = Strip.blank(width - indent - room, margin_style)
            for number, strip in enumerate(text):
                strips.append(Strip.join([first if number == 0 and first else blank, strip, right]))
        return strips[:height] if height is not None else strips


def _height(line: Content, rules: RulesMap, width: int) -> int:
    """How many rows ``line`` takes ``width`` cells wide: one when it fits (most rows, measured
    without wrapping them: 2,000 chats listed), else as many as it wraps to."""
    if line.cell_length <= width and "\n" not in line.plain:
        return 1
    return max(1, line.get_height(rules, width))


def _fitting(forms: Sequence[Content], width: int) -> Content:
    """The first of ``forms`` (widest first) that fits ``width`` cells, else the last."""
    return next((form for form in forms if form.cell_length <= width), forms[-1])


def _muted_on_ground(style: Style, options: RenderOptions, system: ColorSystem) -> RenderOptions:
    """``options`` resolving a muted style's colour on the row's background (``style``'s),
    readable at :data:`~pplx_tui.ui.contrast.SECONDARY` as a terminal of ``system``'s colours
    shows it. Most themes' ``$text-muted`` is ``auto 60%``, which Textual resolves in a text's
    style as ``auto`` without the 60%: pure white or black (QA: a chat's date brighter than
    its title, white under pplx-dark's off-white); such a colour is the row's text faded."""
    background = style.background
    if background is None or background.a < 1:
        return options
    text = style.foreground or background.get_contrast_text()
    faded = _faded(text, background, system)
    get_style = options.get_style

    def on_ground(name: str | Style) -> Style:
        resolved = get_style(name)
        colour = resolved.foreground
        if colour is None or not (isinstance(name, str) and "muted" in name):
            return resolved
        shown = faded if colour.auto else readable(colour, background, SECONDARY, system)
        return resolved + Style(foreground=shown)

    return replace(options, get_style=on_ground)


def _faded(text: Color, background: Color, system: ColorSystem) -> Color:
    """``text`` faded towards ``background`` (:data:`~pplx_tui.ui.contrast.MUTED`), readable at
    :data:`~pplx_tui.ui.contrast.SECONDARY`; ``text`` itself where ``system``'s colours lose
    the fade (or the colours are the terminal's own)."""
    if text.ansi is not None or background.ansi is not None:
        return text
    faded = readable((background + text).multiply_alpha(MUTED), background, SECONDARY, system)
    if system == ColorSystem.TRUECOLOR:
        return faded
    held = contrast_ratio(reduced(faded, system), reduced(background, system)) >= SECONDARY
    return faded if held else text


def _on_highlight(
    style: Style, options: RenderOptions, system: ColorSystem, mono: bool = False
) -> tuple[Style, RenderOptions]:
    """``style`` (the highlighted row's) with its text colour made readable on its background
    (as a terminal of ``system``'s colours shows it, in greys too where ``mono``), and
    ``options`` resolving every coloured style to that colour, or a muted one to it faded
    (bold, italic and the rest kept)."""
    background = style.background or Color(0, 0, 0)
    lit = style.foreground or background.get_contrast_text()
    colour = readable(lit, background, system=system, mono=mono)
    text, muted = Style(foreground=colour), Style(foreground=muted_on(colour, background, mono))
    get_style = options.get_style

    def on_highlight(name: str | Style) -> Style:
        resolved = get_style(name)
        if resolved.foreground is None:
            return resolved
        return resolved + (muted if isinstance(name, str) and "muted" in name else text)

    return style + text, replace(options, get_style=on_highlight)
