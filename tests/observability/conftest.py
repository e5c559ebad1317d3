"""Fixtures for the observability tests: settings with canary secrets, configure/reset."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from analytics import observability
from analytics.config import Settings

CANARY = "canary-7f3c9e1d-secret-value"
CANARY_TOKEN = "canary-refresh-b41d0e77"


@pytest.fixture
def make_settings(settings: Settings) -> Callable[..., Settings]:
    """Settings with canary secrets set, plus any overrides."""

    def make(**overrides: Any) -> Settings:
        values = {
            "spotify_client_secret": CANARY,
            "spotify_refresh_token": CANARY_TOKEN,
            **overrides,
        }
        return settings.model_copy(update={k: _secret(k, v) for k, v in values.items()})

    return make


def _secret(name: str, value: Any) -> Any:
    from pydantic import SecretStr

    field = Settings.model_fields[name]
    if value is not None and "SecretStr" in str(field.annotation):
        return SecretStr(value)
    return value


@pytest.fixture
def configured(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., Settings]]:
    """``configure(make_settings(**overrides))``, undone after the test."""

    def apply(**overrides: Any) -> Settings:
        s = make_settings(**overrides)
        observability.configure(s)
        return s

    yield apply
    observability.reset()


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON log lines in captured stderr (span dumps and other lines skipped)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if "event" in record:
                lines.append(record)
    return lines
