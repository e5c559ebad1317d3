"""What library code needs from a Spotify client: :class:`SpotifyApi`; curation only its :class:`PlaylistApi`.

:class:`~analytics.spotify.SpotifyClient` implements it; library code (the sync, curation)
takes a ``SpotifyApi`` so that it never builds a client or asks which world it is in: the
flows open the world and pass its client down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import spotipy

from analytics.config import QuotaMode
from analytics.spotify.capabilities import Capabilities
from analytics.spotify.models import (
    Album,
    Artist,
    Playlist,
    PlaylistItem,
    SimplifiedAlbum,
    SimplifiedTrack,
    Track,
    User,
)
from analytics.spotify.paging import Fetched, Stream


class PlaylistApi(Protocol):
    """The user's playlists, read and written, and the request counts: what curation needs."""

    def me(self) -> Fetched[User]: ...
    def my_playlists(self) -> Stream[Playlist]: ...
    def playlist(self, playlist_id: str) -> Fetched[Playlist]: ...
    def playlist_items(self, playlist_id: str) -> Stream[PlaylistItem]: ...
    def create_playlist(
        self, name: str, *, description: str = "", public: bool = False, collaborative: bool = False
    ) -> Playlist: ...
    def change_playlist_details(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
        collaborative: bool | None = None,
    ) -> None: ...
    def add_items(
        self, playlist_id: str, uris: Sequence[str], *, position: int | None = None
    ) -> str | None: ...
    def reorder_items(
        self,
        playlist_id: str,
        *,
        range_start: int,
        insert_before: int,
        range_length: int = 1,
        snapshot_id: str | None = None,
    ) -> str | None: ...
    def remove_items(
        self, playlist_id: str, uris: Sequence[str], *, snapshot_id: str | None = None
    ) -> str | None: ...
    def replace_items(self, playlist_id: str, uris: Sequence[str]) -> str | None: ...
    def request_counts(self) -> dict[tuple[str, str], int]: ...


class SpotifyApi(PlaylistApi, Protocol):
    """The reads, playlist writes and accounting of the Spotify Web API that encore uses."""

    capabilities: Capabilities

    @property
    def quota_mode(self) -> QuotaMode: ...
    @property
    def spotipy(self) -> spotipy.Spotify: ...

    # -- catalog -----------------------------------------------------------------------------
    def artists(self, artist_ids: Sequence[str]) -> Fetched[list[Artist]]: ...
    def albums(self, album_ids: Sequence[str]) -> Fetched[list[Album]]: ...
    def tracks(self, track_ids: Sequence[str]) -> Fetched[list[Track]]: ...
    def album_tracks(
        self, album_id: str, *, market: str | None = None, after: str | None = None
    ) -> Stream[SimplifiedTrack]: ...
    def artist_albums(
        self, artist_id: str, *, include_groups: Sequence[str] = ..., market: str | None = None
    ) -> Stream[SimplifiedAlbum]: ...

    # -- the user's library (its playlists: PlaylistApi) -------------------------------------
    def followed_artists(self) -> Stream[Artist]: ...

    # -- accounting (the request counts: PlaylistApi) ---------------------------------------
    def requests_made(self, *, api_only: bool = True) -> int: ...
