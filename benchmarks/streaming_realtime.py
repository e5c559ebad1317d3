"""Real time: Redis Streams to the warehouse, end to end, sustained.

Producer processes offer plays at ``--rate`` (default: the goal, 20 000/s; 0: as fast as
they can) for the whole run; one consumer (this process) stores them exactly once. Prints events/s stored and the lag
from XADD to commit (p50/p99), against the goal of 20 000 events/s with p99 < 2 s.

The producers are load generators, not the thing measured: they send pipelined ``XADD``
commands packed once per chunk (what a producer in another process or host costs Redis is
the same; a redis-py pipeline would spend this machine's 2 cores on packing commands).
Each play carries every wire field, a distinct event id, and the time it was produced
minus up to 10 s (devices report plays late and out of order).

Besides wall-clock events/s it prints the consumer's own CPU time per event: on a shared,
loaded machine that says what the consumer would sustain on one free core.

    uv run python benchmarks/streaming_realtime.py [--seconds 20 | --long] [--postgres]
        [--database-url URL] [--producers 1] [--rate 20000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa

import analytics.streaming.tables  # noqa: F401
from analytics.streaming.realtime import PlayEventConsumer
from analytics.warehouse import Warehouse

REDIS = "redis://127.0.0.1:6379/13"  # not the tests' db 15: they flush it
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 500
COUNTRIES = ("SE", "DE", "US", "GB", "FR", "BR", "MX", "JP")
PLATFORMS = ("android", "ios", "web_player", "windows")


def _templates(worker: int) -> list[bytes]:
    """Payload templates (every wire field); ``%d`` is the event number, ``%s`` the time."""
    out = []
    for n in range(120):
        body = {
            "v": 1,
            "event_id": f"w{worker}-@N",
            "ts": "@TS",
            "track_id": f"T{n % 40:021d}",
            "artist_id": "A" * 22,
            "ms_played": 20_000 + n * 1_501,
            "country": COUNTRIES[n % len(COUNTRIES)],
            "platform": PLATFORMS[n % len(PLATFORMS)],
            "reason_start": "clickrow",
            "reason_end": "trackdone" if n % 5 else "fwdbtn",
            "shuffle": n % 3 == 0,
            "skipped": n % 5 == 0,
            "offline": False,
            "listener": f"l{n}",
        }
        text = json.dumps(body, separators=(",", ":")).replace("%", "%%")
        out.append(text.replace("@N", "%d").replace("@TS", "%s").encode())
    return out


def produce(stream: str, seconds: float, rate: float | None, worker: int, sent: Any) -> None:
    """Publish plays for ``seconds``; ``sent`` receives how many Redis acknowledged."""
    client = redis.Redis.from_url(REDIS)
    conn = client.connection_pool.get_connection()
    head = b"*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$1\r\n*\r\n$1\r\ne\r\n" % (len(stream), stream.encode())
    templates = _templates(worker)
    start = time.time()
    n = 0
    while time.time() - start < seconds:
        now = datetime.now(UTC)
        stamps = [(now - timedelta(seconds=s)).isoformat().replace("+00:00", "Z").encode() for s in range(10)]
        bodies = [templates[(n + k) % 120] % (n + k, stamps[(n + k) * 7 % 10]) for k in range(CHUNK)]
        conn.send_packed_command([b"".join(head + b"$%d\r\n%s\r\n" % (len(b), b) for b in bodies)])
        for _ in bodies:
            conn.read_response()
        n += CHUNK
        if rate and n / max(time.time() - start, 1e-6) > rate:
            time.sleep(CHUNK / rate)
    client.connection_pool.release(conn)
    sent.value = n


def _warehouse(args: argparse.Namespace, tmp: str) -> tuple[Warehouse, str | None]:
    if args.postgres:
        schema = f"bench_rt_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG)
        with admin.begin() as c:
            c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        admin.dispose()
        return Warehouse(f"{PG}?options=-csearch_path%3D{schema}"), schema
    return Warehouse(args.database_url or f"sqlite:///{Path(tmp) / 'w.sqlite'}"), None


def main() -> None:
    parser = argparse.ArgumentParser(description="Redis Streams -> warehouse, sustained")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--long", action="store_true", help="60 s")
    parser.add_argument(
        "--rate",
        type=float,
        default=20_000.0,
        help="events/s offered by all producers together (0: flat out)",
    )
    parser.add_argument("--producers", type=int, default=1, help="producer processes")
    parser.add_argument("--batch", type=int, default=5000, help="consumer entries per read and transaction")
    parser.add_argument("--postgres", action="store_true", help="a fresh schema on the local PostgreSQL")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    seconds = 60.0 if args.long else args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        wh, schema = _warehouse(args, tmp)
        wh.migrate()
        client = redis.Redis.from_url(REDIS)
        stream = f"bench:plays:{uuid.uuid4().hex[:8]}"
        consumer = PlayEventConsumer(client, wh, stream=stream, name="bench", batch=args.batch, block_ms=100)
        consumer.ensure_group()
        counters = [mp.Value("q", 0) for _ in range(args.producers)]
        producers = [
            mp.Process(
                target=produce, args=(stream, seconds, args.rate / args.producers or None, w, counters[w])
            )
            for w in range(args.producers)
        ]
        load_before = os.getloadavg()
        started, cpu_started = time.time(), time.process_time()
        for p in producers:
            p.start()
        consumer.run(duration_s=seconds)
        for p in producers:
            p.join()
        produced_in = time.time() - started
        stats = consumer.run(idle_exit_s=1.0)  # drain what is left, still measured
        elapsed = time.time() - started - 1.0  # the idle second that ends the drain is not work
        consumer_cpu = time.process_time() - cpu_started
        with wh.engine.connect() as c:
            stored = c.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar_one()
            distinct = c.exec_driver_sql(
                "SELECT count(DISTINCT event_id) FROM stream_play_events"
            ).scalar_one()
        client.delete(stream, f"{stream}:rejected")
        wh.dispose()
        if schema:
            admin = sa.create_engine(PG)
            with admin.begin() as c:
                c.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()
    produced = sum(c.value for c in counters)
    p50, p99 = stats.lag_quantile(0.5), stats.lag_quantile(0.99)
    report = {
        "database": "postgresql" if args.postgres else wh.dialect,
        "seconds": seconds,
        "producers": args.producers,
        "produced": produced,
        "produced_per_s": round(produced / produced_in, 1),
        "stored": stored,
        "exactly_once": stored == produced == distinct,
        "events_per_s": round(stored / elapsed, 1),
        "consumer_cpu_s": round(consumer_cpu, 2),
        "events_per_consumer_cpu_s": round(stored / consumer_cpu, 1),
        "lag_p50_s": p50,
        "lag_p99_s": p99,
        "ratio_vs_goal_20k": round(stored / elapsed / 20_000, 3),
        "ratio_p99_vs_goal_2s": round((p99 or 0) / 2.0, 3),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"database {report['database']}, {seconds:.0f} s, {args.producers} producer(s)")
    print(f"produced {produced} ({report['produced_per_s']:,.0f}/s offered), stored {stored}")
    print(f"exactly once (in = stored = distinct ids): {'yes' if report['exactly_once'] else 'NO'}")
    print(f"events/s {report['events_per_s']:,.0f}  ({report['ratio_vs_goal_20k']}x of the 20k/s goal)")
    print(
        f"consumer CPU {consumer_cpu:.1f} s: {report['events_per_consumer_cpu_s']:,.0f} events per CPU second"
        " (what one free core would sustain; the database server's CPU is not included on PostgreSQL)"
    )
    print(f"lag p50 {p50:.3f} s, p99 {p99:.3f} s  ({report['ratio_p99_vs_goal_2s']}x of the 2 s bound)")
    print(f"load average before {report['load_average_before']}, after {report['load_average_after']}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"streaming_realtime_{report['database']}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
