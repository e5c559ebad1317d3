"""X API v2 connector against the loopback emulator."""

from __future__ import annotations

import pytest

from analytics.sandbox.social import SocialSandbox
from analytics.social import AccountNotFound, MalformedPayload, RateLimited, TokenExpired
from analytics.social.platforms.x import XConnector
from tests.social.conftest import DAY, Sleeps, secret


def test_user_public_metrics(sandbox: SocialSandbox, x: XConnector) -> None:
    account = x.account("@Maxstack")
    acc = sandbox.state.find("x", handle="maxstack")
    assert acc is not None
    assert (account.platform_id, account.handle, account.verified) == (acc.platform_id, "maxstack", False)
    snap = x.snapshot(account, day=DAY)
    assert snap.followers == sandbox.state.followers(acc) and snap.posts == sandbox.state.post_count(acc)


def test_posts_follow_next_token(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = XConnector(
        secret(sandbox, "x_bearer_token"), base_url=sandbox.base_urls["x"], page_size=10, sleep=sleeps
    )
    account = conn.account("maxstack")
    posts = conn.recent_posts(account, limit=25)
    assert len(posts) == 25 and len({p.post_id for p in posts}) == 25
    assert sum(1 for _, p in sandbox.requests_to("x") if p.endswith("/tweets")) == 3


def test_429_waits_until_the_reset_header_then_succeeds(
    sandbox: SocialSandbox, x: XConnector, sleeps: Sleeps
) -> None:
    sandbox.force_rate_limit("x", times=1, reset_s=5)
    assert x.account("maxstack").handle == "maxstack"
    assert len(sleeps) == 1 and 3.5 <= sleeps[0] <= 5.0  # x-rate-limit-reset is whole epoch seconds


def test_429_with_a_far_reset_stops_and_says_when(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = XConnector(
        secret(sandbox, "x_bearer_token"), base_url=sandbox.base_urls["x"], max_wait_s=10, sleep=sleeps
    )
    sandbox.force_rate_limit("x", times=1, reset_s=900)
    with pytest.raises(RateLimited) as caught:
        conn.account("maxstack")
    assert "resumes after" in str(caught.value) and caught.value.resumes_at is not None
    assert sleeps == []


def test_unknown_user_uses_the_errors_array(x: XConnector) -> None:
    with pytest.raises(
        AccountNotFound, match=r"x: Not Found Error: Could not find user with username: \[ghost\]"
    ):
        x.account("ghost")


def test_wrong_bearer_token(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = XConnector(secret(sandbox, "youtube_api_key"), base_url=sandbox.base_urls["x"], sleep=sleeps)
    with pytest.raises(TokenExpired, match="x: bearer token rejected"):
        conn.account("maxstack")


def test_malformed_followers(sandbox: SocialSandbox, x: XConnector) -> None:
    account = x.account("maxstack")
    sandbox.inject_malformed("x", "followers_count")
    with pytest.raises(MalformedPayload) as caught:
        x.snapshot(account, day=DAY)
    assert caught.value.field == "public_metrics.followers_count" and caught.value.platform == "x"
