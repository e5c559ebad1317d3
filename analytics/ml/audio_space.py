"""The standardised audio feature space that similarity, clustering and outliers share.

A track is a row of ``analytics.audio`` features. The space uses the features a person can
name (tempo, loudness, brightness, pulse, mode, …) plus the timbre summary (MFCC means 1-12);
tempo and frequencies are compared on a log scale (100 → 110 BPM is as far as 150 → 165),
missing values take the catalog median, and each column is scaled to zero mean and unit
variance over the catalog, so no unit dominates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

MODEL_VERSION = "audio-ml/1.0"
"""Version of the space, similarity, clustering and outlier rules; stored with every result."""
SEED = 20260101

DESCRIBED: dict[str, tuple[str, str]] = {
    "tempo_bpm": ("slow", "fast"),
    "loudness_lufs": ("quiet", "loud"),
    "energy": ("calm", "energetic"),
    "spectral_centroid_hz": ("dark", "bright"),
    "beat_regularity": ("loose pulse", "steady pulse"),
    "onset_rate_per_s": ("sparse", "busy"),
    "dynamic_range_db": ("compressed", "dynamic"),
    "loudness_range_lu": ("even", "wide loudness range"),
    "mode_minor": ("major", "minor"),
    "spectral_flatness": ("tonal", "noisy"),
}
"""Features described in words: (word when low, word when high) relative to the catalog."""

DEFAULT_COLUMNS: tuple[str, ...] = (
    *DESCRIBED,
    "beat_strength",
    "spectral_bandwidth_hz",
    "spectral_rolloff_hz",
    "zero_crossing_rate",
    *(f"mfcc_{i:02d}_mean" for i in range(1, 13)),
)
LOG_COLUMNS = {"tempo_bpm", "spectral_centroid_hz", "spectral_bandwidth_hz", "spectral_rolloff_hz"}


@dataclass(frozen=True)
class FeatureSpace:
    """Standardised features: ``z`` (DataFrame, one row per track, index = ids), and the scaling."""

    z: pd.DataFrame
    columns: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    model_version: str = MODEL_VERSION


def default_id_column(features: pd.DataFrame) -> str:
    """``track_id`` if the table has it, else ``path``."""
    for name in ("track_id", "path"):
        if name in features.columns:
            return name
    raise ValueError("the feature table needs a track_id or path column to name its rows")


def prepare(features: pd.DataFrame, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The raw numeric matrix of the space: derived ``mode_minor``, logs, median-imputed."""
    frame = features.copy()
    if "mode" in frame.columns and "mode_minor" not in frame.columns:
        frame["mode_minor"] = (frame["mode"] == "minor").astype(float)
    wanted = [c for c in (columns or DEFAULT_COLUMNS) if c in frame.columns]
    if len(wanted) < 2:
        raise ValueError(
            f"need at least two feature columns of {list(columns or DEFAULT_COLUMNS)}; "
            f"the table has {sorted(frame.columns)}"
        )
    raw = frame[wanted].astype(float)
    for column in LOG_COLUMNS & set(wanted):
        raw[column] = np.log2(raw[column].clip(lower=1e-6))
    raw = raw.replace([np.inf, -np.inf], np.nan)
    return raw.fillna(raw.median()).fillna(0.0)


def fit_space(
    features: pd.DataFrame, *, columns: Sequence[str] | None = None, id_column: str | None = None
) -> FeatureSpace:
    """Standardise the catalog's features (see module docstring)."""
    ids = features[id_column or default_id_column(features)].astype(str)
    if ids.duplicated().any():
        raise ValueError(f"duplicate ids in the feature table: {sorted(set(ids[ids.duplicated()]))[:5]}")
    raw = prepare(features, columns=columns)
    scaler = StandardScaler().fit(raw.to_numpy())
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    z = (raw.to_numpy() - scaler.mean_) / scale
    return FeatureSpace(
        z=pd.DataFrame(z, index=pd.Index(ids, name="id"), columns=raw.columns),
        columns=tuple(raw.columns),
        mean=scaler.mean_,
        scale=scale,
    )


def named_traits(z: pd.Series, *, limit: int = 3, threshold: float = 0.5) -> list[tuple[str, bool]]:
    """A point's most extreme named features, (feature, True when high), most extreme first:
    what :func:`describe` puts in words, kept apart from the words so a report can say it in
    its own language."""
    named = [(c, float(z[c])) for c in DESCRIBED if c in z.index and abs(float(z[c])) >= threshold]
    named.sort(key=lambda item: -abs(item[1]))
    return [(c, value > 0) for c, value in named[:limit]]


def describe(z: pd.Series, *, limit: int = 3, threshold: float = 0.5) -> str:
    """Words for a point of the space, e.g. ``"slow, quiet, minor"``: its most extreme named features."""
    traits = named_traits(z, limit=limit, threshold=threshold)
    words = [DESCRIBED[c][1] if high else DESCRIBED[c][0] for c, high in traits]
    return ", ".join(words) if words else "typical of the catalog"
