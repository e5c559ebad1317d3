"""Spotify for Artists "Playlists" table: the playlists featuring the artist, song by song.

The artist-level download ``<artist id>-playlists-<period>.csv`` lists, for the period in its
name, each playlist that played one of the artist's songs: one row per playlist and song, with
who made the playlist, the song's listeners and streams from that playlist, and the day the song
was added. A row names its song by title (as the song table does), or by ``track_id`` /
``track_uri`` in a hand-made file; titles are resolved against the artist's songs the way a
per-song timeline's file name is (letters and digits, case-folded).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from analytics.streaming.parsing import STREAMING_EPOCH, parse_count, parse_day

PERIOD = re.compile(r"^(?:[0-9A-Za-z]{22}-)?playlists(?:-(?P<period>\w+))?\.csv$", re.I)
UNSPECIFIED = "unspecified"
"""The period of an export whose file name does not say it."""


def export_period(file_name: str) -> str:
    """The period a playlists export's name gives (``28days``, ``1year`` …), lower-case."""
    match = PERIOD.match(file_name)
    return (match.group("period") or UNSPECIFIED).lower() if match else UNSPECIFIED


def playlist_key(name: str, author: str, uri: str | None) -> str:
    """16 hex characters naming a playlist: its Spotify id when the row gives it, else its name
    and author (case-folded), so the same playlist keeps its key across exports."""
    identity = f"id:{uri}" if uri else f"name:{name.casefold()}\x1f{author.casefold()}"
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def _playlist_id(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if text.startswith("spotify:playlist:"):
        return text.removeprefix("spotify:playlist:")
    if "/playlist/" in text:
        return text.rsplit("/playlist/", 1)[1].split("?", 1)[0]
    if re.fullmatch(r"[0-9A-Za-z]{22}", text):
        return text
    raise ValueError(f"invalid playlist link in playlist_uri: {text!r}")


def playlist_row(
    r: Mapping[str, str],
    *,
    artist_id: str,
    names: Mapping[str, str],
    resolve: Callable[[str, Mapping[str, str]], str | None],
    track_of: Callable[[Mapping[str, str]], str | None],
    today: date,
) -> dict[str, Any]:
    """One row of the playlists table, normalised (raises ValueError with the reason).

    ``names`` maps case-folded song names to track ids; ``resolve(title, names)`` finds a title
    whose letters and digits match; ``track_of(row)`` reads an explicit track id or URI.
    """
    playlist = r["playlist"].strip()
    if not playlist:
        raise ValueError("missing value in playlist")
    song = r["song"].strip()
    if not song:
        raise ValueError("missing value in song")
    track = track_of(r) or names.get(song.casefold()) or resolve(song, names)
    if not track:
        raise ValueError(f"unknown song {song!r}: not in the catalog of artist {artist_id} and no track id")
    author = (r.get("author") or "").strip()
    playlist_id = _playlist_id(r.get("playlist_uri"))
    added = (r.get("date_added") or "").strip()
    return {
        "artist_id": artist_id,
        "playlist_key": playlist_key(playlist, author, playlist_id),
        "track_id": track,
        "playlist": playlist,
        "author": author,
        "playlist_id": playlist_id,
        "song": song,
        "listeners": parse_count(r.get("listeners"), column="listeners"),
        "streams": parse_count(r["streams"], column="streams", required=True),
        "date_added": (
            parse_day(added, column="date_added", today=today, earliest=STREAMING_EPOCH) if added else None
        ),
    }
