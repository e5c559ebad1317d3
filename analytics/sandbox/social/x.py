"""Emulator of X API v2 user lookup and user posts timeline, with rate-limit headers."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analytics.sandbox.social.state import SandboxState

LIMIT = 300


def x_router(state: SandboxState) -> APIRouter:
    router = APIRouter()

    def headers(remaining: int, reset_in: int = 900) -> dict[str, str]:
        return {
            "x-rate-limit-limit": str(LIMIT),
            "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(time.time()) + reset_in),
        }

    def guard(request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {state.credentials['x_bearer_token']}":
            body = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            return JSONResponse(body, status_code=401)
        if (reset_s := state.take_rate_limit("x")) is not None:
            body = {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            }
            return JSONResponse(body, status_code=429, headers=headers(0, reset_in=reset_s))
        return None

    def reply(payload: dict[str, Any]) -> JSONResponse:
        return JSONResponse(state.corrupt("x", payload), headers=headers(LIMIT - 1))

    @router.get("/2/users/by/username/{username}")
    def by_username(username: str, request: Request) -> JSONResponse:
        if (denied := guard(request)) is not None:
            return denied
        acc = state.find("x", handle=username)
        if acc is None:
            return reply(
                {
                    "errors": [
                        {
                            "value": username,
                            "detail": f"Could not find user with username: [{username}].",
                            "title": "Not Found Error",
                            "resource_type": "user",
                            "parameter": "username",
                            "resource_id": username,
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                }
            )
        posts = state.posts(acc)
        return reply(
            {
                "data": {
                    "id": acc.platform_id,
                    "name": acc.display_name,
                    "username": acc.handle,
                    "verified": acc.verified,
                    "public_metrics": {
                        "followers_count": state.followers(acc),
                        "following_count": 180,
                        "tweet_count": state.post_count(acc),
                        "listed_count": 12,
                        "like_count": sum(p["likes"] for p in posts[:5]),
                    },
                }
            }
        )

    @router.get("/2/users/{user_id}/tweets")
    def tweets(user_id: str, request: Request) -> JSONResponse:
        if (denied := guard(request)) is not None:
            return denied
        acc = state.find("x", platform_id=user_id)
        q = request.query_params
        size = int(q.get("max_results", "10"))
        if acc is None or not 5 <= size <= 100:
            detail = (
                "max_results must be between 5 and 100"
                if acc
                else f"Could not find user with id: [{user_id}]."
            )
            return JSONResponse({"title": "Invalid Request", "detail": detail, "type": "about:blank", "status": 400},
                                status_code=400)  # fmt: skip
        posts = state.posts(acc)
        start = int((q.get("pagination_token") or "t0")[1:])
        page = posts[start : start + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if start + size < len(posts):
            meta["next_token"] = f"t{start + size}"
        data = [
            {
                "id": p["id"],
                "text": f"post {p['seq']}",
                "created_at": p["published"].strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "public_metrics": {
                    "retweet_count": p["shares"],
                    "reply_count": p["comments"],
                    "like_count": p["likes"],
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": p["views"],
                },
            }
            for p in page
        ]
        return reply({"data": data, "meta": meta} if data else {"meta": meta})

    return router
