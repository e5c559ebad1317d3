"""TikTok Display API v2: the authorized user's counts and videos (cursor paging).

Access tokens live about a day; with a refresh token and the app's client key and secret the
connector refreshes via ``POST /v2/oauth/token/`` ahead of expiry, or once when the API answers
``access_token_invalid``, and keeps the new pair in the token store.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, Unpack

import httpx
from pydantic import SecretStr

from analytics.http.paging import Page, collect
from analytics.social.base import TokenStore, register
from analytics.social.connector import RenewingConnector, TokenOptions, options_from_settings
from analytics.social.errors import MalformedPayload, NotConfigured, PlatformError, TokenExpired
from analytics.social.http import Verdict, json_body, retry_after
from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot, build_snapshot
from analytics.social.payloads import Count, Flag, Payload, Text, parse

PLATFORM = "tiktok"
USER_FIELDS = "open_id,union_id,display_name,username,follower_count,following_count,likes_count,video_count,is_verified"
VIDEO_FIELDS = "id,create_time,like_count,comment_count,share_count,view_count"


@register
class TikTokConnector(RenewingConnector):
    """TikTok Display API (``/v2/user/info/``, ``/v2/video/list/``) for the authorized account.

    Parameters
    ----------
    access_token : the authorized account's access token.
    refresh_token, client_key, client_secret : what renews the access token; without them an
        expired token asks for a new authorization.
    **options : see :class:`~analytics.social.connector.RenewingConnector` (the token's expiry,
        the refresh margin, the token store) and :class:`~analytics.social.connector.ConnectionOptions`.
    """

    platform = PLATFORM
    default_base_url = "https://open.tiktokapis.com"
    max_page_size = 20
    profile_url = re.compile(r"^https?://(?:www\.)?tiktok\.com/@([A-Za-z0-9_.]{2,24})/?(?:\?.*)?$")
    default_refresh_margin = timedelta(minutes=10)

    def __init__(
        self,
        access_token: SecretStr,
        *,
        refresh_token: SecretStr | None = None,
        client_key: str | None = None,
        client_secret: SecretStr | None = None,
        **options: Unpack[TokenOptions],
    ) -> None:
        super().__init__(access_token, refresh_token=refresh_token, **options)
        self.client_key = client_key
        self._client_secret = client_secret

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None, tokens: TokenStore) -> TikTokConnector:
        if settings.tiktok_access_token is None and settings.tiktok_refresh_token is None:
            raise NotConfigured(
                PLATFORM,
                "no token: set ENCORE_TIKTOK_ACCESS_TOKEN, or ENCORE_TIKTOK_REFRESH_TOKEN with "
                "ENCORE_TIKTOK_CLIENT_KEY and ENCORE_TIKTOK_CLIENT_SECRET",
            )
        return cls(
            settings.tiktok_access_token or SecretStr(""),
            refresh_token=settings.tiktok_refresh_token,
            client_key=settings.tiktok_client_key,
            client_secret=settings.tiktok_client_secret,
            token_expires_at=None if settings.tiktok_access_token else datetime.min.replace(tzinfo=UTC),
            tokens=tokens,
            **options_from_settings(settings, base_url=base_url or settings.tiktok_api_url),
        )

    # -- tokens ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Trade the refresh token for a new access token (and possibly a new refresh token)."""
        if not (self._refresh_token and self.client_key and self._client_secret):
            raise TokenExpired(
                PLATFORM,
                "the access token is invalid or expired and cannot be refreshed: set "
                "ENCORE_TIKTOK_REFRESH_TOKEN, ENCORE_TIKTOK_CLIENT_KEY and ENCORE_TIKTOK_CLIENT_SECRET, "
                "or authorize again",
            )
        body = self.http.call(
            "POST",
            "v2/oauth/token/",
            _classify_oauth,
            data={
                "client_key": self.client_key,
                "client_secret": self._client_secret.get_secret_value(),
                "grant_type": "refresh_token",
                "refresh_token": self._refresh_token.get_secret_value(),
            },
        )
        refreshed = parse(PLATFORM, _Refreshed, body)
        self._keep(
            refreshed.access_token, expires_in=refreshed.expires_in, refresh_token=refreshed.refresh_token
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        self._refresh_if_due()
        try:
            return self.http.call(method, path, _classify, headers=self._bearer(), **kwargs)
        except TokenExpired:  # revoked or expired early: one refresh, then the error stands
            self.refresh()
        return self.http.call(method, path, _classify, headers=self._bearer(), **kwargs)

    # -- data ------------------------------------------------------------------------------
    def _user(self) -> dict[str, Any]:
        body = self._call("GET", "v2/user/info/", params={"fields": USER_FIELDS})
        return parse(PLATFORM, _UserAnswer, body).data.user

    def account(self, handle: str) -> SocialAccount:
        user = parse(PLATFORM, _User, self._user())
        username = user.username or user.display_name
        if username is None:
            raise MalformedPayload(PLATFORM, "display_name", "is missing")
        if username.lower() != handle.strip().lstrip("@").lower():
            raise PlatformError(
                PLATFORM,
                f"the token belongs to @{username}, not @{handle.lstrip('@')}; the Display API only shows "
                "the authorized account: authorize that account or fix the identity link",
            )
        return SocialAccount(
            platform=PLATFORM,
            platform_id=user.open_id,
            handle=username,
            display_name=user.display_name,
            verified=user.is_verified,
            url=f"https://www.tiktok.com/@{username}",
        )

    def snapshot(self, account: SocialAccount, *, day: date) -> SocialSnapshot:
        counts = parse(PLATFORM, _Counts, self._user())
        recent = self.sampled_posts(account)
        snap = build_snapshot(
            account, day=day, followers=counts.follower_count, posts_count=counts.video_count, recent=recent
        )
        snap.extra["total_likes"] = counts.likes_count
        return snap

    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        return collect(lambda cursor, wanted: self._video_page(cursor, wanted or limit), limit=limit)

    def _video_page(self, cursor: str | None, wanted: int) -> Page[SocialPost]:
        body: dict[str, Any] = {"max_count": min(self.page_size, wanted)}
        if cursor is not None:
            body["cursor"] = int(cursor)
        page = parse(
            PLATFORM,
            _VideoPage,
            self._call("POST", "v2/video/list/", params={"fields": VIDEO_FIELDS}, json=body),
        )
        # each video checked on its own, so an error names the field as the API documents it
        posts = [parse(PLATFORM, _Video, item).post() for item in page.data.videos]
        more = page.data.has_more and page.data.cursor is not None
        return Page(posts, next=str(page.data.cursor) if more else None)


class _Refreshed(Payload):
    access_token: Text
    refresh_token: Text | None = None
    expires_in: Count


class _UserData(Payload):
    user: dict[str, Any]


class _UserAnswer(Payload):
    data: _UserData


class _User(Payload):
    open_id: Text
    username: Text | None = None
    display_name: Text | None = None
    is_verified: Flag | None = None


class _Counts(Payload):
    follower_count: Count
    video_count: Count
    likes_count: Count


class _Video(Payload):
    id: Text
    create_time: Count | None = None
    like_count: Count | None = None
    comment_count: Count | None = None
    share_count: Count | None = None
    view_count: Count | None = None

    def post(self) -> SocialPost:
        return SocialPost(
            platform=PLATFORM,
            post_id=str(self.id),
            published_at=datetime.fromtimestamp(self.create_time, UTC)
            if self.create_time is not None
            else None,
            likes=self.like_count,
            comments=self.comment_count,
            shares=self.share_count,
            views=self.view_count,
        )


class _Videos(Payload):
    videos: list[dict[str, Any]]
    cursor: Count | None = None
    has_more: Flag


class _VideoPage(Payload):
    data: _Videos


def _classify(response: httpx.Response) -> Verdict:
    body = json_body(PLATFORM, response)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    if response.status_code == 200 and code in {"", "ok"}:
        return Verdict.ok(body)
    message = str(error.get("message", ""))[:200] if isinstance(error, dict) else ""
    log_id = error.get("log_id", "") if isinstance(error, dict) else ""
    if code == "access_token_invalid" or (response.status_code == 401 and code != "scope_not_authorized"):
        return Verdict.fail(TokenExpired(PLATFORM, f"access token invalid ({message}; log_id {log_id})"))
    if code == "rate_limit_exceeded" or response.status_code == 429:
        return Verdict.wait(retry_after(response), f"rate_limit_exceeded ({log_id})")
    return Verdict.fail(
        PlatformError(PLATFORM, f"HTTP {response.status_code} {code}: {message} (log_id {log_id})")
    )


def _classify_oauth(response: httpx.Response) -> Verdict:
    body = json_body(PLATFORM, response)
    if response.status_code == 200 and isinstance(body, dict) and "access_token" in body:
        return Verdict.ok(body)
    error = str(body.get("error", "")) if isinstance(body, dict) else ""
    description = str(body.get("error_description", ""))[:200] if isinstance(body, dict) else ""
    if response.status_code == 429:
        return Verdict.wait(1.0, "token endpoint rate limited")
    return Verdict.fail(
        TokenExpired(PLATFORM, f"token refresh refused ({error}: {description}); authorize the account again")
    )
