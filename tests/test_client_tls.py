"""TLS set-up: the CA bundle is loaded only when a request can need it, and never skipped."""

from __future__ import annotations

import os
import ssl

import pytest

from pplx_tui.client.chat_client import tls_for


def test_https_and_proxied_clients_verify_with_the_default_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [n for n in os.environ if n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    assert tls_for("https://api.perplexity.ai") is True
    assert tls_for("HTTPS://openrouter.ai/api/v1") is True
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    assert tls_for("http://127.0.0.1:8080/v1") is True


def test_a_plain_http_client_trusts_no_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)

    context = tls_for("http://127.0.0.1:8080/v1")

    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs() == []
