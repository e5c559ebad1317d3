"""YouTube Data API v3: channel statistics, recent uploads, quota accounting.

Every call is charged against the daily quota before it is sent (channels.list, videos.list
and playlistItems.list cost 1 unit, search.list 100); a call that would pass the limit is not
sent and :class:`QuotaExhausted` says so. The API key travels in the ``X-Goog-Api-Key`` header,
never in a URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Unpack
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr

from analytics.http.paging import Page, collect
from analytics.observability.metrics import counter
from analytics.social.base import TokenStore, register
from analytics.social.connector import ConnectionOptions, PlatformConnector, options_from_settings
from analytics.social.errors import (
    AccountNotFound,
    MalformedPayload,
    NotConfigured,
    PlatformError,
    QuotaExhausted,
)
from analytics.social.http import Verdict, json_body, retry_after
from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot, build_snapshot
from analytics.social.payloads import Count, Flag, Payload, Text, Time, parse

PLATFORM = "youtube"
COSTS = {"channels.list": 1, "videos.list": 1, "playlistItems.list": 1, "search.list": 100}
PACIFIC = ZoneInfo("America/Los_Angeles")
QUOTA_UNITS = counter("encore_social_quota_units_total", "Quota units spent", ("platform", "method"))
_CHANNEL_ID = re.compile(r"^UC[\w-]{22}$")


class QuotaLedger:
    """Units spent today (the quota day ends at midnight Pacific time, as Google counts it)."""

    def __init__(self, daily_quota: int, *, now: Callable[[], datetime]) -> None:
        self.daily_quota = daily_quota
        self.now = now
        self.day = self._quota_day()
        self.used = 0
        self.by_method: dict[str, int] = {}

    def _quota_day(self) -> date:
        return self.now().astimezone(PACIFIC).date()

    def spend(self, method: str) -> None:
        """Charge one call of ``method``, or raise :class:`QuotaExhausted` before it is sent."""
        if self._quota_day() != self.day:
            self.day, self.used, self.by_method = self._quota_day(), 0, {}
        cost = COSTS[method]
        if self.used + cost > self.daily_quota:
            local = self.now().astimezone(PACIFIC)
            reset = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
            raise QuotaExhausted(
                PLATFORM,
                f"stopped before {method} ({cost} units): {self.used:,} of the {self.daily_quota:,} daily "
                f"quota units are used and this call would exceed them; nothing was sent. The quota "
                f"resets at {reset.astimezone(UTC).isoformat(timespec='minutes')} (midnight Pacific); "
                "raise ENCORE_YOUTUBE_DAILY_QUOTA only if Google granted a higher quota",
            )
        self.used += cost
        self.by_method[method] = self.by_method.get(method, 0) + cost
        QUOTA_UNITS.labels(PLATFORM, method).inc(cost)


@register
class YouTubeConnector(PlatformConnector):
    """The YouTube Data API v3 with an API key (public channel data).

    Parameters
    ----------
    api_key : the Data API key, sent in the ``X-Goog-Api-Key`` header.
    daily_quota : the quota units Google grants the key a day.
    **options : see :class:`~analytics.social.connector.ConnectionOptions`.
    """

    platform = PLATFORM
    default_base_url = "https://www.googleapis.com/youtube/v3"
    max_page_size = 50
    profile_url = re.compile(
        r"^https?://(?:www\.|m\.)?youtube\.com/(?:channel/(UC[\w-]{22})|(@[\w.\-]+)|(?:c|user)/([\w.\-]+))"
    )

    def __init__(
        self, api_key: SecretStr, *, daily_quota: int = 10_000, **options: Unpack[ConnectionOptions]
    ) -> None:
        super().__init__(headers={"X-Goog-Api-Key": api_key.get_secret_value()}, **options)
        self.quota = QuotaLedger(daily_quota, now=self.now)
        self._uploads: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None, tokens: TokenStore) -> YouTubeConnector:
        if settings.youtube_api_key is None:
            raise NotConfigured(PLATFORM, "no API key: set ENCORE_YOUTUBE_API_KEY")
        return cls(
            settings.youtube_api_key,
            daily_quota=settings.youtube_daily_quota,
            **options_from_settings(settings, base_url=base_url or settings.youtube_api_url),
        )

    def _get(self, method: str, path: str, params: dict[str, Any]) -> Any:
        self.quota.spend(method)
        return self.http.call("GET", path, _classify, params=params)

    def _channel(self, handle: str, part: str) -> _Channel:
        key = handle.strip()
        params: dict[str, Any] = {"part": part}
        if _CHANNEL_ID.match(key):
            params["id"] = key
        else:
            params["forHandle"] = key if key.startswith("@") else f"@{key}"
        body = self._get("channels.list", "channels", params)
        items = parse(PLATFORM, _Listed, body).items
        if not items:
            raise AccountNotFound(PLATFORM, f"no channel for {key!r}; check the handle (e.g. @name) or id")
        channel = parse(PLATFORM, _Channel, items[0])
        if channel.contentDetails and channel.contentDetails.relatedPlaylists.uploads:
            self._uploads[channel.id] = channel.contentDetails.relatedPlaylists.uploads
        return channel

    def account(self, handle: str) -> SocialAccount:
        channel = self._channel(handle, "snippet,contentDetails")
        if channel.snippet is None:
            raise MalformedPayload(PLATFORM, "snippet.title", "is missing")
        channel_id = channel.id
        return SocialAccount(
            platform=PLATFORM,
            platform_id=channel_id,
            handle=channel.snippet.customUrl or channel_id,
            display_name=channel.snippet.title,
            verified=None,  # the Data API does not expose verification badges
            url=f"https://www.youtube.com/channel/{channel_id}",
        )

    def snapshot(self, account: SocialAccount, *, day: date) -> SocialSnapshot:
        stats = self._channel(account.platform_id, "statistics,contentDetails").statistics
        if stats is None:
            raise MalformedPayload(PLATFORM, "statistics.videoCount", "is missing")
        if not stats.hiddenSubscriberCount and stats.subscriberCount is None:
            raise MalformedPayload(PLATFORM, "statistics.subscriberCount", "is missing")
        return build_snapshot(
            account,
            day=day,
            followers=None if stats.hiddenSubscriberCount else stats.subscriberCount,
            posts_count=stats.videoCount,
            views=stats.viewCount,
            recent=self.sampled_posts(account),
        )

    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        uploads = self._uploads.get(account.platform_id)
        if uploads is None:
            self._channel(account.platform_id, "contentDetails")
            uploads = self._uploads.get(account.platform_id)
        if uploads is None:
            raise MalformedPayload(PLATFORM, "items.0.contentDetails.relatedPlaylists.uploads", "is missing")
        ids = collect(lambda token, wanted: self._upload_page(uploads, token, wanted or limit), limit=limit)
        return self._video_stats(ids[:limit])

    def _upload_page(self, uploads: str, token: str | None, wanted: int) -> Page[tuple[str, datetime | None]]:
        params: dict[str, Any] = {
            "part": "contentDetails",
            "playlistId": uploads,
            "maxResults": min(self.page_size, wanted),
        }
        if token:
            params["pageToken"] = token
        page = parse(PLATFORM, _UploadPage, self._get("playlistItems.list", "playlistItems", params))
        ids = [(item.contentDetails.videoId, item.contentDetails.videoPublishedAt) for item in page.items]
        return Page(ids, next=page.nextPageToken or None)

    def _video_stats(self, ids: list[tuple[str, datetime | None]]) -> list[SocialPost]:
        stats: dict[str, _VideoStatistics] = {}
        for start in range(0, len(ids), 50):
            batch = [vid for vid, _ in ids[start : start + 50]]
            body = self._get("videos.list", "videos", {"part": "statistics", "id": ",".join(batch)})
            stats.update((video.id, video.statistics) for video in parse(PLATFORM, _Videos, body).items)
        return [
            SocialPost(
                platform=PLATFORM,
                post_id=vid,
                published_at=published,
                likes=stats[vid].likeCount,
                comments=stats[vid].commentCount,
                views=stats[vid].viewCount,
            )
            for vid, published in ids
            if vid in stats  # else deleted or private since it was listed
        ]

    def search(self, name: str, *, limit: int = 5) -> list[SocialAccount]:
        """Channels whose name matches ``name`` (search.list: 100 quota units)."""
        params = {"part": "snippet", "type": "channel", "q": name, "maxResults": min(limit, 50)}
        found = []
        for item in parse(PLATFORM, _SearchResults, self._get("search.list", "search", params)).items:
            channel_id = item.id.channelId or item.snippet.channelId
            if channel_id is None:
                raise MalformedPayload(PLATFORM, "snippet.channelId", "is missing")
            found.append(
                SocialAccount(
                    platform=PLATFORM,
                    platform_id=channel_id,
                    handle=channel_id,
                    display_name=item.snippet.title,
                    url=f"https://www.youtube.com/channel/{channel_id}",
                )
            )
        return found


class _Listed(Payload):
    items: list[dict[str, Any]] | None = None


class _Snippet(Payload):
    title: Text
    customUrl: Text | None = None


class _Playlists(Payload):
    uploads: Text | None = None


class _ChannelDetails(Payload):
    relatedPlaylists: _Playlists = _Playlists()


class _ChannelStatistics(Payload):
    hiddenSubscriberCount: Flag | None = None
    subscriberCount: Count | None = None
    videoCount: Count
    viewCount: Count


class _Channel(Payload):
    id: Text
    snippet: _Snippet | None = None
    contentDetails: _ChannelDetails | None = None
    statistics: _ChannelStatistics | None = None


class _UploadDetails(Payload):
    videoId: Text
    videoPublishedAt: Time | None = None


class _Upload(Payload):
    contentDetails: _UploadDetails


class _UploadPage(Payload):
    items: list[_Upload]
    nextPageToken: Text | None = None


class _VideoStatistics(Payload):
    likeCount: Count | None = None
    commentCount: Count | None = None
    viewCount: Count | None = None


class _Video(Payload):
    id: Text
    statistics: _VideoStatistics = _VideoStatistics()


class _Videos(Payload):
    items: list[_Video]


class _SearchId(Payload):
    channelId: Text | None = None


class _SearchSnippet(Payload):
    title: Text
    channelId: Text | None = None


class _Found(Payload):
    id: _SearchId = _SearchId()
    snippet: _SearchSnippet


class _SearchResults(Payload):
    items: list[_Found]


def _classify(response: httpx.Response) -> Verdict:
    if response.status_code == 200:
        return Verdict.ok(json_body(PLATFORM, response))
    body = json_body(PLATFORM, response)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    errors = error.get("errors") or [{}]
    reason = str(errors[0].get("reason", ""))
    message = str(error.get("message", ""))[:200]
    if reason in {"quotaExceeded", "dailyLimitExceeded"}:
        return Verdict.fail(
            QuotaExhausted(
                PLATFORM,
                f"Google reports the daily quota exceeded ({reason}) although encore counted less; "
                "another client may share this API key. It resets at midnight Pacific time",
            )
        )
    if response.status_code == 429 or reason in {"rateLimitExceeded", "userRateLimitExceeded"}:
        return Verdict.wait(retry_after(response), f"HTTP 429 {reason}")
    if reason in {"keyInvalid", "keyExpired", "forbidden"} or response.status_code == 401:
        return Verdict.fail(
            PlatformError(PLATFORM, f"API key rejected ({reason}): check ENCORE_YOUTUBE_API_KEY")
        )
    if response.status_code == 404:
        return Verdict.fail(AccountNotFound(PLATFORM, f"not found ({reason}): {message}"))
    return Verdict.fail(PlatformError(PLATFORM, f"HTTP {response.status_code} {reason}: {message}"))
