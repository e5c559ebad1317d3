"""Instagram Graph API connector against the loopback emulator."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from analytics.sandbox.social import SocialSandbox
from analytics.social import MalformedPayload, TokenExpired, TokenStore
from analytics.social.platforms.instagram import InstagramConnector
from tests.social.conftest import DAY, Sleeps, secret


def test_own_account_snapshot_and_media_cursor_paging(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = InstagramConnector(
        secret(sandbox, "instagram_access_token"),
        base_url=sandbox.base_urls["instagram"],
        page_size=7,
        sleep=sleeps,
    )
    account = conn.account("maxstack")
    acc = sandbox.state.find("instagram", handle="maxstack")
    assert acc is not None and account.platform_id == acc.platform_id
    posts = conn.recent_posts(account, limit=30)
    assert len(posts) == 30 and len({p.post_id for p in posts}) == 30
    assert [p.likes for p in posts] == [p["likes"] for p in sandbox.state.posts(acc)[:30]]
    media_calls = [p for _, p in sandbox.requests_to("instagram") if p.endswith("/media")]
    assert len(media_calls) == 5  # 7 + 7 + 7 + 7 + 2, following paging.cursors.after
    snap = conn.snapshot(account, day=DAY)
    assert snap.followers == sandbox.state.followers(acc) and snap.posts == sandbox.state.post_count(acc)


def test_other_professional_account_through_business_discovery(
    sandbox: SocialSandbox, instagram: InstagramConnector
) -> None:
    account = instagram.account("sectoid_band")
    acc = sandbox.state.find("instagram", handle="sectoid_band")
    assert acc is not None and account.platform_id == acc.platform_id
    snap = instagram.snapshot(account, day=DAY)
    assert snap.followers == sandbox.state.followers(acc) and snap.sample_posts == 12


def test_long_lived_token_is_refreshed_before_it_expires(
    sandbox: SocialSandbox, instagram: InstagramConnector
) -> None:
    first = instagram._token.get_secret_value()
    sandbox.advance(seconds=3100)  # 500 s left, inside the 600 s margin
    instagram.account("maxstack")
    assert instagram.refreshes == 1 and sandbox.state.refreshes["instagram"] == 1
    assert instagram._token.get_secret_value() != first
    sandbox.advance(seconds=1000)  # the first token has expired by now; the refreshed one has not
    assert instagram.account("maxstack").handle == "maxstack"
    stored = instagram.tokens.get("instagram")
    assert (
        stored is not None and stored.access_token.get_secret_value() == instagram._token.get_secret_value()
    )


def test_expired_token_gives_a_clear_error_without_the_token(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    token = sandbox.credentials["instagram_access_token"]
    conn = InstagramConnector(
        secret(sandbox, "instagram_access_token"), base_url=sandbox.base_urls["instagram"], sleep=sleeps,
        now=sandbox.now,
    )  # fmt: skip
    sandbox.advance(seconds=4000)
    with pytest.raises(TokenExpired) as caught:
        conn.account("maxstack")
    message = str(caught.value)
    assert "OAuthException 190, subcode 463" in message and "ENCORE_INSTAGRAM_ACCESS_TOKEN" in message
    assert token not in message


def test_known_expiry_in_the_past_stops_before_calling(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = InstagramConnector(
        secret(sandbox, "instagram_access_token"),
        base_url=sandbox.base_urls["instagram"],
        token_expires_at=sandbox.now() - timedelta(seconds=1),
        sleep=sleeps,
        now=sandbox.now,
    )
    with pytest.raises(TokenExpired, match="instagram: the access token expired at"):
        conn.account("maxstack")
    assert sandbox.requests_to("instagram") == []


def test_rate_limit_code_4_then_success(
    sandbox: SocialSandbox, instagram: InstagramConnector, sleeps: Sleeps
) -> None:
    sandbox.force_rate_limit("instagram", times=1)
    assert instagram.account("maxstack").handle == "maxstack"
    assert sleeps == [1.0]


def test_refreshed_token_survives_in_the_token_store(
    sandbox: SocialSandbox, tmp_path, sleeps: Sleeps
) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    expires = sandbox.state.tokens[sandbox.credentials["instagram_access_token"]].expires_at
    kwargs = dict(
        base_url=sandbox.base_urls["instagram"],
        refresh_margin=timedelta(hours=2),
        sleep=sleeps,
        now=sandbox.now,
    )
    first = InstagramConnector(
        secret(sandbox, "instagram_access_token"), token_expires_at=expires, tokens=store, **kwargs
    )
    first.account("maxstack")
    assert first.refreshes == 1
    assert oct((tmp_path / "tokens.json").stat().st_mode & 0o777) == "0o600"
    second = InstagramConnector(
        secret(sandbox, "instagram_access_token"), token_expires_at=expires, tokens=store, **kwargs
    )
    assert second._token.get_secret_value() == first._token.get_secret_value()
    assert isinstance(second.token_expires_at, datetime) and second.token_expires_at > expires


def test_malformed_followers_count_is_rejected(sandbox: SocialSandbox, instagram: InstagramConnector) -> None:
    account = instagram.account("maxstack")
    sandbox.inject_malformed("instagram", "followers_count", mode="drop")
    with pytest.raises(
        MalformedPayload, match="instagram: malformed payload: field 'followers_count' is missing"
    ):
        instagram.snapshot(account, day=DAY)
