"""The whole catalog of some artists as :class:`CatalogFrames`, read in one go (the pipeline's load)."""

from __future__ import annotations

from collections.abc import Sequence

from analytics.catalog import CatalogFrames
from analytics.catalog.frames import frame
from analytics.spotify import SpotifyClient
from analytics.sync import fetch, rows
from analytics.sync.errors import UnknownArtist


def fetch_catalog(
    client: SpotifyClient, artist_ids: Sequence[str], *, playlists: bool = True
) -> CatalogFrames:
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
