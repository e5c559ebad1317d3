"""encore's one redactor as the HTTP clients use it: their mask, run-time secrets, library loggers, channels."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from analytics.monitoring.channels import DeliveryError, WebhookChannel
from analytics.observability.redaction import (
    CLIENT_MASK,
    Redactor,
    install_log_filter,
    redact,
    redact_client,
    register_secret,
)
from analytics.sandbox.loopback import LoopbackServer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /v1/me?access_token=abcd1234&market=SE", "GET /v1/me?access_token=***&market=SE"),
        ("GET /youtube/v3/channels?key=AIzaSy-1&part=id", "GET /youtube/v3/channels?key=***&part=id"),
        ("POST /api/token code=AQBx9&redirect_uri=x", "POST /api/token code=***&redirect_uri=x"),
        (
            "{'code': 'AQBx9', 'grant_type': 'authorization_code'}",
            "{'code': '***', 'grant_type': 'authorization_code'}",
        ),
        (
            "debug_token?input_token=EAAb&fb_exchange_token=EAAc",
            "debug_token?input_token=***&fb_exchange_token=***",
        ),
        ("Headers: {'Authorization': 'Basic YWJjOmRlZg=='}", "Headers: {'Authorization': '***'}"),
        ("sent Basic YWJjOmRlZg== to the token endpoint", "sent Basic *** to the token endpoint"),
    ],
)
def test_the_clients_mask_hides_what_each_old_redactor_hid(text: str, expected: str) -> None:
    assert redact_client(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Basic settings apply to every playlist",
        "HTTP status code: 404 for /v1/albums",
        "outbox idempotency_key=alert-1 delivered",
        "the cache key: artist-1",
    ],
)
def test_prose_that_only_looks_like_a_credential_is_kept(text: str) -> None:
    assert redact(text) == text


def test_a_secret_registered_at_run_time_is_hidden_by_every_caller_in_every_form() -> None:
    token = "BQDrun-time-Token/42+x"
    register_secret(token)
    register_secret("ab")  # too short to hide without mangling ordinary text
    line = f"token {token} upper {token.upper()} json {json.dumps(token)} ab"
    for out in (redact(line), redact_client(line)):
        assert token not in out and token.upper() not in out and "ab" in out
    assert redact_client(line).count(CLIENT_MASK) == 3


@pytest.fixture
def plain_log_records() -> Iterator[None]:
    """Log records as the standard library makes them: an earlier test in the process may have
    left encore's redacting record factory (``configure_logging``), which would hide the secrets
    before the filter under test sees them."""
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    try:
        yield
    finally:
        logging.setLogRecordFactory(factory)


@pytest.mark.usefixtures("plain_log_records")
def test_the_library_log_filter_rewrites_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.one_redactor.library")
    install_log_filter([logger.name], mask=CLIENT_MASK)
    install_log_filter([logger.name], mask=CLIENT_MASK)  # idempotent: one filter
    assert len(logger.filters) == 1
    caplog.set_level(logging.DEBUG, logger=logger.name)
    try:
        raise RuntimeError("refresh failed for refresh_token=rt-secret-1")
    except RuntimeError:
        logger.exception("HTTP Request: %s %s", "POST", "http://127.0.0.1/x?access_token=tok-secret-2")
    assert "rt-secret-1" not in caplog.text and "tok-secret-2" not in caplog.text
    assert "access_token=***" in caplog.text and "refresh_token=***" in caplog.text


def test_the_redactor_keeps_its_own_secrets_apart_from_the_process_ones() -> None:
    redactor = Redactor(["channel-secret-9"])
    assert redactor.hide_values("CHANNEL-SECRET-9 and a@b.example") == "[REDACTED] and a@b.example"
    assert redact("channel-secret-9") == "channel-secret-9"


@pytest.fixture
def echoing_receiver() -> Iterator[str]:
    """A receiver that refuses every alert and quotes the URL it was called on, as some proxies do."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        url = f"http://127.0.0.1:{scope['server'][1]}{scope['path']}"
        body = json.dumps({"error": "bad gateway", "upstream": url.upper(), "raw": url}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 502,
                "headers": [(b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    with LoopbackServer(app, name="the echoing receiver").running() as server:
        yield server.url


def test_a_channel_error_hides_its_secret_url_whatever_the_receiver_does_to_it(echoing_receiver: str) -> None:
    url = f"{echoing_receiver}/hooks/T000/B000/SeCrEtPaTh123"
    channel = WebhookChannel(SecretStr(url))
    with pytest.raises(DeliveryError) as info:
        channel.send({"text": "x"}, idempotency_key="k-1")
    channel.close()
    message = str(info.value)
    assert info.value.retryable and "answered 502" in message
    assert "SeCrEtPaTh123".lower() not in message.lower() and "[REDACTED]" in message
