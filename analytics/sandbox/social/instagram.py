"""Emulator of the Instagram Graph API: profile, business discovery, media paging, token refresh."""

from __future__ import annotations

import base64
import json
import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analytics.sandbox.social.state import DemoAccount, SandboxState

_DISCOVERY = re.compile(r"business_discovery\.username\(([^)]+)\)")
_MEDIA_LIMIT = re.compile(r"media\.limit\((\d+)\)")


def _error(message: str, code: int, *, subcode: int | None = None, status: int = 400) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "A" + secrets.token_hex(10)
    return JSONResponse({"error": error}, status_code=status)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()[1:])


def instagram_router(state: SandboxState) -> APIRouter:
    router = APIRouter()

    def token_of(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith(("bearer ", "oauth ")):
            return auth.split(" ", 1)[1]
        return request.query_params.get("access_token")

    def guard(request: Request) -> tuple[JSONResponse | None, str]:
        verdict, issued = state.check("instagram", token_of(request))
        if verdict == "invalid" or issued is None:
            return _error("Invalid OAuth access token - Cannot parse access token", 190), ""
        if verdict == "expired":
            when = issued.expires_at.strftime("%A, %d-%b-%y %H:%M:%S UTC")
            return _error(
                f"Error validating access token: Session has expired on {when}.", 190, subcode=463
            ), ""
        if (reset_s := state.take_rate_limit("instagram")) is not None:
            usage = {issued.owner: [{"type": "instagram", "call_count": 100, "total_cputime": 12,
                                     "total_time": 30, "estimated_time_to_regain_access": reset_s // 60}]}  # fmt: skip
            response = _error("(#4) Application request limit reached", 4, status=403)
            response.headers["X-Business-Use-Case-Usage"] = json.dumps(usage)
            return response, ""
        return None, issued.owner

    def profile(acc: DemoAccount) -> dict[str, Any]:
        return {
            "id": acc.platform_id,
            "username": acc.handle,
            "name": acc.display_name,
            "followers_count": state.followers(acc),
            "media_count": state.post_count(acc),
        }

    def media(acc: DemoAccount, start: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        posts = state.posts(acc)
        page = [
            {
                "id": f"179{p['id']}",
                "like_count": p["likes"],
                "comments_count": p["comments"],
                "timestamp": p["published"].strftime("%Y-%m-%dT%H:%M:%S+0000"),
            }
            for p in posts[start : start + size]
        ]
        return page, start + size < len(posts)

    def reply(payload: dict[str, Any]) -> JSONResponse:
        return JSONResponse(state.corrupt("instagram", payload))

    @router.get("/refresh_access_token")
    def refresh(request: Request) -> JSONResponse:
        q = request.query_params
        if q.get("grant_type") != "ig_refresh_token":
            return _error("Unsupported grant_type", 100)
        verdict, issued = state.check("instagram", q.get("access_token"))
        if verdict != "ok" or issued is None:
            return _error("Error validating access token: the token is expired or invalid.", 190, subcode=463)
        token = state.issue("instagram", issued.owner)
        state.refreshes["instagram"] = state.refreshes.get("instagram", 0) + 1
        return JSONResponse(
            state.corrupt(
                "instagram",
                {
                    "access_token": token,
                    "token_type": "bearer",
                    "expires_in": int(state.token_ttl_s["instagram"]),
                },
            )
        )

    @router.get("/{version}/{node}/media")
    def list_media(version: str, node: str, request: Request) -> JSONResponse:
        denied, owner = guard(request)
        if denied is not None:
            return denied
        acc = state.find("instagram", platform_id=owner if node == "me" else node)
        if acc is None or acc.platform_id != owner:
            return _error(
                "Unsupported get request. Object does not exist or missing permissions.", 100, subcode=33
            )
        q = request.query_params
        size = max(1, min(int(q.get("limit", "25")), 100))
        start = _offset(q.get("after"))
        page, more = media(acc, start, size)
        body: dict[str, Any] = {
            "data": page,
            "paging": {"cursors": {"before": _cursor(start), "after": _cursor(start + len(page))}},
        }
        if more:
            base = str(request.url).split("?")[0]
            body["paging"]["next"] = (
                f"{base}?fields={q.get('fields', '')}&limit={size}&after={_cursor(start + len(page))}"
            )
        return reply(body)

    @router.get("/{version}/{node}")
    def node(version: str, node: str, request: Request) -> JSONResponse:
        denied, owner = guard(request)
        if denied is not None:
            return denied
        me = state.find("instagram", platform_id=owner)
        if me is None or node not in {"me", owner}:
            return _error(
                "Unsupported get request. Object does not exist or missing permissions.", 100, subcode=33
            )
        fields = request.query_params.get("fields", "")
        wanted = _DISCOVERY.search(fields)
        if not wanted:
            return reply(profile(me))
        other = state.find("instagram", handle=wanted.group(1))
        if other is None:
            return _error("Invalid user id", 110, subcode=2207013)
        found = profile(other)
        limit = _MEDIA_LIMIT.search(fields)
        if limit:
            page, more = media(other, 0, int(limit.group(1)))
            found["media"] = {
                "data": page,
                "paging": {"cursors": {"after": _cursor(len(page))}} if more else {},
            }
        return reply({"business_discovery": found, "id": me.platform_id})

    return router
