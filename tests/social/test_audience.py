"""The cross-platform audience: a pure function over snapshot rows."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics.social import SocialPost, audience_frame, engagement_rate

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def frame(rows: list[tuple[str, str, date, float | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["artist_id", "platform", "day", "followers", "engagement_rate"]
    ).assign(platform_id=lambda d: d["platform"] + "-id")


def test_totals_growth_and_weighted_engagement() -> None:
    out = audience_frame(
        frame(
            [
                ("a", "youtube", D1, 1000, 0.02),
                ("a", "x", D1, 500, 0.05),
                ("a", "youtube", D2, 1100, 0.02),
                ("a", "x", D2, 520, 0.04),
            ]
        )
    )
    assert list(out["audience_total"]) == [1500, 1620]
    assert list(out["followers_youtube"]) == [1000, 1100] and list(out["platforms"]) == [2, 2]
    assert math.isnan(out["growth_1d"].iloc[0])
    assert out["delta_1d"].iloc[1] == 120 and out["growth_1d"].iloc[1] == pytest.approx(120 / 1500)
    assert out["engagement_rate"].iloc[0] == pytest.approx((1000 * 0.02 + 500 * 0.05) / 1500)


def test_growth_is_like_for_like_when_a_platform_is_missing_a_day() -> None:
    out = audience_frame(
        frame(
            [
                ("a", "youtube", D1, 1000, None),
                ("a", "x", D1, 500, None),
                ("a", "youtube", D2, 1010, None),  # x failed on D2
                ("a", "youtube", D3, 1030, None),
                ("a", "x", D3, 530, None),
            ]
        )
    )
    assert list(out["audience_total"]) == [1500, 1010, 1560]
    assert out["growth_1d"].iloc[1] == pytest.approx(10 / 1000)  # youtube only, not a 33 % drop
    assert out["growth_1d"].iloc[2] == pytest.approx(20 / 1010)
    assert list(out["platforms"]) == [2, 1, 2]


def test_artists_do_not_bleed_into_each_other_and_hidden_followers_are_skipped() -> None:
    out = audience_frame(
        frame(
            [
                ("a", "youtube", D1, 10, None),
                ("b", "youtube", D2, 0, None),
                ("b", "youtube", D3, 5, None),
                ("b", "x", D3, None, None),
            ]
        )
    )
    b = out[out["artist_id"] == "b"]
    assert math.isnan(b["growth_1d"].iloc[0]) and math.isnan(b["growth_1d"].iloc[1])  # previous total is 0
    assert b["delta_1d"].iloc[1] == 5 and list(b["platforms"]) == [1, 1]


def test_empty_input_gives_an_empty_frame_with_the_columns() -> None:
    out = audience_frame(frame([]))
    assert out.empty and {"audience_total", "growth_1d", "engagement_rate"} <= set(out.columns)


def test_engagement_rate_definition() -> None:
    posts = [SocialPost("x", "1", likes=10, comments=2, shares=3), SocialPost("x", "2", likes=5)]
    assert engagement_rate(posts, followers=100) == pytest.approx((15 + 5) / 2 / 100)
    assert engagement_rate(posts, followers=0) is None and engagement_rate([], followers=10) is None
