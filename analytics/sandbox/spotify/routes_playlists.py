"""Playlists: create, read, change details, and their items (``/items``; ``/tracks`` in extended mode)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from analytics.sandbox.spotify import playlist_ops
from analytics.sandbox.spotify.catalog import Playlist, User
from analytics.sandbox.spotify.errors import FORBIDDEN, NOT_FOUND, ApiError
from analytics.sandbox.spotify.ids import parse_id
from analytics.sandbox.spotify.render import page
from analytics.sandbox.spotify.runtime import (
    Runtime,
    api_base,
    can_modify,
    can_read_items,
    current_user,
    development_forbidden,
    json_body,
    other_params,
    paging,
    renderer,
    runtime,
    token,
)

router = APIRouter()
MODIFY = "playlist-modify-public playlist-modify-private"


async def _raw_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "Error parsing JSON.") from exc


def _playlist(rt: Runtime, playlist_id: str) -> Playlist:
    playlist = rt.state.playlists.get(parse_id(playlist_id, kind="playlist"))
    if playlist is None:
        raise ApiError(404, NOT_FOUND)
    return playlist


def _optional_user(request: Request) -> User | None:
    tok = token(request)
    return runtime(request).state.users.get(tok.user_id) if tok.user_id else None


def _entries_page(
    request: Request,
    playlist: Playlist,
    *,
    suffix: str,
    key: str,
    limit: int,
    offset: int,
    params: list[tuple[str, str]],
) -> dict[str, Any]:
    r = renderer(request)
    entries = playlist.entries
    return page(
        [r.playlist_entry(e, key=key) for e in entries[offset : offset + limit]],
        href_base=f"{api_base(request)}/playlists/{playlist.id}/{suffix}",
        params=params,
        offset=offset,
        limit=limit,
        total=len(entries),
    )


async def _create(request: Request, user: User) -> Response:
    rt = runtime(request)
    body = json_body(await _raw_body(request))
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Missing required field: name")
    public, collaborative = body.get("public", True), body.get("collaborative", False)
    if not isinstance(public, bool) or not isinstance(collaborative, bool):
        raise ApiError(400, "public and collaborative must be booleans")
    if collaborative and public:
        raise ApiError(400, "Collaborative playlists can only be private.")
    description = body.get("description", "")
    with rt.state.lock:
        playlist = Playlist(rt.state.new_id(), name, user.id, str(description or ""), public, collaborative)
        rt.state.commit_playlist(playlist, [])
        rt.state.playlists[playlist.id] = playlist
    out = renderer(request).simple_playlist(playlist)
    out["followers"] = {"href": None, "total": 0}
    out["items"] = _entries_page_for_new(request, playlist)
    if rt.extended:
        out["tracks"] = out["items"]
    return JSONResponse(out, status_code=201)


def _entries_page_for_new(request: Request, playlist: Playlist) -> dict[str, Any]:
    return page(
        [],
        href_base=f"{api_base(request)}/playlists/{playlist.id}/items",
        params=[],
        offset=0,
        limit=100,
        total=0,
    )


@router.post("/me/playlists")
async def create_my_playlist(request: Request) -> Response:
    return await _create(request, current_user(request, scope=MODIFY))


@router.post("/users/{user_id}/playlists")
async def create_user_playlist(user_id: str, request: Request) -> Response:
    """Removed for development-mode apps in Feb 2026 (they create with ``POST /me/playlists``)."""
    development_forbidden(request)
    user = current_user(request, scope=MODIFY)
    if user_id != user.id:
        raise ApiError(403, "You cannot create a playlist for another user")
    return await _create(request, user)


@router.get("/playlists/{playlist_id}")
async def get_playlist(playlist_id: str, request: Request) -> dict[str, Any]:
    rt = runtime(request)
    user = _optional_user(request)
    playlist = _playlist(rt, playlist_id)
    out = renderer(request).simple_playlist(playlist)
    out["followers"] = {"href": None, "total": playlist.followers}
    if can_read_items(playlist, user, extended=rt.extended):
        limit = 100 if rt.extended else 50
        key = "both" if rt.extended else "item"
        out["items"] = _entries_page(
            request, playlist, suffix="items", key=key, limit=limit, offset=0, params=[]
        )
        if rt.extended:
            out["tracks"] = _entries_page(
                request, playlist, suffix="tracks", key="track", limit=limit, offset=0, params=[]
            )
    else:
        out.pop("items")
        out.pop("tracks", None)
    return _select_fields(out, request.query_params.get("fields"))


@router.put("/playlists/{playlist_id}")
async def change_playlist_details(playlist_id: str, request: Request) -> Response:
    rt = runtime(request)
    user = current_user(request, scope=MODIFY)
    playlist = _playlist(rt, playlist_id)
    if playlist.owner_id != user.id:
        raise ApiError(403, "You cannot change details of a playlist you don't own.")
    body = json_body(await _raw_body(request))
    for key, kind in (("name", str), ("description", str), ("public", bool), ("collaborative", bool)):
        if key in body and not isinstance(body[key], kind):
            raise ApiError(400, f"Invalid value for {key}")
    if "name" in body and not body["name"].strip():
        raise ApiError(400, "Playlist name can't be empty")
    public = body.get("public", playlist.public)
    collaborative = body.get("collaborative", playlist.collaborative)
    if public and collaborative:
        raise ApiError(400, "Collaborative playlists can only be private.")
    with rt.state.lock:
        playlist.name = body.get("name", playlist.name)
        playlist.description = body.get("description", playlist.description)
        playlist.public, playlist.collaborative = public, collaborative
        rt.state.commit_playlist(playlist, list(playlist.entries))
    return Response(status_code=200)


def _suffix(request: Request) -> str:
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


def _check_items_route(rt: Runtime, suffix: str) -> None:
    if suffix == "tracks" and not rt.extended:
        raise ApiError(403, FORBIDDEN)


@router.get("/playlists/{playlist_id}/items")
@router.get("/playlists/{playlist_id}/tracks")
async def get_playlist_items(playlist_id: str, request: Request) -> dict[str, Any]:
    rt, suffix = runtime(request), _suffix(request)
    user = _optional_user(request)
    _check_items_route(rt, suffix)
    playlist = _playlist(rt, playlist_id)
    if not can_read_items(playlist, user, extended=rt.extended):
        raise ApiError(403, FORBIDDEN)
    key = "track" if suffix == "tracks" else ("both" if rt.extended else "item")
    limit, offset = paging(request, default=100 if rt.extended else 20, maximum=100 if rt.extended else 50)
    params = other_params(request)
    result = _entries_page(
        request, playlist, suffix=suffix, key=key, limit=limit, offset=offset, params=params
    )
    return _select_fields(result, request.query_params.get("fields"))


def _editable(request: Request, playlist_id: str, suffix: str) -> tuple[Runtime, Playlist, User]:
    rt = runtime(request)
    user = current_user(request, scope=MODIFY)
    _check_items_route(rt, suffix)
    playlist = _playlist(rt, playlist_id)
    if not can_modify(playlist, user):
        raise ApiError(403, "You cannot add tracks to a playlist you don't own.")
    return rt, playlist, user


def _query_uris(request: Request) -> list[str] | None:
    raw = request.query_params.get("uris")
    return [u for u in raw.split(",") if u] if raw else None


@router.post("/playlists/{playlist_id}/items")
@router.post("/playlists/{playlist_id}/tracks")
async def add_items(playlist_id: str, request: Request) -> Response:
    rt, playlist, user = _editable(request, playlist_id, _suffix(request))
    raw = await _raw_body(request)
    body = {"uris": raw} if isinstance(raw, list) else json_body(raw)
    uris = _query_uris(request) or body.get("uris")
    if not isinstance(uris, list) or not uris:
        raise ApiError(400, "No uris provided")
    position: Any = body.get("position")
    if "position" in request.query_params:
        try:
            position = int(request.query_params["position"])
        except ValueError as exc:
            raise ApiError(400, "Index out of bounds") from exc
    with rt.state.lock:
        track_ids = playlist_ops.track_ids_of(uris, rt.state)
        snapshot = playlist_ops.add(rt.state, playlist, track_ids, position=position, user_id=user.id)
    return JSONResponse({"snapshot_id": snapshot}, status_code=201)


@router.put("/playlists/{playlist_id}/items")
@router.put("/playlists/{playlist_id}/tracks")
async def replace_or_reorder_items(playlist_id: str, request: Request) -> dict[str, Any]:
    rt, playlist, user = _editable(request, playlist_id, _suffix(request))
    body = json_body(await _raw_body(request))
    with rt.state.lock:
        if "range_start" in body:
            snapshot = playlist_ops.reorder(rt.state, playlist, body)
        else:
            uris = _query_uris(request) if "uris" not in body else body["uris"]
            if not isinstance(uris, list):
                raise ApiError(400, "No uris provided")
            track_ids = playlist_ops.track_ids_of(uris, rt.state)
            snapshot = playlist_ops.replace(rt.state, playlist, track_ids, user_id=user.id)
    return {"snapshot_id": snapshot}


@router.delete("/playlists/{playlist_id}/items")
@router.delete("/playlists/{playlist_id}/tracks")
async def remove_items(playlist_id: str, request: Request) -> dict[str, Any]:
    rt, playlist, _ = _editable(request, playlist_id, _suffix(request))
    body = json_body(await _raw_body(request))
    with rt.state.lock:
        snapshot = playlist_ops.remove(rt.state, playlist, body)
    return {"snapshot_id": snapshot}


def _select_fields(obj: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """The ``fields`` filter: ``snapshot_id,items(added_by.id,item(name,album(name)))``."""
    if not fields:
        return obj
    selected: dict[str, Any] = {}
    for name, sub in _split_fields(fields):
        if name not in obj:
            continue
        value = obj[name]
        if sub and isinstance(value, dict):
            value = _select_fields(value, sub)
        elif sub and isinstance(value, list):
            value = [_select_fields(v, sub) if isinstance(v, dict) else v for v in value]
        selected[name] = value
    return selected


def _split_fields(fields: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    depth, start, name_end = 0, 0, None
    for i, ch in enumerate(fields + ","):
        if ch == "(":
            if depth == 0:
                name_end = i
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            part = fields[start:i]
            if name_end is not None:
                out.append((fields[start:name_end].strip(), fields[name_end + 1 : i - 1]))
            elif part.strip():
                head, _, rest = part.strip().partition(".")  # a.b is a(b)
                out.append((head, rest or None))
            start, name_end = i + 1, None
    return out
