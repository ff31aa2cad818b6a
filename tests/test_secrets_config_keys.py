"""A cut copy of a key (``Bearer sk-or-v1-QAEXPORTSEC``) is masked whole: QA found it exported
as ``Bearer ***XPORTSEC``, the key's first 12 characters masked and the rest left."""

from __future__ import annotations

from pplx_tui import sanitize

CONFIG_KEY = "sk-or-v1-" + "QAEXPORTSECRETKEY0123456789"


def test_the_stream_redactor_masks_a_cut_key_as_redacting_it_whole_does() -> None:
    """``pplx ask`` prints in pieces: a key's start followed by key characters is one ``***``
    however the text is cut, never ``***`` and then the rest of the characters."""
    sanitize.remember_secret(CONFIG_KEY)
    text = f"Bearer {CONFIG_KEY[:20]}. {CONFIG_KEY[:12]}x-y_z and {CONFIG_KEY}{CONFIG_KEY[:15]}"
    whole = sanitize.redact_known(text)
    assert whole == "Bearer ***. *** and ***"
    for first in range(len(text) + 1):
        for second in range(first, len(text) + 1, 5):
            redactor = sanitize.StreamRedactor()
            pieces = (text[:first], text[first:second], text[second:])
            printed = [redactor.feed(piece) for piece in pieces]
            assert "".join(printed) + redactor.flush() == whole, (first, second)
