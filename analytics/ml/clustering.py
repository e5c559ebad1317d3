"""Groups of tracks described in words, and tracks that stand out from the catalog.

:func:`cluster` runs seeded k-means in the standardised space (choosing k by silhouette when
not given) and names each group from its centroid ("slow, quiet, minor"). :func:`outliers`
flags single features far from the catalog median in robust units (median absolute
deviation), e.g. a master mixed far louder than the rest, and says so in a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from analytics.audio.features import FEATURES
from analytics.ml.audio_space import MODEL_VERSION, SEED, FeatureSpace, default_id_column, describe, fit_space

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

OUTLIER_FEATURES: tuple[str, ...] = (
    "loudness_lufs",
    "true_peak_dbtp",
    "dynamic_range_db",
    "loudness_range_lu",
    "tempo_bpm",
    "spectral_centroid_hz",
    "energy",
    "duration_s",
    "silence_ratio",
)
OUTLIER_COLUMNS = [
    "id",
    "feature",
    "value",
    "unit",
    "catalog_median",
    "robust_z",
    "description",
    "model_version",
]


@dataclass(frozen=True)
class Clustering:
    """``assignments`` (id, cluster, distance), ``clusters`` (cluster, size, description, centroid z)."""

    assignments: pd.DataFrame
    clusters: pd.DataFrame
    k: int
    silhouette: float
    model_version: str = MODEL_VERSION

    def audit_record(self) -> AuditRecord:
        """The ``clusters`` record: k, the model version and each group in words."""
        described = dict(zip(self.clusters["cluster"].astype(str), self.clusters["description"], strict=True))
        return {"outputs": {"k": self.k, "model_version": self.model_version}, "details": described}


def cluster(
    features: pd.DataFrame,
    *,
    k: int | None = None,
    max_k: int = 8,
    seed: int = SEED,
    columns: Sequence[str] | None = None,
    id_column: str | None = None,
    space: FeatureSpace | None = None,
) -> Clustering:
    """Cluster tracks into ``k`` groups (default: the k in 2..max_k with the best silhouette).

    Parameters
    ----------
    features : one row per track (``analytics.audio`` features and an id column).
    k : number of groups; None chooses it.
    seed : k-means seed (results are reproducible for a given seed and data).
    columns, id_column, space : as in :func:`analytics.ml.similarity.similarity`.
    """
    space = space or fit_space(features, columns=columns, id_column=id_column)
    x = space.z.to_numpy()
    n = len(x)
    if n < 3:
        raise ValueError(f"clustering needs at least 3 tracks, got {n}")
    candidates = [k] if k else list(range(2, min(max_k, n - 1) + 1))
    best: tuple[float, KMeans] | None = None
    for count in candidates:
        model = KMeans(n_clusters=count, n_init=10, random_state=seed).fit(x)
        labels = model.labels_
        score = float(silhouette_score(x, labels)) if len(set(labels)) > 1 else -1.0
        if best is None or score > best[0]:
            best = (score, model)
    assert best is not None
    score, model = best
    labels = model.labels_
    centroids = pd.DataFrame(model.cluster_centers_, columns=space.z.columns)
    distances = np.linalg.norm(x - model.cluster_centers_[labels], axis=1)
    assignments = pd.DataFrame(
        {
            "id": space.z.index,
            "cluster": labels.astype(int),
            "distance": distances,
            "model_version": MODEL_VERSION,
        }
    )
    sizes = np.bincount(labels, minlength=len(centroids))
    clusters = pd.DataFrame(
        {
            "cluster": range(len(centroids)),
            "size": sizes,
            "description": [describe(centroids.iloc[i]) for i in range(len(centroids))],
        }
    ).join(centroids.add_prefix("z_"))
    return Clustering(assignments=assignments, clusters=clusters, k=len(centroids), silhouette=score)


def outliers(
    features: pd.DataFrame,
    *,
    threshold: float = 3.5,
    columns: Sequence[str] = OUTLIER_FEATURES,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Features of single tracks far from the catalog median, most extreme first.

    robust_z = 0.6745 x (value - median) / MAD (comparable to a z-score for normal data); a
    row is reported when |robust_z| >= ``threshold``. Features whose MAD is 0 (all tracks
    alike) use the mean absolute deviation instead; constant features are skipped.

    Returns
    -------
    DataFrame with :data:`OUTLIER_COLUMNS`, e.g. ``loudness_lufs -7.9 LUFS, 9.6 LU above the
    catalog median -17.5 LUFS (robust z 8.1)``.
    """
    ids = features[id_column or default_id_column(features)].astype(str).to_numpy()
    rows = []
    for column in (c for c in columns if c in features.columns):
        values = pd.to_numeric(features[column], errors="coerce").to_numpy(dtype=float)
        finite = np.isfinite(values)
        if finite.sum() < 4:
            continue
        median = float(np.median(values[finite]))
        spread = float(np.median(np.abs(values[finite] - median)))
        if spread == 0:
            spread = float(np.mean(np.abs(values[finite] - median))) / 0.8
        if spread == 0:
            continue
        z = 0.6745 * (values - median) / spread
        unit = FEATURES[column].unit if column in FEATURES else ""
        for track, value, score in zip(ids, values, z, strict=True):
            if np.isfinite(score) and abs(score) >= threshold:
                direction = "above" if value > median else "below"
                text = (
                    f"{column} {value:.1f} {unit}, {abs(value - median):.1f} {direction} the catalog median "
                    f"{median:.1f} (robust z {score:+.1f})"
                )
                rows.append([track, column, float(value), unit, median, float(score), text, MODEL_VERSION])
    table = pd.DataFrame(rows, columns=OUTLIER_COLUMNS)
    return table.reindex(table["robust_z"].abs().sort_values(ascending=False).index).reset_index(drop=True)
