"""Warehouse tables of the streaming package (migrations ``0002_streaming``, ``0008_play_facts``,
``0011_s4a_playlists``).

Facts (play events, daily export rows) are append-and-dedupe tables keyed on natural keys;
they do not carry the catalog bookkeeping columns of ``analytics.warehouse.upsert_rows``.

Play events are stored narrow, as a star: ``stream_play_facts`` holds what differs from play
to play (id, time, track, artist, duration, listener) and a ``context_id`` into
``stream_play_contexts``, a small dimension of the combinations of source, country, platform,
start and end reasons and the three flags (a few hundred distinct rows for millions of
plays). ``context_id`` is a hash of the combination, so every database, run and order of
arrival gives it the same id. The view ``stream_play_events`` joins them back into the wide
row every reader uses.

``event_id`` is a time-ordered 128-bit id (32 hex characters): its first 48 bits are the
play's UTC timestamp in milliseconds, the rest a hash of the event's identity (see
:mod:`analytics.streaming.ids`). The primary key is therefore also the time index, and new
plays arrive in key order. On SQLite the time is stored as integer microseconds and ``day``
is a virtual column computed from it; on PostgreSQL both are ordinary columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Dialect, Float, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_FLOAT_EXACT_UNTIL = 2**31  # seconds (2038): below it, seconds * 1e6 rounds to the exact microsecond


def utc_microseconds_of(times: Sequence[datetime]) -> list[int]:
    """Integer microseconds since the epoch of each of ``times`` (exact; naive times are UTC).

    ``timestamp()`` is correctly rounded and 2.6x faster than timedelta arithmetic; a batch
    outside the range where the float is exact takes the timedelta path.
    """
    utc = [t if t.tzinfo is not None else t.replace(tzinfo=UTC) for t in times]
    seconds = [t.timestamp() for t in utc]
    if seconds and not (min(seconds) >= 0 and max(seconds) < _FLOAT_EXACT_UNTIL):
        return [(t - _EPOCH) // _MICROSECOND for t in utc]
    return [round(x * 1_000_000) for x in seconds]


def utc_microseconds(ts: datetime) -> int:
    """:func:`utc_microseconds_of` one time."""
    return utc_microseconds_of([ts])[0]


class PlayTime(TypeDecorator[datetime]):
    """A UTC play time: TIMESTAMPTZ on PostgreSQL, integer microseconds on SQLite.

    SQLite has no time type; an integer is a third of the bytes of SQLAlchemy's text form,
    is bound without formatting, and lets ``day`` be computed by SQLite itself.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return utc_microseconds(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or dialect.name != "sqlite":
            return value  # type: ignore[no-any-return]
        return _EPOCH + timedelta(microseconds=int(value))


class PlayFactRow(Base):
    """What varies from play to play; the rest is the play's context (``stream_play_contexts``)."""

    __tablename__ = "stream_play_facts"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - one B-tree clustered on the id

    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ts: Mapped[datetime] = mapped_column(PlayTime())
    day: Mapped[date] = mapped_column(Date)  # virtual on SQLite (computed from ts)
    track_id: Mapped[str] = mapped_column(String(64))
    artist_id: Mapped[str | None] = mapped_column(String(64))
    ms_played: Mapped[int] = mapped_column(Integer)
    listener_key: Mapped[str | None] = mapped_column(String(16))
    context_id: Mapped[int] = mapped_column(BigInteger)


class PlayContextRow(Base):
    """One combination of a play's low-cardinality fields, keyed by a hash of them."""

    __tablename__ = "stream_play_contexts"

    context_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    platform: Mapped[str | None] = mapped_column(String(16))
    reason_start: Mapped[str | None] = mapped_column(String(24))
    reason_end: Mapped[str | None] = mapped_column(String(24))
    shuffle: Mapped[bool | None] = mapped_column(Boolean)
    skipped: Mapped[bool | None] = mapped_column(Boolean)
    offline: Mapped[bool | None] = mapped_column(Boolean)


class PlayEventRow(Base):
    """One play (streaming history or real-time), as the view ``stream_play_events`` shows it.

    A read-only view of ``stream_play_facts`` joined to ``stream_play_contexts``; personal
    fields never reach either table. Writes go through :func:`analytics.streaming.load.store_events`.
    """

    __tablename__ = "stream_play_events"

    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ts: Mapped[datetime] = mapped_column(PlayTime())
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
    """Spotify for Artists per-song timeline: one artist's export, one track, one UTC day."""

    __tablename__ = "s4a_song_daily"

    # whose export reports the song: a song crediting two artists is in both artists' exports
    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
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


class S4APlaylist(Base):
    """Spotify for Artists playlists table: one playlist and one of the artist's songs on it,
    with the song's listeners and streams from that playlist over the export's period.

    Kept as history: each export (``as_of``, ``period``) is a snapshot of its own; a newer
    export adds rows and changes none of an older one's (migration ``0011_s4a_playlists``).
    """

    __tablename__ = "s4a_playlists"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    playlist_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    playlist: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    playlist_id: Mapped[str | None] = mapped_column(String(64))
    song: Mapped[str] = mapped_column(Text)
    isrc: Mapped[str | None] = mapped_column(String(12))
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    streams: Mapped[int | None] = mapped_column(BigInteger)
    date_added: Mapped[date | None] = mapped_column(Date)
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
