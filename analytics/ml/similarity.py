""" "Sounds like": nearest neighbours in the standardised audio space, with what drives each match.

Distances are Euclidean in the space of :mod:`analytics.ml.audio_space` (every feature counts
equally after standardisation). A match is explained by its *shared traits*: features on which
both tracks are close to each other and both away from the catalog average in the same
direction (both fast, both dark, …); a pair that is merely average together has no driver.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from analytics.ml.audio_space import DESCRIBED, MODEL_VERSION, FeatureSpace, fit_space

SIMILARITY_COLUMNS = [
    "id",
    "neighbour_id",
    "rank",
    "distance",
    "similarity",
    "drivers",
    "explanation",
    "model_version",
]


def shared_traits(a: pd.Series, b: pd.Series, *, limit: int = 3) -> list[tuple[str, float]]:
    """Features driving the match of two standardised rows: (feature, strength), strongest first.

    strength = min(|z_a|, |z_b|) - |z_a - z_b| when both lie on the same side of the average.
    """
    same_side = np.sign(a) == np.sign(b)
    strength = np.minimum(a.abs(), b.abs()) - (a - b).abs()
    strength = strength[same_side & (strength > 0.25)].sort_values(ascending=False)
    return [(str(k), float(v)) for k, v in strength.head(limit).items()]


# Words for the space's other features, for explanations only (clusters are named from DESCRIBED).
TRAIT_WORDS: dict[str, tuple[str, str]] = {
    "beat_strength": ("soft beats", "strong beats"),
    "spectral_bandwidth_hz": ("narrow sound", "wide sound"),
    "spectral_rolloff_hz": ("soft highs", "crisp highs"),
    "zero_crossing_rate": ("smooth", "gritty"),
}


def trait_token(feature: str, z: float) -> str:
    """A shared trait as a token a report puts in words in its own language: ``tempo_bpm+``
    (both high), ``tempo_bpm-`` (both low), or ``timbre`` for any MFCC (as :func:`_words`)."""
    if feature.startswith("mfcc_"):
        return "timbre"
    return f"{feature}{'+' if z > 0 else '-'}"


def _words(feature: str, z: float) -> str:
    """A shared trait in words an artist reads: "both fast", "similar timbre"."""
    if feature in DESCRIBED or feature in TRAIT_WORDS:
        low, high = DESCRIBED.get(feature) or TRAIT_WORDS[feature]
        return f"both {high if z > 0 else low}"
    if feature.startswith("mfcc_"):
        return "similar timbre"  # an MFCC alone has no everyday name
    return f"similar {feature.replace('_', ' ')} ({'high' if z > 0 else 'low'})"


def similarity(
    features: pd.DataFrame,
    *,
    k: int = 5,
    columns: Sequence[str] | None = None,
    id_column: str | None = None,
    space: FeatureSpace | None = None,
) -> pd.DataFrame:
    """The ``k`` nearest tracks of every track, each with its drivers.

    Parameters
    ----------
    features : one row per track (``analytics.audio`` feature columns and an id column).
    k : neighbours per track (fewer when the catalog is smaller).
    columns : feature columns of the space (default ``audio_space.DEFAULT_COLUMNS``).
    id_column : the row id (default ``track_id``, else ``path``).
    space : a fitted space to reuse (then ``columns`` and ``id_column`` are ignored).

    Returns
    -------
    DataFrame with :data:`SIMILARITY_COLUMNS`: ``distance`` in standard deviations,
    ``similarity`` = 1 / (1 + distance / sqrt(dimensions)) in (0, 1], ``drivers`` a list of
    feature names and ``explanation`` the same in words ("both fast, both bright").
    """
    space = space or fit_space(features, columns=columns, id_column=id_column)
    n = len(space.z)
    if n < 2:
        return pd.DataFrame(columns=SIMILARITY_COLUMNS)
    k = min(k, n - 1)
    model = NearestNeighbors(n_neighbors=k + 1).fit(space.z.to_numpy())
    distances, indices = model.kneighbors(space.z.to_numpy())
    dims = np.sqrt(space.z.shape[1])
    rows = []
    for i, track in enumerate(space.z.index):
        others = [(d, j) for d, j in zip(distances[i], indices[i], strict=True) if j != i][:k]
        for rank, (distance, j) in enumerate(others, start=1):
            a, b = space.z.iloc[i], space.z.iloc[j]
            traits = shared_traits(a, b)
            explanation = (
                ", ".join(dict.fromkeys(_words(f, float(a[f])) for f, _ in traits))
                or "close on every feature, none distinctive"
            )
            score = float(1 / (1 + distance / dims))
            drivers = [f for f, _ in traits]
            rows.append(
                [track, space.z.index[j], rank, float(distance), score, drivers, explanation, MODEL_VERSION]
            )
    return pd.DataFrame(rows, columns=SIMILARITY_COLUMNS)


def sounds_like(features: pd.DataFrame, track_id: str, *, k: int = 5, **kwargs: object) -> pd.DataFrame:
    """The ``k`` tracks that sound most like ``track_id`` (rows of :func:`similarity`)."""
    table = similarity(features, k=k, **kwargs)  # type: ignore[arg-type]
    if track_id not in set(table["id"]):
        raise KeyError(f"{track_id!r} is not in the feature table")
    return table[table["id"] == track_id].reset_index(drop=True)


def projection(
    features: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    id_column: str | None = None,
    space: FeatureSpace | None = None,
) -> pd.DataFrame:
    """2-D map of the space (first two principal components), for a "sounds like" scatter plot.

    Returns
    -------
    DataFrame ``id``, ``x``, ``y``, ``model_version``; ``attrs["explained_variance"]`` holds the
    share of the variance each axis shows. Close points are similar tracks (distances are only
    approximately kept: use :func:`similarity` for the actual neighbours).
    """
    from sklearn.decomposition import PCA

    space = space or fit_space(features, columns=columns, id_column=id_column)
    if len(space.z) < 2:
        return pd.DataFrame(columns=["id", "x", "y", "model_version"])
    pca = PCA(n_components=2, svd_solver="full").fit(space.z.to_numpy())
    xy = pca.transform(space.z.to_numpy())
    xy *= np.where(pca.components_.sum(axis=1) < 0, -1, 1)  # deterministic sign
    table = pd.DataFrame({"id": space.z.index, "x": xy[:, 0], "y": xy[:, 1], "model_version": MODEL_VERSION})
    table.attrs["explained_variance"] = [float(v) for v in pca.explained_variance_ratio_]
    return table
