"""Read a fact sheet from the warehouse: the catalog tables, plus whatever other packages stored.

Streaming, social and audio tables belong to other packages and may not exist yet; each is looked
for under a few names with a few column spellings. What is absent simply gives fewer facts, and
the sheet's ``coverage`` says what was looked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import MetaData, Table, inspect, select

from analytics.catalog.counts import credits_artist
from analytics.content.builder import build_fact_sheet
from analytics.content.facts import FactSheet, Source
from analytics.warehouse import Warehouse

# source -> (candidate tables, {our column: accepted spellings}, required columns)
OPTIONAL_SOURCES: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], tuple[str, ...]]] = {
    "streaming": (
        ("streaming_daily", "streams_daily", "stream_daily", "daily_streams", "streaming_aggregates"),
        {
            "day": ("day", "date", "stream_date"),
            "streams": ("streams", "stream_count", "plays"),
            "listeners": ("listeners", "listener_count"),
            "track_id": ("track_id",),
            "artist_id": ("artist_id",),
            "run_id": ("last_changed_run", "run_id"),
        },
        ("day", "streams"),
    ),
    "social": (
        ("social_audience", "social_daily", "social_metrics", "social_snapshots"),
        {
            "platform": ("platform",),
            "day": ("day", "date", "snapshot_date"),
            "followers": ("followers", "follower_count", "subscribers"),
            "artist_id": ("artist_id",),
            "run_id": ("last_changed_run", "run_id"),
        },
        ("platform", "day", "followers"),
    ),
    "audio": (
        ("audio_features", "track_audio_features", "track_features"),
        {
            "track_id": ("track_id",),
            "tempo_bpm": ("tempo_bpm", "tempo"),
            "key": ("key", "key_pitch_class"),
            "mode": ("mode",),
            "energy": ("energy",),
            "loudness_lufs": ("loudness_lufs", "integrated_lufs", "loudness"),
            "run_id": ("last_changed_run", "run_id"),
        },
        ("track_id",),
    ),
}


def _table(warehouse: Warehouse, name: str) -> Table:
    meta = MetaData()
    meta.reflect(warehouse.engine, only=[name])
    return meta.tables[name]


def _rows(warehouse: Warehouse, table: Table, where: Any = None) -> list[dict[str, Any]]:
    stmt = select(table) if where is None else select(table).where(where)
    with warehouse.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def _optional(
    warehouse: Warehouse, source: str, existing: set[str], *, artist_id: str, track_ids: Sequence[str]
) -> tuple[list[dict[str, Any]] | None, str, str | None]:
    names, spellings, required = OPTIONAL_SOURCES[source]
    name = next((n for n in names if n in existing), None)
    if name is None:
        return None, f"absent: no table (looked for {', '.join(names)})", None
    table = _table(warehouse, name)
    columns = {ours: next((c for c in options if c in table.c), None) for ours, options in spellings.items()}
    missing = [c for c in required if columns[c] is None]
    if missing:
        return None, f"absent: table {name} lacks {', '.join(missing)}", name
    if columns.get("artist_id"):
        where = table.c[columns["artist_id"]] == artist_id  # type: ignore[index]
    elif columns.get("track_id"):
        where = table.c[columns["track_id"]].in_(list(track_ids))  # type: ignore[index]
    else:
        return None, f"absent: table {name} has neither artist_id nor track_id", name
    if "removed_run" in table.c:
        where = where & table.c.removed_run.is_(None)
    rows = [{ours: r[col] for ours, col in columns.items() if col} for r in _rows(warehouse, table, where)]
    return rows, f"{len(rows)} rows from {name}", name


def facts_from_warehouse(
    warehouse: Warehouse, artist_id: str, *, period_start: date, period_end: date, top_n: int = 3
) -> FactSheet:
    """The fact sheet of ``artist_id`` over ``[period_start, period_end]`` from the warehouse.

    Raises
    ------
    KeyError : the artist is not in the ``artists`` table (sync the catalog first).
    """
    existing = set(inspect(warehouse.engine).get_table_names())
    artists = _table(warehouse, "artists")
    found = _rows(warehouse, artists, artists.c.artist_id == artist_id)
    if not found:
        raise KeyError(
            f"artist {artist_id!r} is not in the warehouse table artists; run the catalog sync first"
        )
    artist = found[0]
    albums_t, tracks_t = _table(warehouse, "albums"), _table(warehouse, "tracks")
    albums = _rows(
        warehouse, albums_t, (albums_t.c.artist_id == artist_id) & albums_t.c.removed_run.is_(None)
    )
    # every track crediting the artist: its own and the songs it is featured on
    tracks = [
        t
        for t in _rows(warehouse, tracks_t, tracks_t.c.removed_run.is_(None))
        if credits_artist(t, artist_id)
    ]
    track_ids = [t["track_id"] for t in tracks]
    inputs: dict[str, Any] = {}
    sources = {
        "artists": Source(table="artists"),
        "albums": Source(table="albums"),
        "tracks": Source(table="tracks"),
    }
    coverage: dict[str, str] = {}
    streams, followers = (
        _stream_metrics(
            warehouse, artist_id, featured=[t["track_id"] for t in tracks if t["artist_id"] != artist_id]
        )
        if "stream_metrics_daily" in existing
        else ([], [])
    )
    if streams:
        inputs["streams"], sources["streams"] = streams, Source(table="stream_metrics_daily")
        coverage["streaming"] = f"{len(streams)} rows from stream_metrics_daily"
    if followers:
        inputs["social"] = followers
    for source, arg in (("streaming", "streams"), ("social", "social"), ("audio", "audio_features")):
        if arg in inputs and source == "streaming":
            continue
        rows, note, table_name = _optional(
            warehouse, source, existing, artist_id=artist_id, track_ids=track_ids
        )
        coverage[source] = note
        if rows is not None and table_name:
            inputs[arg] = [*inputs.get(arg, []), *rows]
            sources[{"streams": "streams", "social": "social", "audio_features": "audio_features"}[arg]] = (
                Source(table=table_name)
            )
    inputs["playlist_changes"] = _playlist_changes(warehouse, track_ids, period_start, period_end)
    sources["playlist_changes"] = Source(table="playlist_items")
    sheet = build_fact_sheet(
        artist,
        period_start=period_start,
        period_end=period_end,
        albums=albums,
        tracks=tracks,
        sources=sources,
        top_n=top_n,
        coverage=coverage,
        **inputs,
    )
    return sheet


SOURCE_PREFERENCE = ("s4a", "history", "realtime")


def _stream_metrics(
    warehouse: Warehouse, artist_id: str, *, featured: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Daily rows of the streaming package's ``stream_metrics_daily``, from one source only.

    Track-level rows give streams (and top tracks); artist-level rows give listeners and Spotify
    followers, and streams only where no track-level rows exist, so nothing is counted twice.
    ``featured`` are the tracks of other artists crediting this one: their track-level rows
    (attributed to their main artist, one per track, source and day) count for it too.
    """
    table = _table(warehouse, "stream_metrics_daily")
    mine = table.c.artist_id == artist_id
    if featured:
        mine = mine | ((table.c.level == "track") & table.c.entity_id.in_(list(featured)))
    rows = _rows(warehouse, table, mine)
    if not rows:
        return [], []
    present = {r["source"] for r in rows}
    source = next((s for s in SOURCE_PREFERENCE if s in present), sorted(present)[0])
    chosen = [r for r in rows if r["source"] == source]
    has_tracks = any(r["level"] == "track" for r in chosen)
    streams: list[dict[str, Any]] = []
    followers: list[dict[str, Any]] = []
    for r in chosen:
        if r["level"] == "track":
            streams.append({"day": r["day"], "track_id": r["entity_id"], "streams": r["streams"] or 0})
        elif r["level"] == "artist":
            streams.append(
                {
                    "day": r["day"],
                    "streams": 0 if has_tracks else (r["streams"] or 0),
                    "listeners": r.get("listeners"),
                }
            )
            if r.get("followers") is not None:
                followers.append({"platform": "spotify", "day": r["day"], "followers": r["followers"]})
    return streams, followers


def _playlist_changes(
    warehouse: Warehouse, track_ids: Sequence[str], start: date, end: date
) -> list[dict[str, Any]]:
    playlists_t, items_t = _table(warehouse, "playlists"), _table(warehouse, "playlist_items")
    names = {
        p["playlist_id"]: p["name"]
        for p in _rows(warehouse, playlists_t, playlists_t.c.removed_run.is_(None))
    }
    out: list[dict[str, Any]] = []
    for item in _rows(warehouse, items_t, items_t.c.track_id.in_(list(track_ids))):
        playlist = names.get(item["playlist_id"])
        if playlist is None:
            continue
        added = str(item.get("added_at") or "")[:10]
        if added and start.isoformat() <= added <= end.isoformat():
            out.append(
                {
                    "playlist": playlist,
                    "track_id": item["track_id"],
                    "change": "added",
                    "day": added,
                    "last_changed_run": item.get("first_seen_run"),
                }
            )
        removed = item.get("removed_at")
        if removed is not None and start <= removed.date() <= end:
            out.append(
                {
                    "playlist": playlist,
                    "track_id": item["track_id"],
                    "change": "removed",
                    "day": removed.date().isoformat(),
                    "last_changed_run": item.get("removed_run"),
                }
            )
    return out
