"""What every handler needs: the runtime of one sandbox, and request helpers (auth, paging, rendering)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from analytics.sandbox.spotify.auth import Token, TokenStore
from analytics.sandbox.spotify.catalog import Playlist, User
from analytics.sandbox.spotify.controls import Controls
from analytics.sandbox.spotify.errors import FORBIDDEN, ApiError
from analytics.sandbox.spotify.options import QuotaModeName, SandboxOptions
from analytics.sandbox.spotify.render import Renderer
from analytics.sandbox.spotify.state import CatalogState

USER_AUTH_REQUIRED = "This request requires user authentication."


@dataclass
class Runtime:
    """One sandbox's state, tokens and controls; ``quota_mode`` may be switched while it runs."""

    options: SandboxOptions
    state: CatalogState
    tokens: TokenStore
    controls: Controls
    quota_mode: QuotaModeName

    @property
    def extended(self) -> bool:
        return self.quota_mode == "extended"


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def api_base(request: Request) -> str:
    """The absolute ``…/v1`` base of this request (paging links and hrefs point back at the sandbox)."""
    return str(request.base_url).rstrip("/") + "/v1"


def renderer(request: Request) -> Renderer:
    rt = runtime(request)
    return Renderer(rt.state, api_base(request), rt.extended)


def token(request: Request) -> Token:
    return runtime(request).tokens.authenticate(request.headers.get("authorization"))


def current_user(request: Request, *, scope: str | None = None) -> User:
    """The user behind a user token (401 for an app-only token, 403 without ``scope``)."""
    tok = token(request)
    if tok.user_id is None:
        raise ApiError(401, USER_AUTH_REQUIRED)
    if scope is not None and not (set(scope.split()) & tok.scopes):
        raise ApiError(403, "Insufficient client scope")
    user = runtime(request).state.users.get(tok.user_id)
    if user is None:
        raise ApiError(404, "Resource not found")
    return user


def development_forbidden(request: Request) -> None:
    """403 for what Feb-2026 development-mode apps may no longer call (after the token check)."""
    token(request)
    if not runtime(request).extended:
        raise ApiError(403, FORBIDDEN)


def int_param(request: Request, name: str, *, default: int, minimum: int, maximum: int, message: str) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(400, message) from exc
    if not minimum <= value <= maximum:
        raise ApiError(400, message)
    return value


def paging(request: Request, *, default: int, maximum: int, max_offset: int = 100000) -> tuple[int, int]:
    """``(limit, offset)`` of the request; 400 ``Invalid limit`` / ``Invalid offset`` out of range."""
    limit = int_param(request, "limit", default=default, minimum=1, maximum=maximum, message="Invalid limit")
    offset = int_param(request, "offset", default=0, minimum=0, maximum=max_offset, message="Invalid offset")
    return limit, offset


def other_params(request: Request, *drop: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in drop]


def can_read_items(playlist: Playlist, user: User | None, *, extended: bool) -> bool:
    """Development mode: owner or collaborator only. Extended: also anyone, for public playlists."""
    if user is not None and (playlist.owner_id == user.id or is_collaborator(playlist, user)):
        return True
    return extended and playlist.public


def is_collaborator(playlist: Playlist, user: User) -> bool:
    return playlist.collaborative and (
        user.id in playlist.collaborator_ids or playlist.id in user.followed_playlist_ids
    )


def can_modify(playlist: Playlist, user: User) -> bool:
    return playlist.owner_id == user.id or is_collaborator(playlist, user)


def json_body(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApiError(400, "Error parsing JSON.")
    return raw
