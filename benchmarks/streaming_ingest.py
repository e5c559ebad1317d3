"""Play-event ingest, exactly once, against the database's raw bulk load.

PostgreSQL: encore's path (``store_events``: in-order keys, COPY above the key maximum,
staging + ON CONFLICT below it, index after load into an empty table) against raw COPY into
an UNLOGGED table without any index (the limit), with anchors: COPY into a table with a
primary key, staging + ON CONFLICT, executemany.
SQLite: encore's path against plain executemany into a table with a primary key.

    uv run python benchmarks/streaming_ingest.py [--rows 1000000] [--full] [--batches 10]

``--full`` loads 10 million events. Results: benchmarks/results/streaming_ingest.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
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


def make_rows(n: int) -> list[tuple[Any, ...]]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for k in range(n):
        ts = start + timedelta(milliseconds=k * 250)
        rows.append(
            (event_id(ts, f"bench|{k}"), ts, ts.date(), "TRACK" + str(k % 40).rjust(17, "0"), "ARTIST0000000000000001",
             "realtime", "SE", "android", 180_000, "trackdone", "trackdone", False, False, False, f"{k % 5000:016x}")
        )  # fmt: skip
    return rows


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def postgres(rows: list[tuple[Any, ...]], batches: int) -> dict[str, float]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG)
    with admin.begin() as c:
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    wh = Warehouse(f"{PG}?options=-csearch_path%3D{schema}")
    wh.migrate()
    out: dict[str, float] = {}
    try:
        with wh.engine.begin() as c:
            c.exec_driver_sql(
                "CREATE UNLOGGED TABLE raw_unlogged (LIKE stream_play_events)"
            )  # no index at all
            c.exec_driver_sql("CREATE TABLE with_pk (LIKE stream_play_events INCLUDING ALL)")
            c.exec_driver_sql("CREATE TABLE on_conflict (LIKE stream_play_events INCLUDING ALL)")
            c.exec_driver_sql("CREATE TABLE many (LIKE stream_play_events INCLUDING ALL)")

        def raw() -> None:
            with wh.engine.begin() as c:
                _copy(c, "raw_unlogged", rows)

        def copy_pk() -> None:
            with wh.engine.begin() as c:
                _copy(c, "with_pk", rows)

        def staged() -> None:
            with wh.engine.begin() as c:
                c.exec_driver_sql("CREATE TEMP TABLE s (LIKE stream_play_events) ON COMMIT DROP")
                _copy(c, "s", rows)
                c.exec_driver_sql("INSERT INTO on_conflict SELECT * FROM s ON CONFLICT (event_id) DO NOTHING")

        def encore(part: list[tuple[Any, ...]]) -> None:
            with wh.engine.begin() as c:
                store_events(c, part)

        size = len(rows) // batches
        out["raw_copy_unlogged_s"] = timed(raw)
        out["copy_with_pk_s"] = timed(copy_pk)
        out["staging_on_conflict_s"] = timed(staged)
        out["encore_one_batch_s"] = timed(lambda: encore(rows))
        with wh.engine.begin() as c:
            c.exec_driver_sql("TRUNCATE stream_play_events")
        out["encore_in_batches_s"] = timed(
            lambda: [encore(rows[i : i + size]) for i in range(0, len(rows), size)]
        )
        out["encore_reingest_s"] = timed(lambda: encore(rows[:size]))  # all duplicates: stores nothing
        few = rows[: min(len(rows), 50_000)]
        marks = ", ".join(["%s"] * len(EVENT_COLUMNS))

        def executemany() -> None:
            with wh.engine.begin() as c:
                raw_conn = c.connection.driver_connection
                with raw_conn.cursor() as cur:
                    cur.executemany(f"INSERT INTO many ({COLS}) VALUES ({marks})", few)

        out["executemany_50k_s"] = timed(executemany)
        with wh.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM stream_play_events").scalar() == len(rows)
    finally:
        wh.dispose()
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    return out


def sqlite(rows: list[tuple[Any, ...]], batches: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(f"sqlite:///{Path(tmp) / 'w.sqlite'}")
        wh.migrate()
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        with wh.engine.begin() as c:
            create = (
                "CREATE TABLE {} (event_id VARCHAR(32) PRIMARY KEY, ts DATETIME, day DATE, track_id VARCHAR(64), "
                "artist_id VARCHAR(64), source VARCHAR(16), country VARCHAR(2), platform VARCHAR(16), ms_played INTEGER, "
                "reason_start VARCHAR(24), reason_end VARCHAR(24), shuffle BOOLEAN, skipped BOOLEAN, offline BOOLEAN, "
                "listener_key VARCHAR(16))"
            )
            c.exec_driver_sql(create.format("plain"))
            c.exec_driver_sql(create.format("naive"))
        marks = ", ".join("?" * len(EVENT_COLUMNS))

        def baseline(table: str, ids: list[str]) -> None:
            with wh.engine.begin() as c:
                plain = (
                    (i, r[1].strftime(fmt), r[2].isoformat(), *r[3:]) for i, r in zip(ids, rows, strict=True)
                )
                c.connection.driver_connection.executemany(
                    f"INSERT INTO {table} ({COLS}) VALUES ({marks})", plain
                )

        def encore(part: list[tuple[Any, ...]]) -> None:
            with wh.engine.begin() as c:
                store_events(c, part)

        size = len(rows) // batches
        same_ids = [r[0] for r in rows]
        random_ids = [uuid.uuid4().hex for _ in rows]  # what a design without time-ordered ids writes
        out["plain_executemany_pk_s"] = timed(lambda: baseline("plain", same_ids))
        out["naive_executemany_uuid4_pk_s"] = timed(lambda: baseline("naive", random_ids))
        out["encore_in_batches_s"] = timed(
            lambda: [encore(rows[i : i + size]) for i in range(0, len(rows), size)]
        )
        out["encore_reingest_s"] = timed(lambda: encore(rows[:size]))
        wh.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--full", action="store_true", help="10 million events")
    parser.add_argument("--batches", type=int, default=10, help="how many commits the load is split into")
    args = parser.parse_args()
    n = 10_000_000 if args.full else args.rows
    rows = make_rows(n)
    pg = postgres(rows, args.batches)
    lite = sqlite(rows, args.batches)
    report = {
        "rows": n,
        "postgres": {k: round(v, 3) for k, v in pg.items()},
        "sqlite": {k: round(v, 3) for k, v in lite.items()},
        "ratios": {
            "pg_exactly_once_vs_raw_unlogged_copy": round(
                pg["raw_copy_unlogged_s"] / pg["encore_in_batches_s"], 3
            ),
            "pg_exactly_once_one_batch_vs_raw_unlogged_copy": round(
                pg["raw_copy_unlogged_s"] / pg["encore_one_batch_s"], 3
            ),
            "pg_copy_with_pk_vs_raw": round(pg["raw_copy_unlogged_s"] / pg["copy_with_pk_s"], 3),
            "pg_staging_on_conflict_vs_raw": round(
                pg["raw_copy_unlogged_s"] / pg["staging_on_conflict_s"], 3
            ),
            "pg_executemany_vs_raw": round(
                pg["raw_copy_unlogged_s"] / (pg["executemany_50k_s"] * n / 50_000), 4
            ),
            "sqlite_encore_vs_plain_executemany_pk": round(
                lite["plain_executemany_pk_s"] / lite["encore_in_batches_s"], 3
            ),
            "sqlite_encore_vs_naive_uuid4_executemany_pk": round(
                lite["naive_executemany_uuid4_pk_s"] / lite["encore_in_batches_s"], 3
            ),
        },
    }
    for name, secs in [
        *(("pg " + k, v) for k, v in pg.items()),
        *(("sqlite " + k, v) for k, v in lite.items()),
    ]:
        scale = 50_000 if "50k" in name else (n // args.batches if "reingest" in name else n)
        print(f"{name:40s} {secs:8.3f} s  {scale / secs:12,.0f} rows/s")
    for k, v in report["ratios"].items():
        print(f"ratio {k:52s} {v}x")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "streaming_ingest.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
