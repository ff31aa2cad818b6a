"""The log: owner-only, under XDG_STATE_HOME, and no key ever reaches it."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator

import pytest

from pplx_tui import paths
from pplx_tui.logs import LOGGER_NAME, get_logger, setup_logging


@pytest.fixture
def fresh_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger(LOGGER_NAME)
    saved = list(logger.handlers)
    logger.handlers.clear()
    yield logger
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:] = saved


def test_log_is_created_owner_only_and_debug_raises_the_level(
    fresh_logger: logging.Logger,
) -> None:
    setup_logging(debug=True)
    get_logger("test").debug("hello from a test")

    path = paths.log_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "hello from a test" in path.read_text()
    assert fresh_logger.level == logging.DEBUG


def test_keys_in_messages_and_tracebacks_are_redacted(
    fresh_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "pplx-0123456789abcdefghijKLMNOP"
    monkeypatch.setenv("PERPLEXITY_API_KEY", key)
    setup_logging()
    logger = get_logger("test")
    logger.warning("request with Authorization: Bearer %s", key)
    try:
        raise RuntimeError(f"failed with key {key}")
    except RuntimeError:
        logger.exception("stream failed")

    text = paths.log_file().read_text()
    assert "stream failed" in text and "RuntimeError" in text
    assert key not in text
    assert "0123456789abcdef" not in text


def test_debug_logs_a_successful_ask_s_request_without_key_or_question(loopback) -> None:
    """QA: `pplx ask --debug` logged nothing for an answer that came: not where it asked, nor
    the status, nor how long it took."""
    from tests.support.cli import KEY, answer_frames, pplx
    from tests.support.loopback import Reply

    loopback.queue(Reply(chunks=answer_frames(["Two."])))

    result = pplx("ask", "--debug", "Secret question?", server=loopback)

    assert result.returncode == 0, result.stderr
    log = paths.log_file().read_text()
    url = f"POST {loopback.base_url}/api/v1/chat/completions"
    assert f"{url}: 200 in " in log, log
    assert "answer streamed in " in log
    assert "Secret question" not in log and KEY not in log and KEY[-12:] not in log
