"""``GET /search``: field filters (``artist:``, ``album:``, ``track:``, ``isrc:``, ``upc:``, ``year:``) and free text."""

from __future__ import annotations

import re
import shlex
from typing import Any

from fastapi import APIRouter, Request

from analytics.sandbox.spotify.catalog import Album, Artist, Playlist, Track
from analytics.sandbox.spotify.errors import ApiError
from analytics.sandbox.spotify.render import page
from analytics.sandbox.spotify.runtime import api_base, other_params, paging, renderer, runtime, token
from analytics.sandbox.spotify.state import CatalogState

router = APIRouter()
TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
FIELDS = ("artist", "album", "track", "isrc", "upc", "year", "genre")
_FIELD = re.compile(r"^({}):(.*)$".format("|".join(FIELDS)))


def parse_query(q: str) -> tuple[dict[str, str], list[str]]:
    """Field filters and lower-cased free-text words of a search query."""
    try:
        parts = shlex.split(q)
    except ValueError:
        parts = q.split()
    filters: dict[str, str] = {}
    words: list[str] = []
    for part in parts:
        match = _FIELD.match(part)
        if match and match.group(2):
            filters[match.group(1)] = match.group(2).lower()
        elif part:
            words.append(part.lower())
    return filters, words


def _has(text: str, words: list[str]) -> bool:
    lowered = text.lower()
    return all(w in lowered for w in words)


def _year_ok(release_date: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if "-" in wanted:
        low, _, high = wanted.partition("-")
        return low <= release_date[:4] <= high
    return release_date[:4] == wanted


def _artist_names(state: CatalogState, ids: list[str]) -> str:
    return " ".join(state.artists[a].name for a in ids if a in state.artists)


def find_tracks(state: CatalogState, filters: dict[str, str], words: list[str]) -> list[Track]:
    out = []
    for t in state.tracks.values():
        album = state.albums.get(t.album_id)
        if "isrc" in filters and (t.isrc or "").lower() != filters["isrc"]:
            continue
        if "upc" in filters and (album is None or (album.upc or "").lower() != filters["upc"]):
            continue
        if "track" in filters and filters["track"] not in t.name.lower():
            continue
        artists = _artist_names(state, t.artist_ids)
        if "artist" in filters and filters["artist"] not in artists.lower():
            continue
        if "album" in filters and (album is None or filters["album"] not in album.name.lower()):
            continue
        if not _year_ok(album.release_date if album else "", filters.get("year")):
            continue
        if words and not _has(f"{t.name} {artists} {album.name if album else ''}", words):
            continue
        out.append(t)
    out.sort(key=lambda t: (-t.popularity, t.name.lower(), t.id))
    return out


def find_albums(state: CatalogState, filters: dict[str, str], words: list[str]) -> list[Album]:
    out = []
    for a in state.albums.values():
        artists = _artist_names(state, a.artist_ids)
        if "upc" in filters and (a.upc or "").lower() != filters["upc"]:
            continue
        if "album" in filters and filters["album"] not in a.name.lower():
            continue
        if "artist" in filters and filters["artist"] not in artists.lower():
            continue
        if "isrc" in filters or "track" in filters or not _year_ok(a.release_date, filters.get("year")):
            continue
        if words and not _has(f"{a.name} {artists}", words):
            continue
        out.append(a)
    out.sort(key=lambda a: (-a.popularity, a.name.lower(), a.id))
    return out


def find_artists(state: CatalogState, filters: dict[str, str], words: list[str]) -> list[Artist]:
    out = []
    for a in state.artists.values():
        if any(k in filters for k in ("album", "track", "isrc", "upc", "year")):
            continue
        if "artist" in filters and filters["artist"] not in a.name.lower():
            continue
        if "genre" in filters and filters["genre"] not in [g.lower() for g in a.genres]:
            continue
        if words and not _has(a.name, words):
            continue
        out.append(a)
    out.sort(key=lambda a: (a.name.lower() != " ".join(words), -a.popularity, a.name.lower(), a.id))
    return out


def find_playlists(state: CatalogState, filters: dict[str, str], words: list[str]) -> list[Playlist]:
    if filters:
        return []
    found = [
        p
        for p in state.playlists.values()
        if p.public and (not words or _has(f"{p.name} {p.description}", words))
    ]
    return sorted(found, key=lambda p: (p.name.lower(), p.id))


@router.get("/search")
async def search(request: Request) -> dict[str, Any]:
    token(request)
    rt = runtime(request)
    q = request.query_params.get("q") or request.query_params.get("query")
    if not q:
        raise ApiError(400, "No search query")
    raw_types = request.query_params.get("type")
    if not raw_types:
        raise ApiError(400, "Missing parameter type")
    types = [t.strip() for t in raw_types.split(",") if t.strip()]
    for t in types:
        if t not in TYPES:
            raise ApiError(400, f"Bad search type field {t}")
    limit, offset = paging(
        request, default=5 if not rt.extended else 20, maximum=50 if rt.extended else 10, max_offset=1000
    )
    filters, words = parse_query(q)
    r = renderer(request)
    out: dict[str, Any] = {}
    rest = other_params(request, "q", "query", "type")
    for t in types:
        found: list[Any] = []
        render: Any = None
        if t == "track":
            found, render = find_tracks(rt.state, filters, words), r.track
        elif t == "album":
            found, render = find_albums(rt.state, filters, words), r.simple_album
        elif t == "artist":
            found, render = find_artists(rt.state, filters, words), r.artist
        elif t == "playlist":
            found, render = find_playlists(rt.state, filters, words), r.simple_playlist
        items = [render(x) for x in found[offset : offset + limit]]
        out[f"{t}s"] = page(
            items,
            href_base=f"{api_base(request)}/search",
            params=[("query", q), ("type", t), *rest],
            offset=offset,
            limit=limit,
            total=len(found),
        )
    return out
