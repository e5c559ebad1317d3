"""The current user: profile, playlists, followed artists (cursor paging) and the 2026 ``/me/library``."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from analytics.sandbox.spotify.catalog import User
from analytics.sandbox.spotify.errors import FORBIDDEN, NOT_FOUND, ApiError
from analytics.sandbox.spotify.ids import USER_ID, parse_id, parse_id_list, parse_uri
from analytics.sandbox.spotify.render import page
from analytics.sandbox.spotify.runtime import (
    api_base,
    current_user,
    development_forbidden,
    other_params,
    paging,
    renderer,
    runtime,
)

router = APIRouter()
FOLLOW_READ = "user-follow-read"
FOLLOW_MODIFY = "user-follow-modify"
LIBRARY_MODIFY = "user-library-modify user-follow-modify playlist-modify-public playlist-modify-private"
LIBRARY_KINDS = ("track", "album", "episode", "show", "audiobook", "user", "playlist", "artist")


@router.get("/me")
async def get_me(request: Request) -> dict[str, Any]:
    return renderer(request).private_user(current_user(request))


@router.get("/users/{user_id}")
async def get_user(user_id: str, request: Request) -> dict[str, Any]:
    development_forbidden(request)
    user = runtime(request).state.users.get(user_id)
    if user is None:
        raise ApiError(404, NOT_FOUND)
    return renderer(request).public_user(user)


def _playlists_page(request: Request, user: User, *, own_view: bool) -> dict[str, Any]:
    rt = runtime(request)
    limit, offset = paging(request, default=20, maximum=50)
    found = [
        p
        for p in rt.state.playlists.values()
        if (p.owner_id == user.id and (own_view or p.public))
        or (own_view and p.id in user.followed_playlist_ids)
    ]
    r = renderer(request)
    return page(
        [r.simple_playlist(p) for p in found[offset : offset + limit]],
        href_base=f"{api_base(request)}{request.url.path.removeprefix('/v1')}",
        params=other_params(request),
        offset=offset,
        limit=limit,
        total=len(found),
    )


@router.get("/me/playlists")
async def get_my_playlists(request: Request) -> dict[str, Any]:
    return _playlists_page(request, current_user(request), own_view=True)


@router.get("/users/{user_id}/playlists")
async def get_user_playlists(user_id: str, request: Request) -> dict[str, Any]:
    me = current_user(request)
    rt = runtime(request)
    if user_id == me.id:
        return _playlists_page(request, me, own_view=True)
    if not rt.extended:
        raise ApiError(403, FORBIDDEN)
    other = rt.state.users.get(user_id)
    if other is None:
        raise ApiError(404, NOT_FOUND)
    return _playlists_page(request, other, own_view=False)


@router.get("/me/following")
async def get_followed_artists(request: Request) -> dict[str, Any]:
    user = current_user(request, scope=FOLLOW_READ)
    if request.query_params.get("type") != "artist":
        raise ApiError(400, "Only valid type is 'artist'")
    limit, _ = paging(request, default=20, maximum=50)
    after = request.query_params.get("after")
    if after is not None:
        parse_id(after, kind="artist")
    artists = runtime(request).state.artists
    followed = sorted(a for a in user.followed_artist_ids if a in artists)
    rest = [a for a in followed if after is None or a > after]
    chunk = rest[:limit]
    base = f"{api_base(request)}/me/following"
    params = [("type", "artist"), ("limit", str(limit))]

    def link(cursor: str | None) -> str:
        from urllib.parse import urlencode

        return f"{base}?{urlencode([*params, *([('after', cursor)] if cursor else [])])}"

    more = len(rest) > limit
    r = renderer(request)
    return {
        "artists": {
            "href": link(after),
            "items": [r.artist(artists[a]) for a in chunk],
            "limit": limit,
            "next": link(chunk[-1]) if more else None,
            "cursors": {"after": chunk[-1] if more else None},
            "total": len(followed),
        }
    }


async def _ids(request: Request) -> list[str]:
    raw = request.query_params.get("ids")
    if raw:
        return [i for i in raw.split(",") if i]
    body = await request.body()
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        raise ApiError(400, "Error parsing JSON.") from exc
    ids = data.get("ids") if isinstance(data, dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "Missing required parameter: ids")
    return ids


def _follow_type(request: Request) -> str:
    kind = request.query_params.get("type")
    if kind not in ("artist", "user"):
        raise ApiError(400, "type must be artist or user")
    return kind


@router.put("/me/following")
@router.delete("/me/following")
async def follow_or_unfollow(request: Request) -> Response:
    user = current_user(request, scope=FOLLOW_MODIFY)
    kind = _follow_type(request)
    ids = await _ids(request)
    if len(ids) > 50:
        raise ApiError(400, "Too many ids requested")
    rt = runtime(request)
    if kind == "artist":
        keys = [parse_id(i, kind="artist") for i in ids]
        if any(k not in rt.state.artists for k in keys):
            raise ApiError(404, NOT_FOUND)
        _apply(rt.state.lock, user.followed_artist_ids, keys, add=request.method == "PUT")
    else:
        if not all(USER_ID.match(i) for i in ids):
            raise ApiError(400, "Invalid user id")
        _apply(rt.state.lock, user.followed_user_ids, ids, add=request.method == "PUT")
    return Response(status_code=204)


@router.get("/me/following/contains")
async def following_contains(request: Request) -> list[bool]:
    user = current_user(request, scope=FOLLOW_READ)
    kind = _follow_type(request)
    raw = request.query_params.get("ids")
    if kind == "artist":
        keys = parse_id_list(raw, kind="artist", maximum=50)
        return [k in user.followed_artist_ids for k in keys]
    return [i in user.followed_user_ids for i in (raw or "").split(",") if i]


def _apply(lock: Any, target: list[str], keys: list[str], *, add: bool) -> None:
    with lock:
        for key in keys:
            if add and key not in target:
                target.append(key)
            elif not add and key in target:
                target.remove(key)


def _library_uris(request: Request) -> list[tuple[str, str]]:
    raw = request.query_params.get("uris")
    if not raw:
        raise ApiError(400, "Missing required parameter: uris")
    parts = [u for u in raw.split(",") if u]
    if len(parts) > 40:
        raise ApiError(400, "Too many ids requested")
    return [parse_uri(u, kinds=LIBRARY_KINDS) for u in parts]


def _library_list(user: User, kind: str) -> list[str]:
    return {
        "artist": user.followed_artist_ids,
        "playlist": user.followed_playlist_ids,
        "user": user.followed_user_ids,
    }.get(kind, user.saved_uris)


@router.put("/me/library")
@router.delete("/me/library")
async def change_library(request: Request) -> Response:
    user = current_user(request, scope=LIBRARY_MODIFY)
    state = runtime(request).state
    tables: dict[str, dict[str, Any]] = {
        "artist": state.artists,
        "playlist": state.playlists,
        "track": state.tracks,
        "album": state.albums,
    }
    for kind, key in _library_uris(request):
        if kind in tables and key not in tables[kind]:
            raise ApiError(404, NOT_FOUND)
    for kind, key in _library_uris(request):
        value = key if kind in ("artist", "playlist", "user") else f"spotify:{kind}:{key}"
        _apply(state.lock, _library_list(user, kind), [value], add=request.method == "PUT")
    return Response(status_code=200)


@router.get("/me/library/contains")
async def library_contains(request: Request) -> list[bool]:
    user = current_user(request)
    out = []
    for kind, key in _library_uris(request):
        value = key if kind in ("artist", "playlist", "user") else f"spotify:{kind}:{key}"
        out.append(value in _library_list(user, kind))
    return out


@router.put("/playlists/{playlist_id}/followers")
@router.delete("/playlists/{playlist_id}/followers")
async def follow_playlist(playlist_id: str, request: Request) -> Response:
    user = current_user(request, scope=LIBRARY_MODIFY)
    state = runtime(request).state
    key = parse_id(playlist_id, kind="playlist")
    if key not in state.playlists:
        raise ApiError(404, NOT_FOUND)
    _apply(state.lock, user.followed_playlist_ids, [key], add=request.method == "PUT")
    return Response(status_code=200)
