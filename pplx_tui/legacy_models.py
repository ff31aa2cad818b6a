"""Model ids from older tutorials, mapped to what each kind of provider offers today.

Perplexity renamed or retired: ``sonar-small/medium-online|chat`` and ``pplx-7b/70b-*``
(2024-05-14), ``llama-3.1-sonar-*`` (2025-02-22), ``r1-1776`` (2025-08-01), ``sonar-reasoning``
(2025-12-15); and since 2026-09-27 direct Perplexity is the Agent API with presets.
"""

from __future__ import annotations

import re

# Retired Perplexity ids (old tutorials) → today's choice on each provider.
_FOR_AGENT_API: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), target)
    for pattern, target in (
        (r"^(perplexity/)?sonar-deep-research$", "xhigh"),
        (r"^(perplexity/)?sonar-reasoning-pro$", "high"),
        (r"^(perplexity/)?(sonar-reasoning|r1-1776)$", "medium"),
        (r"^(perplexity/)?sonar-pro(-search)?$", "low"),
        (r"^sonar$", "perplexity/sonar"),
        (r"^(perplexity/)?llama-3\.1-sonar-(huge|large)-128k-(online|chat)$", "low"),
        (r"^(perplexity/)?llama-3\.1-sonar-small-128k-(online|chat)$", "fast"),
        (r"^(perplexity/)?sonar-(small|medium)-(online|chat)$", "fast"),
        (r"^(perplexity/)?pplx-(7b|70b)-(online|chat)$", "fast"),
    )
)
_FOR_GATEWAYS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), target)
    for pattern, target in (
        (r"^sonar$", "perplexity/sonar"),
        (r"^sonar-(pro|pro-search|reasoning-pro|deep-research)$", r"perplexity/sonar-\1"),
        (r"^(perplexity/)?sonar-reasoning$", "perplexity/sonar-reasoning-pro"),
        (r"^(perplexity/)?r1-1776$", "perplexity/sonar-reasoning-pro"),
        (r"^(perplexity/)?llama-3\.1-sonar-\w+-128k-(online|chat)$", "perplexity/sonar"),
        (r"^(perplexity/)?sonar-(small|medium)-(online|chat)$", "perplexity/sonar"),
        (r"^(perplexity/)?pplx-(7b|70b)-(online|chat)$", "perplexity/sonar"),
    )
)


def modern_id(model_id: str, dialect: str) -> str | None:
    """Today's id for a legacy ``model_id`` on a provider speaking ``dialect``, else ``None``."""
    table = _FOR_AGENT_API if dialect == "agent" else _FOR_GATEWAYS
    for pattern, target in table:
        if pattern.match(model_id):
            return pattern.sub(target, model_id) if "\\" in target else target
    return None
