"""Play-event ingest, exactly once, against the database's raw bulk load.

PostgreSQL: encore's path (``store_events``: narrow fact rows and a dimension of contexts,
in-order keys, COPY above the key maximum, staging + ON CONFLICT below it, index after load
into an empty table) against raw COPY of the wide play rows into an UNLOGGED table without
any index (the limit), with anchors: COPY into a table with a primary key, staging + ON
CONFLICT, executemany.
SQLite: encore's path against plain executemany of the wide rows into a table with a
primary key (the issue's baseline: default settings of the warehouse connection, one
transaction), fed the same time-ordered ids, and again with random uuid4 keys.

Rows are generated in chunks (``--chunk``) so that 10 million events fit in memory; only
the database calls are timed, generation is not (the baseline's own row conversion is, as
the issue defines it). Each method loads every chunk; encore commits once per chunk.

    uv run python benchmarks/streaming_ingest.py [--rows 1000000] [--full] [--chunk 500000]
        [--only postgres|sqlite]

``--full`` loads 10 million events. Results: benchmarks/results/streaming_ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import analytics.streaming.tables  # noqa: F401
from analytics.streaming.events import EVENT_COLUMNS
from analytics.streaming.ids import event_id
from analytics.streaming.load import _copy, store_events
from analytics.warehouse import Warehouse

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COLS = ", ".join(EVENT_COLUMNS)
Rows = list[tuple[Any, ...]]


def make_rows(start: int, stop: int) -> Rows:
    """Events number ``start`` to ``stop - 1`` (deterministic: the same numbers, the same rows)."""
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for k in range(start, stop):
        ts = origin + timedelta(milliseconds=k * 250)
        rows.append(
            (event_id(ts, f"bench|{k}"), ts, ts.date(), "TRACK" + str(k % 40).rjust(17, "0"), "ARTIST0000000000000001",
             "realtime", "SE", "android", 180_000, "trackdone", "trackdone", False, False, False, f"{k % 5000:016x}")
        )  # fmt: skip
    return rows


def chunks(n: int, size: int) -> Iterator[Rows]:
    for start in range(0, n, size):
        yield make_rows(start, min(n, start + size))


CPU: dict[str, float] = {}  # this process's CPU seconds per SQLite method (robust to other load)


def timed_chunks(n: int, size: int, load: Callable[[Rows], Any], *, cpu_key: str | None = None) -> float:
    """Seconds spent in ``load`` over all chunks (generation untimed)."""
    total = 0.0
    for part in chunks(n, size):
        t, c = time.perf_counter(), time.process_time()
        load(part)
        total += time.perf_counter() - t
        if cpu_key:
            CPU[cpu_key] = CPU.get(cpu_key, 0.0) + time.process_time() - c
    return total


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def postgres(n: int, size: int) -> dict[str, float]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG)
    with admin.begin() as c:
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    wh = Warehouse(f"{PG}?options=-csearch_path%3D{schema}")
    wh.migrate()
    out: dict[str, float] = {}
    try:
        with wh.engine.begin() as c:
            # the baselines store the wide play row (the view's columns) as one table
            c.exec_driver_sql("CREATE UNLOGGED TABLE raw_unlogged (LIKE stream_play_events)")  # no index
            for keyed in ("with_pk", "on_conflict", "many"):
                c.exec_driver_sql(f"CREATE TABLE {keyed} (LIKE stream_play_events, PRIMARY KEY (event_id))")

        def one_transaction(load: Callable[[sa.Connection, Rows], Any], first: str | None = None) -> float:
            with wh.engine.connect() as c:
                t = time.perf_counter()
                c.begin()
                if first:
                    c.exec_driver_sql(first)
                spent = time.perf_counter() - t
                spent += timed_chunks(n, size, lambda part: load(c, part))
                t = time.perf_counter()
                c.commit()
                return spent + time.perf_counter() - t

        def staged(c: sa.Connection, part: Rows) -> None:
            c.exec_driver_sql("TRUNCATE s")
            _copy(c, "s", part, EVENT_COLUMNS)
            c.exec_driver_sql("INSERT INTO on_conflict SELECT * FROM s ON CONFLICT (event_id) DO NOTHING")

        def encore(part: Rows) -> None:
            with wh.engine.begin() as c:
                store_events(c, part)

        out["raw_copy_unlogged_s"] = one_transaction(
            lambda c, part: _copy(c, "raw_unlogged", part, EVENT_COLUMNS)
        )
        out["copy_with_pk_s"] = one_transaction(lambda c, part: _copy(c, "with_pk", part, EVENT_COLUMNS))
        out["staging_on_conflict_s"] = one_transaction(
            staged, first="CREATE TEMP TABLE s (LIKE stream_play_events) ON COMMIT DROP"
        )
        out["encore_in_batches_s"] = timed_chunks(n, size, encore)
        first = make_rows(0, min(n, size))
        out["encore_reingest_s"] = timed(lambda: encore(first))  # all duplicates: stores nothing
        few = first[:50_000]
        marks = ", ".join(["%s"] * len(EVENT_COLUMNS))

        def executemany() -> None:
            with wh.engine.begin() as c:
                raw_conn = c.connection.driver_connection
                with raw_conn.cursor() as cur:
                    cur.executemany(f"INSERT INTO many ({COLS}) VALUES ({marks})", few)

        out["executemany_50k_s"] = timed(executemany)
        with wh.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar() == n
    finally:
        wh.dispose()
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    return out


def sqlite(n: int, size: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(f"sqlite:///{Path(tmp) / 'w.sqlite'}")
        wh.migrate()
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        create = (
            "CREATE TABLE {} (event_id VARCHAR(32) PRIMARY KEY, ts DATETIME, day DATE, track_id VARCHAR(64), "
            "artist_id VARCHAR(64), source VARCHAR(16), country VARCHAR(2), platform VARCHAR(16), ms_played INTEGER, "
            "reason_start VARCHAR(24), reason_end VARCHAR(24), shuffle BOOLEAN, skipped BOOLEAN, offline BOOLEAN, "
            "listener_key VARCHAR(16))"
        )
        marks = ", ".join("?" * len(EVENT_COLUMNS))

        def baseline(table: str, random_ids: bool) -> float:
            """Plain executemany in one transaction; the row conversion is part of it."""
            with wh.engine.connect() as c:
                c.exec_driver_sql(create.format(table))
                c.commit()
                raw = c.connection.driver_connection
                sql = f"INSERT INTO {table} ({COLS}) VALUES ({marks})"

                def load(part: Rows) -> None:
                    ids = [uuid.uuid4().hex for _ in part] if random_ids else [r[0] for r in part]
                    plain = (
                        (i, r[1].strftime(fmt), r[2].isoformat(), *r[3:])
                        for i, r in zip(ids, part, strict=True)
                    )
                    raw.executemany(sql, plain)

                spent = timed_chunks(n, size, load, cpu_key=f"{table}_cpu_s")
                spent += timed(c.commit)
                c.exec_driver_sql(f"DROP TABLE {table}")  # keep the file (and the page cache) comparable
                c.commit()
                return spent

        def encore(part: Rows) -> None:
            with wh.engine.begin() as c:
                store_events(c, part)

        out["plain_executemany_pk_s"] = baseline("plain", random_ids=False)
        out["naive_executemany_uuid4_pk_s"] = baseline("naive", random_ids=True)
        out["encore_in_batches_s"] = timed_chunks(n, size, encore, cpu_key="encore_cpu_s")
        out["encore_reingest_s"] = timed(lambda: encore(make_rows(0, min(n, size))))
        with wh.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar() == n
        wh.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--full", action="store_true", help="10 million events")
    parser.add_argument("--chunk", type=int, default=500_000, help="rows per generated chunk and per commit")
    parser.add_argument("--only", choices=("postgres", "sqlite"), default=None)
    args = parser.parse_args()
    n = 10_000_000 if args.full else args.rows
    size = min(n, args.chunk)
    load_before = os.getloadavg()
    pg = postgres(n, size) if args.only != "sqlite" else {}
    lite = sqlite(n, size) if args.only != "postgres" else {}
    ratios: dict[str, float] = {}
    if pg:
        raw = pg["raw_copy_unlogged_s"]
        ratios["pg_exactly_once_vs_raw_unlogged_copy"] = round(raw / pg["encore_in_batches_s"], 3)
        ratios["pg_copy_with_pk_vs_raw"] = round(raw / pg["copy_with_pk_s"], 3)
        ratios["pg_staging_on_conflict_vs_raw"] = round(raw / pg["staging_on_conflict_s"], 3)
        ratios["pg_executemany_vs_raw"] = round(raw / (pg["executemany_50k_s"] * n / 50_000), 4)
    if lite:
        encore = lite["encore_in_batches_s"]
        ratios["sqlite_encore_vs_plain_executemany_pk"] = round(lite["plain_executemany_pk_s"] / encore, 3)
        ratios["sqlite_encore_vs_naive_uuid4_executemany_pk"] = round(
            lite["naive_executemany_uuid4_pk_s"] / encore, 3
        )
        ratios["sqlite_encore_vs_plain_executemany_pk_cpu"] = round(
            CPU["plain_cpu_s"] / CPU["encore_cpu_s"], 3
        )
    report = {
        "rows": n,
        "chunk": size,
        "postgres": {k: round(v, 3) for k, v in pg.items()},
        "sqlite": {k: round(v, 3) for k, v in lite.items()},
        "sqlite_cpu_s": {k: round(v, 3) for k, v in CPU.items()},
        "ratios": ratios,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    for name, secs in [
        *(("pg " + k, v) for k, v in pg.items()),
        *(("sqlite " + k, v) for k, v in lite.items()),
    ]:
        scale = 50_000 if "50k" in name else (size if "reingest" in name else n)
        print(f"{name:40s} {secs:8.3f} s  {scale / secs:12,.0f} rows/s")
    for k, v in ratios.items():
        print(f"ratio {k:52s} {v}x")
    print(f"load average before {report['load_average_before']}, after {report['load_average_after']}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    suffix = f"_{args.only}" if args.only else ""
    (out / f"streaming_ingest{suffix}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
