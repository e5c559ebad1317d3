"""Reading the catalog from Spotify with the fewest requests the quota mode allows.

Every function here talks to the Web API through :class:`~analytics.spotify.SpotifyApi`
(conditional GETs, batching by mode, retries) and turns a payload it cannot use into a
:class:`SyncPayloadError` naming the resource.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from pydantic import ValidationError

from analytics.config import NO_ARTISTS, MissingInput, Settings
from analytics.spotify import (
    Album,
    Artist,
    Playlist,
    PlaylistItem,
    RetriesExhausted,
    SimplifiedAlbum,
    SimplifiedTrack,
    SpotifyApi,
    Track,
    User,
)
from analytics.sync.errors import SyncPayloadError

PAYLOAD_FAILURES = ("JSON", "truncated")


@contextmanager
def payload_of(kind: str, key: str, *, endpoint: str | None = None) -> Iterator[None]:
    """Name the resource in errors raised while reading or parsing it."""
    try:
        yield
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "<body>"
        problem = f"field {where!r}: {first.get('msg', 'invalid')} (got {str(first.get('input'))[:60]!r})"
        raise SyncPayloadError(kind=kind, key=key, problem=problem, endpoint=endpoint) from exc
    except RetriesExhausted as exc:
        if any(word in exc.last_error for word in PAYLOAD_FAILURES):
            raise SyncPayloadError(
                kind=kind,
                key=key,
                problem=f"the body was cut short or not JSON in {exc.attempts} attempts ({exc.last_error})",
                endpoint=exc.endpoint,
            ) from exc
        raise


def artists(client: SpotifyApi, artist_ids: Sequence[str]) -> dict[str, Artist]:
    """Full artist objects by id (batches of 50 in extended mode, one call each in development)."""
    found: list[Artist] = []
    for batch in _batches(client, "artists", artist_ids):
        with payload_of("artist", _name(batch)):
            found += client.artists(batch).value
    return {a.id: a for a in found}


def _batches(client: SpotifyApi, collection: str, ids: Sequence[str]) -> list[list[str]]:
    """The ids in the batches the quota mode sends (one id each in development mode)."""
    size = client.capabilities.batch_size(collection)
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def _name(batch: Sequence[str]) -> str:
    """A batch's ids for an error message: all of a small one, the first three of a large one."""
    return ", ".join(batch) if len(batch) <= 3 else f"{', '.join(batch[:3])} … ({len(batch)} ids)"


def discography(client: SpotifyApi, artist_id: str) -> list[SimplifiedAlbum]:
    """Every album of the artist across album, single, compilation and appears_on (all pages)."""
    with payload_of("discography of artist", artist_id, endpoint="GET /artists/{id}/albums"):
        return list(client.artist_albums(artist_id))


def albums(client: SpotifyApi, album_ids: Sequence[str]) -> dict[str, tuple[Album, list[SimplifiedTrack]]]:
    """Full albums with every track of their track lists (pages beyond the embedded 50 followed)."""
    out: dict[str, tuple[Album, list[SimplifiedTrack]]] = {}
    found: list[Album] = []
    for batch in _batches(client, "albums", album_ids):
        with payload_of("album", _name(batch)):
            found += client.albums(batch).value
    for album in found:
        out[album.id] = (album, album_tracks(client, album))
    return out


def album_tracks(client: SpotifyApi, album: Album) -> list[SimplifiedTrack]:
    """The album's whole track list: the embedded first page, then its ``next`` pages."""
    if album.tracks is None:
        raise SyncPayloadError(kind="album", key=album.id, problem="no 'tracks' page in the album object")
    tracks = list(album.tracks.items)
    if album.tracks.next:  # the client's paginator, from the page after the embedded one
        with payload_of("album tracks of", album.id, endpoint="GET /albums/{id}/tracks"):
            tracks += client.album_tracks(album.id, after=album.tracks.next)
    total = album.tracks.total
    if total is not None and len(tracks) != total:
        raise SyncPayloadError(
            kind="album", key=album.id, problem=f"its track list has {len(tracks)} entries but says {total}"
        )
    return tracks


def tracks(client: SpotifyApi, track_ids: Sequence[str]) -> dict[str, Track]:
    """Full track records (with ISRC) by id: batches of 50 in extended mode, one call each in development."""
    if not track_ids:
        return {}
    found: list[Track] = []
    for batch in _batches(client, "tracks", track_ids):
        with payload_of("track", _name(batch)):
            found += client.tracks(batch).value
    return {t.id: t for t in found if t.id}


def me(client: SpotifyApi) -> User:
    with payload_of("user", "me", endpoint="GET /me"):
        return client.me().value


def own_playlists(client: SpotifyApi, user_id: str) -> list[Playlist]:
    """The user's own and collaborative playlists, as ``GET /me/playlists`` lists them."""
    with payload_of("playlists of user", user_id, endpoint="GET /me/playlists"):
        listed = list(client.my_playlists())
    return [p for p in listed if (p.owner is not None and p.owner.id == user_id) or p.collaborative]


def playlist_items(client: SpotifyApi, playlist: Playlist) -> list[PlaylistItem]:
    """Every entry of one playlist (pages of 50 in development mode, 100 in extended)."""
    if playlist.total_items == 0:
        return []
    with payload_of("playlist", playlist.id, endpoint="GET /playlists/{id}/items"):
        items = list(client.playlist_items(playlist.id))
    if playlist.total_items is not None and len(items) != playlist.total_items:
        raise SyncPayloadError(
            kind="playlist",
            key=playlist.id,
            problem=f"{len(items)} entries read but the playlist says {playlist.total_items}",
        )
    return items


def followed_artist_ids(client: SpotifyApi) -> list[str]:
    with payload_of("followed artists of", "me", endpoint="GET /me/following"):
        return [a.id for a in client.followed_artists()]


def missing(wanted: Collection[str], found: Collection[str]) -> list[str]:
    have = set(found)
    return [w for w in wanted if w not in have]


def resolve_artist_ids(
    client: SpotifyApi, *, artist_ids: Sequence[str] | None = None, settings: Settings | None = None
) -> list[str]:
    """The artists to sync: those given, else ``settings.artist_ids``, else the ones the user follows.

    Raises
    ------
    MissingInput : none given, none configured and the account follows no artist.
    """
    if artist_ids:
        return list(dict.fromkeys(artist_ids))
    if settings is not None and settings.artist_ids:
        return list(dict.fromkeys(settings.artist_ids))
    followed = followed_artist_ids(client)
    if not followed:
        raise MissingInput(NO_ARTISTS, setting="ENCORE_ARTIST_IDS")
    return followed
