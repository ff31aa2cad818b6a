"""Textual's per-app work done once for the test session: each app of the suite parses the same
CSS, works out the same theme, matches the same rules against nodes of the same shape, counts
the same callbacks' parameters and looks up the same handlers again (a few hundred app starts).
Each fixture here keeps what Textual computes, keyed by everything it depends on, and checks
idleness in shorter slices; none changes what an app does or draws. Textual is pinned
(pyproject), as these reach into its internals.

A pytest plugin of the suite (``pytest_plugins`` in ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def css_parsed_once() -> Iterator[None]:
    """Each app parses the same CSS (every widget's DEFAULT_CSS, the app's, the theme's
    variables) again: a third of an app's start. Parse each text once for the session, for the
    same variables; the rules it gives are the same, and a parse that fails still fails."""
    from textual.css.model import RuleSet
    from textual.css.stylesheet import Stylesheet
    from textual.css.types import CSSLocation

    parse = Stylesheet._parse_rules
    parsed: dict[tuple[object, ...], list[RuleSet]] = {}
    numbered: dict[tuple[tuple[str, str], ...], int] = {}

    def variables_number(sheet: Stylesheet) -> int:
        """A number for the sheet's variables, the same for equal ones: sorting and hashing
        ~200 of them for each of an app's ~100 CSS texts was 2 % of the suite's CPU. The sheet
        keeps the last ones it was numbered for; any that differ (by value) are numbered again."""
        seen: tuple[dict[str, str], int] | None = getattr(sheet, "_variables_numbered", None)
        if seen is not None and seen[0] == sheet._variables:
            return seen[1]
        number = numbered.setdefault(tuple(sorted(sheet._variables.items())), len(numbered))
        sheet._variables_numbered = (dict(sheet._variables), number)  # type: ignore[attr-defined]
        return number

    def parse_once(
        self: Stylesheet,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables_number(self))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield


@pytest.fixture(autouse=True, scope="session")
def themes_worked_out_once() -> Iterator[None]:
    """Each app reads and checks the bundled theme files and works out each theme's colour
    system (every shade of every colour) seven times: 12 ms of an app's start. A file with the
    same path and bytes gives the theme it gave before, and colours the same as before give the
    same shades (a copy); a file that fails is read again (and fails again)."""
    from textual.design import ColorSystem

    from pplx_tui.ui import themes

    load = themes.load_theme_file
    generate = ColorSystem.generate
    loaded: dict[tuple[str, bytes], object] = {}
    generated: dict[tuple[object, ...], dict[str, str]] = {}

    def load_once(path: Path) -> object:
        try:
            key = (str(path), path.read_bytes())
        except OSError:
            return load(path)  # and it says why
        if key not in loaded:
            loaded[key] = load(path)
        return loaded[key]

    def generate_once(self: ColorSystem) -> dict[str, str]:
        key = (*(getattr(self, name) for name in _COLOUR_INPUTS), tuple(self.variables.items()))
        if key not in generated:
            generated[key] = generate(self)
        return dict(generated[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(themes, "load_theme_file", load_once)
        patch.setattr(ColorSystem, "generate", generate_once)
        yield


_COLOUR_INPUTS = (
    *("primary", "secondary", "warning", "error", "success", "accent", "foreground"),
    *("background", "surface", "panel", "boost", "dark", "luminosity_spread", "text_alpha"),
    "ansi",
)
"""What :meth:`textual.design.ColorSystem.generate` works from (with its ``variables``)."""


@pytest.fixture(autouse=True, scope="session")
def quick_idle_checks() -> Iterator[None]:
    """Textual's pilot waits for an idle process after every key and pause: it sleeps 20 ms
    slices until one passes with under 1 ms of CPU used (5 %), so a key costs 40 ms at the
    least (1,700 such waits in the suite). Slices of 5 ms are checked for the same 5 %: a busy
    app is still waited for until it rests, an idle one is seen 4x sooner. Tests wait on
    conditions (``until``) for what they check, never on this."""
    import textual._wait as wait

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wait, "SLEEP_GRANULARITY", 0.005)
        patch.setattr(wait, "SLEEP_IDLE", 0.005 / 20)
        yield


@pytest.fixture(autouse=True, scope="session")
def frames_drawn_not_assembled() -> Iterator[None]:
    """A headless app (``run_test``) composes each refresh into a terminal frame that its driver
    then drops (``App._display`` writes nothing headless): after the widgets draw the lines the
    refresh needs, Textual cuts and joins them into the screen's frame. Here the widgets still
    draw exactly those lines (every widget over the refreshed region, as before: an error in
    drawing fails the test as before); only the frame nobody sees is not assembled. Whatever
    reads the screen (``screen_lines``, ``export_screenshot``, snapshots) composes its own frame
    as before. UI test files: 63.5 -> 57.5 s CPU run side by side (-9 %)."""
    from textual._context import visible_screen_stack
    from textual.geometry import Region
    from textual.screen import Screen

    compose_frame = Screen._compositor_refresh

    def draw_lines_only(self: Screen[object]) -> None:
        app = self.app
        if not (app.is_headless and not app.is_inline and self is app.screen):
            compose_frame(self)
            return
        compositor = self._compositor
        regions = compositor._dirty_regions
        if regions:  # the region render_update would refresh (the whole screen if it is dirty)
            crop = Region.from_union(list(regions)).intersection(compositor.size.region)
            regions.clear()
            visible_screen_stack.set(app._background_screens)
            for _ in compositor._get_renders(crop):  # each widget's lines there are drawn
                pass
        self._dirty_widgets.clear()
        app._update_mouse_over(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Screen, "_compositor_refresh", draw_lines_only)
        yield


@pytest.fixture(autouse=True, scope="session")
def styles_matched_once() -> Iterator[None]:
    """Each app matches the same CSS rules against the same nodes again: which rules apply to a
    node, and the style values they give it, is worked out for each node of each app (and again
    on each focus, hover or class change). That outcome depends only on the stylesheet's rules
    and on each node from the app down to this one: its type, id, classes, and whether it has
    the pseudo-classes those rules name (hover, focus, first-child...: each is asked of each
    node as it is now). Here the outcome is kept for the session under exactly those; the node
    is still styled from it as before (animated as before, its component classes as before).
    The rules are told apart by the rule sets they hold (each text parsed once for the session:
    :func:`css_parsed_once`). Textual's own cache of this is per update and per parent."""
    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode

    apply = Stylesheet.apply
    replace_rules = Stylesheet.replace_rules.__func__  # type: ignore[attr-defined]
    numbered: dict[tuple[int, ...], int] = {}
    named: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[bool, bool, bool, bool]]] = {}
    matched: dict[tuple[object, ...], object] = {}
    recording: list[list[object]] = []  # [node, the rules Textual styled it with] while it works
    unknown = object()

    def rules_number(sheet: Stylesheet) -> int:
        rules = sheet.rules
        seen: tuple[list[object], int] | None = getattr(sheet, "_rules_numbered", None)
        if seen is not None and seen[0] is rules:
            return seen[1]
        number = numbered.setdefault(tuple(map(id, rules)), len(numbered))
        sheet._rules_numbered = (rules, number)  # type: ignore[attr-defined]
        return number

    def pseudo_classes_named(
        sheet: Stylesheet, key: tuple[object, ...], node: DOMNode
    ) -> tuple[tuple[str, ...], tuple[bool, bool, bool, bool]]:
        """The pseudo-classes named by the rules that may apply to ``node`` (as Textual narrows
        them: by the names its selectors end in), and the flags Textual sets from them."""
        found = named.get(key)
        if found is None:
            rules_map = sheet.rules_map
            rules = {
                rule for name in rules_map.keys() & node._selector_names for rule in rules_map[name]
            }
            pseudo: set[str] = set().union(*(rule.pseudo_classes for rule in rules))
            flags = (
                "hover" in pseudo,
                "focus-within" in pseudo,
                not pseudo.isdisjoint(
                    {"first-of-type", "last-of-type", "first-child", "last-child", "empty"}
                ),
                "odd" in pseudo or "even" in pseudo,
            )
            found = named[key] = (tuple(sorted(pseudo)), flags)
        return found

    def apply_once(
        self: Stylesheet,
        node: DOMNode,
        *,
        animate: bool = False,
        cache: dict[tuple[object, ...], object] | None = None,
    ) -> None:
        own = (rules_number(self), node.__class__, node._id, frozenset(node._classes))
        pseudo, flags = pseudo_classes_named(self, own, node)
        path = []
        for step in node.css_path_nodes:
            checks = step._PSEUDO_CLASSES
            has = [bool(checks[name](step)) if name in checks else False for name in pseudo]
            path.append((step.__class__, step._id, frozenset(step._classes), *has))
        key = (own, *path)
        rules = matched.get(key, unknown)
        if rules is unknown:
            recording.append([node, None])
            try:
                apply(self, node, animate=animate, cache=cache)
            finally:
                rules = recording.pop()[1]
            matched[key] = rules
            return
        node._has_hover_style, node._has_focus_within = flags[0], flags[1]
        node._has_order_style, node._has_odd_or_even = flags[2], flags[3]
        if rules is not None:  # else no rule applied: Textual leaves the styles as they are
            self.replace_rules(node, rules, animate=animate)  # type: ignore[arg-type]
        self._process_component_classes(node)

    def replace_recorded(
        cls: type[Stylesheet], node: DOMNode, rules: object, animate: bool = False
    ) -> None:
        if recording and recording[-1][0] is node:
            recording[-1][1] = rules
        replace_rules(cls, node, rules, animate=animate)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "apply", apply_once)
        patch.setattr(Stylesheet, "replace_rules", classmethod(replace_recorded))
        yield


@pytest.fixture(autouse=True, scope="session")
def parameters_counted_once() -> Iterator[None]:
    """Textual counts a callback's parameters (``inspect.signature``) each time it calls one it
    has not counted; a callback made anew each time (the pilot's per-pause counter, a
    ``call_later`` closure) is counted at each call, 5,000 times a UI file. A plain function's
    count is its code's: counted once per code object here. Anything else (a partial, a wrapped
    or annotated-signature function) is counted as before."""
    from types import FunctionType

    import textual._callback as callback

    count = callback._count_parameters
    counted: dict[object, int] = {}

    def count_once(func: object) -> int:
        if type(func) is not FunctionType or "__wrapped__" in func.__dict__:
            return count(func)  # type: ignore[arg-type]
        if "__signature__" in func.__dict__:
            return count(func)
        code = func.__code__
        number = counted.get(code)
        if number is None:
            number = counted[code] = count(func)
        return number

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(callback, "_count_parameters", count_once)
        yield


_HANDLERS_FOUND: dict[tuple[object, ...], list[tuple[type, list[Any], object]]] = {}


@pytest.fixture(autouse=True)
def handlers_found_once_a_test() -> Iterator[None]:
    """Textual finds a message's handlers by walking the receiving widget's class hierarchy for
    each message (a dozen classes and their ``__dict__`` looked into, 45,000 messages a UI
    file). Which classes hold a handler for a message class (its ``@on`` handlers in order, its
    ``on_…`` method) is the same each time: found once a test here (a class patched in one test
    is seen in the next) and the messages then handled exactly as Textual does, with its
    selectors matched, ``prevent_default`` honoured and each handler run once."""
    from textual.message_pump import MessagePump

    _HANDLERS_FOUND.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MessagePump, "_get_dispatch_methods", _dispatch_methods)
        yield
    _HANDLERS_FOUND.clear()


def _handlers(
    kind: type, message_kind: type, method_name: str
) -> list[tuple[type, list[Any], object]]:
    from textual.message import Message

    message_mro = [c for c in message_kind.__mro__ if issubclass(c, Message)]
    found = []
    for cls in kind.__mro__:
        decorated = cls.__dict__.get("_decorated_handlers")
        handlers = []
        if decorated:
            for message_class in message_mro:
                handlers.extend(decorated.get(message_class, []))
        method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
        if method is not None and getattr(method, "_textual_on", None):
            method = None
        if handlers or method is not None:
            found.append((cls, handlers, method))
    return found


def _dispatch_methods(self: Any, method_name: str, message: Any) -> Iterator[tuple[type, Any]]:
    """:meth:`textual.message_pump.MessagePump._get_dispatch_methods`, with the walk found once."""
    from textual.css.match import match
    from textual.message_pump import OnNoWidget
    from textual.widget import Widget

    key = (self.__class__, message.__class__, method_name)
    found = _HANDLERS_FOUND.get(key)
    if found is None:
        found = _HANDLERS_FOUND[key] = _handlers(self.__class__, message.__class__, method_name)
    methods_dispatched: set[Any] = set()
    for cls, handlers, method in found:
        if message._no_default_action:
            break
        for handler, selectors in handlers:
            if handler in methods_dispatched:
                continue
            if not selectors:
                yield cls, handler.__get__(self, cls)
                methods_dispatched.add(handler)
            else:
                if not message._sender:
                    continue
                for attribute, selector in selectors.items():
                    node = getattr(message, attribute)
                    if node is None:
                        break
                    if not isinstance(node, Widget):
                        raise OnNoWidget(
                            f"on decorator can't match against {attribute!r} as it is not a widget."
                        )
                    if not match(selector, node):
                        break
                else:
                    yield cls, handler.__get__(self, cls)
                    methods_dispatched.add(handler)
        if method is not None:
            yield cls, method.__get__(self, cls)
