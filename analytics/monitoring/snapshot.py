"""Snapshots: the artist's metrics as a time series, one row per metric and day (or hour).

:func:`snapshot_values` is pure (facts → values); :func:`store_snapshot` writes them
idempotently: an unchanged value is not rewritten, so a second run over the same data writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select, tuple_

from analytics.monitoring.facts import ArtistFacts
from analytics.monitoring.tables import MetricSnapshot
from analytics.warehouse import Base, UpsertResult, Warehouse

TABLE = "monitoring_snapshots"
DEV_MODE = "unavailable in development mode"
SNAPSHOT_COLUMNS = ("artist_id", "metric", "granularity", "period", "value", "status", "reason", "source")


@dataclass(frozen=True)
class MetricValue:
    """One metric's value, or why it is unavailable (``value`` None, ``reason`` set)."""

    metric: str
    value: float | None
    source: str
    reason: str | None = None

    @property
    def status(self) -> str:
        return "ok" if self.value is not None else "unavailable"


def _missing(metric: str, source: str, reason: str) -> MetricValue:
    return MetricValue(metric, None, source, reason)


def snapshot_values(facts: ArtistFacts) -> list[MetricValue]:
    """Every metric the quota mode and the stored data allow; the rest marked unavailable."""
    values: list[MetricValue] = []
    artist = facts.artist
    for metric in ("followers", "popularity"):
        if facts.quota_mode != "extended":
            values.append(_missing(metric, "spotify", DEV_MODE))
        elif artist is None:
            values.append(_missing(metric, "spotify", "artist not synced yet"))
        elif artist.get(metric) is None:
            values.append(_missing(metric, "spotify", "not returned by the last sync"))
        else:
            values.append(MetricValue(metric, float(artist[metric]), "spotify"))
    values += [
        MetricValue("albums", float(facts.albums), "catalog"),
        MetricValue("tracks", float(facts.tracks), "catalog"),
        MetricValue("releases_new_28d", float(len(facts.new_releases)), "catalog"),
        MetricValue("releases_removed_28d", float(len(facts.removed_releases)), "catalog"),
        MetricValue("playlist_placements", float(facts.playlist_placements), "playlists"),
        MetricValue("playlists_with_artist", float(facts.playlists_with_artist), "playlists"),
        MetricValue("playlist_removals_28d", float(len(facts.playlist_removals)), "playlists"),
    ]
    streams = facts.streams
    for metric, column in (
        ("streams_1d", "streams"),
        ("streams_7d", "streams_7d"),
        ("streams_28d", "streams_28d"),
    ):
        if streams is None:
            values.append(_missing(metric, "streaming", "no streaming data ingested for this artist"))
        else:
            values.append(MetricValue(metric, float(streams[column]), f"streaming:{streams['source']}"))
    if streams is None:
        values.append(_missing("anomalies_7d", "streaming", "no streaming data ingested for this artist"))
    else:
        recent = [a for a in facts.anomalies if (facts.day - a["day"]).days < 7]
        values.append(MetricValue("anomalies_7d", float(len(recent)), "streaming"))
    if facts.audience is None:
        values.append(_missing("social_audience", "social", "no social snapshots for this artist"))
    else:
        values.append(MetricValue("social_audience", float(facts.audience["audience_total"]), "social"))
    return values


def period_of(moment: datetime | date, *, granularity: str) -> str:
    """The period key: ``YYYY-MM-DD`` for a day, ``YYYY-MM-DDTHH`` for an hour (UTC)."""
    if granularity == "day":
        return (moment.date() if isinstance(moment, datetime) else moment).isoformat()
    if granularity == "hour" and isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")
    raise ValueError(f"granularity must be 'day' or 'hour' (with a datetime), not {granularity!r}")


def store_snapshot(
    warehouse: Warehouse,
    artist_id: str,
    values: list[MetricValue],
    *,
    period: str,
    granularity: str = "day",
    run_id: str,
    now: datetime | None = None,
) -> UpsertResult:
    """Write one period's values; unchanged rows are left alone (idempotent)."""
    now = now or datetime.now(UTC)
    result = UpsertResult(inserted={TABLE: 0}, updated={TABLE: 0}, unchanged={TABLE: 0})
    table = Base.metadata.tables[TABLE]
    with warehouse.session() as session:
        keys = [(artist_id, v.metric, granularity, period) for v in values]
        cols = (table.c.artist_id, table.c.metric, table.c.granularity, table.c.period)
        existing = {
            (r.artist_id, r.metric, r.granularity, r.period): (r.value, r.status, r.reason, r.source)
            for r in session.execute(select(table).where(tuple_(*cols).in_(keys)))
        }
        for key, value in zip(keys, values, strict=True):
            state = (value.value, value.status, value.reason, value.source)
            row = {
                "value": value.value,
                "status": value.status,
                "reason": value.reason,
                "source": value.source,
            }
            if key not in existing:
                session.execute(
                    table.insert().values(
                        artist_id=artist_id,
                        metric=value.metric,
                        granularity=granularity,
                        period=period,
                        run_id=run_id,
                        captured_at=now,
                        **row,
                    )
                )
                result.inserted[TABLE] += 1
            elif existing[key] != state:
                where = [c == k for c, k in zip(cols, key, strict=True)]
                session.execute(table.update().where(*where).values(run_id=run_id, captured_at=now, **row))
                result.updated[TABLE] += 1
            else:
                result.unchanged[TABLE] += 1
    return result


def load_series(
    warehouse: Warehouse, artist_id: str, *, granularity: str = "day", metrics: list[str] | None = None
) -> pd.DataFrame:
    """The stored time series of one artist (columns of :data:`SNAPSHOT_COLUMNS`), sorted."""
    table = MetricSnapshot.__table__
    stmt = select(*(table.c[c] for c in SNAPSHOT_COLUMNS)).where(
        table.c.artist_id == artist_id, table.c.granularity == granularity
    )
    if metrics:
        stmt = stmt.where(table.c.metric.in_(metrics))
    with warehouse.engine.connect() as conn:
        rows: list[dict[str, Any]] = [dict(r._mapping) for r in conn.execute(stmt)]
    frame = pd.DataFrame(rows, columns=list(SNAPSHOT_COLUMNS))
    return frame.sort_values(["metric", "period"], ignore_index=True)
