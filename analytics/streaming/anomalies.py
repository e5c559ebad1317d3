"""Detect anomalies in the stored daily metrics and keep them, explained, in ``stream_anomalies``.

Two detectors (:mod:`analytics.ml.anomaly`): the seasonal baseline over stream counts per
track and artist (sources ``s4a`` and ``realtime``), and the listening-pattern forest over
track-days of play events. A baseline spike of an artist within two days after one of its
songs' release dates is a ``release_spike``. Re-running over the same data stores the same
rows (ids are hashes of what was found and the model version).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import delete, select

from analytics.ml.anomaly import MODEL_VERSION, listening_pattern, seasonal_baseline
from analytics.streaming import tables
from analytics.warehouse import Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

log = logging.getLogger(__name__)
BASELINE_SOURCES = ("s4a", "realtime")
PATTERN_SOURCES = ("realtime", "history")
RELEASE_WINDOW_DAYS = 2


@dataclass(frozen=True)
class AnomalySummary:
    """Counts of anomalies stored by kind, and the model version."""

    by_kind: dict[str, int]
    model_version: str
    days: tuple[date, date] | None

    def audit_record(self) -> AuditRecord:
        """Anomalies stored by kind, the model version and the days looked at."""
        span = [d.isoformat() for d in self.days] if self.days else None
        return {"outputs": {"by_kind": dict(self.by_kind), "model_version": self.model_version, "days": span}}


def _release_dates(warehouse: Warehouse) -> dict[str, list[date]]:
    """Artist -> release dates of its songs, from the latest song tables."""
    t = tables.table("s4a_song_totals")
    out: dict[str, list[date]] = {}
    with warehouse.engine.connect() as conn:
        for artist, released in conn.execute(select(t.c.artist_id, t.c.release_date).distinct()):
            if released is not None:
                out.setdefault(artist, []).append(released)
    return out


def _baseline(metrics: pd.DataFrame, *, threshold: float, releases: Mapping[str, list[date]]) -> pd.DataFrame:
    found = []
    for (level, entity, source), s in metrics[metrics["source"].isin(BASELINE_SOURCES)].groupby(
        ["level", "entity_id", "source"]
    ):
        series = s.set_index("day")["streams"].astype(float)
        series.index = pd.to_datetime(series.index)
        series = series.reindex(
            pd.date_range(series.index.min(), series.index.max(), freq="D"), fill_value=0.0
        )
        flagged = seasonal_baseline(series, threshold=threshold)
        if flagged.empty:
            continue
        flagged["day"] = pd.to_datetime(flagged["day"]).dt.date
        artist = s["artist_id"].iloc[0]
        for i, row in flagged.iterrows():
            near = [r for r in releases.get(artist, []) if 0 <= (row["day"] - r).days <= RELEASE_WINDOW_DAYS]
            if row["kind"] == "spike" and near and level == "artist":
                flagged.at[i, "kind"] = "release_spike"
                flagged.at[i, "features"] = {**row["features"], "release_date": max(near).isoformat()}
        found.append(
            flagged.assign(
                level=level, entity_id=entity, source=source, artist_id=artist, detector="baseline"
            )
        )
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


def _pattern(metrics: pd.DataFrame, *, seed: int, contamination: float) -> pd.DataFrame:
    found = []
    track_days = metrics[(metrics["level"] == "track") & metrics["source"].isin(PATTERN_SOURCES)]
    for source, part in track_days.groupby("source"):
        flagged = listening_pattern(part.reset_index(drop=True), seed=seed, contamination=contamination)
        if flagged.empty:
            continue
        keys = part.reset_index(drop=True).loc[flagged.index, ["entity_id", "artist_id"]]
        found.append(
            flagged.assign(
                level="track",
                source=source,
                detector="isolation_forest",
                **{c: keys[c].to_numpy() for c in keys},
            )
        )
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


def _anomaly_id(row: Mapping[str, Any]) -> str:
    key = "|".join(str(row[k]) for k in ("detector", "level", "entity_id", "source", "day", "metric"))
    return hashlib.sha256(f"{key}|{MODEL_VERSION}".encode()).hexdigest()


def detect_anomalies(
    warehouse: Warehouse,
    *,
    run_id: str,
    days: tuple[date, date] | None = None,
    seed: int = 0,
    threshold: float = 4.0,
    contamination: float = 0.02,
) -> AnomalySummary:
    """Run both detectors over ``stream_metrics_daily`` and store anomalies of ``days``.

    Parameters
    ----------
    days : (first, last) inclusive; default: every day with metrics. History before
        ``first`` is read for the baselines; anomalies of these days are replaced.
    seed : the forest's random state.
    threshold : robust z-score beyond which the baseline flags a day.
    contamination : share of track-days the forest treats as outliers.
    """
    t = tables.table("stream_metrics_daily")
    query = select(t)
    if days is not None:
        query = query.where(t.c.day.between(days[0] - timedelta(days=120), days[1]))
    with warehouse.engine.connect() as conn:
        metrics = pd.read_sql(query, conn)
    if metrics.empty:
        return AnomalySummary({}, MODEL_VERSION, days)
    span = days or (min(metrics["day"]), max(metrics["day"]))
    found = pd.concat(
        [
            x
            for x in (
                _baseline(metrics, threshold=threshold, releases=_release_dates(warehouse)),
                _pattern(metrics, seed=seed, contamination=contamination),
            )
            if not x.empty
        ]
        or [pd.DataFrame(columns=["day", "kind"])],
        ignore_index=True,
    )
    found = found[(found["day"] >= span[0]) & (found["day"] <= span[1])]
    rows = []
    for record in found.to_dict("records"):
        record = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
        rows.append(
            {**record, "anomaly_id": _anomaly_id(record), "model_version": MODEL_VERSION, "run_id": run_id}
        )
    anomalies = tables.table("stream_anomalies")
    with warehouse.engine.begin() as conn:
        in_span = anomalies.c.day.between(span[0], span[1])
        # An anomaly found again keeps the run that first found it: a rerun changes no row.
        first_found = dict(
            conn.execute(select(anomalies.c.anomaly_id, anomalies.c.run_id).where(in_span)).all()
        )
        for row in rows:
            row["run_id"] = first_found.get(row["anomaly_id"], row["run_id"])
        conn.execute(delete(anomalies).where(in_span))
        if rows:
            conn.execute(
                anomalies.insert(), [{c.name: r.get(c.name) for c in anomalies.columns} for r in rows]
            )
    by_kind = dict(found["kind"].value_counts()) if rows else {}
    summary = AnomalySummary({str(k): int(v) for k, v in by_kind.items()}, MODEL_VERSION, span)
    log.info("streaming anomalies: %s", summary)
    return summary
