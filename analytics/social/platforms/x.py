"""X API v2 with an app-only bearer token: user public metrics and recent posts.

A 429 carries ``x-rate-limit-reset`` (epoch seconds): encore waits until then if that fits in
its wait budget, otherwise it stops and says when the window resets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Unpack

import httpx
from pydantic import SecretStr

from analytics.http.paging import Page, collect
from analytics.social.base import TokenStore, register
from analytics.social.connector import (
    ConnectionOptions,
    PlatformConnector,
    options_from_settings,
)
from analytics.social.errors import AccountNotFound, NotConfigured, PlatformError, TokenExpired
from analytics.social.http import Verdict, json_body
from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot, build_snapshot
from analytics.social.payloads import Count, Flag, Payload, Text, Time, parse

PLATFORM = "x"
USER_FIELDS = "public_metrics,verified,name"


@register
class XConnector(PlatformConnector):
    """X API v2 (``/2/users/by/username``, ``/2/users/:id/tweets``).

    Parameters
    ----------
    bearer_token : the app-only bearer token, sent with every request.
    **options : see :class:`~analytics.social.connector.ConnectionOptions`.
    """

    platform = PLATFORM
    default_base_url = "https://api.x.com"
    max_page_size = 100
    profile_url = re.compile(
        r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/?(?:\?.*)?$"
    )
    reserved_paths = frozenset({"home", "i", "intent", "search", "share", "hashtag", "explore"})

    def __init__(self, bearer_token: SecretStr, **options: Unpack[ConnectionOptions]) -> None:
        super().__init__(headers={"Authorization": f"Bearer {bearer_token.get_secret_value()}"}, **options)

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None, tokens: TokenStore) -> XConnector:
        if settings.x_bearer_token is None:
            raise NotConfigured(PLATFORM, "no bearer token: set ENCORE_X_BEARER_TOKEN")
        return cls(
            settings.x_bearer_token,
            **options_from_settings(settings, base_url=base_url or settings.x_api_url),
        )

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        return self.http.call("GET", path, lambda r: _classify(r, self.now), params=params)

    def _user(self, handle: str) -> dict[str, Any]:
        username = handle.strip().lstrip("@")
        body = self._get(f"2/users/by/username/{username}", {"user.fields": USER_FIELDS})
        if isinstance(body, dict) and "data" not in body and body.get("errors"):
            first = body["errors"][0]
            raise AccountNotFound(PLATFORM, f"{first.get('title', 'error')}: {first.get('detail', '')}"[:200])
        return parse(PLATFORM, _UserAnswer, body).data

    def account(self, handle: str) -> SocialAccount:
        user = parse(PLATFORM, _User, self._user(handle))
        return SocialAccount(
            platform=PLATFORM,
            platform_id=user.id,
            handle=user.username,
            display_name=user.name,
            verified=user.verified,
            url=f"https://x.com/{user.username}",
        )

    def snapshot(self, account: SocialAccount, *, day: date) -> SocialSnapshot:
        raw = self._user(account.handle)
        if parse(PLATFORM, _User, raw).id != account.platform_id:
            raise PlatformError(
                PLATFORM,
                f"@{account.handle} now belongs to another account (id changed); map the identity again",
            )
        counts = parse(PLATFORM, _UserCounts, raw)
        return build_snapshot(
            account,
            day=day,
            followers=counts.public_metrics.followers_count,
            posts_count=counts.public_metrics.tweet_count,
            recent=self.sampled_posts(account),
        )

    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        return collect(lambda token, wanted: self._tweet_page(account, token, wanted or limit), limit=limit)

    def _tweet_page(self, account: SocialAccount, token: str | None, wanted: int) -> Page[SocialPost]:
        params: dict[str, Any] = {
            "max_results": max(5, min(self.page_size, wanted)),
            "tweet.fields": "created_at,public_metrics",
            "exclude": "retweets,replies",
        }
        if token:
            params["pagination_token"] = token
        page = parse(PLATFORM, _TweetPage, self._get(f"2/users/{account.platform_id}/tweets", params))
        posts = [
            SocialPost(
                platform=PLATFORM,
                post_id=tweet.id,
                published_at=tweet.created_at,
                likes=tweet.public_metrics.like_count,
                comments=tweet.public_metrics.reply_count,
                shares=tweet.public_metrics.retweet_count,
                views=tweet.public_metrics.impression_count,
            )
            for tweet in page.data or []
        ]
        return Page(posts, next=page.meta.next_token or None)


class _UserAnswer(Payload):
    data: dict[str, Any]


class _User(Payload):
    id: Text
    username: Text
    name: Text | None = None
    verified: Flag | None = None


class _UserMetrics(Payload):
    followers_count: Count
    tweet_count: Count


class _UserCounts(Payload):
    public_metrics: _UserMetrics


class _TweetMetrics(Payload):
    like_count: Count
    reply_count: Count
    retweet_count: Count
    impression_count: Count | None = None


class _Tweet(Payload):
    id: Text
    created_at: Time | None = None
    public_metrics: _TweetMetrics


class _Meta(Payload):
    next_token: Text | None = None


class _TweetPage(Payload):
    data: list[_Tweet] | None = None
    meta: _Meta = _Meta()


def _classify(response: httpx.Response, now: Callable[[], datetime]) -> Verdict:
    if response.status_code == 429:
        reset = response.headers.get("x-rate-limit-reset", "")
        wait = float(reset) - now().timestamp() if reset.isdigit() else 60.0
        return Verdict.wait(wait, f"HTTP 429, window resets at epoch {reset or '?'}")
    body = json_body(PLATFORM, response)
    if response.status_code == 200:
        return Verdict.ok(body)
    detail = str(body.get("detail") or body.get("title") or "")[:200] if isinstance(body, dict) else ""
    if response.status_code == 401:
        return Verdict.fail(
            TokenExpired(PLATFORM, f"bearer token rejected ({detail}): set ENCORE_X_BEARER_TOKEN")
        )
    if response.status_code == 404:
        return Verdict.fail(AccountNotFound(PLATFORM, detail or "not found"))
    return Verdict.fail(PlatformError(PLATFORM, f"HTTP {response.status_code}: {detail}"))
