"""YouTube Data API v3 connector against the loopback emulator."""

from __future__ import annotations

import pytest

from analytics.sandbox.social import SocialSandbox
from analytics.social import AccountNotFound, MalformedPayload, QuotaExhausted, RateLimited
from analytics.social.platforms.youtube import YouTubeConnector
from tests.social.conftest import DAY, Sleeps, secret


def demo(sandbox: SocialSandbox, handle: str):
    acc = sandbox.state.find("youtube", handle=handle)
    assert acc is not None
    return acc


def test_account_and_snapshot_carry_the_channel_statistics(
    sandbox: SocialSandbox, youtube: YouTubeConnector
) -> None:
    account = youtube.account("@maxstack")
    acc = demo(sandbox, "@maxstack")
    assert (account.platform_id, account.handle, account.display_name) == (
        acc.platform_id,
        "@maxstack",
        "Maxstack",
    )

    snap = youtube.snapshot(account, day=DAY)
    posts = sandbox.state.posts(acc)
    assert snap.followers == sandbox.state.followers(acc)
    assert snap.posts == len(posts)
    assert snap.views == sum(p["views"] for p in posts)
    sample = posts[:12]
    assert snap.sample_posts == 12 and snap.likes == sum(p["likes"] for p in sample)
    expected = sum(p["likes"] + p["comments"] for p in sample) / 12 / snap.followers
    assert snap.engagement_rate == pytest.approx(expected, rel=1e-5)


def test_recent_posts_follow_page_tokens(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = YouTubeConnector(
        secret(sandbox, "youtube_api_key"), base_url=sandbox.base_urls["youtube"], page_size=10, sleep=sleeps
    )
    account = conn.account("@maxstack")
    total = sandbox.state.post_count(demo(sandbox, "@maxstack"))
    posts = conn.recent_posts(account, limit=1000)
    assert len(posts) == total and len({p.post_id for p in posts}) == total
    assert [p.published_at for p in posts] == sorted((p.published_at for p in posts), reverse=True)
    pages = [p for _, p in sandbox.requests_to("youtube") if p.endswith("/playlistItems")]
    assert len(pages) == -(-total // 10)
    assert conn.quota.by_method == {"channels.list": 1, "playlistItems.list": len(pages), "videos.list": 1}


def test_quota_is_counted_per_call_and_stops_before_the_limit(sandbox: SocialSandbox, sleeps: Sleeps) -> None:
    conn = YouTubeConnector(
        secret(sandbox, "youtube_api_key"),
        base_url=sandbox.base_urls["youtube"],
        daily_quota=102,
        sleep=sleeps,
    )
    account = conn.account("@maxstack")  # 1 unit
    conn.search("Maxstack")  # 100 units
    conn.account(account.platform_id)  # 1 unit: 102 of 102
    sent = len(sandbox.requests_to("youtube"))
    with pytest.raises(QuotaExhausted) as caught:
        conn.account("@sectoid")
    message = str(caught.value)
    assert message.startswith("youtube: stopped before channels.list (1 units)")
    assert "102 of the 102 daily quota units" in message and "nothing was sent" in message
    assert len(sandbox.requests_to("youtube")) == sent  # the refused call never left
    assert conn.quota.used == 102 and conn.quota.by_method == {"channels.list": 2, "search.list": 100}


def test_rate_limit_answer_is_waited_out_then_the_call_succeeds(
    sandbox: SocialSandbox, youtube: YouTubeConnector, sleeps: Sleeps
) -> None:
    sandbox.force_rate_limit("youtube", times=1, reset_s=3)
    account = youtube.account("@maxstack")
    assert account.display_name == "Maxstack"
    assert sleeps == [3.0]
    assert len(sandbox.requests_to("youtube")) == 2


def test_rate_limit_longer_than_the_budget_stops_with_a_resume_time(
    sandbox: SocialSandbox, sleeps: Sleeps
) -> None:
    conn = YouTubeConnector(
        secret(sandbox, "youtube_api_key"), base_url=sandbox.base_urls["youtube"], max_wait_s=1, sleep=sleeps
    )
    sandbox.force_rate_limit("youtube", times=1, reset_s=60)
    with pytest.raises(RateLimited, match=r"youtube: rate limited .*resumes after"):
        conn.account("@maxstack")
    assert sleeps == []


def test_malformed_count_is_rejected_naming_platform_and_field(
    sandbox: SocialSandbox, youtube: YouTubeConnector
) -> None:
    account = youtube.account("@maxstack")
    sandbox.inject_malformed("youtube", "subscriberCount")
    with pytest.raises(MalformedPayload) as caught:
        youtube.snapshot(account, day=DAY)
    assert caught.value.platform == "youtube" and caught.value.field == "statistics.subscriberCount"
    assert "youtube: malformed payload: field 'statistics.subscriberCount' should be an integer" in str(
        caught.value
    )


def test_unknown_handle_is_reported(youtube: YouTubeConnector) -> None:
    with pytest.raises(AccountNotFound, match="youtube: no channel for '@nobody-here'"):
        youtube.account("@nobody-here")


def test_handles_are_read_from_profile_urls() -> None:
    assert YouTubeConnector.handle_from_url("https://www.youtube.com/@maxstack") == "@maxstack"
    channel = "UC" + "a" * 22
    assert YouTubeConnector.handle_from_url(f"https://youtube.com/channel/{channel}") == channel
    assert YouTubeConnector.handle_from_url("https://www.instagram.com/maxstack/") is None
