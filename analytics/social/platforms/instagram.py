"""Instagram Graph API for professional accounts: profile counts, media with cursor paging.

The token's own account is read directly (``/{ig-user-id}``); other professional accounts
through business discovery. A long-lived token is refreshed ahead of its expiry with
``GET /refresh_access_token?grant_type=ig_refresh_token`` and the new one kept in the token
store; an already expired token (OAuthException 190) cannot be refreshed and asks for a new
authorization.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any, Unpack

import httpx
from pydantic import SecretStr

from analytics.http.paging import Page, collect
from analytics.social.base import TokenStore, register
from analytics.social.connector import RenewingConnector, TokenOptions, options_from_settings
from analytics.social.errors import AccountNotFound, NotConfigured, PlatformError, TokenExpired
from analytics.social.http import Verdict, json_body
from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot, build_snapshot
from analytics.social.payloads import Count, Payload, Text, Time, parse

PLATFORM = "instagram"
PROFILE_FIELDS = "id,username,name,followers_count,media_count"
MEDIA_FIELDS = "id,like_count,comments_count,timestamp"
RATE_LIMIT_CODES = {4, 17, 32, 613}


@register
class InstagramConnector(RenewingConnector):
    """The Instagram Graph API with a long-lived Instagram user access token.

    Parameters
    ----------
    access_token : the long-lived Instagram user access token.
    version : the Graph API version in every path.
    user_id : the token's own professional account (``me`` asks the API which one it is).
    **options : see :class:`~analytics.social.connector.RenewingConnector` (the token's expiry,
        the refresh margin, the token store) and :class:`~analytics.social.connector.ConnectionOptions`.
    """

    platform = PLATFORM
    default_base_url = "https://graph.instagram.com"
    max_page_size = 100
    profile_url = re.compile(r"^https?://(?:www\.)?instagram\.com/([A-Za-z0-9_.]{1,30})/?(?:\?.*)?$")
    reserved_paths = frozenset({"p", "reel", "reels", "explore", "stories", "accounts", "tv"})
    default_refresh_margin = timedelta(days=7)

    def __init__(
        self,
        access_token: SecretStr,
        *,
        version: str = "v23.0",
        user_id: str = "me",
        **options: Unpack[TokenOptions],
    ) -> None:
        super().__init__(access_token, **options)
        self.version = version
        self.user_id = user_id
        self._own: SocialAccount | None = None

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None, tokens: TokenStore) -> InstagramConnector:
        if settings.instagram_access_token is None:
            raise NotConfigured(PLATFORM, "no access token: set ENCORE_INSTAGRAM_ACCESS_TOKEN (long-lived)")
        expires = settings.instagram_token_expires_at
        return cls(
            settings.instagram_access_token,
            version=settings.instagram_api_version,
            user_id=settings.instagram_user_id,
            token_expires_at=datetime.fromisoformat(expires) if expires else None,
            tokens=tokens,
            **options_from_settings(settings, base_url=base_url or settings.instagram_api_url),
        )

    # -- tokens ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Trade the long-lived token, while it is still valid, for one that lives longer."""
        if self.token_expires_at is not None and self.token_expires_at <= self.now():
            raise TokenExpired(
                PLATFORM,
                f"the access token expired at {self.token_expires_at.isoformat(timespec='minutes')}; "
                "authorize the account again and set ENCORE_INSTAGRAM_ACCESS_TOKEN",
            )
        body = self.http.call(
            "GET",
            "refresh_access_token",
            _classify,
            params={"grant_type": "ig_refresh_token", "access_token": self._token.get_secret_value()},
        )
        refreshed = parse(PLATFORM, _Refreshed, body)
        self._keep(refreshed.access_token, expires_in=refreshed.expires_in)

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        self._refresh_if_due()
        return self.http.call(
            "GET", f"{self.version}/{path}", _classify, params=params, headers=self._bearer()
        )

    # -- accounts --------------------------------------------------------------------------
    def _me(self) -> tuple[SocialAccount, dict[str, Any]]:
        body = self._get(self.user_id, {"fields": PROFILE_FIELDS})
        account = parse(PLATFORM, _Profile, body).account()
        self._own = account
        return account, body

    def _discover(self, handle: str, media_limit: int) -> tuple[SocialAccount, dict[str, Any]]:
        own = self._own or self._me()[0]
        fields = f"business_discovery.username({handle}){{{PROFILE_FIELDS}"
        fields += f",media.limit({media_limit}){{{MEDIA_FIELDS}}}}}" if media_limit else "}"
        body = self._get(own.platform_id, {"fields": fields})
        found = parse(PLATFORM, _Discovery, body).business_discovery
        account = parse(PLATFORM, _Profile, found).account()
        return account, found

    def account(self, handle: str) -> SocialAccount:
        wanted = handle.strip().lstrip("@")
        own, _ = self._me()
        if own.handle.lower() == wanted.lower() or own.platform_id == wanted:
            return own
        return self._discover(wanted, 0)[0]

    def snapshot(self, account: SocialAccount, *, day: date) -> SocialSnapshot:
        own = self._own or self._me()[0]
        if account.platform_id == own.platform_id:
            _, body = self._me()
            recent = self.sampled_posts(account)
        else:
            _, body = self._discover(account.handle, self.sample_posts)
            media = parse(PLATFORM, _DiscoveredMedia, body).media
            recent = [post.post() for post in (media.data or [] if media else [])]
        counts = parse(PLATFORM, _Counts, body)
        return build_snapshot(
            account, day=day, followers=counts.followers_count, posts_count=counts.media_count, recent=recent
        )

    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        return collect(lambda after, wanted: self._media_page(account, after, wanted or limit), limit=limit)

    def _media_page(self, account: SocialAccount, after: str | None, wanted: int) -> Page[SocialPost]:
        params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": min(self.page_size, wanted)}
        if after:
            params["after"] = after
        page = parse(PLATFORM, _MediaPage, self._get(f"{account.platform_id}/media", params))
        more = bool(page.paging and page.paging.next and page.data)
        cursor = page.paging.cursors.after if page.paging and page.paging.cursors else None
        return Page([post.post() for post in page.data], next=cursor if more else None)


class _Refreshed(Payload):
    access_token: Text
    expires_in: Count


class _Profile(Payload):
    id: Text
    username: Text
    name: Text | None = None

    def account(self) -> SocialAccount:
        return SocialAccount(
            platform=PLATFORM,
            platform_id=self.id,
            handle=self.username,
            display_name=self.name,
            url=f"https://www.instagram.com/{self.username}/",
        )


class _Discovery(Payload):
    business_discovery: dict[str, Any]


class _Counts(Payload):
    followers_count: Count
    media_count: Count


class _Media(Payload):
    id: Text
    timestamp: Time | None = None
    like_count: Count | None = None
    comments_count: Count | None = None

    def post(self) -> SocialPost:
        return SocialPost(
            platform=PLATFORM,
            post_id=self.id,
            published_at=self.timestamp,
            likes=self.like_count,
            comments=self.comments_count,
        )


class _Cursors(Payload):
    after: Text | None = None


class _Paging(Payload):
    next: Text | None = None
    cursors: _Cursors | None = None


class _MediaPage(Payload):
    data: list[_Media]
    paging: _Paging | None = None


class _MediaList(Payload):
    data: list[_Media] | None = None


class _DiscoveredMedia(Payload):
    media: _MediaList | None = None


def _classify(response: httpx.Response) -> Verdict:
    body = json_body(PLATFORM, response)
    if response.status_code == 200:
        return Verdict.ok(body)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = str(error.get("message", ""))[:200]
    if code == 190:
        return Verdict.fail(
            TokenExpired(
                PLATFORM,
                f"access token rejected (OAuthException 190, subcode {subcode}): expired or revoked; "
                "it cannot be refreshed any more: authorize again and set ENCORE_INSTAGRAM_ACCESS_TOKEN",
            )
        )
    if code in RATE_LIMIT_CODES:
        return Verdict.wait(_regain_seconds(response), f"Graph API code {code}: {message}")
    if code in {100, 110} and subcode in {2207013, 33}:
        return Verdict.fail(AccountNotFound(PLATFORM, f"no professional account found ({message})"))
    return Verdict.fail(
        PlatformError(PLATFORM, f"HTTP {response.status_code}, Graph API code {code}: {message}")
    )


def _regain_seconds(response: httpx.Response) -> float:
    """Seconds until access returns, from the usage header's ``estimated_time_to_regain_access``."""
    raw = response.headers.get("X-Business-Use-Case-Usage")
    try:
        usage = json.loads(raw) if raw else {}
        minutes = max(
            int(entry.get("estimated_time_to_regain_access", 0))
            for entries in usage.values()
            for entry in entries
        )
    except (ValueError, TypeError, AttributeError):
        return 60.0
    return max(1.0, minutes * 60.0)
