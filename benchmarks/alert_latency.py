"""Real-time alert latency: a play spike on Redis Streams to a page at the PagerDuty receiver.

Runs ``monitor_live`` (thread) against the machine's Redis (db 15) with the loopback alert
receivers, and measures in the same run:

- spike → page: XADD of the spiking plays until the PagerDuty receiver has opened the
  incident (p50/p95 over ``--spikes`` distinct tracks), against the baseline of a bare
  consumer-group reader seeing one entry (XADD → XREADGROUP, the transport's minimum);
- throughput: non-spiking plays evaluated per second, against a bare reader that only
  reads and acknowledges the same entries.

    uv run python benchmarks/alert_latency.py [--spikes 10] [--events 20000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis

from analytics.config import Settings
from analytics.monitoring import parse_rules
from analytics.monitoring.live import monitor_live
from analytics.sandbox.alert_receivers import AlertReceivers
from analytics.streaming.realtime import EventProducer
from analytics.streaming.wire import encode_event

REDIS = "redis://127.0.0.1:6379/15"
ARTIST = "4Z8W4fKeB5YxbusRsdQVPb"
STREAM = "bench:alert-latency"
RULE = {
    "id": "spike",
    "kind": "plays_spike",
    "baseline_minutes": 5,
    "factor": 5,
    "min_plays": 20,
    "severity": "critical",
}


def track(n: int) -> str:
    return f"T{n:021d}"


def plays(track_id: str, n: int, *, at: datetime) -> list[dict[str, Any]]:
    return [{"ts": at, "track_id": track_id, "artist_id": ARTIST, "ms_played": 180_000} for _ in range(n)]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark condition was not met in time")
        time.sleep(0.002)


def lag_zero(client: Any, group: str) -> bool:
    groups = {g["name"].decode(): g for g in client.xinfo_groups(STREAM)}
    g = groups.get(group)
    return bool(g) and g.get("lag") == 0 and g["pending"] == 0


def bare_reader(client: Any, stop: threading.Event, seen: list[float]) -> None:
    """A consumer-group reader that only reads and acknowledges: the transport's minimum."""
    while not stop.is_set():
        reply = client.xreadgroup("bare", "b1", {STREAM: ">"}, count=500, block=200)
        if reply:
            entries = reply[0][1]
            client.xack(STREAM, "bare", *[e[0] for e in entries])
            seen.extend(time.monotonic() for _ in entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spikes", type=int, default=10)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    client = redis.Redis.from_url(REDIS)
    client.delete(STREAM)
    tmp = Path(tempfile.mkdtemp(prefix="alert-latency-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    producer = EventProducer(client, stream=STREAM)
    client.xgroup_create(STREAM, "bare", id="$", mkstream=True)

    bare_stop, bare_seen = threading.Event(), []
    bare = threading.Thread(target=bare_reader, args=(redis.Redis.from_url(REDIS), bare_stop, bare_seen))
    bare.start()
    rtts = []
    for _ in range(20):
        before = len(bare_seen)
        started = time.monotonic()
        client.xadd(STREAM, {"e": encode_event(plays(track(0), 1, at=datetime.now(UTC))[0])})
        wait(lambda before=before: len(bare_seen) > before)
        rtts.append(time.monotonic() - started)

    with AlertReceivers().running() as rx:
        settings = rx.configure(Settings(data_dir=tmp / "data", database_url=url, redis_url=REDIS))
        stop, ready = threading.Event(), threading.Event()
        live = threading.Thread(
            target=monitor_live,
            args=(settings,),
            kwargs={
                "stop_event": stop,
                "stream": STREAM,
                "rules": parse_rules([RULE]),
                "on_ready": lambda s: ready.set(),
            },
        )
        live.start()
        ready.wait(60)
        now = datetime.now(UTC)
        history = [
            e
            for n in range(1, args.spikes + 1)
            for m in range(1, 6)
            for e in plays(track(n), 2, at=now - timedelta(minutes=m))
        ]
        producer.publish(history)
        wait(lambda: lag_zero(client, "monitoring"))
        latencies = []
        for n in range(1, args.spikes + 1):
            pages = len(rx.state.pages)
            started = time.monotonic()
            producer.publish(plays(track(n), 25, at=datetime.now(UTC)))
            wait(lambda pages=pages: len(rx.state.pages) > pages, timeout=30)
            latencies.append(time.monotonic() - started)

        background = [
            e for k in range(args.events) for e in plays(track(1000 + k % 500), 1, at=datetime.now(UTC))
        ]
        bare_before = len(bare_seen)
        started = time.monotonic()
        producer.publish(background)
        wait(lambda: len(bare_seen) - bare_before >= args.events, timeout=300)
        bare_s = bare_seen[-1] - started
        wait(lambda: lag_zero(client, "monitoring"), timeout=300)
        live_s = time.monotonic() - started
        stop.set()
        live.join(30)
    bare_stop.set()
    bare.join(5)
    client.delete(STREAM)

    result = {
        "spikes": args.spikes,
        "spike_to_page_p50_s": round(statistics.median(latencies), 4),
        "spike_to_page_p95_s": round(quantile(latencies, 0.95), 4),
        "transport_rtt_p50_s": round(statistics.median(rtts), 4),
        "ratio_p50_vs_transport": round(statistics.median(latencies) / statistics.median(rtts), 1),
        "ratio_p95_vs_goal_5s": round(quantile(latencies, 0.95) / 5.0, 3),
        "events": args.events,
        "live_events_per_s": round(args.events / live_s, 1),
        "bare_events_per_s": round(args.events / bare_s, 1),
        "ratio_throughput_vs_bare": round(bare_s / live_s, 3),
        "database": url.split(":", 1)[0],
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "alert_latency.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
