"""streaming: play events stored narrow, as facts and a dimension of contexts

Revision ID: 0008_play_facts
Revises: 0002_streaming
Create Date: 2026-12-06 12:45:00

``stream_play_events`` becomes a view over ``stream_play_facts`` (what differs from play to
play) joined to ``stream_play_contexts`` (the combinations of the eight low-cardinality
fields, keyed by a hash of them). On SQLite the time is stored as integer microseconds and
``day`` is a virtual column computed from it. Existing plays are moved, not re-ingested.

The layout and the context ids are a frozen snapshot of ``analytics.streaming.load`` as it was
when this revision was written: a migration must not change when the live code does.
``tests/warehouse/test_migration_snapshots.py`` checks that the loader still agrees with it.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_play_facts"
down_revision = "0002_streaming"
branch_labels = None
depends_on = None

VIEW = """CREATE VIEW stream_play_events AS
SELECT f.event_id, f.ts, f.day, f.track_id, f.artist_id, c.source, c.country, c.platform, f.ms_played,
       c.reason_start, c.reason_end, c.shuffle, c.skipped, c.offline, f.listener_key
FROM stream_play_facts AS f JOIN stream_play_contexts AS c ON c.context_id = f.context_id"""


# Snapshot of analytics.streaming.load (2026-12-06): keep as is, even if the loader changes.
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
FLAGS = frozenset(("shuffle", "skipped", "offline"))
FACT_COLUMNS = ("event_id", "ts", "day", "track_id", "artist_id", "ms_played", "listener_key", "context_id")


def context_id(context: Sequence[Any]) -> int:
    """The id of one context (values in ``CONTEXT_FIELDS`` order): a signed 64-bit hash."""
    canonical = [
        None if v is None else bool(v) if name in FLAGS else str(v)
        for name, v in zip(CONTEXT_FIELDS, context, strict=True)
    ]
    digest = hashlib.sha256(json.dumps(canonical).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _same(a: str, b: str, sqlite: bool) -> str:
    return f"{a} IS {b}" if sqlite else f"{a} IS NOT DISTINCT FROM {b}"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "stream_play_contexts",
        sa.Column("context_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("platform", sa.String(16), nullable=True),
        sa.Column("reason_start", sa.String(24), nullable=True),
        sa.Column("reason_end", sa.String(24), nullable=True),
        sa.Column("shuffle", sa.Boolean(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=True),
    )
    time_and_day: list[sa.Column[Any]]
    if sqlite:
        time_and_day = [
            sa.Column("ts", sa.BigInteger(), nullable=False),  # microseconds since the epoch, UTC
            sa.Column("day", sa.Date(), sa.Computed("date(ts / 1000000, 'unixepoch')", persisted=False)),
        ]
    else:
        time_and_day = [
            sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
            sa.Column("day", sa.Date(), nullable=False),
        ]
    op.create_table(
        "stream_play_facts",
        sa.Column("event_id", sa.String(32), primary_key=True),
        *time_and_day,
        sa.Column("track_id", sa.String(64), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=True),
        sa.Column("ms_played", sa.Integer(), nullable=False),
        sa.Column("listener_key", sa.String(16), nullable=True),
        sa.Column("context_id", sa.BigInteger(), nullable=False),
        sqlite_with_rowid=False,
    )
    fields = ", ".join(CONTEXT_FIELDS)
    contexts = [tuple(r) for r in bind.exec_driver_sql(f"SELECT DISTINCT {fields} FROM stream_play_events")]
    if contexts:
        table = sa.table("stream_play_contexts", *(sa.column(c) for c in ("context_id", *CONTEXT_FIELDS)))
        op.bulk_insert(
            table,
            [
                {"context_id": context_id(ctx), **dict(zip(CONTEXT_FIELDS, ctx, strict=True))}
                for ctx in contexts
            ],
        )
    # SQLAlchemy's SQLite text time "YYYY-MM-DD HH:MM:SS.ffffff" to exact integer microseconds
    ts = (
        "CAST(strftime('%s', substr(e.ts, 1, 19)) AS INTEGER) * 1000000"
        " + CAST(COALESCE(NULLIF(substr(e.ts, 21, 6), ''), '0') AS INTEGER)"
        if sqlite
        else "e.ts"
    )
    match = " AND ".join(_same(f"c.{f}", f"e.{f}", sqlite) for f in CONTEXT_FIELDS)
    target = [c for c in FACT_COLUMNS if not (sqlite and c == "day")]
    values = {"ts": ts, "context_id": "c.context_id"}
    op.execute(
        f"INSERT INTO stream_play_facts ({', '.join(target)}) "
        f"SELECT {', '.join(values.get(c, f'e.{c}') for c in target)} "
        f"FROM stream_play_events AS e JOIN stream_play_contexts AS c ON {match}"
    )
    op.drop_table("stream_play_events")
    op.execute(VIEW)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    columns: list[sa.Column[Any]] = [
        sa.Column("event_id", sa.String(32), primary_key=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("track_id", sa.String(64), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("platform", sa.String(16), nullable=True),
        sa.Column("ms_played", sa.Integer(), nullable=False),
        sa.Column("reason_start", sa.String(24), nullable=True),
        sa.Column("reason_end", sa.String(24), nullable=True),
        sa.Column("shuffle", sa.Boolean(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=True),
        sa.Column("listener_key", sa.String(16), nullable=True),
    ]
    op.create_table("_play_events_wide", *columns, sqlite_with_rowid=False)
    ts = (
        "strftime('%Y-%m-%d %H:%M:%S', f.ts / 1000000, 'unixepoch') || '.' || printf('%06d', f.ts % 1000000)"
        if sqlite
        else "f.ts"
    )
    names = [c.name for c in columns]
    picked = {"ts": ts, **{c: f"c.{c}" for c in CONTEXT_FIELDS}}
    op.execute(
        f"INSERT INTO _play_events_wide ({', '.join(names)}) "
        f"SELECT {', '.join(picked.get(n, f'f.{n}') for n in names)} "
        "FROM stream_play_facts AS f JOIN stream_play_contexts AS c ON c.context_id = f.context_id"
    )
    op.execute("DROP VIEW stream_play_events")
    op.drop_table("stream_play_facts")
    op.drop_table("stream_play_contexts")
    op.rename_table("_play_events_wide", "stream_play_events")
