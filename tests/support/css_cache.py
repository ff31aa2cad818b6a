"""Each app of the suite parses the same CSS again: one process-wide cache of parsed rules.

Textual keeps parsed CSS per :class:`~textual.css.stylesheet.Stylesheet`, and every app (and
every theme change, which parses into a fresh stylesheet) starts with an empty cache: about a
third of the CPU an app of the suite costs from start to exit, over a thousand apps a run.
Parsed rules depend only on the CSS, where it was read from, its scope and the CSS variables
(the theme), so a rule list parsed once serves every later stylesheet with the same ones, as
it already serves one stylesheet's every parse. Tests only: the app parses its CSS once.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

__all__ = ["share_parsed_css"]

_LIMIT = 4096
"""Rule lists kept (each theme's variables parse every CSS source apart): emptied when full."""

_parsed: dict[tuple[object, ...], list[RuleSet]] = {}


def share_parsed_css() -> None:
    """Make every stylesheet of this process look parsed CSS up in one shared cache."""
    if getattr(Stylesheet._parse_rules, "shared", False):
        return
    parse_alone = Stylesheet._parse_rules

    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, _theme_of(self))
        rules = _parsed.get(key)
        if rules is None:  # (CSS that does not parse raises: never kept)
            rules = parse_alone(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(_parsed) >= _LIMIT:
                _parsed.clear()
            _parsed[key] = rules
        return rules

    def _theme_of(stylesheet: Stylesheet) -> tuple[tuple[str, str], ...]:
        """The stylesheet's variables as a key, made again only when they are replaced."""
        variables = stylesheet._variables
        made = stylesheet.__dict__.get("_shared_theme")
        if made is None or made[0] is not variables:
            made = (variables, tuple(sorted(variables.items())))
            stylesheet.__dict__["_shared_theme"] = made
        return made[1]

    parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
