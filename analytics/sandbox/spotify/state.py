"""The sandbox's mutable catalog: what the API serves, and what tests change through the Python handle."""

from __future__ import annotations

import base64
import hashlib
import itertools
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analytics.sandbox.spotify.catalog import (
    Album,
    Artist,
    Entry,
    Playlist,
    Track,
    User,
    load_catalog_file,
    parse_catalog,
)
from analytics.sandbox.spotify.ids import new_id

INITIAL_ADDED_AT = "2026-01-01T00:00:00Z"
GROUP_ORDER = {"album": 0, "single": 1, "compilation": 2, "appears_on": 3}


@dataclass(frozen=True, slots=True)
class DiscographyEntry:
    album: Album
    group: str  # album | single | compilation | appears_on


class CatalogState:
    """Artists, albums, tracks, playlists and users, with the indexes the API needs.

    Handlers run on the server's event loop; tests mutate from their own thread, so every change
    takes :attr:`lock`. Each catalog change (not playlist edits) bumps :attr:`version`, which invalidates the
    discography index.
    """

    def __init__(self, *, seed: int = 0) -> None:
        self.artists: dict[str, Artist] = {}
        self.albums: dict[str, Album] = {}
        self.tracks: dict[str, Track] = {}
        self.playlists: dict[str, Playlist] = {}
        self.users: dict[str, User] = {}
        self.lock = threading.RLock()
        self.version = 0
        self._rng = random.Random(seed)
        self._uids = itertools.count(1)
        self._discography: dict[str, list[DiscographyEntry]] | None = None
        self._discography_version = -1

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def from_document(cls, data: dict[str, Any], *, seed: int = 0, source: str = "catalog") -> CatalogState:
        """A state holding the entities of an ``encore-catalog/1`` document."""
        parsed = parse_catalog(data, source=source)
        state = cls(seed=seed)
        for a in parsed["artists"]:
            state.artists[a["id"]] = Artist(
                a["id"],
                a["name"],
                list(a.get("genres", [])),
                int(a.get("followers", 0)),
                int(a.get("popularity", 0)),
            )
        for b in parsed["albums"]:
            state.albums[b["id"]] = Album(
                id=b["id"],
                name=b["name"],
                album_type=b["album_type"],
                artist_ids=list(b["artist_ids"]),
                release_date=str(b["release_date"]),
                release_date_precision=b.get("release_date_precision", "day"),
                track_ids=list(b["track_ids"]),
                label=b.get("label", ""),
                upc=b.get("upc"),
                popularity=int(b.get("popularity", 0)),
            )
        for t in parsed["tracks"]:
            state.tracks[t["id"]] = Track(
                id=t["id"],
                name=t["name"],
                album_id=t["album_id"],
                artist_ids=list(t["artist_ids"]),
                disc_number=int(t.get("disc_number", 1)),
                track_number=int(t.get("track_number", 1)),
                duration_ms=int(t["duration_ms"]),
                explicit=bool(t.get("explicit", False)),
                isrc=t.get("isrc"),
                popularity=int(t.get("popularity", 0)),
            )
        for u in parsed["users"]:
            state.users[u["id"]] = User(
                id=u["id"],
                display_name=u.get("display_name", u["id"]),
                country=u.get("country", "US"),
                product=u.get("product", "free"),
                email=u.get("email", ""),
                followed_artist_ids=list(u.get("followed_artist_ids", [])),
                followed_playlist_ids=list(u.get("followed_playlist_ids", [])),
            )
        for p in parsed["playlists"]:
            playlist = Playlist(
                id=p["id"],
                name=p["name"],
                owner_id=p["owner_id"],
                description=p.get("description", ""),
                public=bool(p.get("public", True)),
                collaborative=bool(p.get("collaborative", False)),
                collaborator_ids=list(p.get("collaborator_ids", [])),
                followers=int(p.get("followers", 0)),
            )
            entries = [
                Entry(next(state._uids), tid, INITIAL_ADDED_AT, p["owner_id"])
                for tid in p.get("track_ids", [])
            ]
            state.commit_playlist(playlist, entries)
            state.playlists[playlist.id] = playlist
        return state

    @classmethod
    def from_file(cls, path: Path | str, *, seed: int = 0) -> CatalogState:
        return cls.from_document(load_catalog_file(path), seed=seed, source=str(path))

    @classmethod
    def demo(cls, *, seed: int = 0) -> CatalogState:
        from analytics.demo import CATALOG_PATH

        return cls.from_file(CATALOG_PATH, seed=seed)

    # -- ids, time, versions ------------------------------------------------------------------
    def new_id(self) -> str:
        """A fresh base-62 id, unused in this catalog, from the seeded generator."""
        with self.lock:
            while True:
                candidate = new_id(self._rng)
                if not any(
                    candidate in table for table in (self.artists, self.albums, self.tracks, self.playlists)
                ):
                    return candidate

    @staticmethod
    def now() -> str:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def touch(self) -> None:
        """Record that the catalog changed (derived indexes are rebuilt on next use)."""
        with self.lock:
            self.version += 1

    # -- derived views ----------------------------------------------------------------------
    def discography(self, artist_id: str) -> list[DiscographyEntry]:
        """The artist's albums as ``GET /artists/{id}/albums`` orders them: group, then newest first."""
        with self.lock:
            if self._discography is None or self._discography_version != self.version:
                self._discography = _build_discography(self.albums.values(), self.tracks)
                self._discography_version = self.version
            return self._discography.get(artist_id, [])

    # -- mutations for tests ------------------------------------------------------------------
    def rename_track(self, track_id: str, name: str) -> None:
        with self.lock:
            self.tracks[track_id].name = name
            self.touch()

    def set_isrc(self, track_id: str, isrc: str | None) -> None:
        with self.lock:
            self.tracks[track_id].isrc = isrc
            self.touch()

    def add_single(
        self,
        artist_id: str,
        *,
        name: str,
        release_date: str,
        duration_ms: int = 180000,
        isrc: str | None = None,
    ) -> Album:
        """A new one-track single by ``artist_id`` (album and track ids from the seeded generator)."""
        with self.lock:
            if artist_id not in self.artists:
                raise KeyError(f"artist {artist_id} is not in the sandbox catalog")
            album = Album(self.new_id(), name, "single", [artist_id], release_date, "day", [], "", None)
            self.albums[album.id] = album
            track = Track(self.new_id(), name, album.id, [artist_id], 1, 1, duration_ms, False, isrc)
            self.tracks[track.id] = track
            album.track_ids.append(track.id)
            self.touch()
            return album

    def remove_album(self, album_id: str) -> None:
        """Take an album and its tracks down (playlists keep no entries of removed tracks)."""
        with self.lock:
            album = self.albums.pop(album_id)
            gone = set(album.track_ids)
            for track_id in gone:
                self.tracks.pop(track_id, None)
            for playlist in self.playlists.values():
                if any(e.track_id in gone for e in playlist.entries):
                    self.commit_playlist(playlist, [e for e in playlist.entries if e.track_id not in gone])
            self.touch()

    # -- playlists ----------------------------------------------------------------------------
    def new_entries(self, track_ids: Iterable[str], *, added_by: str) -> list[Entry]:
        now = self.now()
        return [Entry(next(self._uids), tid, now, added_by) for tid in track_ids]

    def commit_playlist(self, playlist: Playlist, entries: list[Entry]) -> str:
        """Make ``entries`` the playlist's content as a new snapshot; return its snapshot_id."""
        with self.lock:
            playlist.version += 1
            digest = hashlib.sha1(
                f"{playlist.id}|{playlist.version}|{','.join(str(e.uid) for e in entries)}".encode(),
                usedforsecurity=False,
            ).hexdigest()
            snapshot_id = base64.b64encode(f"{playlist.version},{digest}".encode()).decode()
            playlist.entries = list(entries)
            playlist.snapshots[snapshot_id] = tuple(entries)
            playlist.snapshot_id = snapshot_id
            return snapshot_id


def _build_discography(
    albums: Iterable[Album], tracks: dict[str, Track]
) -> dict[str, list[DiscographyEntry]]:
    index: dict[str, list[DiscographyEntry]] = {}
    for album in albums:
        own = set(album.artist_ids)
        for artist_id in album.artist_ids:
            index.setdefault(artist_id, []).append(DiscographyEntry(album, album.album_type))
        guests: set[str] = set()
        for track_id in album.track_ids:
            track = tracks.get(track_id)
            if track is not None:
                guests.update(a for a in track.artist_ids if a not in own)
        for artist_id in guests:
            index.setdefault(artist_id, []).append(DiscographyEntry(album, "appears_on"))
    for entries in index.values():
        entries.sort(key=lambda e: (GROUP_ORDER[e.group], _negated_date(e.album.release_date), e.album.id))
    return index


def _negated_date(release_date: str) -> int:
    """A key that sorts release dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) newest first."""
    digits = "".join(c for c in release_date if c.isdigit())[:8]
    return -int(digits.ljust(8, "0") or "0")
