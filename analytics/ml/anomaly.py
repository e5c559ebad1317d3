"""Anomaly models for daily streaming series: a robust seasonal baseline and an IsolationForest.

Both are pure functions over DataFrames and seeded; they return one row per flagged day with
the metric, the observed value, the expected range, a score, the features that contributed
and :data:`MODEL_VERSION`.

Baseline (per series, day-of-week aware): in log space, the level is the median of the
previous 14 days, the weekday effect the median residual of the same weekday over the
previous 8 weeks; the scale is the MAD of the previous 28 residuals (floored by Poisson
noise). A day whose robust z-score passes ``threshold`` is flagged: ``spike`` or
``sudden_drop``, once the series has ``min_history`` days of its own (from its first day with
streams: the days before a release are not history).

Listening pattern (per track-day, multivariate): streams per listener, skip rate, completion
rate, country concentration (Herfindahl index) and time-of-day spread (normalised entropy of
the hour), each as a robust z-score against the track's own history, scored by an
IsolationForest. A flagged day whose deviations point the way bots do (many streams per
listener, one country, a narrow time window) is ``suspected_artificial_streaming``; others
are ``unusual_listening_pattern``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest

MODEL_VERSION = "stream-anomaly/1.1"  # 1.1: a series starts on its first day with streams
MAD_TO_SIGMA = 1.4826
PATTERN_FEATURES = ("streams_per_listener", "skip_rate", "completion_rate", "country_hhi", "hour_entropy")
BOT_DIRECTIONS = {"streams_per_listener": 1.0, "country_hhi": 1.0, "hour_entropy": -1.0}
RESULT_COLUMNS = [
    "day", "metric", "kind", "observed", "expected", "expected_low", "expected_high", "score", "features",
]  # fmt: skip


def _same_weekday_median(resid: pd.Series, weeks: int) -> pd.Series:
    lagged = np.vstack([resid.shift(7 * k).to_numpy() for k in range(1, weeks + 1)])
    with np.errstate(all="ignore"):
        out = np.nanmedian(np.where(np.isnan(lagged).all(axis=0), 0.0, lagged), axis=0)
    return pd.Series(out, index=resid.index)


def seasonal_baseline(
    series: pd.Series,
    *,
    metric: str = "streams",
    threshold: float = 4.0,
    weeks: int = 8,
    min_history: int = 21,
) -> pd.DataFrame:
    """Flag days of one daily series (index: consecutive days) that leave the expected range.

    Returns
    -------
    DataFrame with :data:`RESULT_COLUMNS`; ``score`` is the robust z-score (signed).
    """
    x = series.astype(float).clip(lower=0)
    # the series starts on its first day with streams: the zeros before a track's release are
    # not a baseline (against them its first weeks, and their weekends, would all be "spikes")
    own_days = x.gt(0).cumsum().gt(0).cumsum()
    y = np.log1p(x.where(own_days > 0))
    level = y.shift(1).rolling(14, min_periods=7).median()
    weekday = _same_weekday_median(y - level, weeks)
    expected = level + weekday
    resid = y - expected
    mad = (resid - resid.shift(1).rolling(28, min_periods=14).median()).abs()
    spread = MAD_TO_SIGMA * mad.shift(1).rolling(28, min_periods=14).median()
    # Poisson noise of the day plus the error of estimating the expectation from ~14 noisy days
    poisson = 1.25 / np.sqrt(np.expm1(expected).clip(lower=1.0) + 1.0)
    scale = np.maximum(np.maximum(spread.fillna(np.inf), poisson), 0.05)
    z = resid / scale
    history = own_days > min_history
    flagged = history & z.abs().ge(threshold) & scale.lt(np.inf)
    rows = []
    for day in x.index[flagged.to_numpy()]:
        rows.append(
            {
                "day": day,
                "metric": metric,
                "kind": "spike" if z[day] > 0 else "sudden_drop",
                "observed": float(x[day]),
                "expected": float(np.expm1(expected[day])),
                "expected_low": float(max(np.expm1(expected[day] - threshold * scale[day]), 0.0)),
                "expected_high": float(np.expm1(expected[day] + threshold * scale[day])),
                "score": float(z[day]),
                "features": {
                    "level_14d": round(float(np.expm1(level[day])), 3),
                    "weekday_factor": round(float(np.exp(weekday[day])), 4),
                    "log_scale": round(float(scale[day]), 4),
                },
            }
        )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def robust_z(frame: pd.DataFrame, *, by: str, columns: Sequence[str]) -> pd.DataFrame:
    """Each column as (value - median) / (1.4826 MAD) within its ``by`` group (MAD floored)."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column].astype(float)
        median = values.groupby(frame[by]).transform("median")
        mad = (values - median).abs().groupby(frame[by]).transform("median")
        floor = max(float(values.std(skipna=True) or 0.0) * 0.1, 1e-3)
        out[column] = ((values - median) / (MAD_TO_SIGMA * mad).clip(lower=floor)).fillna(0.0)
    return out


def listening_pattern(
    daily: pd.DataFrame,
    *,
    seed: int = 0,
    contamination: float = 0.02,
    min_streams: int = 10,
    bot_z: float = 3.0,
) -> pd.DataFrame:
    """Score track-days by their listening pattern with an IsolationForest and flag outliers.

    Parameters
    ----------
    daily : one row per (entity_id, day) with ``streams`` and :data:`PATTERN_FEATURES`.
    contamination : expected share of anomalous track-days (the forest's threshold).
    min_streams : days with fewer streams are too noisy to judge and are skipped.
    bot_z : how far (robust z) a feature must point the bots' way to count as their sign.

    Returns
    -------
    ``daily``'s flagged rows (index kept) with :data:`RESULT_COLUMNS`; ``score`` is the
    forest's anomaly score (higher: more isolated); ``features`` the contributing features.
    """
    usable = daily[(daily["streams"] >= min_streams)].dropna(subset=list(PATTERN_FEATURES))
    if len(usable) < 50:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    z = robust_z(usable, by="entity_id", columns=PATTERN_FEATURES)
    forest = IsolationForest(n_estimators=200, contamination=contamination, random_state=seed)
    forest.fit(z.to_numpy())
    scores = -forest.score_samples(z.to_numpy())
    flagged = forest.predict(z.to_numpy()) == -1
    medians = usable.groupby("entity_id")[list(PATTERN_FEATURES)].transform("median")
    rows, index = [], []
    for pos in np.flatnonzero(flagged):
        label = usable.index[pos]
        zs = z.iloc[pos]
        contributing = {
            f: {"value": round(float(usable.at[label, f]), 4), "typical": round(float(medians.at[label, f]), 4),
                "z": round(float(zs[f]), 2)}
            for f in sorted(PATTERN_FEATURES, key=lambda f: -abs(zs[f]))
            if abs(zs[f]) >= 2.0
        }  # fmt: skip
        bot_signs = sum(1 for f, sign in BOT_DIRECTIONS.items() if sign * zs[f] >= bot_z)
        bots = bot_signs >= 2 and zs["streams_per_listener"] >= bot_z  # bots always replay
        kind = "suspected_artificial_streaming" if bots else "unusual_listening_pattern"
        lead = max(PATTERN_FEATURES, key=lambda f: abs(zs[f]))
        rows.append(
            {
                "day": usable.at[label, "day"],
                "metric": lead,
                "kind": kind,
                "observed": float(usable.at[label, lead]),
                "expected": float(medians.at[label, lead]),
                "expected_low": _bound(usable.at[label, lead], medians.at[label, lead], zs[lead], -3.0),
                "expected_high": _bound(usable.at[label, lead], medians.at[label, lead], zs[lead], 3.0),
                "score": float(scores[pos]),
                "features": contributing,
            }
        )
        index.append(label)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS, index=index)


def _bound(value: float, typical: float, z: float, k: float) -> float | None:
    """typical + k robust sigmas, the sigma recovered from the value's z-score."""
    if not z:
        return None
    return float(typical + k * abs((value - typical) / z))
