"""Saved chats the UI tests start from."""

from __future__ import annotations

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore


def titled_chat(store: ChatStore, title: str) -> Chat:
    """A saved chat titled ``title``: one question, one answer citing one source."""
    chat = store.new_chat()
    chat.title = title
    chat.messages.append(Message(role="user", content=f"About {title}?"))
    chat.messages.append(
        Message(
            role="assistant",
            content=f"{title} it is [1].",
            provider="demo",
            model="demo/sonar",
            sources=[Source(index=1, url=f"https://{title.lower()}.example/", title=title)],
        )
    )
    return store.save(chat)
