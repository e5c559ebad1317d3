"""Bulk, idempotent writes of facts: the database's fast path, exactly once by key.

Play events (:func:`store_events`)
    Each play is split into its fact row (``stream_play_facts``: 7 or 8 values) and its
    context (``stream_play_contexts``: the 8 low-cardinality fields, a few hundred distinct
    rows, written once each); see :mod:`analytics.streaming.tables`.
    PostgreSQL: rows are sorted by their time-ordered id; under a transaction-scoped advisory
    lock, the ids above the current maximum cannot exist yet and go straight in with
    ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``); only older ids (a re-delivery, a
    back-fill) take the slower path: COPY into a temporary table, then
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``. Into an empty table a large load drops the
    primary key, copies, and builds the key afterwards.
    SQLite: ``INSERT OR IGNORE`` of the sorted rows, 100 rows per statement, in the caller's
    transaction, into a WITHOUT ROWID table clustered on the id (one B-tree, appended to);
    the time is bound as integer microseconds and ``day`` is computed by SQLite.
Export rows (:func:`merge_facts`): small; compared by natural key, new rows inserted,
changed rows updated, identical rows counted as duplicates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import chain, islice, pairwise
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from analytics.streaming import tables
from analytics.streaming.events import EVENT_COLUMNS

FACTS = "stream_play_facts"
CONTEXTS = "stream_play_contexts"
_LOCK_KEY = 0x656E636F7265  # "encore": serialises writers of play events on PostgreSQL
BULK_REBUILD_MIN_ROWS = 200_000
CONTEXT_FIELDS = (
    "source",
    "country",
    "platform",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
)
_FLAGS = frozenset(("shuffle", "skipped", "offline"))
FACT_COLUMNS = ("event_id", "ts", "day", "track_id", "artist_id", "ms_played", "listener_key", "context_id")
# SQLite: ts is bound as integer microseconds and day is a virtual column, so the order differs
_SQLITE_FACT_COLUMNS = ("event_id", "track_id", "artist_id", "ms_played", "listener_key", "ts", "context_id")


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
    if not rows:
        return StoreResult(0, 0)
    if all(a[0] < b[0] for a, b in pairwise(rows)):
        unique = list(rows)  # already sorted and distinct (a generator's or a stream's batch)
    else:
        unique = sorted({r[0]: r for r in rows}.values(), key=lambda r: r[0])
    ids = _store_contexts(conn, set(map(_context_of, unique)))
    if conn.dialect.name == "postgresql":
        stored = _store_postgres(conn, unique, ids)
    else:
        stored = _store_sqlite(conn, unique, ids)
    return StoreResult(stored, len(rows) - stored)


Context = tuple[Any, ...]
_context_of = itemgetter(*(EVENT_COLUMNS.index(c) for c in CONTEXT_FIELDS))


@lru_cache(maxsize=65_536)
def context_id(context: Context) -> int:
    """The stable id of one context (values in ``CONTEXT_FIELDS`` order): a signed 64-bit hash."""
    digest = hashlib.sha256(json.dumps(_canonical(context)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _canonical(context: Sequence[Any]) -> list[Any]:
    return [
        None if v is None else bool(v) if name in _FLAGS else str(v)
        for name, v in zip(CONTEXT_FIELDS, context, strict=True)
    ]


def _store_contexts(conn: Connection, distinct: set[Context]) -> dict[Context, int]:
    """Write the batch's distinct contexts (once each, ever) and return their ids.

    Ids are hashes, so a new context needs no round trip to learn its id; what is stored
    under each id is read back and compared, so a hash collision fails loudly instead of
    giving a play another play's country.
    """
    ids = {ctx: context_id(ctx) for ctx in distinct}
    table = tables.table(CONTEXTS)
    stmt = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table).on_conflict_do_nothing()
    wanted = {cid: ctx for ctx, cid in ids.items()}
    stored_as = select(table.c.context_id, *(table.c[name] for name in CONTEXT_FIELDS))
    batch = sorted(wanted)
    for start in range(0, len(batch), 500):
        part = batch[start : start + 500]
        conn.execute(
            stmt, [{"context_id": cid, **dict(zip(CONTEXT_FIELDS, wanted[cid], strict=True))} for cid in part]
        )
        for stored in conn.execute(stored_as.where(table.c.context_id.in_(part))):
            if _canonical(stored[1:]) != _canonical(wanted[stored[0]]):
                raise RuntimeError(f"play context id {stored[0]} is stored for another context")
    return ids


_pg_fact = itemgetter(*(EVENT_COLUMNS.index(c) for c in FACT_COLUMNS[:-1]))


def _store_postgres(conn: Connection, rows: list[tuple[Any, ...]], ids: dict[Context, int]) -> int:
    def facts(part: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        # a generator: half a million fact tuples held at once would mostly feed the GC
        return ((*_pg_fact(r), ids[_context_of(r)]) for r in part)

    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
    top = conn.exec_driver_sql(f"SELECT max(event_id) FROM {FACTS}").scalar()
    if top is None and len(rows) >= BULK_REBUILD_MIN_ROWS:
        return _copy_then_index(conn, facts(rows), len(rows))
    split = 0 if top is None else _first_above(rows, str(top))
    older, newer = rows[:split], rows[split:]
    stored = 0
    if older:
        stored += _staged_insert(conn, facts(older))
    if newer:
        _copy(conn, FACTS, facts(newer))
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


def _copy(
    conn: Connection, table: str, rows: Iterable[tuple[Any, ...]], columns: Sequence[str] = FACT_COLUMNS
) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _staged_insert(conn: Connection, rows: Iterable[tuple[Any, ...]]) -> int:
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS _stage_facts (LIKE {FACTS} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    conn.exec_driver_sql("TRUNCATE _stage_facts")
    _copy(conn, "_stage_facts", rows)
    cols = ", ".join(FACT_COLUMNS)
    result = conn.exec_driver_sql(
        f"INSERT INTO {FACTS} ({cols}) SELECT {cols} FROM _stage_facts ORDER BY event_id "
        "ON CONFLICT (event_id) DO NOTHING"
    )
    return int(result.rowcount)


def _copy_then_index(conn: Connection, rows: Iterable[tuple[Any, ...]], count: int) -> int:
    """Into an empty table: load without the key index, then build it once (rows are unique)."""
    pkey = conn.exec_driver_sql(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", (FACTS,)
    ).scalar()
    conn.exec_driver_sql(f'ALTER TABLE {FACTS} DROP CONSTRAINT "{pkey}"')
    _copy(conn, FACTS, rows)
    conn.exec_driver_sql(f'ALTER TABLE {FACTS} ADD CONSTRAINT "{pkey}" PRIMARY KEY (event_id)')
    return count


_SQLITE_ROWS_PER_INSERT = 100  # 700 parameters per statement, well under SQLite's 32 766


def _store_sqlite(conn: Connection, rows: list[tuple[Any, ...]], ids: dict[Context, int]) -> int:
    """``INSERT OR IGNORE`` of sorted fact rows, 100 rows per statement.

    Binding and stepping one statement per row is most of what a per-row ``executemany``
    costs; a multi-row ``VALUES`` list pays it once per 100 rows, and a fact row binds 7
    values instead of the 15 of a wide play. The parameters are streamed column by column
    (no tuple per row is kept, so the garbage collector has nothing to scan). Rows come
    sorted by their time-ordered id, so the clustered key (WITHOUT ROWID) is appended to,
    not searched.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    columns = [list(map(itemgetter(EVENT_COLUMNS.index(c)), rows)) for c in _SQLITE_FACT_COLUMNS[:-2]]
    times = tables.utc_microseconds_of(list(map(itemgetter(1), rows)))
    contexts = list(map(ids.__getitem__, map(_context_of, rows)))
    params = chain.from_iterable(zip(*columns, times, contexts, strict=True))
    cols = ", ".join(_SQLITE_FACT_COLUMNS)
    one = "(" + ", ".join("?" * len(_SQLITE_FACT_COLUMNS)) + ")"
    per = _SQLITE_ROWS_PER_INSERT
    width = per * len(_SQLITE_FACT_COLUMNS)
    full, rest = divmod(len(rows), per)
    cur = raw.cursor()
    try:
        stored = 0
        if full:
            cur.executemany(
                f"INSERT OR IGNORE INTO {FACTS} ({cols}) VALUES {', '.join([one] * per)}",
                (tuple(islice(params, width)) for _ in range(full)),
            )
            stored += int(cur.rowcount)
        if rest:
            cur.execute(
                f"INSERT OR IGNORE INTO {FACTS} ({cols}) VALUES {', '.join([one] * rest)}", tuple(params)
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
