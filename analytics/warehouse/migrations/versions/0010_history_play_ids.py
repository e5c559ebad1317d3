"""streaming: history plays keyed by their normalised values

Revision ID: 0010_history_play_ids
Revises: 0008_play_facts

A streaming-history play's id used to hash the file's raw text, so ``…Z``, ``…+00:00`` and
``….000Z``, ``200000`` and ``200000.0``, ``Android`` and ``android`` were three plays. The id
now hashes the normalised values the warehouse stores (UTC instant to the microsecond, track,
whole milliseconds, start and end reasons, platform category). This migration gives every
stored history play that id and keeps one row of each play stored more than once; the days
that lose a row are marked for re-aggregation. The id function below is a frozen copy of
``analytics.streaming.history.history_identity`` and ``analytics.streaming.ids.event_id`` as
they were when this migration was written (a test checks they still agree).
"""

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010_history_play_ids"
down_revision = "0008_play_facts"
branch_labels = None
depends_on = None

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _instant(raw: Any) -> datetime:
    if isinstance(raw, int):  # SQLite: integer microseconds since the epoch, UTC
        return EPOCH + timedelta(microseconds=raw)
    if isinstance(raw, str):
        raw = datetime.fromisoformat(raw)
    return raw.replace(tzinfo=UTC) if raw.tzinfo is None else raw.astimezone(UTC)


def play_id(
    ts: datetime, track_id: str, ms_played: int, start: str | None, end: str | None, platform: str | None
) -> str:
    identity = "history|" + "|".join(
        (
            ts.isoformat(timespec="microseconds"),
            track_id,
            str(ms_played),
            start or "",
            end or "",
            platform or "",
        )
    )
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]
    return f"{int(ts.timestamp() * 1000):012x}{digest}"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    day_column = "" if sqlite else ", f.day"
    rows = bind.execute(
        sa.text(
            "SELECT f.event_id, f.ts, f.track_id, f.artist_id, f.ms_played, f.listener_key, f.context_id, "
            f"c.reason_start, c.reason_end, c.platform{day_column} "
            "FROM stream_play_facts AS f JOIN stream_play_contexts AS c ON c.context_id = f.context_id "
            "WHERE c.source = 'history' ORDER BY f.event_id"
        )
    ).all()
    keep: dict[str, Any] = {}
    moved: list[tuple[str, Any]] = []
    emptied: set[date] = set()
    for row in rows:
        ts = _instant(row.ts)
        new = play_id(ts, row.track_id, row.ms_played, row.reason_start, row.reason_end, row.platform)
        if new in keep:  # the same play stored again under another formatting: keep the first
            emptied.add(ts.date())
            moved.append((row.event_id, None))
        elif new != row.event_id:
            keep[new] = row
            moved.append((row.event_id, new))
        else:
            keep[new] = row
    if not moved:
        return
    facts = sa.table(
        "stream_play_facts",
        *(
            sa.column(c)
            for c in ("event_id", "ts", "track_id", "artist_id", "ms_played", "listener_key", "context_id")
        ),
        *([] if sqlite else [sa.column("day")]),
    )
    old_ids = [old for old, _ in moved]
    for start in range(0, len(old_ids), 500):
        bind.execute(facts.delete().where(facts.c.event_id.in_(old_ids[start : start + 500])))
    inserts = []
    for _old, new in moved:
        if new is None:
            continue
        row = keep[new]
        values = {
            "event_id": new,
            "ts": row.ts,
            "track_id": row.track_id,
            "artist_id": row.artist_id,
            "ms_played": row.ms_played,
            "listener_key": row.listener_key,
            "context_id": row.context_id,
        }
        if not sqlite:
            values["day"] = row.day
        inserts.append(values)
    if inserts:
        bind.execute(facts.insert(), inserts)
    if emptied:
        dirty = sa.table("stream_dirty_days", sa.column("day"))
        present = {
            d if isinstance(d, date) else date.fromisoformat(str(d))
            for (d,) in bind.execute(sa.select(dirty.c.day))
        }
        missing = [{"day": d} for d in sorted(emptied - present)]
        if missing:
            bind.execute(dirty.insert(), missing)


def downgrade() -> None:
    """Nothing to undo: the earlier ids hashed raw text the warehouse never stored."""
