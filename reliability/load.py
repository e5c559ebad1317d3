"""Load: the real-time consumer fed at a fixed rate for a bounded soak on the machine's Redis.

A producer thread publishes plays at ``rate`` events/s (in 50 ms ticks) for ``seconds``; the
consumer drains the stream into a SQLite warehouse until it is idle. Checked: every event in
is stored once (count in = count stored, a republished tick stored zero times more), and the
p99 lag (publish to store) stays under ``max_p99_lag_s``.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from analytics.streaming.realtime import EventProducer, PlayEventConsumer
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

# the machine's Redis database for tests (ENCORE_TEST_REDIS_URL), as the test suite uses it
REDIS_URL = os.environ.get("ENCORE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START = datetime(2026, 11, 1, tzinfo=UTC)


def _plays(first: int, n: int, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"{tag}-{k}",
            "ts": START + timedelta(seconds=k),
            "track_id": "T" * 22,
            "artist_id": "A" * 22,
            "ms_played": 30_000 + (k % 7) * 10_000,
            "country": "SE",
        }
        for k in range(first, first + n)
    ]


def run_realtime_soak(
    *,
    trials: int = 1,
    seed: int = 0,
    workdir: Path,
    rate: int = 2000,
    seconds: float = 10.0,
    max_p99_lag_s: float = 5.0,
    redis_url: str = REDIS_URL,
) -> ScenarioResult:
    """``trials`` soaks of ``seconds`` at ``rate`` events/s; see the module docstring."""
    import redis

    result = ScenarioResult(f"real-time consumer soak on Redis ({rate} events/s for {seconds:.0f} s)")
    client = redis.Redis.from_url(redis_url)
    figures = []
    for trial in range(trials):
        tag = f"soak{seed}-{trial}-{uuid.uuid4().hex[:6]}"
        stream = f"reliability:plays:{tag}"
        warehouse = Warehouse(f"sqlite:///{workdir / f'soak{trial}.sqlite'}")
        warehouse.migrate()
        producer = EventProducer(client, stream=stream)
        sent = [0]

        def produce(producer: EventProducer = producer, tag: str = tag, sent: list[int] = sent) -> None:
            per_tick, started = max(1, rate // 20), time.monotonic()
            while time.monotonic() - started < seconds:
                sent[0] += producer.publish(_plays(sent[0], per_tick, tag))
                time.sleep(max(0.0, (sent[0] / rate) - (time.monotonic() - started)))
            producer.publish(_plays(0, per_tick, tag))  # a producer retry: the first tick again

        thread = threading.Thread(target=produce, daemon=True)
        consumer = PlayEventConsumer(client, warehouse, stream=stream, group="warehouse", batch=2000)
        began = time.monotonic()
        thread.start()
        consumer.ensure_group()
        stats = consumer.run(idle_exit_s=2.0)
        thread.join()
        stats = consumer.run(idle_exit_s=1.0)  # anything published after the idle exit
        wall = time.monotonic() - began
        with warehouse.engine.connect() as conn:
            stored = int(conn.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar_one())
        result.tally(expected=sent[0], found=stored)
        p99 = stats.lag_quantile(0.99) or 0.0
        result.check(p99 <= max_p99_lag_s, f"trial {trial}: p99 lag {p99:.2f} s > {max_p99_lag_s} s")
        result.check(sent[0] > 0.5 * rate * seconds, f"trial {trial}: only {sent[0]} events produced")
        figures.append(f"{sent[0]} events, {sent[0] / wall:.0f} events/s stored, p99 lag {p99:.2f} s")
        result.trials += 1
        result.faults += 1  # the republished tick
        client.delete(stream)
        warehouse.dispose()
    result.notes = "; ".join(figures)
    return result
