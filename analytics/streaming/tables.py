"""Warehouse tables of the streaming package (migration ``0002_streaming``).

Facts (play events, daily export rows) are append-and-dedupe tables keyed on natural keys;
they do not carry the catalog bookkeeping columns of ``analytics.warehouse.upsert_rows``.

``stream_play_events.event_id`` is a time-ordered 128-bit id (32 hex characters): its first
48 bits are the play's UTC timestamp in milliseconds, the rest a hash of the event's identity
(see :mod:`analytics.streaming.ids`). The primary key is therefore also the time index, and
new plays arrive in key order.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse.models import Base


class StreamFile(Base):
    """One ingested file, by content hash: the file-level idempotency record."""

    __tablename__ = "stream_files"

    file_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(String(64))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_stored: Mapped[int] = mapped_column(Integer)
    rows_duplicate: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)


class PlayEventRow(Base):
    """One play (streaming history or real-time); personal fields never reach this table."""

    __tablename__ = "stream_play_events"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - one B-tree clustered on the id

    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[date] = mapped_column(Date)
    track_id: Mapped[str] = mapped_column(String(64))
    artist_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    platform: Mapped[str | None] = mapped_column(String(16))
    ms_played: Mapped[int] = mapped_column(Integer)
    reason_start: Mapped[str | None] = mapped_column(String(24))
    reason_end: Mapped[str | None] = mapped_column(String(24))
    shuffle: Mapped[bool | None] = mapped_column(Boolean)
    skipped: Mapped[bool | None] = mapped_column(Boolean)
    offline: Mapped[bool | None] = mapped_column(Boolean)
    listener_key: Mapped[str | None] = mapped_column(String(16))


class S4AAudienceDaily(Base):
    """Spotify for Artists audience timeline: one artist, one UTC day."""

    __tablename__ = "s4a_audience_daily"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    streams: Mapped[int | None] = mapped_column(BigInteger)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    file_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[str] = mapped_column(String(64))


class S4ASongDaily(Base):
    """Spotify for Artists per-song timeline: one track, one UTC day."""

    __tablename__ = "s4a_song_daily"

    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    artist_id: Mapped[str] = mapped_column(String(64))
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    streams: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    file_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[str] = mapped_column(String(64))


class S4ASongTotals(Base):
    """Spotify for Artists song table: per-song totals of the export's period, as of a day."""

    __tablename__ = "s4a_song_totals"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    song: Mapped[str] = mapped_column(Text)
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    streams: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    release_date: Mapped[date | None] = mapped_column(Date)
    file_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[str] = mapped_column(String(64))


class StreamDirtyDay(Base):
    """Days touched by new data since the last aggregation (the incremental work list)."""

    __tablename__ = "stream_dirty_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class StreamCountryDaily(Base):
    """Plays per track, UTC day, country and source (from play events)."""

    __tablename__ = "stream_country_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    artist_id: Mapped[str] = mapped_column(String(64))
    plays: Mapped[int] = mapped_column(BigInteger)
    streams: Mapped[int] = mapped_column(BigInteger)
    skips: Mapped[int] = mapped_column(BigInteger)
    completions: Mapped[int] = mapped_column(BigInteger)
    ms_played: Mapped[int] = mapped_column(BigInteger)


class StreamMetricsDaily(Base):
    """Daily metrics per track or artist and source, with rolling 7/28-day sums and deltas.

    ``listeners`` is what the source gives for that day; it is never summed over days
    (monthly listeners as Spotify defines them are distinct listeners over 28 days).
    """

    __tablename__ = "stream_metrics_daily"

    level: Mapped[str] = mapped_column(String(8), primary_key=True)  # track | artist
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)  # s4a | history | realtime
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    artist_id: Mapped[str] = mapped_column(String(64))
    streams: Mapped[int] = mapped_column(BigInteger)
    plays: Mapped[int | None] = mapped_column(BigInteger)
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    skips: Mapped[int | None] = mapped_column(BigInteger)
    completions: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    ms_played: Mapped[int | None] = mapped_column(BigInteger)
    streams_7d: Mapped[int] = mapped_column(BigInteger)
    streams_28d: Mapped[int] = mapped_column(BigInteger)
    streams_delta_7d: Mapped[int | None] = mapped_column(BigInteger)
    streams_delta_28d: Mapped[int | None] = mapped_column(BigInteger)
    streams_per_listener: Mapped[float | None] = mapped_column(Float)
    skip_rate: Mapped[float | None] = mapped_column(Float)
    completion_rate: Mapped[float | None] = mapped_column(Float)
    save_rate: Mapped[float | None] = mapped_column(Float)
    country_hhi: Mapped[float | None] = mapped_column(Float)
    hour_entropy: Mapped[float | None] = mapped_column(Float)


class StreamAnomaly(Base):
    """One detected anomaly with the facts and the model version that produced it."""

    __tablename__ = "stream_anomalies"

    anomaly_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    level: Mapped[str] = mapped_column(String(8))
    entity_id: Mapped[str] = mapped_column(String(64))
    artist_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    detector: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(40))
    observed: Mapped[float] = mapped_column(Float)
    expected: Mapped[float | None] = mapped_column(Float)
    expected_low: Mapped[float | None] = mapped_column(Float)
    expected_high: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[dict[str, Any]] = mapped_column(JSON)
    model_version: Mapped[str] = mapped_column(String(40))
    run_id: Mapped[str] = mapped_column(String(64))


def table(name: str) -> Table:
    """The Core table ``name`` of the warehouse metadata (typed for bulk statements)."""
    return Base.metadata.tables[name]
