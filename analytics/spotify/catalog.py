"""Catalog reads: artists, albums, tracks, search; batched where the quota mode allows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from analytics.spotify.core import ClientCore
from analytics.spotify.errors import SpotifyHTTPError
from analytics.spotify.ids import chunks, spotify_id
from analytics.spotify.models import (
    Album,
    Artist,
    Paging,
    SimplifiedAlbum,
    SimplifiedTrack,
    Track,
    _Model,
)
from analytics.spotify.paging import Fetched, Stream
from analytics.spotify.redact import log

M = TypeVar("M", bound=BaseModel)
ALL_GROUPS = ("album", "single", "compilation", "appears_on")


class SearchResults(_Model):
    """The pages a search returned, one per requested type (None for types not asked)."""

    artists: Paging[Artist] | None = None
    albums: Paging[SimplifiedAlbum] | None = None
    tracks: Paging[Track] | None = None


class CatalogMixin(ClientCore):
    def artist(self, artist_id: str) -> Fetched[Artist]:
        """One artist; ``followers``/``popularity`` are None in development mode."""
        response = self._get(f"artists/{spotify_id('artist', artist_id)}")
        return Fetched(self._parse(Artist, response.body, kind="artist"), response.not_modified)

    def artists(self, artist_ids: Sequence[str]) -> Fetched[list[Artist]]:
        """Several artists: ``GET /artists?ids=`` by 50 in extended mode, one call each in development.

        Unknown ids are left out (logged). ``not_modified`` is True when every request got a 304.
        """
        return self._several(Artist, "artists", "artist", artist_ids)

    def album(self, album_id: str) -> Fetched[Album]:
        """One album with its first page of tracks; ``label``/``popularity`` None in development."""
        response = self._get(f"albums/{spotify_id('album', album_id)}")
        return Fetched(self._parse(Album, response.body, kind="album"), response.not_modified)

    def albums(self, album_ids: Sequence[str]) -> Fetched[list[Album]]:
        """Several albums: by 20 in extended mode, one call each in development."""
        return self._several(Album, "albums", "album", album_ids)

    def track(self, track_id: str) -> Fetched[Track]:
        """One track, with ``external_ids.isrc``; ``popularity`` None in development."""
        response = self._get(f"tracks/{spotify_id('track', track_id)}")
        return Fetched(self._parse(Track, response.body, kind="track"), response.not_modified)

    def tracks(self, track_ids: Sequence[str]) -> Fetched[list[Track]]:
        """Several tracks: by 50 in extended mode, one call each in development."""
        return self._several(Track, "tracks", "track", track_ids)

    def artist_albums(
        self, artist_id: str, *, include_groups: Sequence[str] = ALL_GROUPS, market: str | None = None
    ) -> Stream[SimplifiedAlbum]:
        """Every album of an artist, streamed page by page (10 a page in development, 50 extended)."""
        unknown = set(include_groups) - set(ALL_GROUPS)
        if unknown:
            raise ValueError(f"include_groups: unknown {sorted(unknown)}; choose from {ALL_GROUPS}")
        params: dict[str, Any] = {
            "include_groups": ",".join(include_groups),
            "limit": self.capabilities.page_limit("artist_albums"),
            "offset": 0,
        }
        if market:
            params["market"] = market
        return self._stream(
            f"artists/{spotify_id('artist', artist_id)}/albums",
            params,
            lambda raw: self._parse(SimplifiedAlbum, raw) if raw else None,
        )

    def album_tracks(
        self, album_id: str, *, market: str | None = None, after: str | None = None
    ) -> Stream[SimplifiedTrack]:
        """Every track of an album, streamed by pages of 50.

        ``after`` is the ``next`` URL of a page already read (the one embedded in the album
        object): the stream then starts there instead of at the first page.
        """
        params: dict[str, Any] = {"limit": self.capabilities.page_limit("album_tracks"), "offset": 0}
        if market:
            params["market"] = market
        return self._stream(
            after or f"albums/{spotify_id('album', album_id)}/tracks",
            {} if after else params,
            lambda raw: self._parse(SimplifiedTrack, raw) if raw else None,
        )

    def artist_top_tracks(self, artist_id: str, *, market: str = "US") -> Fetched[list[Track]]:
        """The artist's top tracks (extended mode only)."""
        self.capabilities.require("artist_top_tracks")
        response = self._get(f"artists/{spotify_id('artist', artist_id)}/top-tracks", {"market": market})
        tracks = [self._parse(Track, raw, kind="track") for raw in (response.body or {}).get("tracks", [])]
        return Fetched(tracks, response.not_modified)

    def search(
        self, q: str, *, type: str = "track", limit: int | None = None, offset: int = 0
    ) -> Fetched[SearchResults]:
        """One page of search results; ``limit`` at most 10 in development mode, 50 in extended.

        ``type`` is a comma-separated subset of ``artist,album,track``.
        """
        kinds = [t.strip() for t in type.split(",") if t.strip()]
        if not kinds or set(kinds) - {"artist", "album", "track"}:
            raise ValueError(f"search type must be a subset of artist,album,track; got {type!r}")
        limit = self.capabilities.page_limit("search") if limit is None else limit
        self._require_limit("search", limit)
        response = self._get("search", {"q": q, "type": ",".join(kinds), "limit": limit, "offset": offset})
        results = SearchResults.model_validate(response.body or {})
        hidden = {
            name: self._hide_all(page, kind)
            for name, kind in (("artists", "artist"), ("tracks", "track"))
            if (page := getattr(results, name)) is not None
        }
        return Fetched(results.model_copy(update=hidden), response.not_modified)

    # -- helpers -----------------------------------------------------------------------------
    def _hide_all(self, page: Paging[Any], kind: str) -> Paging[Any]:
        return page.model_copy(
            update={"items": [self._parse(type(i), i.model_dump(), kind=kind) for i in page.items]}
        )

    def _several(self, model: type[M], collection: str, kind: str, ids: Sequence[str]) -> Fetched[list[M]]:
        wanted = [spotify_id(kind, i) for i in ids]
        out: list[M] = []
        unchanged = True
        if self.capabilities.can(f"several_{collection}"):
            for batch in chunks(wanted, self.capabilities.batch_size(collection)):
                response = self._get(collection, {"ids": ",".join(batch)})
                unchanged = unchanged and response.not_modified
                for requested, raw in zip(batch, (response.body or {}).get(collection, []), strict=False):
                    if raw is None:
                        log.info("%s %s: not found, left out", kind, requested)
                    else:
                        out.append(self._parse(model, raw, kind=kind))
            return Fetched(out, unchanged)
        for one in wanted:
            try:
                response = self._get(f"{collection}/{one}")
            except SpotifyHTTPError as exc:
                if exc.status not in (400, 404):
                    raise
                log.info("%s %s: not found (HTTP %s), left out", kind, one, exc.status)
                unchanged = False
                continue
            unchanged = unchanged and response.not_modified
            out.append(self._parse(model, response.body, kind=kind))
        return Fetched(out, unchanged)
