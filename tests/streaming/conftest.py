"""Fixtures of the streaming tests: the broken-file corpus and a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "data" / "streaming"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
ARTIST = "YQhOGXX8g2pM1yHEFVFAjK"


@pytest.fixture
def corpus() -> Path:
    return CORPUS
