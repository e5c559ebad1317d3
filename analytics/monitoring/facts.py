"""Everything encore knows about one artist, read from the warehouse (the I/O edge).

:func:`gather_facts` returns an :class:`ArtistFacts`; snapshots and rule evaluation are pure
functions of it. Tables another package has not filled yet read as empty; what the quota
mode cannot show stays ``None`` with a reason.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, column, inspect, select, table

import analytics.social.tables
import analytics.streaming.tables  # noqa: F401  (registers the tables on the warehouse Base)
from analytics.warehouse import (
    Album,
    Artist,
    AuditRecord,
    EntityVersion,
    Playlist,
    PlaylistItem,
    Track,
    Warehouse,
)

HISTORY_DAYS = 28
SOURCE_PRIORITY = ("s4a", "history", "realtime")


@dataclass
class ArtistFacts:
    """The inputs of a snapshot and of the rules, for one artist at one moment."""

    artist_id: str
    day: date
    now: datetime
    quota_mode: str
    artist: dict[str, Any] | None = None
    albums: int = 0
    tracks: int = 0
    track_names: dict[str, str] = field(default_factory=dict)
    new_releases: list[dict[str, Any]] = field(default_factory=list)
    removed_releases: list[dict[str, Any]] = field(default_factory=list)
    playlist_placements: int = 0
    playlists_with_artist: int = 0
    playlist_removals: list[dict[str, Any]] = field(default_factory=list)
    streams: dict[str, Any] | None = None
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    audience: dict[str, Any] | None = None
    sync_runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkpoints_resume_at: datetime | None = None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _release_end(release_date: str, precision: str) -> str:
    """The latest day a release date can mean (``2026`` → ``2026-12-31``), for comparisons."""
    if precision == "year" or len(release_date) == 4:
        return f"{release_date[:4]}-12-31"
    if precision == "month" or len(release_date) == 7:
        return f"{release_date[:7]}-31"
    return release_date


def gather_facts(
    warehouse: Warehouse,
    artist_id: str,
    *,
    quota_mode: str,
    day: date | None = None,
    now: datetime | None = None,
    flows: tuple[str, ...] = ("sync_artist_data",),
) -> ArtistFacts:
    """Read the artist's catalog, playlists, streaming, social and sync facts.

    Parameters
    ----------
    warehouse : the warehouse.
    artist_id : the Spotify artist id.
    quota_mode : ``development`` or ``extended``; decides what may be shown.
    day : the snapshot's day (default: today, UTC).
    now : the moment of the snapshot (default: now); windows end here.
    flows : flows whose last run outcome is read from the audit log.
    """
    now = now or datetime.now(UTC)
    day = day or now.date()
    facts = ArtistFacts(artist_id=artist_id, day=day, now=now, quota_mode=quota_mode)
    since = now - timedelta(days=HISTORY_DAYS)
    tables = set(inspect(warehouse.engine).get_table_names())
    with warehouse.engine.connect() as conn:
        row = conn.execute(select(Artist.__table__).where(Artist.artist_id == artist_id)).first()
        facts.artist = dict(row._mapping) if row else None
        albums = [
            dict(r._mapping)
            for r in conn.execute(select(Album.__table__).where(Album.artist_id == artist_id))
        ]
        tracks = [
            dict(r._mapping)
            for r in conn.execute(select(Track.__table__).where(Track.artist_id == artist_id))
        ]
        facts.albums = sum(1 for a in albums if a["removed_run"] is None)
        facts.tracks = sum(1 for t in tracks if t["removed_run"] is None)
        facts.track_names = {t["track_id"]: t["name"] for t in tracks}
        by_album = {a["album_id"]: a for a in albums}
        inserted = conn.execute(
            select(EntityVersion.entity_key, EntityVersion.valid_from).where(
                EntityVersion.entity_type == "albums",
                EntityVersion.change == "inserted",
                EntityVersion.valid_from >= since,
            )
        )
        for album_id, seen in inserted:
            album = by_album.get(album_id)
            if album is None or album["removed_run"] is not None:
                continue
            facts.new_releases.append(
                {
                    "album_id": album_id,
                    "name": album["name"],
                    "album_type": album["album_type"],
                    "release_date": album["release_date"],
                    "release_end": _release_end(album["release_date"], album["release_date_precision"]),
                    "first_seen": _aware(seen),
                }
            )
        facts.removed_releases = [
            {"album_id": a["album_id"], "name": a["name"], "removed_at": _aware(a["removed_at"])}
            for a in albums
            if a["removed_at"] is not None and _aware(a["removed_at"]) >= since  # type: ignore[operator]
        ]
        _playlists(conn, facts, since=since)
        if "stream_metrics_daily" in tables:
            _streams(conn, facts)
        if "stream_anomalies" in tables:
            _anomalies(conn, facts, since=day - timedelta(days=HISTORY_DAYS))
        for flow in flows:
            facts.sync_runs[flow] = _last_run(conn, flow) or {}
        if "sync_checkpoints" in tables:
            checkpoints = table("sync_checkpoints", column("resume_at", DateTime(timezone=True)))
            resume = conn.execute(
                select(checkpoints.c.resume_at).where(checkpoints.c.resume_at.is_not(None))
            ).scalars()
            later = [r for r in (_aware(x) for x in resume) if r is not None and r > now]
            facts.checkpoints_resume_at = max(later) if later else None
    if "social_snapshots" in tables:
        _audience(warehouse, facts)
    return facts


def _playlists(conn: Any, facts: ArtistFacts, *, since: datetime) -> None:
    mine = set(facts.track_names)
    names = {p: n for p, n in conn.execute(select(Playlist.playlist_id, Playlist.name))}
    current: set[tuple[str, str]] = set()
    placements = 0
    for playlist_id, track_id in conn.execute(
        select(PlaylistItem.playlist_id, PlaylistItem.track_id).where(PlaylistItem.removed_run.is_(None))
    ):
        current.add((playlist_id, track_id))
        placements += track_id in mine
    facts.playlist_placements = placements
    facts.playlists_with_artist = len({p for p, t in current if t in mine})
    past = conn.execute(
        select(EntityVersion.data, EntityVersion.valid_to).where(
            EntityVersion.entity_type == "playlist_items",
            EntityVersion.valid_to.is_not(None),
            EntityVersion.valid_to >= since,
        )
    )
    gone: dict[tuple[str, str], datetime] = {}
    for data, valid_to in past:
        if isinstance(data, str):
            data = json.loads(data)
        pair = (data.get("playlist_id"), data.get("track_id"))
        if pair[1] in mine and pair not in current:
            when = _aware(valid_to)
            if when is not None and (pair not in gone or when > gone[pair]):
                gone[pair] = when  # type: ignore[index]
    facts.playlist_removals = [
        {
            "playlist_id": p,
            "playlist": names.get(p, p),
            "track_id": t,
            "track": facts.track_names.get(t, t),
            "removed_at": when,
        }
        for (p, t), when in sorted(gone.items())
    ]


def _streams(conn: Any, facts: ArtistFacts) -> None:
    from analytics.streaming.tables import StreamMetricsDaily as M

    rows = conn.execute(
        select(M.source, M.day, M.streams, M.streams_7d, M.streams_28d, M.listeners)
        .where(M.level == "artist", M.entity_id == facts.artist_id, M.day <= facts.day)
        .order_by(M.day.desc())
        .limit(12)
    ).all()
    if not rows:
        return
    latest = rows[0].day
    on_day = {r.source: r for r in rows if r.day == latest}
    source = next((s for s in SOURCE_PRIORITY if s in on_day), sorted(on_day)[0])
    r = on_day[source]
    facts.streams = {
        "source": source,
        "day": latest,
        "streams": r.streams,
        "streams_7d": r.streams_7d,
        "streams_28d": r.streams_28d,
        "listeners": r.listeners,
    }


def _anomalies(conn: Any, facts: ArtistFacts, *, since: date) -> None:
    from analytics.streaming.tables import StreamAnomaly as A

    rows = conn.execute(
        select(A.anomaly_id, A.day, A.level, A.entity_id, A.kind, A.metric, A.observed, A.expected, A.score)
        .where(A.artist_id == facts.artist_id, A.day >= since, A.day <= facts.day)
        .order_by(A.day, A.anomaly_id)
    )
    facts.anomalies = [dict(r._mapping) for r in rows]


def _audience(warehouse: Warehouse, facts: ArtistFacts) -> None:
    from analytics import social

    frame = social.audience(warehouse, facts.artist_id)
    if frame.empty:
        return
    frame = frame[frame["day"] <= facts.day]
    if frame.empty:
        return
    last = frame.iloc[-1]
    total = float(last["audience_total"])
    if math.isnan(total):
        return
    facts.audience = {"day": last["day"], "audience_total": total, "platforms": int(last["platforms"])}


def _last_run(conn: Any, flow: str, *, scan: int = 5000) -> dict[str, Any] | None:
    """The closing audit record of ``flow``'s newest run, with any quota stop of that run."""
    needle = f'"flow":"{flow}"'
    rows = conn.execute(
        select(AuditRecord.run_id, AuditRecord.body).order_by(AuditRecord.seq.desc()).limit(scan)
    ).all()
    closing = None
    for run_id, body in rows:
        if needle in body:
            record = json.loads(body)
            if record.get("flow") == flow and record.get("task") == "run":
                closing = {"run_id": run_id, **record}
                break
    if closing is None:
        return None
    resume_at = None
    for run_id, body in rows:
        if run_id != closing["run_id"]:
            continue
        details = json.loads(body).get("details") or {}
        if details.get("resume_at"):
            resume_at = details["resume_at"]
    return {
        "run_id": closing["run_id"],
        "outcome": closing.get("outcome"),
        "at": closing.get("created_at"),
        "message": (closing.get("details") or {}).get("message") or "",
        "resume_at": resume_at,
    }
