"""Catalog entities as Web API JSON: full and simplified objects, per quota mode, and paging objects."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from analytics.sandbox.spotify.catalog import Album, Artist, Entry, Playlist, Track, User
from analytics.sandbox.spotify.ids import open_url, uri
from analytics.sandbox.spotify.state import CatalogState

MARKETS = (
    "AR",
    "AU",
    "BE",
    "BR",
    "CA",
    "CH",
    "DE",
    "DK",
    "ES",
    "FI",
    "FR",
    "GB",
    "IT",
    "JP",
    "NL",
    "SE",
    "US",
)
IMAGE_SIZES = (640, 300, 64)


def images(object_id: str) -> list[dict[str, Any]]:
    """Three cover sizes, with stable made-up image URLs (never fetched by encore)."""
    digest = hashlib.sha1(object_id.encode(), usedforsecurity=False).hexdigest()[:24]
    return [
        {"url": f"https://i.scdn.co/image/ab67616d0000{size:04d}{digest}", "height": size, "width": size}
        for size in IMAGE_SIZES
    ]


def page(
    items: list[Any],
    *,
    href_base: str,
    params: Sequence[tuple[str, str]],
    offset: int,
    limit: int,
    total: int,
) -> dict[str, Any]:
    """A paging object as Spotify builds it: ``offset`` and ``limit`` first, then the request's other parameters."""

    def link(at: int) -> str:
        query = [
            ("offset", str(at)),
            ("limit", str(limit)),
            *[(k, v) for k, v in params if k not in ("offset", "limit")],
        ]
        return f"{href_base}?{urlencode(query, safe=',:')}"

    return {
        "href": link(offset),
        "items": items,
        "limit": limit,
        "next": link(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


@dataclass(frozen=True)
class Renderer:
    """Renders objects for one request: ``api`` is the absolute ``…/v1`` base of that request."""

    state: CatalogState
    api: str
    extended: bool

    def _common(self, kind: str, object_id: str, path: str) -> dict[str, Any]:
        return {
            "external_urls": {"spotify": open_url(kind, object_id)},
            "href": f"{self.api}/{path}/{object_id}",
            "id": object_id,
            "type": kind,
            "uri": uri(kind, object_id),
        }

    # -- artists ------------------------------------------------------------------------------
    def simple_artist(self, artist: Artist) -> dict[str, Any]:
        return {**self._common("artist", artist.id, "artists"), "name": artist.name}

    def artist(self, artist: Artist) -> dict[str, Any]:
        out = {**self.simple_artist(artist), "genres": list(artist.genres), "images": images(artist.id)}
        if self.extended:
            out["followers"] = {"href": None, "total": artist.followers}
            out["popularity"] = artist.popularity
        return out

    def _artists(self, ids: list[str]) -> list[dict[str, Any]]:
        return [self.simple_artist(self.state.artists[a]) for a in ids if a in self.state.artists]

    # -- albums -------------------------------------------------------------------------------
    def simple_album(self, album: Album, *, group: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "album_type": album.album_type,
            "total_tracks": len(album.track_ids),
            **self._common("album", album.id, "albums"),
            "images": images(album.id),
            "name": album.name,
            "release_date": album.release_date,
            "release_date_precision": album.release_date_precision,
            "artists": self._artists(album.artist_ids),
        }
        if self.extended:
            out["available_markets"] = list(MARKETS)
        if group is not None:
            out["album_group"] = group
        return out

    def album(self, album: Album, *, tracks_limit: int = 50) -> dict[str, Any]:
        tracks = [self.state.tracks[t] for t in album.track_ids if t in self.state.tracks]
        out = self.simple_album(album)
        out["tracks"] = page(
            [self.simple_track(t) for t in tracks[:tracks_limit]],
            href_base=f"{self.api}/albums/{album.id}/tracks",
            params=[],
            offset=0,
            limit=tracks_limit,
            total=len(tracks),
        )
        year = album.release_date[:4]
        out["copyrights"] = [
            {"text": f"{year} {album.label or 'encore sandbox'}", "type": "C"},
            {"text": f"{year} {album.label or 'encore sandbox'}", "type": "P"},
        ]
        out["external_ids"] = {"upc": album.upc} if album.upc else {}
        out["genres"] = []
        if self.extended:
            out["label"] = album.label
            out["popularity"] = album.popularity
        return out

    # -- tracks -------------------------------------------------------------------------------
    def simple_track(self, track: Track) -> dict[str, Any]:
        out: dict[str, Any] = {
            "artists": self._artists(track.artist_ids),
            "disc_number": track.disc_number,
            "duration_ms": track.duration_ms,
            "explicit": track.explicit,
            **self._common("track", track.id, "tracks"),
            "is_local": False,
            "is_playable": True,
            "name": track.name,
            "track_number": track.track_number,
        }
        if self.extended:
            out["available_markets"] = list(MARKETS)
            out["preview_url"] = None
        return out

    def track(self, track: Track) -> dict[str, Any]:
        out = self.simple_track(track)
        album = self.state.albums.get(track.album_id)
        if album is not None:
            out["album"] = self.simple_album(album)
        out["external_ids"] = {"isrc": track.isrc} if track.isrc else {}
        if self.extended:
            out["popularity"] = track.popularity
        return out

    # -- users and playlists ------------------------------------------------------------------
    def user_ref(self, user_id: str, *, with_name: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "external_urls": {"spotify": open_url("user", user_id)},
            "href": f"{self.api}/users/{user_id}",
            "id": user_id,
            "type": "user",
            "uri": uri("user", user_id),
        }
        if with_name:
            user = self.state.users.get(user_id)
            out["display_name"] = user.display_name if user else None
        return out

    def public_user(self, user: User) -> dict[str, Any]:
        return {
            **self.user_ref(user.id, with_name=True),
            "followers": {"href": None, "total": 0},
            "images": [],
        }

    def private_user(self, user: User) -> dict[str, Any]:
        out = {
            **self.public_user(user),
            "country": user.country,
            "email": user.email,
            "product": user.product,
        }
        out["explicit_content"] = {"filter_enabled": False, "filter_locked": False}
        if not self.extended:
            out.pop("followers")
        return out

    def simple_playlist(self, playlist: Playlist) -> dict[str, Any]:
        out: dict[str, Any] = {
            "collaborative": playlist.collaborative,
            "description": playlist.description,
            **self._common("playlist", playlist.id, "playlists"),
            "images": images(playlist.id) if playlist.entries else [],
            "name": playlist.name,
            "owner": self.user_ref(playlist.owner_id, with_name=True),
            "primary_color": None,
            "public": playlist.public,
            "snapshot_id": playlist.snapshot_id,
            "items": {"href": f"{self.api}/playlists/{playlist.id}/items", "total": len(playlist.entries)},
        }
        if self.extended:
            out["tracks"] = {
                "href": f"{self.api}/playlists/{playlist.id}/tracks",
                "total": len(playlist.entries),
            }
        return out

    def playlist_entry(self, entry: Entry, *, key: str) -> dict[str, Any]:
        track = self.state.tracks.get(entry.track_id)
        rendered = self.track(track) if track is not None else None
        out: dict[str, Any] = {
            "added_at": entry.added_at,
            "added_by": self.user_ref(entry.added_by),
            "is_local": False,
            "primary_color": None,
        }
        if key in ("item", "both"):
            out["item"] = rendered
        if key in ("track", "both"):
            out["track"] = rendered
        return out
