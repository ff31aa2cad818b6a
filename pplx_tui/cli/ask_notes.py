"""``pplx ask``'s notes on the search and sampling options the provider or model cannot honour
(not sent)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.common import option

if TYPE_CHECKING:
    from pplx_tui.session import Target
    from pplx_tui.values import SamplingOptions, SearchSettings

__all__ = ["say_what_is_not_sent", "say_what_sampling_is_not_sent"]

_DESTS = {
    "after_date": ("after",),
    "before_date": ("before",),
    "domains": ("domains", "excluded_domains"),
    "return_images": ("images",),
    "return_related_questions": ("related",),
}
"""The argparse destinations of a search setting, where they are not its own name."""


def say_what_is_not_sent(
    args: argparse.Namespace, search: SearchSettings, target: Target, base: str
) -> None:
    """One stderr line per reason, naming the options it keeps from being sent in the order
    README lists them (Groq and six options were six lines, in no order anyone could see).

    A setting from ``base`` (config.toml's ``[search]``, or the chat's) is named as such: "--mode
    is not sent" for a --mode nobody typed sent users looking for it on their command line.
    """
    from pplx_tui.search_support import FLAGS, LABELS, not_honoured

    reasons = not_honoured(search, target.provider, target.model.id)
    named: dict[str, list[str]] = {}
    for name in FLAGS:
        if reason := reasons.get(name):
            typed = any(option(args, dest) for dest in _DESTS.get(name, (name,)))
            named.setdefault(reason, []).append(FLAGS[name] if typed else f"{base} {LABELS[name]}")
    for reason, what in named.items():
        listed = what[0] if len(what) == 1 else f"{', '.join(what[:-1])} and {what[-1]}"
        verb = "is" if len(what) == 1 else "are"
        print(f"pplx: note: {listed} {verb} not sent: {reason}", file=sys.stderr)


_SAMPLING_FLAGS = {
    "temperature": "--temperature",
    "top_p": "--top-p",
    "stop": "--stop",
    "presence_penalty": "--presence-penalty",
    "frequency_penalty": "--frequency-penalty",
}
"""The sampling options the Agent API has no field for, as the command line names them."""


def say_what_sampling_is_not_sent(
    args: argparse.Namespace, sampling: SamplingOptions, target: Target, base: str
) -> None:
    """One stderr line naming the sampling options the Agent API drops: those typed as their
    options, those from ``base`` (config.toml's ``[sampling]``, or the chat's) by their names
    there, ``base`` said once before them (they went unsent without a word)."""
    from pplx_tui.search_support import AGENT_SAMPLING, sampling_not_sent

    names = sampling_not_sent(sampling, target.provider)
    typed = [_SAMPLING_FLAGS[name] for name in names if option(args, name) not in (None, [])]
    kept = [name for name in names if option(args, name) in (None, [])]
    what = typed + ([f"{base} {kept[0]}", *kept[1:]] if kept else [])
    if not what:
        return
    listed = what[0] if len(what) == 1 else f"{', '.join(what[:-1])} and {what[-1]}"
    verb = "is" if len(names) == 1 else "are"
    taken = "--max-tokens and --reasoning-effort" if typed else AGENT_SAMPLING
    print(
        f"pplx: note: {listed} {verb} not sent: the Agent API takes only {taken}",
        file=sys.stderr,
    )
