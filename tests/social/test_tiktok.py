"""TikTok Display API connector against the loopback emulator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.sandbox.social import SocialSandbox
from analytics.social import MalformedPayload, PlatformError, TokenExpired
from analytics.social.platforms.tiktok import TikTokConnector
from tests.social.conftest import DAY, Sleeps, secret


def test_user_info_and_snapshot(sandbox: SocialSandbox, tiktok: TikTokConnector) -> None:
    account = tiktok.account("maxstack")
    acc = sandbox.state.find("tiktok", handle="maxstack")
    assert acc is not None and account.platform_id == acc.platform_id
    snap = tiktok.snapshot(account, day=DAY)
    assert snap.followers == sandbox.state.followers(acc)
    assert snap.extra["total_likes"] == sum(p["likes"] for p in sandbox.state.posts(acc))


def test_video_list_follows_cursor_and_has_more(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = TikTokConnector(secret(sandbox, "tiktok_access_token"), base_url=sandbox.base_urls["tiktok"], page_size=4,
                           sleep=sleeps)  # fmt: skip
    account = conn.account("maxstack")
    posts = conn.recent_posts(account, limit=10)
    assert len(posts) == 10 and len({p.post_id for p in posts}) == 10
    assert [p.published_at for p in posts] == sorted((p.published_at for p in posts), reverse=True)
    assert sum(1 for _, p in sandbox.requests_to("tiktok") if p.endswith("/video/list/")) == 3


def test_invalid_token_is_refreshed_once_then_the_call_succeeds(
    sandbox: SocialSandbox, tiktok: TikTokConnector
) -> None:
    sandbox.advance(seconds=700)  # the 600 s access token has expired; the connector did not know when
    assert tiktok.account("maxstack").handle == "maxstack"
    assert tiktok.refreshes == 1 and sandbox.state.refreshes["tiktok"] == 1
    paths = [p for _, p in sandbox.requests_to("tiktok")]
    assert paths == ["/tiktok/v2/user/info/", "/tiktok/v2/oauth/token/", "/tiktok/v2/user/info/"]


def test_known_expiry_refreshes_ahead(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = TikTokConnector(
        secret(sandbox, "tiktok_access_token"),
        base_url=sandbox.base_urls["tiktok"],
        refresh_token=secret(sandbox, "tiktok_refresh_token"),
        client_key=sandbox.credentials["tiktok_client_key"],
        client_secret=secret(sandbox, "tiktok_client_secret"),
        token_expires_at=sandbox.now() + timedelta(minutes=5),
        sleep=sleeps,
        now=sandbox.now,
    )
    conn.account("maxstack")
    assert [p for _, p in sandbox.requests_to("tiktok")] == [
        "/tiktok/v2/oauth/token/",
        "/tiktok/v2/user/info/",
    ]


def test_without_refresh_credentials_the_error_names_the_settings(
    sandbox: SocialSandbox, sleeps: Sleeps
) -> None:
    token = sandbox.credentials["tiktok_access_token"]
    conn = TikTokConnector(
        secret(sandbox, "tiktok_access_token"), base_url=sandbox.base_urls["tiktok"], sleep=sleeps
    )
    sandbox.advance(seconds=700)
    with pytest.raises(TokenExpired) as caught:
        conn.account("maxstack")
    assert "ENCORE_TIKTOK_REFRESH_TOKEN" in str(caught.value) and token not in str(caught.value)


def test_rate_limit_then_success(sandbox: SocialSandbox, tiktok: TikTokConnector, sleeps: Sleeps) -> None:
    sandbox.force_rate_limit("tiktok", times=2, reset_s=1)
    assert tiktok.account("maxstack").handle == "maxstack"
    assert sleeps == [1.0, 1.0]


def test_token_of_another_account_is_explained(tiktok: TikTokConnector) -> None:
    with pytest.raises(PlatformError, match="tiktok: the token belongs to @maxstack, not @sectoid"):
        tiktok.account("sectoid")


def test_malformed_video_counts(sandbox: SocialSandbox, tiktok: TikTokConnector) -> None:
    account = tiktok.account("maxstack")
    sandbox.inject_malformed("tiktok", "like_count")
    with pytest.raises(
        MalformedPayload, match="tiktok: malformed payload: field 'like_count' should be an integer"
    ):
        tiktok.recent_posts(account, limit=3)
