"""Catalog endpoints: artists, albums, tracks, their several-* forms, and what 2026 apps may no longer call."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from analytics.sandbox.spotify.errors import FORBIDDEN, NOT_FOUND, ApiError
from analytics.sandbox.spotify.ids import parse_id, parse_id_list
from analytics.sandbox.spotify.render import MARKETS, page
from analytics.sandbox.spotify.runtime import (
    api_base,
    development_forbidden,
    other_params,
    paging,
    renderer,
    runtime,
    token,
)

router = APIRouter()
GROUPS = ("album", "single", "compilation", "appears_on")


@router.get("/artists/{id}")
async def get_artist(id: str, request: Request) -> dict[str, Any]:
    token(request)
    artist = runtime(request).state.artists.get(parse_id(id, kind="artist"))
    if artist is None:
        raise ApiError(404, NOT_FOUND)
    return renderer(request).artist(artist)


@router.get("/artists/{id}/albums")
async def get_artist_albums(id: str, request: Request) -> dict[str, Any]:
    token(request)
    rt = runtime(request)
    key = parse_id(id, kind="artist")
    if key not in rt.state.artists:
        raise ApiError(404, NOT_FOUND)
    raw_groups = request.query_params.get("include_groups")
    groups = set(GROUPS)
    if raw_groups:
        groups = {g.strip() for g in raw_groups.split(",") if g.strip()}
        bad = groups - set(GROUPS)
        if bad:
            raise ApiError(400, f"Invalid include_groups value: {sorted(bad)[0]}")
    limit, offset = paging(request, default=20 if rt.extended else 5, maximum=50 if rt.extended else 10)
    entries = [e for e in rt.state.discography(key) if e.group in groups]
    r = renderer(request)
    items = [r.simple_album(e.album, group=e.group) for e in entries[offset : offset + limit]]
    return page(
        items,
        href_base=f"{api_base(request)}/artists/{key}/albums",
        params=other_params(request),
        offset=offset,
        limit=limit,
        total=len(entries),
    )


@router.get("/artists/{id}/top-tracks")
async def get_artist_top_tracks(id: str, request: Request) -> dict[str, Any]:
    development_forbidden(request)
    rt = runtime(request)
    key = parse_id(id, kind="artist")
    if key not in rt.state.artists:
        raise ApiError(404, NOT_FOUND)
    tracks = [t for t in rt.state.tracks.values() if key in t.artist_ids]
    tracks.sort(key=lambda t: (-t.popularity, t.id))
    return {"tracks": [renderer(request).track(t) for t in tracks[:10]]}


@router.get("/albums/{id}")
async def get_album(id: str, request: Request) -> dict[str, Any]:
    token(request)
    album = runtime(request).state.albums.get(parse_id(id, kind="album"))
    if album is None:
        raise ApiError(404, NOT_FOUND)
    return renderer(request).album(album)


@router.get("/albums/{id}/tracks")
async def get_album_tracks(id: str, request: Request) -> dict[str, Any]:
    token(request)
    rt = runtime(request)
    key = parse_id(id, kind="album")
    album = rt.state.albums.get(key)
    if album is None:
        raise ApiError(404, NOT_FOUND)
    limit, offset = paging(request, default=20, maximum=50)
    tracks = [rt.state.tracks[t] for t in album.track_ids if t in rt.state.tracks]
    r = renderer(request)
    return page(
        [r.simple_track(t) for t in tracks[offset : offset + limit]],
        href_base=f"{api_base(request)}/albums/{key}/tracks",
        params=other_params(request),
        offset=offset,
        limit=limit,
        total=len(tracks),
    )


@router.get("/tracks/{id}")
async def get_track(id: str, request: Request) -> dict[str, Any]:
    token(request)
    track = runtime(request).state.tracks.get(parse_id(id, kind="track"))
    if track is None:
        raise ApiError(404, NOT_FOUND)
    return renderer(request).track(track)


@router.get("/artists")
async def get_several_artists(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    ids = parse_id_list(request.query_params.get("ids"), kind="artist", maximum=50)
    r, artists = renderer(request), runtime(request).state.artists
    return {"artists": [r.artist(artists[i]) if i in artists else None for i in ids]}


@router.get("/albums")
async def get_several_albums(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    ids = parse_id_list(request.query_params.get("ids"), kind="album", maximum=20)
    r, albums = renderer(request), runtime(request).state.albums
    return {"albums": [r.album(albums[i]) if i in albums else None for i in ids]}


@router.get("/tracks")
async def get_several_tracks(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    ids = parse_id_list(request.query_params.get("ids"), kind="track", maximum=50)
    r, tracks = renderer(request), runtime(request).state.tracks
    return {"tracks": [r.track(tracks[i]) if i in tracks else None for i in ids]}


@router.get("/browse/new-releases")
async def get_new_releases(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    limit, offset = paging(request, default=20, maximum=50)
    albums = sorted(
        runtime(request).state.albums.values(), key=lambda a: (a.release_date, a.id), reverse=True
    )
    r = renderer(request)
    return {
        "albums": page(
            [r.simple_album(a) for a in albums[offset : offset + limit]],
            href_base=f"{api_base(request)}/browse/new-releases",
            params=other_params(request),
            offset=offset,
            limit=limit,
            total=len(albums),
        )
    }


@router.get("/browse/categories")
async def get_categories(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    limit, offset = paging(request, default=20, maximum=50)
    genres = sorted({g for a in runtime(request).state.artists.values() for g in a.genres})
    items = [
        {"href": f"{api_base(request)}/browse/categories/{g}", "icons": [], "id": g, "name": g.title()}
        for g in genres
    ]
    return {
        "categories": page(
            items[offset : offset + limit],
            href_base=f"{api_base(request)}/browse/categories",
            params=other_params(request),
            offset=offset,
            limit=limit,
            total=len(items),
        )
    }


@router.get("/markets")
async def get_markets(request: Request) -> dict[str, Any]:
    development_forbidden(request)
    return {"markets": list(MARKETS)}


# Removed for apps created after Nov 2024, whatever their quota: the real API answers these.
_REMOVED: dict[str, int] = {
    "/artists/{id}/related-artists": 404,
    "/recommendations": 404,
    "/recommendations/available-genre-seeds": 404,
    "/browse/featured-playlists": 404,
    "/browse/categories/{category_id}/playlists": 404,
    "/audio-features": 403,
    "/audio-features/{id}": 403,
    "/audio-analysis/{id}": 403,
}


def _removed(status: int) -> Any:
    async def handler(request: Request) -> None:
        token(request)
        raise ApiError(status, FORBIDDEN if status == 403 else NOT_FOUND)

    return handler


for _path, _status in _REMOVED.items():
    router.add_api_route(_path, _removed(_status), methods=["GET"])
