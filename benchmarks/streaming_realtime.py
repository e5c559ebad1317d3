"""Real time: Redis Streams to the warehouse, end to end, sustained.

A producer process publishes plays as fast as it can (or at ``--rate``) for the whole run;
one consumer (this process) stores them exactly once. Prints events/s stored and the lag
from XADD to commit (p50/p99), against the goal of 20 000 events/s with p99 < 2 s.

    uv run python benchmarks/streaming_realtime.py [--seconds 20 | --long] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

import analytics.streaming.tables  # noqa: F401
from analytics.streaming.realtime import PlayEventConsumer
from analytics.streaming.wire import encode_event
from analytics.warehouse import Warehouse

REDIS = "redis://127.0.0.1:6379/15"


def produce(stream: str, seconds: float, rate: float | None, sent: mp.Value) -> None:  # type: ignore[valid-type]
    client = redis.Redis.from_url(REDIS)
    start = time.time()
    base = datetime.now(UTC) - timedelta(minutes=1)
    payloads = [
        encode_event({"event_id": f"p{k}", "ts": base, "track_id": f"T{k % 40:021d}", "artist_id": "A" * 22,
                      "ms_played": 150_000, "country": "SE", "listener": f"l{k % 997}"})
        for k in range(5000)
    ]  # fmt: skip
    n = 0
    pipe = client.pipeline(transaction=False)
    while time.time() - start < seconds:
        for k in range(500):
            body = payloads[(n + k) % 5000].replace(b'"event_id":"p', f'"event_id":"{n + k}-'.encode(), 1)
            pipe.xadd(stream, {"e": body})
        pipe.execute()
        n += 500
        if rate and n / max(time.time() - start, 1e-6) > rate:
            time.sleep(500 / rate)
    sent.value = n


def main() -> None:
    parser = argparse.ArgumentParser(description="Redis Streams -> warehouse, sustained")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--long", action="store_true", help="60 s")
    parser.add_argument(
        "--rate", type=float, default=None, help="producer events/s (default: as fast as it can)"
    )
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    seconds = 60.0 if args.long else args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(args.database_url or f"sqlite:///{Path(tmp) / 'w.sqlite'}")
        wh.migrate()
        client = redis.Redis.from_url(REDIS)
        stream = f"bench:plays:{uuid.uuid4().hex[:8]}"
        consumer = PlayEventConsumer(client, wh, stream=stream, name="bench", batch=5000, block_ms=100)
        consumer.ensure_group()
        sent = mp.Value("q", 0)
        producer = mp.Process(target=produce, args=(stream, seconds, args.rate, sent))
        started = time.time()
        producer.start()
        stats = consumer.run(duration_s=seconds)
        producer.join()
        stats = consumer.run(idle_exit_s=1.0)  # drain what is left, still measured
        elapsed = time.time() - started
        with wh.engine.connect() as c:
            stored = c.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar_one()
        client.delete(stream)
        wh.dispose()
    p50, p99 = stats.lag_quantile(0.5), stats.lag_quantile(0.99)
    report = {
        "seconds": seconds,
        "produced": sent.value,
        "stored": stored,
        "events_per_s": round(stored / elapsed, 1),
        "lag_p50_s": p50,
        "lag_p99_s": p99,
        "ratio_vs_goal_20k": round(stored / elapsed / 20_000, 3),
        "ratio_p99_vs_goal_2s": round((p99 or 0) / 2.0, 3),
    }
    print(f"produced {sent.value}, stored {stored} exactly once: {'yes' if stored == sent.value else 'NO'}")
    print(f"events/s {report['events_per_s']:,.0f}  ({report['ratio_vs_goal_20k']}x of 20k/s goal)")
    print(f"lag p50 {p50:.3f} s, p99 {p99:.3f} s  ({report['ratio_p99_vs_goal_2s']}x of the 2 s bound)")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "streaming_realtime.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
