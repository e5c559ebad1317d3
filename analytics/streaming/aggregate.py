"""Incremental aggregation of plays and exports into ``stream_metrics_daily``.

Only the days touched by new data (``stream_dirty_days``, filled by every ingest) are
recomputed from raw rows; their rolling windows are then refreshed for the following
55 days, from the stored daily rows. ``full=True`` rebuilds everything.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, select

from analytics.streaming import tables
from analytics.streaming.ids import day_bounds
from analytics.streaming.ingest import catalog_track_artists
from analytics.streaming.metrics import COLUMNS, KEY, LOOKBACK_DAYS, event_metrics, export_metrics, rolling
from analytics.warehouse import UpsertResult, Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

log = logging.getLogger(__name__)
EVENT_FIELDS = (
    "day",
    "ts",
    "track_id",
    "artist_id",
    "source",
    "country",
    "ms_played",
    "reason_end",
    "skipped",
)


@dataclass(frozen=True)
class AggregateSummary:
    """What one aggregation run recomputed."""

    full: bool
    days_recomputed: int
    days_rolled: int
    rows_written: int
    events_read: int

    def audit_record(self) -> AuditRecord:
        """Every count, and the daily rows rewritten."""
        return {
            "outputs": {k: getattr(self, k) for k in self.__dataclass_fields__},
            "changes": UpsertResult(updated={"stream_metrics_daily": self.rows_written}),
        }


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Contiguous runs of sorted days as inclusive (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and d == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _events(conn: Connection, days: list[date] | None) -> pd.DataFrame:
    t = tables.table("stream_play_events")
    cols = [t.c[c] for c in (*EVENT_FIELDS, "listener_key")]
    if days is None:
        return pd.read_sql(select(*cols), conn)
    frames = []
    for first, last in _runs(days):
        lo, hi = day_bounds(first)[0], day_bounds(last)[1]
        frames.append(pd.read_sql(select(*cols).where(t.c.event_id >= lo, t.c.event_id < hi), conn))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[c.name for c in cols])


def _exports(conn: Connection, name: str, columns: list[str], days: list[date] | None) -> pd.DataFrame:
    t = tables.table(name)
    query = select(*(t.c[c] for c in columns))
    frames = []
    for first, last in _runs(days) if days is not None else [(None, None)]:
        q = query if first is None else query.where(t.c.day.between(first, last))
        frames.append(pd.read_sql(q, conn))
    return pd.concat(frames, ignore_index=True)


def _stored(conn: Connection, first: date, last: date, skip: set[date]) -> pd.DataFrame:
    t = tables.table("stream_metrics_daily")
    frame = pd.read_sql(select(t).where(t.c.day.between(first, last)), conn)
    return frame[~frame["day"].isin(skip)]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    rows = frame[columns].astype(object).to_dict("records")
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and math.isnan(v):
                row[k] = None
            elif hasattr(v, "item"):
                row[k] = v.item()
    return rows


def _delete_days(conn: Connection, name: str, days: list[date]) -> None:
    t = tables.table(name)
    for first, last in _runs(days):
        conn.execute(delete(t).where(and_(t.c.day >= first, t.c.day <= last)))


def aggregate(
    warehouse: Warehouse, *, days: Iterable[date] | None = None, full: bool = False
) -> AggregateSummary:
    """Recompute daily metrics for the days touched by new data (or ``days``, or everything).

    Parameters
    ----------
    days : recompute these days as well as the days ingests marked as touched and no
        aggregation has recomputed yet (a run killed between ingest and aggregation leaves
        such a backlog; the next run clears it).
    full : rebuild every day from the raw rows.

    Notes
    -----
    A day leaves ``stream_dirty_days`` only in the transaction that recomputes it.
    """
    dirty = tables.table("stream_dirty_days")
    with warehouse.engine.begin() as conn:
        backlog = set(conn.execute(select(dirty.c.day)).scalars())
        target: list[date] | None = None if full else sorted(backlog | set(days or ()))
        if target is not None and not target:
            return AggregateSummary(False, 0, 0, 0, 0)
        events = _events(conn, target)
        songs = _exports(
            conn, "s4a_song_daily", ["track_id", "day", "artist_id", "listeners", "streams", "saves"], target
        )
        audience = _exports(
            conn, "s4a_audience_daily", ["artist_id", "day", "listeners", "streams", "followers"], target
        )
        fresh, countries = event_metrics(events)
        exported = export_metrics(
            songs, audience, main_artists=catalog_track_artists(conn) if not songs.empty else {}
        )
        fresh = pd.concat([x for x in (fresh, exported) if not x.empty] or [fresh])
        touched = sorted(set(fresh["day"]) | set(target or []))
        if not touched:
            return AggregateSummary(full, 0, 0, 0, len(events))
        last_known = conn.execute(
            select(tables.table("stream_metrics_daily").c.day)
            .order_by(tables.table("stream_metrics_daily").c.day.desc())
            .limit(1)
        ).scalar()
        horizon = max([touched[-1], *([last_known] if last_known else [])])
        if full:
            rolled_days, context = touched, fresh
        else:
            rolled_days = sorted(
                {d + timedelta(days=k) for d in touched for k in range(LOOKBACK_DAYS + 1)}
                & _span(touched[0], horizon)
            )
            stored = _stored(conn, touched[0] - timedelta(days=LOOKBACK_DAYS), rolled_days[-1], set(touched))
            context = (
                pd.concat(
                    [stored[KEY + [c for c in fresh.columns if c not in KEY]], fresh], ignore_index=True
                )
                if not stored.empty
                else fresh
            )
        result = rolling(context, days=rolled_days)
        if full:
            conn.execute(delete(tables.table("stream_metrics_daily")))
            conn.execute(delete(tables.table("stream_country_daily")))
        else:
            _delete_days(conn, "stream_metrics_daily", rolled_days)
            _delete_days(conn, "stream_country_daily", touched)
        metrics_rows = _records(result, COLUMNS)
        if metrics_rows:
            conn.execute(tables.table("stream_metrics_daily").insert(), metrics_rows)
        if not countries.empty:
            conn.execute(
                tables.table("stream_country_daily").insert(), _records(countries, list(countries.columns))
            )
        if full:
            conn.execute(delete(dirty))
        else:
            _delete_dirty(conn, dirty, backlog)
    summary = AggregateSummary(full, len(touched), len(rolled_days), len(metrics_rows), len(events))
    log.info("streaming aggregate: %s", summary)
    return summary


def _delete_dirty(conn: Connection, dirty: Any, days: set[date]) -> None:
    """Clear the dirty marks of exactly ``days`` (those this transaction recomputed)."""
    for first, last in _runs(sorted(days)):
        conn.execute(delete(dirty).where(and_(dirty.c.day >= first, dirty.c.day <= last)))


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=k) for k in range((last - first).days + 1)}
