"""Some artists' whole catalog as :class:`CatalogFrames`: read from Spotify in one go, or as stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analytics.catalog import KEYS, CatalogFrames
from analytics.catalog.frames import frame
from analytics.spotify import SpotifyApi
from analytics.sync import checkpoints, fetch, rows
from analytics.sync.errors import UnknownArtist
from analytics.sync.store import live_rows, stored_rows
from analytics.warehouse import Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord


def fetch_catalog(client: SpotifyApi, artist_ids: Sequence[str], *, playlists: bool = True) -> CatalogFrames:
    """Every artist, album (all groups), relevant track and own playlist, as complete frames.

    Reads with the same request plan as the sync (batches by quota mode, conditional GETs) but
    keeps nothing between runs except the client's ETags: what :func:`analytics.catalog.store_catalog`
    needs, with ``removal_scope=artist_ids``.
    """
    wanted = list(artist_ids)
    found = fetch.artists(client, wanted)
    unknown = fetch.missing(wanted, found)
    if unknown:
        raise UnknownArtist(unknown)
    album_ids = list(
        dict.fromkeys(a.id for artist_id in wanted for a in fetch.discography(client, artist_id))
    )
    albums = fetch.albums(client, album_ids)
    album_rows, listed = [], {}
    for album_id in album_ids:
        if album_id not in albums:
            continue
        album, track_list = albums[album_id]
        album_rows.append(rows.album_row(album, wanted=wanted))
        for t in track_list:
            if rows.is_relevant(t, wanted):
                listed[str(t.id)] = album_id
    full = fetch.tracks(client, list(listed))
    playlist_rows, item_rows = [], []
    if playlists:
        user = fetch.me(client)
        for playlist in fetch.own_playlists(client, user.id):
            playlist_rows.append(rows.playlist_row(playlist))
            item_rows += rows.item_rows(playlist.id, fetch.playlist_items(client, playlist))
    return CatalogFrames(
        artists=frame("artists", [rows.artist_row(found[a]) for a in wanted]),
        albums=frame("albums", album_rows),
        tracks=frame("tracks", [rows.track_row(full[t], album_id=a) for t, a in listed.items() if t in full]),
        playlists=frame("playlists", playlist_rows),
        playlist_items=frame("playlist_items", item_rows),
    )


def stored_catalog(warehouse: Warehouse, artist_ids: Sequence[str]) -> CatalogFrames:
    """The synced artists' catalog as the warehouse holds it now (live rows only), as complete frames.

    What :func:`fetch_catalog` would read from an unchanged catalog, without a request: the
    artists, every album their discography listed in the last sync cycle (the ``albums``
    checkpoints) or that they made, the tracks of those albums stored for them, and the user's
    playlists with their entries. Rows are ordered by key, so the same content gives the same
    frames. A pipeline run saves these as its datasets, whatever part of the catalog changed.
    """
    wanted = list(dict.fromkeys(artist_ids))
    listed: set[str] = set()
    for (_owner, resource), cp in checkpoints.load(warehouse, wanted).items():
        if resource == "albums":
            listed.update(cp["position"].get("listing", []))
    artists = _live(warehouse, "artists", column="artist_id", values=wanted)
    album_ids = sorted(
        listed | {r["album_id"] for r in _live(warehouse, "albums", column="artist_id", values=wanted)}
    )
    albums = _live(warehouse, "albums", column="album_id", values=album_ids)
    tracks = _live(warehouse, "tracks", column="album_id", values=[r["album_id"] for r in albums])
    playlists = sorted(live_rows(warehouse, "playlists"), key=lambda r: r["playlist_id"])
    items = _live(
        warehouse, "playlist_items", column="playlist_id", values=[r["playlist_id"] for r in playlists]
    )
    return CatalogFrames(
        artists=frame("artists", artists),
        albums=frame("albums", albums),
        tracks=frame("tracks", tracks),
        playlists=frame("playlists", playlists),
        playlist_items=frame("playlist_items", items),
    )


@dataclass(frozen=True)
class StoredCatalog:
    """The catalog of ``artist_ids`` as stored (:func:`stored_catalog`): a run's datasets."""

    artist_ids: list[str]
    frames: CatalogFrames

    @classmethod
    def read(cls, warehouse: Warehouse, artist_ids: Sequence[str]) -> StoredCatalog:
        return cls(list(artist_ids), stored_catalog(warehouse, artist_ids))

    def audit_record(self) -> AuditRecord:
        """The ``stored_catalog`` record: the artists asked for, the rows of each dataset."""
        return {"inputs": {"artist_ids": self.artist_ids}, "outputs": self.frames.counts()}


def _live(warehouse: Warehouse, dataset: str, *, column: str, values: Sequence[str]) -> list[dict[str, Any]]:
    """Stored rows of ``dataset`` not marked removed whose ``column`` is in ``values``, by key."""
    keys = KEYS[dataset]
    rows = [
        r for r in stored_rows(warehouse, dataset, column=column, values=values) if r["removed_run"] is None
    ]
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))
