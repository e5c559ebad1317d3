"""A short soak of the real-time consumer on the machine's Redis: count in = count stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reliability.load import run_realtime_soak
from tests.conftest import REDIS_URL

pytestmark = pytest.mark.redis


def test_a_fixed_rate_soak_stores_every_event_once_with_bounded_lag(
    redis_client: Any, tmp_path: Path
) -> None:
    result = run_realtime_soak(workdir=tmp_path, rate=1000, seconds=3, max_p99_lag_s=5.0, redis_url=REDIS_URL)
    result.assert_ok()
    assert "events/s stored" in result.notes and "p99 lag" in result.notes
    print(result.notes)
