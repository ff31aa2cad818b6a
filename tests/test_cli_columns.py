"""Tables on the command line line up in terminal cells: a wide (CJK) character takes two."""

from __future__ import annotations

from pplx_tui.cli.columns import cells, fit
from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from tests.support.cli import pplx


def test_cells_count_wide_characters_twice_and_accents_not_at_all() -> None:
    assert cells("sonar-pro") == 9
    assert cells("通义千问") == 8
    assert cells("e\u0301te\u0301") == 3  # é written as e + a combining accent
    assert fit("通义千问-max", 5) == "通义 " and cells(fit("通义千问-max", 5)) == 5
    assert fit("sonar", 8) == "sonar   "


def test_chats_list_keeps_its_title_column_after_a_wide_model_name() -> None:
    """helper QA: a model named in Chinese pushed that row's title two cells right per
    character, the table out of line."""
    store = ChatStore()
    for model, title in (("perplexity/sonar", "Latin"), ("通义千问-max", "Wide")):
        chat = store.new_chat()
        chat.title = title
        chat.add(Message(role="user", content="?"))
        chat.add(Message(role="assistant", content="!", provider="gateway", model=model))
        store.save(chat)

    listed = pplx("chats", "list")

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    starts = {
        title: cells(line[: line.index(title)])
        for line in lines
        for title in ("Latin", "Wide")
        if line.endswith(title)
    }
    assert starts["Latin"] == starts["Wide"], listed.stdout
