"""Bulk, idempotent writes of facts: the database's fast path, exactly once by key.

Play events (:func:`store_events`)
    PostgreSQL: rows are sorted by their time-ordered id; under a transaction-scoped advisory
    lock, the ids above the current maximum cannot exist yet and go straight in with
    ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``); only older ids (a re-delivery, a
    back-fill) take the slower path: COPY into a temporary table, then
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``. Into an empty table a large load drops the
    primary key, copies, and builds the key afterwards.
    SQLite: ``INSERT OR IGNORE`` of the sorted rows, 50 rows per statement, in the caller's
    transaction, into a WITHOUT ROWID table clustered on the id (one B-tree, appended to).
Export rows (:func:`merge_facts`): small; compared by natural key, new rows inserted,
changed rows updated, identical rows counted as duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from analytics.streaming import tables
from analytics.streaming.events import EVENT_COLUMNS

EVENTS = "stream_play_events"
_LOCK_KEY = 0x656E636F7265  # "encore": serialises writers of play events on PostgreSQL
BULK_REBUILD_MIN_ROWS = 200_000
_COLS = ", ".join(EVENT_COLUMNS)


@dataclass(frozen=True)
class StoreResult:
    """How many events one call stored and how many it found already there."""

    stored: int
    duplicate: int


def store_events(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> StoreResult:
    """Store play events (tuples in ``EVENT_COLUMNS`` order) exactly once by event id.

    The caller owns the transaction: nothing is visible until it commits, and a failure
    stores nothing.
    """
    unique = sorted({r[0]: r for r in rows}.values(), key=lambda r: r[0])
    in_batch_dupes = len(rows) - len(unique)
    if not unique:
        return StoreResult(0, in_batch_dupes)
    if conn.dialect.name == "postgresql":
        stored = _store_postgres(conn, unique)
    else:
        stored = _store_sqlite(conn, unique)
    return StoreResult(stored, len(rows) - stored)


def _store_postgres(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
    top = conn.exec_driver_sql(f"SELECT max(event_id) FROM {EVENTS}").scalar()
    if top is None and len(rows) >= BULK_REBUILD_MIN_ROWS:
        return _copy_then_index(conn, rows)
    split = 0 if top is None else _first_above(rows, str(top))
    older, newer = rows[:split], rows[split:]
    stored = 0
    if older:
        stored += _staged_insert(conn, older)
    if newer:
        _copy(conn, EVENTS, newer)
        stored += len(newer)
    return stored


def _first_above(rows: list[tuple[Any, ...]], top: str) -> int:
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0] <= top:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _copy(conn: Connection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({_COLS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _staged_insert(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS _stage_events (LIKE {EVENTS} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    conn.exec_driver_sql("TRUNCATE _stage_events")
    _copy(conn, "_stage_events", rows)
    result = conn.exec_driver_sql(
        f"INSERT INTO {EVENTS} ({_COLS}) SELECT {_COLS} FROM _stage_events ORDER BY event_id "
        "ON CONFLICT (event_id) DO NOTHING"
    )
    return int(result.rowcount)


def _copy_then_index(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    """Into an empty table: load without the key index, then build it once (rows are unique)."""
    pkey = conn.exec_driver_sql(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", (EVENTS,)
    ).scalar()
    conn.exec_driver_sql(f'ALTER TABLE {EVENTS} DROP CONSTRAINT "{pkey}"')
    _copy(conn, EVENTS, rows)
    conn.exec_driver_sql(f'ALTER TABLE {EVENTS} ADD CONSTRAINT "{pkey}" PRIMARY KEY (event_id)')
    return len(rows)


def _sqlite_row(r: tuple[Any, ...]) -> tuple[Any, ...]:
    # SQLAlchemy's SQLite DateTime text ("%Y-%m-%d %H:%M:%S.%f", UTC): the first 26 characters
    # of isoformat, 3x faster than strftime; the day is its first 10.
    ts: datetime = r[1]
    if ts.tzinfo is not UTC:
        ts = ts.astimezone(UTC)
    text = ts.isoformat(" ", "microseconds")
    return (r[0], text[:26], text[:10], *r[3:])


_SQLITE_ROWS_PER_INSERT = 50  # 750 parameters per statement, well under SQLite's 32 766


def _store_sqlite(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    """``INSERT OR IGNORE`` of sorted rows, 50 rows per statement.

    Binding and stepping one statement per row is most of what a per-row ``executemany``
    costs; a multi-row ``VALUES`` list pays it once per 50 rows. Rows come sorted by their
    time-ordered id, so the clustered key (WITHOUT ROWID) is appended to, not searched.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    one = "(" + ", ".join("?" * len(EVENT_COLUMNS)) + ")"
    per = _SQLITE_ROWS_PER_INSERT
    full = len(rows) - len(rows) % per
    flat = chain.from_iterable
    cur = raw.cursor()
    try:
        stored = 0
        if full:
            cur.executemany(
                f"INSERT OR IGNORE INTO {EVENTS} ({_COLS}) VALUES {', '.join([one] * per)}",
                (tuple(flat(map(_sqlite_row, rows[i : i + per]))) for i in range(0, full, per)),
            )
            stored += int(cur.rowcount)
        if full < len(rows):
            rest = rows[full:]
            cur.execute(
                f"INSERT OR IGNORE INTO {EVENTS} ({_COLS}) VALUES {', '.join([one] * len(rest))}",
                tuple(flat(map(_sqlite_row, rest))),
            )
            stored += int(cur.rowcount)
        return stored
    finally:
        cur.close()


def mark_dirty(conn: Connection, days: Iterable[date]) -> None:
    """Remember days whose aggregates must be recomputed."""
    values = [{"day": d} for d in sorted(set(days))]
    if not values:
        return
    table = tables.table("stream_dirty_days")
    stmt = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    conn.execute(stmt.on_conflict_do_nothing(), values)


def file_ingested(conn: Connection, digest: str) -> bool:
    """Whether the file ``digest`` is stored; on PostgreSQL, first wait for any run storing it now.

    Two runs may ingest the same file at once (a scheduled run beside the main job): the
    transaction-scoped advisory lock makes the second wait for the first to commit, then see
    the file as ingested instead of redoing the work.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:digest, 0))"), {"digest": digest})
    table = tables.table("stream_files")
    return conn.execute(select(table.c.file_hash).where(table.c.file_hash == digest)).first() is not None


def record_file(conn: Connection, **values: Any) -> None:
    """The file-level idempotency record; a record another run already made is kept as it is."""
    table = tables.table("stream_files")
    stmt = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    conn.execute(stmt.values(ingested_at=datetime.now(UTC), **values).on_conflict_do_nothing())


def merge_facts(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    ignore: Sequence[str] = ("file_hash", "run_id"),
    chunk: int = 400,
) -> tuple[int, int, int]:
    """Insert new rows, update changed ones; returns (inserted, updated, unchanged)."""
    inserted = updated = unchanged = 0
    compare = [c for c in rows[0] if c not in ignore and c not in key] if rows else []
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        cond = or_(*(and_(*(table.c[k] == r[k] for k in key)) for r in part))
        existing = {
            tuple(rec[k] for k in key): rec
            for rec in conn.execute(select(*(table.c[c] for c in (*key, *compare))).where(cond)).mappings()
        }
        new = []
        for r in part:
            old = existing.get(tuple(r[k] for k in key))
            if old is None:
                new.append(dict(r))
            elif all(old[c] == r[c] for c in compare):
                unchanged += 1
            else:
                where = and_(*(table.c[k] == r[k] for k in key))
                conn.execute(update(table).where(where).values(**{c: r[c] for c in r if c not in key}))
                updated += 1
        if new:
            conn.execute(table.insert(), new)
            inserted += len(new)
    return inserted, updated, unchanged
