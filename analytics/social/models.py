"""The unified social model: accounts, daily snapshots and posts, the same on every platform.

Engagement rate
---------------
``engagement_rate`` = mean interactions per recent post / followers, where interactions are
likes + comments + shares (whatever the platform reports; a missing count counts as 0) over the
``sample_posts`` most recent posts. It is NULL when followers are hidden or zero, or when no
post was sampled. It is a ratio (0.031 = 3.1 %), comparable across platforms because every
platform is sampled the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

DEFAULT_SAMPLE_POSTS = 12


@dataclass(frozen=True)
class SocialAccount:
    """One account on one platform, as the platform identifies it."""

    platform: str
    platform_id: str
    handle: str
    display_name: str | None = None
    verified: bool | None = None
    url: str | None = None


@dataclass(frozen=True)
class SocialPost:
    """One recent post (video, media, tweet) with the counts the platform gives."""

    platform: str
    post_id: str
    published_at: datetime | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None

    @property
    def interactions(self) -> int:
        return (self.likes or 0) + (self.comments or 0) + (self.shares or 0)


@dataclass(frozen=True)
class SocialSnapshot:
    """An account's numbers on one day.

    ``followers``/``posts``/``views`` are the account's lifetime totals where the platform gives
    them (``views`` only on YouTube); ``likes``/``comments`` are sums over the sampled recent posts.
    """

    platform: str
    platform_id: str
    day: date
    followers: int | None
    posts: int | None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    sample_posts: int = 0
    engagement_rate: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def engagement_rate(posts: Sequence[SocialPost], *, followers: int | None) -> float | None:
    """Mean interactions per post divided by followers (see the module docstring).

    Returns None when ``followers`` is None or 0 or when ``posts`` is empty.
    """
    if not posts or not followers:
        return None
    mean = sum(p.interactions for p in posts) / len(posts)
    return round(mean / followers, 6)


def build_snapshot(
    account: SocialAccount,
    *,
    day: date,
    followers: int | None,
    posts_count: int | None,
    recent: Sequence[SocialPost],
    views: int | None = None,
) -> SocialSnapshot:
    """Combine account totals and a sample of recent posts into a :class:`SocialSnapshot`."""
    likes = sum(p.likes or 0 for p in recent) if recent else None
    comments = sum(p.comments or 0 for p in recent) if recent else None
    return SocialSnapshot(
        platform=account.platform,
        platform_id=account.platform_id,
        day=day,
        followers=followers,
        posts=posts_count,
        views=views,
        likes=likes,
        comments=comments,
        sample_posts=len(recent),
        engagement_rate=engagement_rate(recent, followers=followers),
    )
