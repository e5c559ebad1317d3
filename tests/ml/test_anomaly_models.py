"""Anomaly models on synthetic series with known anomalies (seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.ml.anomaly import MODEL_VERSION, listening_pattern, seasonal_baseline


def weekly_series(seed: int = 1, days: int = 120) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2026-01-05", periods=days, freq="D")  # a Monday
    weekend = np.where(index.day_of_week >= 5, 2.2, 1.0)  # strong weekly seasonality
    return pd.Series(rng.poisson(200 * weekend).astype(float), index=index)


def test_baseline_flags_spike_and_drop_but_not_weekends() -> None:
    series = weekly_series()
    series.iloc[80] *= 4
    series.iloc[95] *= 0.1
    flagged = seasonal_baseline(series, threshold=4.0)
    assert list(flagged["day"]) == [series.index[80], series.index[95]]
    assert list(flagged["kind"]) == ["spike", "sudden_drop"]
    spike = flagged.iloc[0]
    assert spike["expected_low"] < spike["expected"] < spike["expected_high"] < spike["observed"]
    assert set(spike["features"]) == {"level_14d", "weekday_factor", "log_scale"}


def test_a_new_tracks_first_weeks_are_not_spikes_against_the_zeros_before_it() -> None:
    played = weekly_series(seed=4, days=100)
    series = pd.concat([pd.Series(0.0, index=played.index - pd.Timedelta(days=100)), played])
    assert seasonal_baseline(series, threshold=4.0).empty
    series.iloc[100 + 60] *= 4  # a real spike once it has a history of its own
    flagged = seasonal_baseline(series, threshold=4.0)
    assert list(flagged["day"]) == [series.index[160]] and flagged.iloc[0]["kind"] == "spike"


def test_strong_weekly_seasonality_alone_is_not_anomalous() -> None:
    series = weekly_series(seed=2)
    log = np.log1p(series)
    level_only_z = (log - log.shift(1).rolling(14).median()) / (1.25 / np.sqrt(series.clip(lower=1)))
    assert (level_only_z.iloc[21:].abs() >= 4).sum() > 20  # a level-only baseline flags every weekend
    assert seasonal_baseline(series, threshold=4.0).empty  # same-weekday history explains them


def track_days(seed: int = 3, tracks: int = 6, days: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(tracks):
        for d in range(days):
            rows.append(
                {
                    "entity_id": f"t{t}",
                    "day": pd.Timestamp("2026-01-01") + pd.Timedelta(days=d),
                    "streams": int(rng.poisson(80)),
                    "streams_per_listener": rng.normal(1.3, 0.05),
                    "skip_rate": rng.normal(0.3, 0.03),
                    "completion_rate": rng.normal(0.55, 0.03),
                    "country_hhi": rng.normal(0.14, 0.01),
                    "hour_entropy": rng.normal(0.88, 0.02),
                }
            )
    return pd.DataFrame(rows)


def test_forest_flags_bot_days_with_their_features() -> None:
    frame = track_days()
    bots = [(1, 40), (4, 70), (5, 20)]
    for t, d in bots:
        i = t * 90 + d
        frame.loc[i, ["streams_per_listener", "country_hhi", "hour_entropy", "completion_rate"]] = [
            4.0,
            0.6,
            0.4,
            0.1,
        ]
    flagged = listening_pattern(frame, seed=7, contamination=0.01)
    artificial = flagged[flagged["kind"] == "suspected_artificial_streaming"]
    assert sorted(artificial.index) == sorted(t * 90 + d for t, d in bots)
    first = artificial.iloc[0]
    assert {"streams_per_listener", "country_hhi", "hour_entropy"} <= set(first["features"])
    assert first["metric"] == "streams_per_listener" and first["observed"] == 4.0
    assert first["expected_low"] < 1.3 < first["expected_high"] < 4.0
    assert MODEL_VERSION.startswith("stream-anomaly/")


def test_forest_is_seeded() -> None:
    frame = track_days()
    frame.loc[100, "streams_per_listener"] = 5.0
    a = listening_pattern(frame, seed=11)
    b = listening_pattern(frame, seed=11)
    pd.testing.assert_frame_equal(a, b)
