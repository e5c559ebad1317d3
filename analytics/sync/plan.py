"""Request planning: the theoretical minimum number of requests for a catalog shape and quota mode.

See docs/sync.md for the derivation. The sync reads exactly this plan on a first run; a
re-sync of an unchanged catalog needs only the *detection* part (artists, discographies,
album objects with their track lists, the playlist listing), each answered by a 304.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from analytics.config import QuotaMode

LIMITS: dict[QuotaMode, dict[str, int]] = {
    QuotaMode.development: {"artists": 1, "albums": 1, "tracks": 1, "discography": 10, "items": 50},
    QuotaMode.extended: {"artists": 50, "albums": 20, "tracks": 50, "discography": 50, "items": 100},
}
ALBUM_TRACKS_PAGE = 50  # embedded in the album object, and the page size of /albums/{id}/tracks
MY_PLAYLISTS_PAGE = 50


@dataclass(frozen=True)
class CatalogShape:
    """What decides the request count of a sync.

    Attributes
    ----------
    discography : per synced artist, the albums its discography lists (all four groups).
    album_tracks : per distinct album, the length of its track list.
    tracks : distinct tracks involving a synced artist (full records needed).
    listed_playlists : playlists ``GET /me/playlists`` lists (own and followed).
    playlist_items : per own playlist, its number of entries.
    """

    discography: tuple[int, ...]
    album_tracks: tuple[int, ...]
    tracks: int
    listed_playlists: int = 0
    playlist_items: tuple[int, ...] = ()

    @property
    def rows(self) -> int:
        """Rows a first sync stores: artists, albums, tracks, playlists, playlist items."""
        return (
            len(self.discography)
            + len(self.album_tracks)
            + self.tracks
            + len(self.playlist_items)
            + sum(self.playlist_items)
        )


def minimum_requests(shape: CatalogShape, mode: QuotaMode | str) -> dict[str, int]:
    """The fewest API requests (tokens excluded) that read the whole shape, by part.

    ``detection`` parts (artists, discography, albums, album_pages, me, my_playlists) are what
    a re-sync needs to notice any change the sync tracks; ``tracks`` and ``playlist_items``
    are what a first sync adds.
    """
    limit = LIMITS[QuotaMode(mode)]
    parts = {
        "artists": ceil(len(shape.discography) / limit["artists"]),
        "discography": sum(max(1, ceil(n / limit["discography"])) for n in shape.discography),
        "albums": ceil(len(shape.album_tracks) / limit["albums"]),
        "album_pages": sum(max(0, ceil(n / ALBUM_TRACKS_PAGE) - 1) for n in shape.album_tracks),
        "tracks": ceil(shape.tracks / limit["tracks"]),
        "me": 1 if shape.listed_playlists or shape.playlist_items else 0,
        "my_playlists": max(1, ceil(shape.listed_playlists / MY_PLAYLISTS_PAGE)),
        "playlist_items": sum(ceil(n / limit["items"]) for n in shape.playlist_items),
    }
    parts["total"] = sum(parts.values())
    return parts


def detection_requests(shape: CatalogShape, mode: QuotaMode | str) -> int:
    """Requests a re-sync of an unchanged catalog needs to tell that nothing changed."""
    parts = minimum_requests(shape, mode)
    return parts["total"] - parts["tracks"] - parts["playlist_items"]


SEARCH_PAGE = {QuotaMode.development: 10, QuotaMode.extended: 50}  # GET /search limit per mode


def change_detection_floor(shape: CatalogShape, mode: QuotaMode | str) -> int:
    """A lower bound for *any* re-sync that finds a new single and a renamed track in one run.

    Independent of how the sync is built (docs/sync.md): a new single shows only in its
    artist's discography (or a per-artist search), one request per artist at least; a renamed
    track shows only where track names are returned — an album's track list, a track record or
    a search page — so every track name must be seen: at least as many requests as the fewer
    of album reads and search pages it takes to cover them. 304s count: each is a request.
    """
    quota = QuotaMode(mode)
    limit = LIMITS[quota]
    albums = sum(1 for n in shape.album_tracks if n) / limit["albums"]
    pages = shape.tracks / max(limit["tracks"], SEARCH_PAGE[quota])
    return len(shape.discography) + ceil(min(albums, pages))


def shape_of(state: Any, artist_ids: Sequence[str], *, user_id: str) -> CatalogShape:
    """The shape of a sandbox catalog (:class:`~analytics.sandbox.spotify.CatalogState`)."""
    wanted = set(artist_ids)
    discography = tuple(len(state.discography(a)) for a in artist_ids)
    album_ids = list(dict.fromkeys(e.album.id for a in artist_ids for e in state.discography(a)))
    album_tracks = tuple(len([t for t in state.albums[a].track_ids if t in state.tracks]) for a in album_ids)
    tracks = {
        t
        for a in album_ids
        for t in state.albums[a].track_ids
        if t in state.tracks and wanted & set(state.tracks[t].artist_ids)
    }
    user = state.users[user_id]
    listed = [
        p for p in state.playlists.values() if p.owner_id == user_id or p.id in user.followed_playlist_ids
    ]
    own = [p for p in listed if p.owner_id == user_id or p.collaborative]
    return CatalogShape(
        discography=discography,
        album_tracks=album_tracks,
        tracks=len(tracks),
        listed_playlists=len(listed),
        playlist_items=tuple(len(p.entries) for p in own),
    )
