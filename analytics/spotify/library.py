"""The user's side: profile, playlists (read and write), followed artists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analytics.spotify.core import ClientCore
from analytics.spotify.errors import CapabilityUnavailable, SpotifyHTTPError
from analytics.spotify.ids import chunks, spotify_id, spotify_uri
from analytics.spotify.models import Artist, Playlist, PlaylistItem, User
from analytics.spotify.paging import Fetched, Stream
from analytics.spotify.transport import ApiResponse


def _snapshot(response: ApiResponse) -> str | None:
    body = response.body
    return body.get("snapshot_id") if isinstance(body, dict) else None


class LibraryMixin(ClientCore):
    # -- reads -------------------------------------------------------------------------------
    def me(self) -> Fetched[User]:
        """The current user's profile (needs a user token)."""
        self._require_user("me()")
        response = self._get("me")
        return Fetched(User.model_validate(response.body), response.not_modified)

    def user(self, user_id: str) -> Fetched[User]:
        """Another user's public profile (extended mode only)."""
        self.capabilities.require("user_profile")
        response = self._get(f"users/{user_id}")
        return Fetched(User.model_validate(response.body), response.not_modified)

    def my_playlists(self) -> Stream[Playlist]:
        """The user's own and followed playlists, streamed by pages of 50 (no entries inside)."""
        self._require_user("my_playlists()")
        limit = self.capabilities.page_limit("my_playlists")
        return self._stream("me/playlists", {"limit": limit, "offset": 0}, lambda raw: _playlist(raw))

    def playlist(self, playlist_id: str) -> Fetched[Playlist]:
        """A playlist with its first page of entries (either API shape)."""
        response = self._get(f"playlists/{spotify_id('playlist', playlist_id)}")
        return Fetched(Playlist.model_validate(response.body), response.not_modified)

    def playlist_items(self, playlist_id: str) -> Stream[PlaylistItem]:
        """Every entry of a playlist: ``/items`` by 50 in development, ``/tracks`` by 100 extended.

        In development mode only playlists the user owns or collaborates on are readable; others
        raise :class:`CapabilityUnavailable` (``other_users_playlists``).
        """
        pid = spotify_id("playlist", playlist_id)
        limit = self.capabilities.page_limit("playlist_items")
        path = f"playlists/{pid}/{self.capabilities.playlist_items_path}"
        stream: Stream[PlaylistItem] = self._stream(
            path, {"limit": limit, "offset": 0}, lambda raw: PlaylistItem.model_validate(raw) if raw else None
        )
        first = stream.first

        def guarded_first() -> ApiResponse:
            try:
                return first()
            except SpotifyHTTPError as exc:
                if exc.status == 403 and not self.capabilities.can("other_users_playlists"):
                    try:
                        self.capabilities.require("other_users_playlists")
                    except CapabilityUnavailable as unavailable:
                        raise CapabilityUnavailable(
                            f"playlist {pid}: {unavailable}",
                            feature=unavailable.feature,
                            mode=unavailable.mode,
                            available_in=unavailable.available_in,
                        ) from exc
                raise

        stream.first = guarded_first
        return stream

    def followed_artists(self) -> Stream[Artist]:
        """The artists the user follows, streamed by cursor pages of 50."""
        self._require_user("followed_artists()")
        limit = self.capabilities.page_limit("followed_artists")
        return self._stream(
            "me/following",
            {"type": "artist", "limit": limit},
            lambda raw: self._parse(Artist, raw, kind="artist") if raw else None,
            unwrap="artists",
        )

    # -- writes ------------------------------------------------------------------------------
    def follow_artists(self, artist_ids: Sequence[str]) -> None:
        """Follow artists, 50 ids a request (idempotent)."""
        self._require_user("follow_artists()")
        ids = [spotify_id("artist", a) for a in artist_ids]
        for batch in chunks(ids, self.capabilities.batch_size("follow")):
            self._write("PUT", "me/following", params={"type": "artist", "ids": ",".join(batch)})

    def create_playlist(
        self, name: str, *, description: str = "", public: bool = False, collaborative: bool = False
    ) -> Playlist:
        """Create an empty playlist for the user (``POST /me/playlists``); never retried blindly."""
        self._require_user("create_playlist()")
        body = {"name": name, "description": description, "public": public, "collaborative": collaborative}
        return Playlist.model_validate(self._write("POST", "me/playlists", body=body).body)

    def change_playlist_details(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
        collaborative: bool | None = None,
    ) -> None:
        """Change name, description, public or collaborative (only the arguments given)."""
        self._require_user("change_playlist_details()")
        fields = {"name": name, "description": description, "public": public, "collaborative": collaborative}
        body = {k: v for k, v in fields.items() if v is not None}
        if body:
            self._write("PUT", f"playlists/{spotify_id('playlist', playlist_id)}", body=body)

    def add_items(self, playlist_id: str, uris: Sequence[str], *, position: int | None = None) -> str | None:
        """Add tracks (ids, URIs or URLs) by 100 a request, in order; the last snapshot id."""
        self._require_user("add_items()")
        snapshot: str | None = None
        for k, batch in enumerate(chunks(_track_uris(uris), self.capabilities.batch_size("playlist_write"))):
            body: dict[str, Any] = {"uris": batch}
            if position is not None:
                body["position"] = position + k * self.capabilities.batch_size("playlist_write")
            snapshot = _snapshot(self._write("POST", self._items_path(playlist_id), body=body)) or snapshot
        return snapshot

    def replace_items(self, playlist_id: str, uris: Sequence[str]) -> str | None:
        """Replace all entries: the first 100 with PUT (``[]`` clears), the rest appended by 100."""
        self._require_user("replace_items()")
        size = self.capabilities.batch_size("playlist_write")
        all_uris = _track_uris(uris)
        response = self._write("PUT", self._items_path(playlist_id), body={"uris": all_uris[:size]})
        snapshot = _snapshot(response)
        if len(all_uris) > size:
            snapshot = self.add_items(playlist_id, all_uris[size:]) or snapshot
        return snapshot

    def reorder_items(
        self,
        playlist_id: str,
        *,
        range_start: int,
        insert_before: int,
        range_length: int = 1,
        snapshot_id: str | None = None,
    ) -> str | None:
        """Move ``range_length`` entries from ``range_start`` to before ``insert_before``."""
        self._require_user("reorder_items()")
        body: dict[str, Any] = {
            "range_start": range_start,
            "insert_before": insert_before,
            "range_length": range_length,
        }
        if snapshot_id:
            body["snapshot_id"] = snapshot_id
        response = self._write("PUT", self._items_path(playlist_id), body=body, idempotent=False)
        return _snapshot(response)

    def remove_items(
        self, playlist_id: str, uris: Sequence[str], *, snapshot_id: str | None = None
    ) -> str | None:
        """Remove every occurrence of the tracks, 100 a request, each against the latest snapshot."""
        self._require_user("remove_items()")
        snapshot = snapshot_id
        for batch in chunks(_track_uris(uris), self.capabilities.batch_size("playlist_write")):
            body: dict[str, Any] = {"items": [{"uri": u} for u in batch]}
            if snapshot:
                body["snapshot_id"] = snapshot
            snapshot = _snapshot(self._write("DELETE", self._items_path(playlist_id), body=body)) or snapshot
        return snapshot

    def _items_path(self, playlist_id: str) -> str:
        return f"playlists/{spotify_id('playlist', playlist_id)}/{self.capabilities.playlist_items_path}"


def _track_uris(values: Sequence[str]) -> list[str]:
    if isinstance(values, str):
        raise TypeError("pass a list of track ids/URIs, not a single string")
    return [spotify_uri("track", v) for v in values]


def _playlist(raw: Any) -> Playlist | None:
    return Playlist.model_validate(raw) if raw else None
