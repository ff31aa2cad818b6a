"""Background runs in saved chats: the run id kept at once, found again, filled in, never undone."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from pplx_tui import runs
from pplx_tui.client.background import read_run
from pplx_tui.config import Settings
from pplx_tui.models import BackgroundRun, Chat, Message, MessageStatus, utc_now
from pplx_tui.providers import build_catalog
from pplx_tui.store import ChatStore
from tests.support.agent_runs import completed_response, response_object

PERPLEXITY = build_catalog().provider("perplexity")


def chat_with_run(store: ChatStore, run_id: str = "resp_1", *, started_days_ago: float = 0) -> Chat:
    chat = store.new_chat()
    started = utc_now() - timedelta(days=started_days_ago)
    chat.messages += [
        Message(role="user", content="How do tardigrades survive?"),
        Message(
            role="assistant",
            provider="perplexity",
            model="high",
            status=MessageStatus.INTERRUPTED,
            run=BackgroundRun(id=run_id, started_at=started),
        ),
    ]
    return store.save(chat)


def test_a_chat_file_from_before_background_runs_still_loads(tmp_path) -> None:
    store = ChatStore(tmp_path)
    old = {
        "schema_version": 1,
        "id": "old-chat-1234",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello", "status": "complete"},
        ],
    }
    (tmp_path / "old-chat-1234.json").write_text(json.dumps(old))

    chat = store.load("old-chat-1234")

    assert chat.messages[1].run is None and not chat.messages[1].running


def test_a_waiting_answer_is_saved_with_its_run_and_shows_as_interrupted_to_older_versions(
    tmp_path,
) -> None:
    store = ChatStore(tmp_path)
    chat = chat_with_run(store)

    saved = json.loads((tmp_path / f"{chat.id}.json").read_text())["messages"][1]

    assert saved["status"] == "interrupted"  # a value every older pplx-tui knows
    assert saved["run"]["id"] == "resp_1" and saved["run"]["status"] == "queued"
    assert store.load(chat.id).messages[1].running


def test_runs_lists_unfinished_runs_first_then_recent_ones_and_skips_old_finished(
    tmp_path,
) -> None:
    store = ChatStore(tmp_path)
    waiting = chat_with_run(store, "resp_wait", started_days_ago=30)
    recent = chat_with_run(store, "resp_recent", started_days_ago=1)
    old = chat_with_run(store, "resp_old", started_days_ago=30)
    plain = store.new_chat()
    plain.messages.append(Message(role="user", content="no runs here"))
    store.save(plain)
    for finished in (recent, old):
        runs.update_saved(
            store,
            finished.id,
            finished.messages[1].id,
            lambda m: runs.fill_in(m, read_run(PERPLEXITY, completed_response(m.run.id))),
        )

    records = runs.find_runs(store)

    assert [(r.chat_id, r.running, r.status) for r in records] == [
        (waiting.id, True, "queued"),
        (recent.id, False, "completed"),
    ]
    assert runs.unfinished_runs(store) == [(waiting.id, waiting.messages[1].id)]


def test_a_chat_lists_every_run_it_waits_on_else_only_its_latest(tmp_path) -> None:
    """A comparison of two background presets waits on two runs: both are listed; a run lost
    before them is history (the chat's latest run stands for it once none waits)."""
    store = ChatStore(tmp_path)
    chat = chat_with_run(store, "resp_lost")
    runs.update_saved(store, chat.id, chat.messages[1].id, lambda m: runs.mark_lost(m, "gone"))
    chat = store.load(chat.id)
    question = chat.messages[0].id
    for run_id in ("resp_high", "resp_xhigh"):
        chat.messages.append(
            Message(
                role="assistant",
                parent_id=question,
                comparison="c1",
                provider="perplexity",
                model=run_id.removeprefix("resp_"),
                status=MessageStatus.INTERRUPTED,
                run=BackgroundRun(id=run_id),
            )
        )
    store.save(chat)

    assert [r.run_id for r in runs.find_runs(store)] == ["resp_high", "resp_xhigh"]
    assert runs.find_run(store, "resp_lost") == (chat.id, chat.messages[1].id)
    for message in chat.messages[2:]:
        runs.update_saved(store, chat.id, message.id, lambda m: runs.mark_lost(m, "gone"))
    assert [r.run_id for r in runs.find_runs(store)] == ["resp_xhigh"]


def test_fill_in_puts_the_answer_sources_usage_and_status_in_the_same_message(tmp_path) -> None:
    store = ChatStore(tmp_path)
    chat = chat_with_run(store)
    message = chat.messages[1]
    message_id, created = message.id, message.created_at

    runs.fill_in(message, read_run(PERPLEXITY, completed_response("resp_1")))

    assert message.id == message_id and message.created_at == created
    assert message.status == MessageStatus.COMPLETE and not message.running
    assert message.content.startswith("Tardigrades") and len(message.sources) == 4
    assert message.usage is not None and message.usage.cost_usd == pytest.approx(0.0281)
    assert message.provider == "perplexity" and message.model == "high"
    assert message.finished_at is not None and message.run.status == "completed"


def test_a_failed_run_keeps_its_reason_and_a_cancelled_one_is_interrupted(tmp_path) -> None:
    store = ChatStore(tmp_path)
    failed, cancelled = chat_with_run(store).messages[1], chat_with_run(store).messages[1]

    runs.fill_in(
        failed,
        read_run(
            PERPLEXITY,
            response_object("resp_1", "failed", [], error={"message": "the agent crashed"}),
        ),
    )
    runs.fill_in(cancelled, read_run(PERPLEXITY, response_object("resp_1", "cancelled", [])))

    assert failed.status == MessageStatus.ERROR and "the agent crashed" in (failed.error or "")
    assert cancelled.status == MessageStatus.INTERRUPTED and cancelled.error is None


def test_a_lost_run_ends_as_an_error_with_its_reason(tmp_path) -> None:
    message = chat_with_run(ChatStore(tmp_path)).messages[1]

    runs.mark_lost(message, "Perplexity no longer knows this background run.")

    assert message.status == MessageStatus.ERROR and not message.running
    assert message.run is not None and message.run.status == "lost"


def test_a_copy_still_waiting_never_undoes_an_answer_filled_in_elsewhere(tmp_path) -> None:
    app_store, cli_store = ChatStore(tmp_path), ChatStore(tmp_path)
    chat = chat_with_run(app_store)
    app_copy = app_store.load(chat.id)  # the app holds the chat open, the run still waiting
    runs.update_saved(
        cli_store,
        chat.id,
        chat.messages[1].id,
        lambda m: runs.fill_in(m, read_run(PERPLEXITY, completed_response("resp_1"))),
    )

    app_copy.messages.append(Message(role="user", content="and in space?"))
    app_store.save(app_copy)  # a follow-up saved from the stale copy

    saved = ChatStore(tmp_path).load(chat.id)
    assert saved.messages[1].status == MessageStatus.COMPLETE
    assert saved.messages[1].content.startswith("Tardigrades")
    assert saved.messages[2].content == "and in space?"
    assert app_copy.messages[1].status == MessageStatus.COMPLETE  # the copy learns it too


def test_a_copy_that_noted_the_runs_progress_still_yields_to_the_finished_answer(tmp_path) -> None:
    app_store, cli_store = ChatStore(tmp_path), ChatStore(tmp_path)
    chat = chat_with_run(app_store)
    app_copy = app_store.load(chat.id)
    runs.update_saved(
        cli_store,
        chat.id,
        chat.messages[1].id,
        lambda m: runs.fill_in(m, read_run(PERPLEXITY, completed_response("resp_1"))),
    )

    # The app polled too and saves the status it saw: its copy changed since it loaded it.
    runs.note_progress(
        app_copy.messages[1], read_run(PERPLEXITY, response_object("resp_1", "in_progress", []))
    )
    app_store.save(app_copy)

    saved = ChatStore(tmp_path).load(chat.id).messages[1]
    assert saved.status == MessageStatus.COMPLETE and saved.run.status == "completed"


def test_background_mode_defaults_to_the_deep_research_presets_of_the_agent_api() -> None:
    settings = Settings()

    assert settings.runs_in_background("agent", "high")
    assert settings.runs_in_background("agent", "xhigh")
    assert not settings.runs_in_background("agent", "fast")
    assert not settings.runs_in_background("chat", "perplexity/sonar-deep-research")
    assert Settings(background_models=["*"]).runs_in_background("agent", "fast")
    assert not Settings(background_models=[]).runs_in_background("agent", "xhigh")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://gw.example/v1", "https://gw.example/v1"),
        ("https://me:s3cret@gw.example:8443/v1", "https://gw.example:8443/v1"),
        ("http://token@[::1]:8080/api", "http://[::1]:8080/api"),
        ("https://gw.example/v1?token=s3cret#k", "https://gw.example/v1"),
        (None, None),
    ],
)
def test_a_runs_saved_base_url_keeps_its_host_never_its_password(given, kept) -> None:
    """The app dropped a base URL with a user:password part altogether (the run was then
    polled at the provider's own URL, and lost), where pplx ask --background kept its host."""
    assert runs.saveable_base_url(given) == kept


def test_a_run_is_asked_about_with_the_secrets_its_chat_did_not_keep() -> None:
    """Polled at the URL the chat kept, a gateway that wants its user:password (or token) in
    the URL refused every check; the URL configured now is used when it is the same one."""
    current = "https://me:s3cret@gw.example:8443/v1?token=t"
    assert runs.run_base_url("https://gw.example:8443/v1", current) == current
    assert runs.run_base_url("https://other.example/v1", current) == "https://other.example/v1"
    assert runs.run_base_url(None, "https://api.perplexity.ai") is None
