"""Pure transforms: Web API models to warehouse rows, refusing payloads that lack what a row needs.

Rows carry exactly the data columns of ``analytics.catalog`` (and of the warehouse models);
fields a quota mode does not give are None.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from analytics.spotify import Album, Artist, Playlist, PlaylistItem, SimplifiedAlbum, SimplifiedTrack, Track
from analytics.sync.errors import SyncPayloadError

# the data columns of a track that an album's simplified track list also shows
SIMPLE_TRACK_COLUMNS = (
    "track_id",
    "album_id",
    "name",
    "disc_number",
    "track_number",
    "duration_ms",
    "explicit",
    "artist_ids",
)


def _need(value: Any, field: str, *, kind: str, key: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip() and field != "name"):
        raise SyncPayloadError(kind=kind, key=key, problem=f"required field {field!r} is missing or null")
    return value


def artist_row(artist: Artist) -> dict[str, Any]:
    """The ``artists`` row of a full artist object."""
    return {
        "artist_id": artist.id,
        "name": artist.name,
        "genres": list(artist.genres or []),
        "followers": artist.followers,
        "popularity": artist.popularity,
    }


def album_group(album: SimplifiedAlbum, wanted: Collection[str]) -> str:
    """``album_type`` when one of the synced artists made the album, else ``appears_on``."""
    own = {a.id for a in album.artists}
    return str(album.album_type) if own & set(wanted) else "appears_on"


def album_row(album: Album, *, wanted: Collection[str]) -> dict[str, Any]:
    """The ``albums`` row of a full album object (label only in extended mode)."""
    key = album.id
    artists = _need(album.artists or None, "artists", kind="album", key=key)
    return {
        "album_id": album.id,
        "artist_id": artists[0].id,
        "name": album.name,
        "album_type": _need(album.album_type, "album_type", kind="album", key=key),
        "album_group": album_group(album, wanted),
        "release_date": _need(album.release_date, "release_date", kind="album", key=key),
        "release_date_precision": _need(
            album.release_date_precision, "release_date_precision", kind="album", key=key
        ),
        "total_tracks": _need(album.total_tracks, "total_tracks", kind="album", key=key),
        "label": album.label,
        "upc": album.upc,
    }


def is_relevant(track: SimplifiedTrack, wanted: Collection[str]) -> bool:
    """Whether a track involves one of the synced artists (compilations hold others' tracks too)."""
    return track.id is not None and bool({a.id for a in track.artists} & set(wanted))


def simple_track_row(track: SimplifiedTrack, *, album_id: str) -> dict[str, Any]:
    """What an album's track list says about a track (no ISRC, no popularity), credits included."""
    key = track.id or f"<no id> on album {album_id}"
    _need(track.id, "id", kind="track", key=key)
    return {
        "track_id": track.id,
        "album_id": album_id,
        "name": track.name,
        "disc_number": _need(track.disc_number, "disc_number", kind="track", key=key),
        "track_number": _need(track.track_number, "track_number", kind="track", key=key),
        "duration_ms": _need(track.duration_ms, "duration_ms", kind="track", key=key),
        "explicit": bool(_need(track.explicit, "explicit", kind="track", key=key)),
        "artist_ids": credited_artists(track),
    }


def credited_artists(track: SimplifiedTrack) -> list[str]:
    """Every artist the track credits, in Spotify's order (the main artist first, then features)."""
    return list(dict.fromkeys(str(a.id) for a in track.artists if a.id))


def track_row(track: Track, *, album_id: str) -> dict[str, Any]:
    """The ``tracks`` row of a full track object, with its ISRC."""
    row = simple_track_row(track, album_id=album_id)
    if track.album is not None and track.album.id != album_id:
        raise SyncPayloadError(
            kind="track",
            key=str(track.id),
            problem=f"it says it is on album {track.album.id}, but album {album_id} lists it",
        )
    artists = _need(track.artists or None, "artists", kind="track", key=str(track.id))
    return {
        **row,
        "artist_id": artists[0].id,
        "isrc": track.isrc,
        "popularity": track.popularity,
    }


def same_simple_track(stored: Mapping[str, Any] | None, row: Mapping[str, Any]) -> bool:
    """Whether a stored track row agrees with an album's simplified view of it."""
    if stored is None or stored.get("removed_run") is not None:
        return False
    return all(stored.get(c) == row[c] for c in SIMPLE_TRACK_COLUMNS)


def playlist_row(playlist: Playlist) -> dict[str, Any]:
    """The ``playlists`` row of a playlist as ``GET /me/playlists`` lists it."""
    key = playlist.id
    owner = _need(playlist.owner, "owner", kind="playlist", key=key)
    return {
        "playlist_id": playlist.id,
        "name": playlist.name,
        "description": playlist.description,
        "owner_id": owner.id,
        "public": playlist.public,
        "collaborative": bool(playlist.collaborative),
        "snapshot_id": _need(playlist.snapshot_id, "snapshot_id", kind="playlist", key=key),
        "total_items": _need(playlist.total_items, "items.total", kind="playlist", key=key),
    }


def item_rows(playlist_id: str, items: list[PlaylistItem]) -> list[dict[str, Any]]:
    """The ``playlist_items`` rows, by position (episodes and local files keep a null track)."""
    return [
        {
            "playlist_id": playlist_id,
            "position": position,
            "track_id": item.item.id if item.item is not None else None,
            "added_at": item.added_at,
            "added_by": item.added_by.id if item.added_by is not None else None,
        }
        for position, item in enumerate(items)
    ]
