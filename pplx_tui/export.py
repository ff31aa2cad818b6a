"""Export a chat as Markdown (to read or share) or JSON (the chat file itself, to import).

Markdown keeps each answer's ``[n]`` citation markers (``[web:n]`` is written ``[n]``, see
:mod:`pplx_tui.citations`) and follows the answer with a numbered **Sources** list, footnote
style, so a reader can match every marker to its page (a marker that names no source is said
to, in the list); each answer
names the model and provider that wrote it. Reasoning (the ``<think>`` part) is left out by
default and, when asked for, folded into a ``<details>`` block above the answer. All text
passes through :func:`pplx_tui.sanitize.clean_text`, since exports are also printed on
terminals; only http(s) URLs become links (:func:`pplx_tui.sanitize.defuse_links` turns any
other Markdown link in the text into literal text that shows its target).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pplx_tui.citations import normalize_markers, unknown_note, unknown_numbers
from pplx_tui.models import Chat, Message, MessageStatus, Source
from pplx_tui.sanitize import clean_line, clean_text, defuse_links, safe_url
from pplx_tui.store import dump_chat

UNTITLED = "Untitled chat"


def to_json(chat: Chat) -> bytes:
    """The chat file's bytes: ``pplx chats import`` reads them back."""
    return dump_chat(chat)


def to_markdown(chat: Chat, *, reasoning: bool = False) -> str:
    """The conversation as Markdown; ``reasoning`` adds each answer's folded reasoning."""
    lines = [
        f"# {_line(chat.title) or UNTITLED}",
        "",
        f"*pplx-tui chat `{chat.id}` · started {_when(chat.created_at)} · "
        f"updated {_when(chat.updated_at)}*",
        "",
    ]
    if prompt := _text(chat.settings.system_prompt or ""):
        lines += ["> **System prompt:**", *(f"> {line}".rstrip() for line in prompt.splitlines())]
        lines.append("")
    for message in chat.messages:
        if message.role == "user":
            lines += ["---", "", "**You**", "", _text(message.content), ""]
        else:
            lines += _answer(message, reasoning)
    return "\n".join(lines).rstrip() + "\n"


def _answer(message: Message, reasoning: bool) -> list[str]:
    author = _author(message)
    lines = [f"**Assistant** · {author}" if author else "**Assistant**", ""]
    if reasoning and (thought := _text(message.reasoning)):
        lines += ["<details>", "<summary>Reasoning</summary>", "", thought, "", "</details>", ""]
    if content := _text(normalize_markers(message.content)):
        lines += [content, ""]
    if message.status is MessageStatus.INTERRUPTED:
        lines += ["*(The answer was interrupted here.)*", ""]
    elif message.status is MessageStatus.ERROR:
        lines += [f"*Error: {_line(message.error or 'the answer failed')}*", ""]
    unknown = unknown_numbers(message.content, message.sources)
    if message.sources or unknown:
        lines += ["**Sources**", ""]
        lines += [_source(source) for source in sorted(message.sources, key=lambda s: s.index)]
        if unknown:
            lines.append(f"- *{unknown_note(unknown)} of this answer*")
        lines.append("")
    return lines


def _text(text: str) -> str:
    """Untrusted Markdown made inert: no control characters, no link that is not http(s)."""
    return defuse_links(clean_text(text)).strip()


def _line(text: str) -> str:
    """One line of untrusted text (a title, a model name) for Markdown: inert, no odd links."""
    return defuse_links(clean_line(text))


def _author(message: Message) -> str:
    model, provider = _line(message.model or ""), _line(message.provider or "")
    if model and provider:
        return f"{model} ({provider})"
    return model or provider


def _source(source: Source) -> str:
    title = _line(source.title)
    if source.date:
        title = f"{title} ({_line(source.date)})" if title else _line(source.date)
    if url := safe_url(source.url):
        link = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    else:
        link = "`" + clean_line(source.url).replace("`", "'") + "`"
    return f"- [{source.index}] {title} — {link}" if title else f"- [{source.index}] {link}"


def _when(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
