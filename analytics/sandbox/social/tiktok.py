"""Emulator of the TikTok Display API v2 (user info, video list) and its OAuth token endpoint."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analytics.sandbox.social.state import SandboxState


def _log_id() -> str:
    return secrets.token_hex(16).upper()


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"data": {}, "error": {"code": code, "message": message, "log_id": _log_id()}}, status_code=status
    )


def tiktok_router(state: SandboxState) -> APIRouter:
    router = APIRouter()

    def guard(request: Request) -> tuple[JSONResponse | None, str]:
        auth = request.headers.get("authorization", "")
        token = auth.split(" ", 1)[1] if auth.lower().startswith("bearer ") else None
        verdict, issued = state.check("tiktok", token)
        if verdict != "ok" or issued is None:
            return _error(
                401, "access_token_invalid", "The access token is invalid or not found in the request."
            ), ""
        if (reset_s := state.take_rate_limit("tiktok")) is not None:
            limited = _error(
                429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later."
            )
            limited.headers["Retry-After"] = str(reset_s)
            return limited, ""
        return None, issued.owner

    def ok(data: dict[str, Any]) -> JSONResponse:
        body = {"data": data, "error": {"code": "ok", "message": "", "log_id": _log_id()}}
        return JSONResponse(state.corrupt("tiktok", body))

    @router.post("/v2/oauth/token/")
    async def token(request: Request) -> JSONResponse:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        creds = state.credentials
        if (
            form.get("client_key") != creds["tiktok_client_key"]
            or form.get("client_secret") != creds["tiktok_client_secret"]
        ):
            return JSONResponse({"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                                 "log_id": _log_id()}, status_code=401)  # fmt: skip
        if form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": "unsupported_grant_type", "error_description": "grant_type",
                                 "log_id": _log_id()}, status_code=400)  # fmt: skip
        owner = state.refresh_tokens.pop(str(form.get("refresh_token", "")), None)
        if owner is None:
            return JSONResponse({"error": "invalid_grant", "error_description": "Refresh token is invalid or expired.",
                                 "log_id": _log_id()}, status_code=400)  # fmt: skip
        access = state.issue("tiktok", owner)
        refresh = f"rft.{secrets.token_urlsafe(24)}"
        state.refresh_tokens[refresh] = owner
        state.refreshes["tiktok"] = state.refreshes.get("tiktok", 0) + 1
        return JSONResponse(
            {
                "access_token": access,
                "expires_in": int(state.token_ttl_s["tiktok"]),
                "open_id": owner,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": "user.info.basic,user.info.profile,user.info.stats,video.list",
                "token_type": "Bearer",
            }
        )

    @router.get("/v2/user/info/")
    def user_info(request: Request) -> JSONResponse:
        denied, owner = guard(request)
        if denied is not None:
            return denied
        acc = state.find("tiktok", platform_id=owner)
        if acc is None:
            return _error(404, "invalid_params", "user not found")
        posts = state.posts(acc)
        user = {
            "open_id": acc.platform_id,
            "union_id": "u" + acc.platform_id[:20],
            "display_name": acc.display_name,
            "username": acc.handle,
            "follower_count": state.followers(acc),
            "following_count": 41,
            "likes_count": sum(p["likes"] for p in posts),
            "video_count": len(posts),
            "is_verified": acc.verified,
        }
        fields = set((request.query_params.get("fields") or "").split(","))
        return ok({"user": {k: v for k, v in user.items() if k in fields}})

    @router.post("/v2/video/list/")
    async def video_list(request: Request) -> JSONResponse:
        denied, owner = guard(request)
        if denied is not None:
            return denied
        acc = state.find("tiktok", platform_id=owner)
        body = await request.json()
        size = int(body.get("max_count", 10))
        if acc is None or not 1 <= size <= 20:
            return _error(400, "invalid_params", "max_count must be between 1 and 20")
        cursor = body.get("cursor")
        posts = [
            p
            for p in state.posts(acc)
            if cursor is None or int(p["published"].timestamp() * 1000) < int(cursor)
        ]
        page = posts[:size]
        videos = [
            {
                "id": str(7_300_000_000_000_000_000 + p["seq"]),
                "create_time": int(p["published"].timestamp()),
                "like_count": p["likes"],
                "comment_count": p["comments"],
                "share_count": p["shares"],
                "view_count": p["views"],
            }
            for p in page
        ]
        next_cursor = int(page[-1]["published"].timestamp() * 1000) if page else int(cursor or 0)
        return ok({"videos": videos, "cursor": next_cursor, "has_more": len(posts) > size})

    return router
