"""Spotify for Artists CSV exports: audience timeline, song table, per-song timelines, playlists.

Each parser validates and normalises one file and reports every rejected row with its
reason. Column order does not matter; headers are matched case-insensitively after removing
a BOM; counts may use any locale's grouping ("1,234", "1.234", "1 234"). Days are UTC, as in
the exports. A stream, in these files, is already Spotify's: a play of at least 30 seconds.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from analytics.streaming.parsing import STREAMING_EPOCH, parse_count, parse_day
from analytics.streaming.s4a_playlists import playlist_row
from analytics.streaming.summary import ParseResult, Rejection, SourceFormatError


class S4AKind(enum.StrEnum):
    audience = "audience"  # date, listeners, streams, followers (one artist)
    songs = "songs"  # song, listeners, streams, saves, release_date (totals of a period)
    song_timeline = "song_timeline"  # date, listeners, streams[, saves] (one song)
    playlists = "playlists"  # playlist, made by, song, listeners, streams, date added (of a period)


_ALIASES = {
    "release date": "release_date",
    "releasedate": "release_date",
    "track": "song",
    "song name": "song",
    "title": "song",
    "uri": "track_uri",
    "spotify_track_uri": "track_uri",
    "track uri": "track_uri",
    "day": "date",
    "playlist name": "playlist",
    "playlist title": "playlist",
    "made by": "author",
    "madeby": "author",
    "owner": "author",
    "curator": "author",
    "date added": "date_added",
    "added": "date_added",
    "added on": "date_added",
    "playlist link": "playlist_uri",
    "playlist url": "playlist_uri",
}
REQUIRED = {
    S4AKind.audience: ("date", "listeners", "streams"),
    S4AKind.songs: ("song", "streams"),
    S4AKind.song_timeline: ("date", "streams"),
    S4AKind.playlists: ("playlist", "song", "streams"),
}
OPTIONAL = {
    S4AKind.audience: ("followers",),
    S4AKind.songs: ("listeners", "saves", "release_date", "track_id", "track_uri"),
    S4AKind.song_timeline: ("listeners", "saves"),
    S4AKind.playlists: ("author", "listeners", "date_added", "playlist_uri", "track_id", "track_uri"),
}


def _norm_header(name: str) -> str:
    key = name.replace("\ufeff", "").strip().lower().replace("_", " ")
    key = " ".join(key.split())
    return _ALIASES.get(key, key.replace(" ", "_"))


def read_table(text: str, *, where: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (normalised) and data rows with their 1-based line numbers; blank lines skipped."""
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except StopIteration as exc:
        raise SourceFormatError(where, "empty file, no header row", hint="Export the file again.") from exc
    except csv.Error as exc:  # a cell over the csv module's 128 KB limit, a NUL byte...
        problem = f"unreadable CSV at line {reader.line_num} ({exc})"
        raise SourceFormatError(
            where, problem, hint="Export the file again; no export has cells that long."
        ) from exc
    return [_norm_header(h) for h in header], rows


def detect_kind(header: list[str], *, track_id: str | None) -> S4AKind:
    if "playlist" in header:
        return S4AKind.playlists
    if "song" in header:
        return S4AKind.songs
    if track_id is not None:
        return S4AKind.song_timeline
    return S4AKind.audience


def title_key(title: str) -> str:
    """A song title reduced to its letters and digits, case-folded.

    Spotify for Artists names a song's timeline ``<song title>-timeline.csv`` and replaces the
    characters a file name cannot hold (``?``, ``/``, ``:`` …); comparing these keys matches a
    file name with its catalog title whatever was replaced.
    """
    return "".join(c for c in title.casefold() if c.isalnum())


def timeline_title(file_name: str) -> str | None:
    """The song title of a per-song timeline file name, None for other files.

    ``<title>-timeline.csv`` names a song; ``<artist id>-audience-timeline.csv`` (and the
    older ``audience-timeline.csv``) is the artist's audience timeline.
    """
    if not file_name.casefold().endswith("-timeline.csv"):
        return None
    prefix = file_name[: -len("-timeline.csv")]
    if prefix.casefold() == "audience" or prefix.casefold().endswith("-audience") or not prefix.strip():
        return None
    return prefix


def track_for_title(title: str, names: Mapping[str, str]) -> str | None:
    """The track id of ``title`` among ``names`` (song name -> track id), or None."""
    wanted = title_key(title)
    if not wanted:
        return None
    found = {track for name, track in names.items() if title_key(name) == wanted}
    return min(found) if found else None


def check_columns(header: list[str], kind: S4AKind, *, where: str) -> None:
    """Raise a SourceFormatError naming every missing column of ``kind``."""
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise SourceFormatError(
            where,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} for a {kind.value} "
            f"export (found: {', '.join(h for h in header if h) or 'nothing'})",
            hint=f"A {kind.value} export needs {', '.join(REQUIRED[kind])}"
            f" (optional: {', '.join(OPTIONAL[kind])}); check that this is the right file and kind.",
        )


def parse_s4a(
    text: str,
    *,
    where: str,
    kind: S4AKind | None = None,
    artist_id: str,
    track_id: str | None = None,
    track_ids: Mapping[str, str] | None = None,
    today: date,
    song_title: str | None = None,
) -> tuple[S4AKind, ParseResult]:
    """Parse one export into normalised rows keyed like the warehouse table of its kind.

    Parameters
    ----------
    text : the decoded file.
    kind : which export; detected from the header when None (``playlist`` column: playlists
        table; ``song`` column: song table; ``track_id`` given: song timeline; otherwise
        audience timeline).
    artist_id, track_id : the artist of the export and, for a song timeline, its track.
    track_ids : song name (case-insensitive) -> track id, to resolve the song table's and the
        playlists table's rows that carry no track id or URI (a playlists row's title also
        matches by letters and digits, as a per-song timeline's file name does).
    today : the last acceptable day (UTC); later days are rejected as future dates.
    song_title : the song a per-song timeline's file name gives, when no track of the
        artist has that title (named in the error if the file is not an audience timeline).
    """
    header, rows = read_table(text, where=where)
    kind = kind or detect_kind(header, track_id=track_id)
    timeline_like = kind is S4AKind.song_timeline or (kind is S4AKind.audience and "listeners" not in header)
    if song_title is not None and not track_id and timeline_like:
        raise SourceFormatError(
            where,
            f"per-song timeline of {song_title!r}, but artist {artist_id} has no song of that title",
            hint="Sync the artist's catalog first, pass track_ids={title: track id}, or pass track_id=….",
        )
    check_columns(header, kind, where=where)
    if kind is S4AKind.song_timeline and not track_id:
        raise SourceFormatError(where, "a song timeline needs its track id", hint="Pass track_id=….")
    names = {k.casefold(): v for k, v in (track_ids or {}).items()}
    index = {name: i for i, name in enumerate(header)}
    builders: dict[S4AKind, Callable[[dict[str, str]], dict[str, Any]]] = {
        S4AKind.audience: lambda r: _audience(r, artist_id=artist_id, today=today),
        S4AKind.songs: lambda r: _song(r, artist_id=artist_id, names=names, today=today),
        S4AKind.song_timeline: lambda r: _song_day(
            r, artist_id=artist_id, track_id=str(track_id), today=today
        ),
        S4AKind.playlists: lambda r: playlist_row(
            r,
            artist_id=artist_id,
            names=names,
            resolve=track_for_title,
            track_of=_explicit_track,
            today=today,
        ),
    }
    key_of = {
        S4AKind.audience: ("artist_id", "day"),
        S4AKind.songs: ("artist_id", "track_id"),
        S4AKind.song_timeline: ("track_id", "day"),
        S4AKind.playlists: ("playlist_key", "track_id"),
    }[kind]
    result = ParseResult(rows=[], read=len(rows))
    seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for line, cells in rows:
        if len(cells) > len(header):
            result.rejected.append(Rejection(line, f"too many cells: {len(cells)} for {len(header)} columns"))
            continue
        raw = {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
        try:
            row = builders[kind](raw)
        except ValueError as exc:
            result.rejected.append(Rejection(line, str(exc)))
            continue
        key = tuple(row[k] for k in key_of)
        if key in seen:
            first_line, first = seen[key]
            if first == row:
                result.duplicates += 1
            else:
                result.rejected.append(Rejection(line, f"conflicting duplicate of line {first_line}"))
            continue
        seen[key] = (line, row)
        result.rows.append(row)
    return kind, result


def _audience(r: dict[str, str], *, artist_id: str, today: date) -> dict[str, Any]:
    return {
        "artist_id": artist_id,
        "day": parse_day(r["date"], column="date", today=today, earliest=STREAMING_EPOCH),
        "listeners": parse_count(r["listeners"], column="listeners"),
        "streams": parse_count(r["streams"], column="streams", required=True),
        "followers": parse_count(r.get("followers"), column="followers"),
    }


def _song_day(r: dict[str, str], *, artist_id: str, track_id: str, today: date) -> dict[str, Any]:
    return {
        "track_id": track_id,
        "day": parse_day(r["date"], column="date", today=today, earliest=STREAMING_EPOCH),
        "artist_id": artist_id,
        "listeners": parse_count(r.get("listeners"), column="listeners"),
        "streams": parse_count(r["streams"], column="streams", required=True),
        "saves": parse_count(r.get("saves"), column="saves"),
    }


def _song(r: dict[str, str], *, artist_id: str, names: Mapping[str, str], today: date) -> dict[str, Any]:
    song = r["song"].strip()
    if not song:
        raise ValueError("missing value in song")
    track = _explicit_track(r) or names.get(song.casefold())
    if not track:
        raise ValueError(f"unknown song {song!r}: not in the catalog of artist {artist_id} and no track id")
    release = (r.get("release_date") or "").strip()
    return {
        "artist_id": artist_id,
        "track_id": track,
        "song": song,
        "listeners": parse_count(r.get("listeners"), column="listeners"),
        "streams": parse_count(r["streams"], column="streams", required=True),
        "saves": parse_count(r.get("saves"), column="saves"),
        "release_date": parse_day(release, column="release_date", today=today) if release else None,
    }


def _explicit_track(r: Mapping[str, str]) -> str | None:
    """The track a row names by ``track_id`` or ``track_uri`` (None when it names none)."""
    return (r.get("track_id") or "").strip() or _track_from_uri(r.get("track_uri"))


def _track_from_uri(uri: str | None) -> str | None:
    text = (uri or "").strip()
    if not text:
        return None
    if text.startswith("spotify:track:"):
        return text.removeprefix("spotify:track:")
    if "/track/" in text:
        return text.rsplit("/track/", 1)[1].split("?", 1)[0]
    raise ValueError(f"invalid track URI in track_uri: {text!r}")
