"""Redis Streams on the machine's Redis: at-least-once delivery stored exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from analytics.streaming.realtime import EventProducer, PlayEventConsumer, consume_events
from analytics.warehouse import Warehouse
from tests.conftest import REDIS_URL

pytestmark = pytest.mark.redis
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START = datetime(2026, 11, 1, tzinfo=UTC)


def plays(n: int, *, offset: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"test-{offset + k}",
            "ts": START + timedelta(seconds=17 * (offset + k)),
            "track_id": "T" * 22,
            "artist_id": "A" * 22,
            "ms_played": 20_000 + (k % 7) * 10_000,
            "country": "SE",
            "listener": f"l{k % 13}",
        }
        for k in range(n)
    ]


def stored(warehouse: Warehouse) -> int:
    with warehouse.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar_one())


@pytest.fixture
def stream() -> str:
    return f"test:plays:{uuid.uuid4().hex[:8]}"


def test_redelivered_and_republished_events_are_stored_once(
    warehouse: Warehouse, redis_client: Any, stream: str
) -> None:
    producer = EventProducer(redis_client, stream=stream)
    producer.publish(plays(400))
    redis_client.xadd(stream, {"e": b"{not json"})
    first = consume_events(warehouse, redis_client, stream=stream, idle_exit_s=0.3)
    assert (first.rows_read, first.rows_stored, first.rows_rejected) == (401, 400, 1)
    assert redis_client.xlen(f"{stream}:rejected") == 1
    producer.publish(plays(400))  # the producer retried everything: same event ids
    second = consume_events(warehouse, redis_client, stream=stream, idle_exit_s=0.3)
    assert (second.rows_read, second.rows_stored, second.rows_duplicate) == (400, 0, 400)
    assert stored(warehouse) == 400
    assert redis_client.xpending(stream, "warehouse")["pending"] == 0


def test_entries_of_a_dead_consumer_are_claimed_and_finished(
    sqlite_warehouse: Warehouse, redis_client: Any, stream: str
) -> None:
    EventProducer(redis_client, stream=stream).publish(plays(300))
    dead = PlayEventConsumer(redis_client, sqlite_warehouse, stream=stream, name="dead", batch=120)
    dead.ensure_group()
    assert len(dead.read_new()) == 120  # delivered, never stored nor acknowledged
    alive = PlayEventConsumer(redis_client, sqlite_warehouse, stream=stream, name="alive", claim_idle_ms=0)
    stats = alive.run(idle_exit_s=0.3)
    assert stats.claimed == 120
    assert stored(sqlite_warehouse) == 300
    assert redis_client.xpending(stream, "warehouse")["pending"] == 0


def test_another_group_reads_the_same_stream_independently(
    sqlite_warehouse: Warehouse, redis_client: Any, stream: str
) -> None:
    EventProducer(redis_client, stream=stream).publish(plays(50))
    consume_events(sqlite_warehouse, redis_client, stream=stream, idle_exit_s=0.2)
    alerting = PlayEventConsumer(redis_client, sqlite_warehouse, stream=stream, group="alerting", name="a1")
    alerting.ensure_group()
    assert len(alerting.read_new()) == 50


def _consumer(warehouse: Warehouse, stream: str, name: str, *extra: str) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "analytics.streaming.realtime", "--database-url", warehouse.url]
    args += ["--redis-url", REDIS_URL, "--stream", stream, "--name", name, *extra]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkilled_consumer_loses_and_doubles_nothing(
    warehouse: Warehouse, redis_client: Any, stream: str
) -> None:
    producer = EventProducer(redis_client, stream=stream)
    producer.publish(plays(3000))
    victim = _consumer(warehouse, stream, "victim", "--batch", "100")
    deadline = time.monotonic() + 60
    while stored(warehouse) < 300 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    assert victim.returncode == -signal.SIGKILL
    assert 0 < stored(warehouse) < 3000
    pending_at_kill = redis_client.xpending(stream, "warehouse")["pending"]
    producer.publish(plays(2000, offset=3000))  # produced while no consumer runs
    survivor = _consumer(warehouse, stream, "survivor", "--claim-idle-ms", "300", "--idle-exit-s", "1")
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["claimed"] == pending_at_kill  # the victim's unacknowledged entries
    assert stored(warehouse) == 5000
    assert redis_client.xpending(stream, "warehouse")["pending"] == 0
    with warehouse.engine.connect() as conn:
        assert (
            conn.exec_driver_sql("SELECT count(DISTINCT event_id) FROM stream_play_events").scalar_one()
            == 5000
        )
