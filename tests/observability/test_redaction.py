"""Redaction: configured secret values and secret-looking or personal patterns are hidden."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.observability import Redactor, redact, redact_value

from .conftest import CANARY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def.ghi", "Authorization: [REDACTED]"),
        ('{"authorization": "Basic dXNlcjpwYXNz"}', '{"authorization": "[REDACTED]"}'),
        ("sent bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "sent bearer [REDACTED]"),
        ("GET /v1/me?access_token=abcd1234&market=SE", "GET /v1/me?access_token=[REDACTED]&market=SE"),
        ("refresh_token: 'AQD-xyz' expired", "refresh_token: '[REDACTED]' expired"),
        ("password=hunter2;", "password=[REDACTED];"),
        ("postgresql+psycopg://encore:pw0rd@db:5432/x", "postgresql+psycopg://encore:[REDACTED]@db:5432/x"),
        ("mail jo.doe+x@example.co.uk now", "mail [EMAIL] now"),
        ("from 203.0.113.7.", "from [IP]."),
        ("peer 2001:db8::1 port 443", "peer [IP] port 443"),
        ("serving on 127.0.0.1:9100 and ::1 and 0.0.0.0", "serving on 127.0.0.1:9100 and ::1 and 0.0.0.0"),
        ("at 15:55:39, version 1.2.3, 999.1.1.1", "at 15:55:39, version 1.2.3, 999.1.1.1"),
        ("the token expired; a bearer token is needed", "the token expired; a bearer token is needed"),
    ],
)
def test_patterns(text: str, expected: str) -> None:
    assert Redactor().redact(text) == expected


def test_secret_values_and_their_url_encoded_forms() -> None:
    secret = "s3cr3t/with+plus&amp"
    redactor = Redactor([secret, "abc"])
    assert redactor.redact(f"a {secret} b") == "a [REDACTED] b"
    assert redactor.redact(f"q={quote_plus(secret)}") == "q=[REDACTED]"
    assert redactor.redact("abc stays: too short to be a secret") == "abc stays: too short to be a secret"
    assert redactor.secret_count == 1


def test_redact_value_walks_containers_and_secret_keys() -> None:
    redactor = Redactor([CANARY])
    value = {
        "ok": 1,
        "flag": True,
        "none": None,
        "items": [CANARY, ("x", f"{CANARY}!")],
        "Client-Secret": "anything",
        "api_key": "",
        "nested": {"password": {"a": 1}, "note": f"by {CANARY}"},
        "obj": ValueError(CANARY),
    }
    assert redactor.redact_value(value) == {
        "ok": 1,
        "flag": True,
        "none": None,
        "items": ["[REDACTED]", ("x", "[REDACTED]!")],
        "Client-Secret": "[REDACTED]",
        "api_key": "",
        "nested": {"password": "[REDACTED]", "note": "by [REDACTED]"},
        "obj": "[REDACTED]",
    }


def test_module_redact_uses_the_configured_secrets(configured) -> None:
    assert CANARY in redact(CANARY)
    configured()
    assert redact(f"x{CANARY}x") == "x[REDACTED]x"
    assert redact_value([CANARY]) == ["[REDACTED]"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    secret=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=4, max_size=40
    ),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
)
def test_a_configured_secret_never_survives(secret: str, before: str, after: str) -> None:
    out = Redactor([secret]).redact(before + secret + after)
    for marker in ("[REDACTED]", "[EMAIL]", "[IP]"):
        out = out.replace(marker, "\x00")
    assert secret not in out


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                CANARY,
                "access_token=",
                "Authorization: ",
                "Bearer ",
                "password: ",
                "x@y.org",
                "10.1.2.3",
                "://u:",
                "@",
                "]",
                " ",
                "&",
            ]
        )
        | st.text(max_size=8),
        max_size=12,
    )
)
def test_redaction_is_idempotent(parts: list[str]) -> None:
    redactor = Redactor([CANARY])
    once = redactor.redact("".join(parts))
    assert redactor.redact(once) == once and CANARY not in once


@pytest.mark.parametrize(
    "shown",
    [
        "missing columns: sk_live_abcdef123456, streams",  # a header lower-cased by the CSV reader
        "SK_LIVE_ABCDEF123456",
        '{"header": "sk live abcdef123456"}',  # underscores as spaces, as header normalisation reads them
        "token  Sk_Live_AbcDEF123456\\n",
    ],
)
def test_a_secret_is_hidden_in_every_form_a_parser_may_give_it(shown: str) -> None:
    redactor = Redactor(["Sk_Live_AbcDEF123456"])
    assert "abcdef123456" not in redactor.redact(shown).lower()


def test_a_secret_with_quotes_is_hidden_json_escaped_too() -> None:
    redactor = Redactor(['pa"ss\\word-1234'])
    assert redactor.redact('{"detail": "pa\\"ss\\\\word-1234"}') == '{"detail": "[REDACTED]"}'
