"""Emulator of the YouTube Data API v3 (channels, playlistItems, videos, search), quota included."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analytics.sandbox.social.state import DemoAccount, SandboxState

COSTS = {"channels": 1, "playlistItems": 1, "videos": 1, "search": 100}


def _error(status: int, reason: str, domain: str, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        },
        status_code=status,
    )


def _page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    return int(raw.split(":", 1)[1])


def youtube_router(state: SandboxState) -> APIRouter:
    router = APIRouter()

    def guard(request: Request, method: str) -> JSONResponse | None:
        key = request.headers.get("x-goog-api-key") or request.query_params.get("key")
        if not key:
            return _error(403, "forbidden", "global", "The request is missing a valid API key.")
        if key != state.credentials["youtube_api_key"]:
            return _error(400, "keyInvalid", "usageLimits", "API key not valid. Please pass a valid API key.")
        with state.lock:
            day = state.now().date()
            used = state.quota_used.get((key, day), 0) + COSTS[method]
            state.quota_used[(key, day)] = used
        if used > state.youtube_daily_quota:
            return _error(
                403,
                "quotaExceeded",
                "youtube.quota",
                "The request cannot be completed because you have exceeded your quota.",
            )
        if (reset_s := state.take_rate_limit("youtube")) is not None:
            limited = _error(429, "rateLimitExceeded", "youtube.quota", "The request was rate limited.")
            limited.headers["Retry-After"] = str(reset_s)
            return limited
        return None

    def reply(payload: dict[str, Any]) -> JSONResponse:
        return JSONResponse(state.corrupt("youtube", payload))

    def channel(acc: DemoAccount, parts: set[str]) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": "youtube#channel",
            "etag": f"e{acc.platform_id[-8:]}",
            "id": acc.platform_id,
        }
        if "snippet" in parts:
            item["snippet"] = {
                "title": acc.display_name,
                "description": f"Official channel of {acc.display_name}",
                "customUrl": acc.handle.lower(),
                "publishedAt": f"{state.created(acc).isoformat()}T12:00:00Z",
            }
        if "statistics" in parts:
            item["statistics"] = {
                "viewCount": str(sum(p["views"] for p in state.posts(acc))),
                "subscriberCount": str(state.followers(acc)),
                "hiddenSubscriberCount": False,
                "videoCount": str(state.post_count(acc)),
            }
        if "contentDetails" in parts:
            item["contentDetails"] = {
                "relatedPlaylists": {"likes": "", "uploads": "UU" + acc.platform_id[2:]}
            }
        return item

    @router.get("/channels")
    def channels(request: Request) -> JSONResponse:
        if (denied := guard(request, "channels")) is not None:
            return denied
        q = request.query_params
        parts = set((q.get("part") or "").split(","))
        found = None
        if q.get("forHandle"):
            found = state.find("youtube", handle=q["forHandle"])
        elif q.get("id"):
            found = state.find("youtube", platform_id=q["id"])
        body: dict[str, Any] = {
            "kind": "youtube#channelListResponse",
            "etag": "sandbox",
            "pageInfo": {"totalResults": int(found is not None), "resultsPerPage": 5},
        }
        if found is not None:  # like the real API, no "items" key at all when nothing matches
            body["items"] = [channel(found, parts)]
        return reply(body)

    @router.get("/playlistItems")
    def playlist_items(request: Request) -> JSONResponse:
        if (denied := guard(request, "playlistItems")) is not None:
            return denied
        q = request.query_params
        playlist = q.get("playlistId", "")
        acc = state.find("youtube", platform_id="UC" + playlist[2:]) if playlist.startswith("UU") else None
        if acc is None:
            return _error(
                404,
                "playlistNotFound",
                "youtube.playlistItem",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        size = max(0, min(int(q.get("maxResults", "5")), 50))
        start = _offset(q.get("pageToken"))
        posts = state.posts(acc)
        page = posts[start : start + size]
        body: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "etag": "sandbox",
            "pageInfo": {"totalResults": len(posts), "resultsPerPage": size},
            "items": [
                {
                    "kind": "youtube#playlistItem",
                    "id": f"pi{p['id']}",
                    "contentDetails": {
                        "videoId": p["id"],
                        "videoPublishedAt": p["published"].isoformat().replace("+00:00", "Z"),
                    },
                }
                for p in page
            ],
        }
        if start + size < len(posts):
            body["nextPageToken"] = _page_token(start + size)
        if start:
            body["prevPageToken"] = _page_token(max(0, start - size))
        return reply(body)

    @router.get("/videos")
    def videos(request: Request) -> JSONResponse:
        if (denied := guard(request, "videos")) is not None:
            return denied
        wanted = [v for v in (request.query_params.get("id") or "").split(",") if v]
        if len(wanted) > 50:
            return _error(400, "invalidParameter", "youtube.parameter", "Too many video ids (at most 50).")
        items = []
        for acc in (a for a in state.accounts if a.platform == "youtube"):
            for p in state.posts(acc):
                if p["id"] in wanted:
                    items.append(
                        {
                            "kind": "youtube#video",
                            "id": p["id"],
                            "statistics": {
                                "viewCount": str(p["views"]),
                                "likeCount": str(p["likes"]),
                                "favoriteCount": "0",
                                "commentCount": str(p["comments"]),
                            },
                        }
                    )
        return reply({"kind": "youtube#videoListResponse", "etag": "sandbox", "items": items,
                      "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})  # fmt: skip

    @router.get("/search")
    def search(request: Request) -> JSONResponse:
        if (denied := guard(request, "search")) is not None:
            return denied
        q = request.query_params
        term = (q.get("q") or "").lower()
        size = max(0, min(int(q.get("maxResults", "5")), 50))
        hits = [
            a for a in state.accounts if a.platform == "youtube" and term and term in a.display_name.lower()
        ]
        items = [
            {
                "kind": "youtube#searchResult",
                "id": {"kind": "youtube#channel", "channelId": a.platform_id},
                "snippet": {
                    "channelId": a.platform_id,
                    "title": a.display_name,
                    "channelTitle": a.display_name,
                },
            }
            for a in hits[:size]
        ]
        return reply({"kind": "youtube#searchListResponse", "etag": "sandbox", "items": items,
                      "pageInfo": {"totalResults": len(hits), "resultsPerPage": size}})  # fmt: skip

    return router
