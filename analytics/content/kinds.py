"""Content types, the platforms each is written for, and every platform's limits."""

from __future__ import annotations

import enum

from analytics.content.facts import (
    FactSheet,
    MilestoneFact,
    PlaylistChangeFact,
    ReleaseFact,
    SocialFact,
    StreamingFact,
    TopTrackFact,
)
from analytics.content.slots import focus_release


class ContentKind(enum.StrEnum):
    release_announcement = "release_announcement"
    weekly_recap = "weekly_recap"
    monthly_recap = "monthly_recap"
    milestone_post = "milestone_post"
    playlist_description = "playlist_description"
    short_bio = "short_bio"
    press_kit = "press_kit"


POST_PLATFORMS = ("x", "instagram", "tiktok", "youtube")
PLATFORMS: dict[ContentKind, tuple[str, ...]] = {
    ContentKind.release_announcement: POST_PLATFORMS,
    ContentKind.weekly_recap: POST_PLATFORMS,
    ContentKind.monthly_recap: POST_PLATFORMS,
    ContentKind.milestone_post: POST_PLATFORMS,
    ContentKind.playlist_description: ("spotify",),
    ContentKind.short_bio: ("web", "x", "instagram", "youtube"),
    ContentKind.press_kit: ("web",),
}

# Caption / post limits: X 280 (weighted), Instagram and TikTok captions 2,200, YouTube
# description 5,000, Spotify playlist description 300. Profile bios are shorter.
PLATFORM_LIMITS = {"x": 280, "instagram": 2200, "tiktok": 2200, "youtube": 5000, "spotify": 300, "web": 5000}
KIND_LIMITS: dict[tuple[ContentKind, str], int] = {
    (ContentKind.short_bio, "x"): 160,
    (ContentKind.short_bio, "instagram"): 150,
    (ContentKind.short_bio, "youtube"): 1000,
    (ContentKind.short_bio, "web"): 600,
    (ContentKind.press_kit, "web"): 1500,
}
HASHTAGS = {"x": 2, "instagram": 6, "tiktok": 4, "youtube": 3}
NO_HASHTAGS = frozenset({ContentKind.short_bio, ContentKind.press_kit, ContentKind.playlist_description})


def limit_for(kind: ContentKind | str, platform: str) -> int:
    """Maximum length of a draft of ``kind`` on ``platform`` (X: weighted characters)."""
    kind = ContentKind(kind)
    if platform not in PLATFORMS[kind]:
        raise ValueError(f"{kind} is not written for {platform!r}; platforms: {', '.join(PLATFORMS[kind])}")
    return KIND_LIMITS.get((kind, platform), PLATFORM_LIMITS[platform])


def hashtag_count(kind: ContentKind | str, platform: str) -> int:
    return 0 if ContentKind(kind) in NO_HASHTAGS else HASHTAGS.get(platform, 0)


def missing_facts(sheet: FactSheet, kind: ContentKind | str) -> str | None:
    """Why ``sheet`` cannot support ``kind`` (``None`` if it can)."""
    kind = ContentKind(kind)
    days = (sheet.period_end - sheet.period_start).days + 1
    if kind is ContentKind.release_announcement and focus_release(sheet) is None:
        return "no release in the catalog"
    if kind in {ContentKind.weekly_recap, ContentKind.monthly_recap}:
        weekly = kind is ContentKind.weekly_recap
        if weekly and not 1 <= days <= 13:
            return f"a weekly recap needs a period of 1 to 13 days; this sheet covers {days}"
        if not weekly and not 14 <= days <= 62:
            return f"a monthly recap needs a period of 14 to 62 days; this sheet covers {days}"
        happened = any(
            (
                sheet.of(StreamingFact),
                sheet.of(SocialFact),
                sheet.of(MilestoneFact),
                sheet.of(PlaylistChangeFact),
                [r for r in sheet.of(ReleaseFact) if r.in_period],
                [t for t in sheet.of(TopTrackFact) if t.basis == "streams"],
            )
        )
        if not happened:
            return "no streaming, social, playlist or release facts in the period"
    if kind is ContentKind.milestone_post and not sheet.of(MilestoneFact):
        return "no milestone was reached in the period"
    if kind is ContentKind.playlist_description and not (sheet.of(TopTrackFact) or focus_release(sheet)):
        return "no tracks or releases to describe"
    return None
