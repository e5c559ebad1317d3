"""Idempotent ingest of files and event batches into the warehouse.

A file is identified by the SHA-256 of its bytes: a file already ingested is not read again.
Each row is then stored once by its natural key (event id, or artist/track and day), so an
overlapping export or a re-delivered event changes nothing. One file is one transaction:
a file that cannot be read stores nothing; rejected rows are reported, never stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from analytics.observability.metrics import counter
from analytics.streaming import load, tables
from analytics.streaming.events import as_tuples
from analytics.streaming.exports import ExportFile
from analytics.streaming.history import parse_history
from analytics.streaming.parsing import decode_text, file_hash, read_bytes, today_utc
from analytics.streaming.s4a import S4AKind, parse_s4a, timeline_title, track_for_title
from analytics.streaming.s4a_playlists import export_period
from analytics.streaming.summary import IngestSummary, ParseResult, Rejection, SourceFormatError
from analytics.warehouse import Warehouse

log = logging.getLogger(__name__)
ROWS = counter("encore_streaming_rows_total", "Streaming rows by source and outcome", ("source", "outcome"))


def _count(summary: IngestSummary) -> None:
    for outcome, n in (
        ("stored", summary.rows_stored + summary.rows_updated),
        ("duplicate", summary.rows_duplicate),
        ("rejected", summary.rows_rejected),
    ):
        if n:
            ROWS.labels(summary.source, outcome).inc(n)
    log.info(
        "streaming ingest %s %s: read=%d stored=%d updated=%d duplicate=%d rejected=%d%s",
        summary.source,
        summary.file_name or "(events)",
        summary.rows_read,
        summary.rows_stored,
        summary.rows_updated,
        summary.rows_duplicate,
        summary.rows_rejected,
        " (file already ingested)" if summary.already_ingested else "",
    )


def _begin_file(conn: Connection, path: Path, data: bytes, source: str) -> IngestSummary:
    digest = file_hash(data)
    summary = IngestSummary(source=source, file_name=path.name, file_hash=digest)
    summary.already_ingested = load.file_ingested(conn, digest)
    return summary


def _finish_file(conn: Connection, summary: IngestSummary, parsed: ParseResult, *, run_id: str) -> None:
    summary.rows_read = parsed.read
    summary.rows_duplicate += parsed.duplicates
    summary.reject(parsed.rejected)
    load.mark_dirty(conn, summary.days_touched)
    load.record_file(
        conn,
        file_hash=summary.file_hash,
        source=summary.source,
        file_name=summary.file_name,
        run_id=run_id,
        rows_read=summary.rows_read,
        rows_stored=summary.rows_stored + summary.rows_updated,
        rows_duplicate=summary.rows_duplicate,
        rows_rejected=summary.rows_rejected,
    )


SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")


def ingest_s4a_csv(
    warehouse: Warehouse,
    path: Path | str,
    *,
    run_id: str,
    artist_id: str,
    kind: S4AKind | str | None = None,
    track_id: str | None = None,
    track_ids: Mapping[str, str] | None = None,
    as_of: date | None = None,
    period: str | None = None,
    now: datetime | None = None,
) -> IngestSummary:
    """Ingest one Spotify for Artists CSV export.

    Parameters
    ----------
    path : the CSV file. A per-song timeline named ``<track_id>-timeline.csv`` or, as Spotify
        for Artists names it, ``<song title>-timeline.csv`` needs no ``track_id``: the title
        is looked up in ``track_ids`` (letters and digits compared, case-folded).
    artist_id : the artist whose export it is.
    kind : ``audience``, ``songs``, ``song_timeline`` or ``playlists``; detected from the
        header when None.
    track_ids : song name -> track id for the song and playlists tables; default: the
        artist's tracks in the warehouse catalog.
    as_of : the day the song or playlists table's totals refer to (default: today, UTC).
    period : the playlists table's period (default: the one its file name gives, e.g.
        ``28days`` of ``<artist id>-playlists-28days.csv``). Each (``as_of``, ``period``) is a
        snapshot of its own: a newer export adds rows and changes none of an older one's.

    Raises
    ------
    SourceFormatError when the file cannot be read (encoding, missing columns); nothing stored.
    """
    path = Path(path)
    data = read_bytes(path)
    title = timeline_title(path.name) if track_id is None and kind not in ("audience", "songs") else None
    if title is not None and SPOTIFY_ID.fullmatch(title):
        track_id, title = title, None
    with warehouse.engine.begin() as conn:
        summary = _begin_file(conn, path, data, "s4a")
        if summary.already_ingested:
            _count(summary)
            return summary
        names = track_ids if track_ids is not None else catalog_track_names(conn, artist_id)
        if title is not None:
            track_id = track_for_title(title, names)
        found, parsed = parse_s4a(
            decode_text(data, where=str(path)),
            where=str(path),
            kind=S4AKind(kind) if kind else None,
            artist_id=artist_id,
            track_id=track_id,
            track_ids=names,
            today=today_utc(now),
            song_title=title if track_id is None else None,
        )
        summary.source = f"s4a_{found.value}"
        extra = {"file_hash": summary.file_hash, "run_id": run_id}
        rows = [{**r, **extra} for r in parsed.rows]
        key: tuple[str, ...]
        if found is S4AKind.songs:
            day = as_of or today_utc(now)
            rows = [{**r, "as_of": day} for r in rows]
            table, key = tables.table("s4a_song_totals"), ("artist_id", "track_id", "as_of")
        elif found is S4AKind.playlists:
            day, isrcs = as_of or today_utc(now), catalog_isrcs(conn)
            snapshot = {"as_of": day, "period": period or export_period(path.name)}
            rows = [{**r, **snapshot, "isrc": isrcs.get(r["track_id"])} for r in rows]
            table = tables.table("s4a_playlists")
            key = ("artist_id", "as_of", "period", "playlist_key", "track_id")
        elif found is S4AKind.audience:
            table, key = tables.table("s4a_audience_daily"), ("artist_id", "day")
            summary.days_touched = {r["day"] for r in rows}
        else:
            table, key = tables.table("s4a_song_daily"), ("artist_id", "track_id", "day")
            summary.days_touched = {r["day"] for r in rows}
        inserted, updated, unchanged = load.merge_facts(conn, table, rows, key=key)
        summary.rows_stored, summary.rows_updated, summary.rows_duplicate = inserted, updated, unchanged
        _finish_file(conn, summary, parsed, run_id=run_id)
    _count(summary)
    return summary


def ingest_history_json(
    warehouse: Warehouse,
    path: Path | str,
    *,
    run_id: str,
    track_artists: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> IngestSummary:
    """Ingest one extended streaming history file (``Streaming_History_Audio_*.json``).

    Only allow-listed fields are read (see :mod:`analytics.streaming.history`); ``track_artists``
    defaults to the warehouse catalog.
    """
    path = Path(path)
    data = read_bytes(path)
    with warehouse.engine.begin() as conn:
        summary = _begin_file(conn, path, data, "history")
        if summary.already_ingested:
            _count(summary)
            return summary
        artists = track_artists if track_artists is not None else catalog_track_artists(conn)
        parsed = parse_history(
            decode_text(data, where=str(path)),
            where=str(path),
            now=now or datetime.now(UTC),
            track_artists=artists,
        )
        rows = as_tuples(parsed.rows)
        result = load.store_events(conn, rows)
        summary.rows_stored, summary.rows_duplicate = result.stored, result.duplicate
        summary.days_touched = {r[2] for r in rows}
        _finish_file(conn, summary, parsed, run_id=run_id)
    _count(summary)
    return summary


def store_event_tuples(conn: Connection, rows: Sequence[tuple[Any, ...]], *, source: str) -> IngestSummary:
    """Store validated event tuples (``EVENT_COLUMNS`` order) in the caller's transaction.

    The consumer's path: one call per batch, the days it touched marked for aggregation.
    """
    result = load.store_events(conn, rows)
    summary = IngestSummary(source=source, rows_read=len(rows))
    summary.rows_stored, summary.rows_duplicate = result.stored, result.duplicate
    summary.days_touched = {r[2] for r in rows}
    load.mark_dirty(conn, summary.days_touched)
    return summary


def catalog_track_names(conn: Connection, artist_id: str) -> dict[str, str]:
    """Song name -> track id of the catalog tracks crediting the artist (same name: the smallest id).

    A track credits the artist when the artist is its main artist or one of its featured
    artists (``tracks.artist_ids``): Spotify for Artists lists both in the artist's exports.
    """
    from analytics.warehouse.models import Track

    t = tables.table(Track.__tablename__)
    names: dict[str, str] = {}
    query = select(t.c.name, t.c.track_id, t.c.artist_id, t.c.artist_ids).order_by(t.c.track_id.desc())
    for name, track, main, credits in conn.execute(query):
        if artist_id == main or artist_id in (credits or ()):
            names[name] = track
    return names


def catalog_isrcs(conn: Connection) -> dict[str, str]:
    """Track id -> ISRC of the warehouse catalog's tracks that have one (the recording)."""
    from analytics.warehouse.models import Track

    t = tables.table(Track.__tablename__)
    return {track: isrc for track, isrc in conn.execute(select(t.c.track_id, t.c.isrc)) if isrc}


def catalog_track_artists(conn: Connection) -> dict[str, str]:
    """Track id -> main artist id of the warehouse catalog (a play is attributed to one artist)."""
    from analytics.warehouse.models import Track

    t = tables.table(Track.__tablename__)
    return {track: artist for track, artist in conn.execute(select(t.c.track_id, t.c.artist_id))}


def ingest_events_jsonl(
    warehouse: Warehouse, path: Path | str, *, run_id: str, now: datetime | None = None
) -> IngestSummary:
    """Ingest a JSON-lines file of play events in the wire format (a replay, or the demo feed).

    Idempotent like every file (content hash) and every event (event id): a file whose events
    were already consumed from Redis stores nothing new.
    """
    from analytics.streaming.wire import decode_event

    path = Path(path)
    data = read_bytes(path)
    with warehouse.engine.begin() as conn:
        summary = _begin_file(conn, path, data, "events")
        if summary.already_ingested:
            _count(summary)
            return summary
        moment = now or datetime.now(UTC)
        parsed = ParseResult(rows=[])
        for number, line in enumerate(decode_text(data, where=str(path)).splitlines(), start=1):
            if not line.strip():
                continue
            parsed.read += 1
            try:
                parsed.rows.append(decode_event(line, now=moment))
            except ValueError as exc:
                parsed.rejected.append(Rejection(number, str(exc)))
        rows = as_tuples(parsed.rows)
        result = load.store_events(conn, rows)
        summary.rows_stored, summary.rows_duplicate = result.stored, result.duplicate
        summary.days_touched = {r[2] for r in rows}
        _finish_file(conn, summary, parsed, run_id=run_id)
    _count(summary)
    return summary


def ingest_export(
    warehouse: Warehouse, export: ExportFile, *, run_id: str, artist_id: str | None = None
) -> IngestSummary:
    """One file :func:`~analytics.streaming.exports.scan_exports` found, by its kind.

    ``artist_id`` is the artist of a Spotify for Artists file whose name and folders do not
    say it.

    Raises
    ------
    SourceFormatError : the file cannot be read, or a Spotify for Artists file has no artist.
    """
    if export.kind == "history":
        return ingest_history_json(warehouse, export.path, run_id=run_id)
    owner = export.artist_id or artist_id
    if not owner:
        raise SourceFormatError(
            str(export.path),
            "a Spotify for Artists export needs its artist",
            hint="Put it in a folder named by the artist's Spotify id, or pass artist_id.",
        )
    return ingest_s4a_csv(warehouse, export.path, run_id=run_id, artist_id=owner, kind=export.kind)
