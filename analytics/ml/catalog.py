"""The analysed catalog described for the reports: features flat, sounds-like neighbours, groups in words.

:func:`describe_catalog` writes the run's audio datasets (``track_audio_features``,
``sounds_like``, ``clusters``) from the stored features of one analysis, one row per recording
for the models: a single and its album version are never each other's neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.audio.store import one_per_recording
from analytics.ml import clustering, similarity

MIN_TRACKS = 3  # fewer recordings than this: no neighbours, no groups


@dataclass(frozen=True)
class CatalogDescription:
    """What :func:`describe_catalog` wrote; ``groups`` is None below :data:`MIN_TRACKS` recordings."""

    written: list[Path]
    groups: clustering.Clustering | None = None


def describe_catalog(frame: pd.DataFrame, *, datasets_dir: Path) -> CatalogDescription:
    """Write the audio datasets of a run under ``datasets_dir``.

    Parameters
    ----------
    frame : the stored track features (one row per track, ``features`` a dict per row, with
        ``track_id`` and, where known, ``audio_hash`` and ``match_method``).
    datasets_dir : the run's datasets folder (created if missing).

    Returns
    -------
    CatalogDescription : the files written; with at least :data:`MIN_TRACKS` recordings also
        ``sounds_like.parquet`` (3 nearest neighbours) and ``clusters.parquet`` (seeded k-means,
        k ≤ 4, each group described in words).
    """
    datasets_dir.mkdir(parents=True, exist_ok=True)
    features = pd.json_normalize(frame["features"].tolist())
    flat = pd.concat([frame.drop(columns=["features"]), features.add_prefix("f_")], axis=1)
    written = [datasets_dir / "track_audio_features.parquet"]
    flat.to_parquet(written[0], index=False)
    recordings = one_per_recording(frame)
    features = pd.json_normalize(recordings["features"].tolist()).assign(
        track_id=recordings["track_id"].to_numpy()
    )
    if len(features) < MIN_TRACKS:
        return CatalogDescription(written)
    neighbours = similarity.similarity(features, k=min(3, len(features) - 1), id_column="track_id")
    neighbours.to_parquet(datasets_dir / "sounds_like.parquet", index=False)
    groups = clustering.cluster(features, max_k=min(4, len(features) - 1), id_column="track_id")
    groups.assignments.to_parquet(datasets_dir / "clusters.parquet", index=False)
    written += [datasets_dir / "sounds_like.parquet", datasets_dir / "clusters.parquet"]
    return CatalogDescription(written, groups)
