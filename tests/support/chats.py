"""Saved chats the UI tests start from."""

from __future__ import annotations

from pplx_tui.models import Chat, Image, Message, Source
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


RICH_ANSWER = """## About: {question}

Mars has **two moons**, Phobos and Deimos [1]. Phobos is the larger one and orbits closer to \
the planet [2], while Deimos takes about 30 hours per orbit [1].

- Discovered by Asaph Hall in 1877 [2]
- Phobos is slowly spiralling inward [2][1]

| moon | diameter | period |
|---|---|---|
| Phobos | 22.5 km | 7.6 h |
| Deimos | 12.4 km | 30.3 h |

```python
print('phobos')
```

The escape velocity is $v = \\sqrt{{2GM/r}}$ and see [NASA](https://nasa.gov) too.
"""


def phobos_chat(store: ChatStore, questions: list[str]) -> Chat:
    """A chat like QA's: answers with a list, a table, code, math, related questions, images."""
    chat = store.new_chat()
    chat.title = "Phobos"
    for question in questions:
        chat.messages.append(Message(role="user", content=question))
        chat.messages.append(
            Message(
                role="assistant",
                content=RICH_ANSWER.format(question=question).strip(),
                provider="openrouter",
                model="perplexity/sonar-pro",
                sources=[Source(index=n, url=f"https://s{n}.example/") for n in (1, 2)],
                related_questions=["How big is Phobos?", "Will it crash?", "Who was Asaph Hall?"],
                images=[Image(image_url="https://img.example/p.jpg", title="Phobos from MRO")],
            )
        )
    return store.save(chat)


def seeded_chat(
    question: str = "How many moons does Mars have?", answer: str = "Two: Phobos [1]."
) -> Chat:
    """A chat saved as ``pplx ask --save`` saves one: a question and its answer citing one
    source."""
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content=question))
    store.append_message(
        chat,
        Message(
            role="assistant",
            content=answer,
            model="sonar",
            provider="perplexity",
            sources=[Source(index=1, url="https://nasa.gov/mars", title="NASA Mars")],
        ),
    )
    return chat
