"""Clustering described in words, and outliers (a master far louder than the rest)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
from test_similarity import GROUPS, synthetic_catalog

from analytics.audio.batch import analyze_files
from analytics.demo import audio_files
from analytics.ml.audio_space import MODEL_VERSION
from analytics.ml.clustering import cluster, outliers


def test_finds_the_three_groups_and_names_them() -> None:
    table = synthetic_catalog()
    result = cluster(table)
    assert result.k == 3 and result.silhouette > 0.5
    merged = result.assignments.merge(table, left_on="id", right_on="track_id")
    assert (merged.groupby("cluster")["group"].nunique() == 1).all()
    names = (
        merged.groupby("group")["cluster"].first().map(result.clusters.set_index("cluster")["description"])
    )
    assert {"slow", "quiet", "minor"} & set(names["hush"].split(", "))
    assert {"fast", "loud", "bright", "busy"} & set(names["drive"].split(", "))
    assert set(result.assignments["model_version"]) == {MODEL_VERSION}


def test_clustering_is_reproducible_for_a_seed() -> None:
    table = synthetic_catalog(seed=4)
    a, b = cluster(table, k=4, seed=1), cluster(table, k=4, seed=1)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    assert a.clusters["size"].sum() == len(table)


def test_outliers_flag_the_loud_master_only() -> None:
    table = synthetic_catalog()
    table = table[table["track_id"].str.startswith("mid")].copy()
    assert outliers(table).empty
    table.loc[table.index[2], "loudness_lufs"] = -6.0
    found = outliers(table)
    assert list(found["id"]) == ["mid-2"] and found["feature"].iloc[0] == "loudness_lufs"
    assert found["robust_z"].iloc[0] > 3.5 and "above the catalog median" in found["description"].iloc[0]
    assert GROUPS["mid"]["loudness_lufs"] == -15


def test_hot_master_among_the_demo_tracks_is_an_outlier(tmp_path: Path) -> None:
    files = [shutil.copy(p, tmp_path / p.name) for p in audio_files() if p.name.startswith("maxstack")]
    y, sr = sf.read(files[1], dtype="float32")
    hot = np.clip(y * 10 ** (12 / 20), -0.99, 0.99)  # +12 dB into a hard limiter
    sf.write(tmp_path / "hot-master.wav", hot, sr)
    batch = analyze_files([*files, tmp_path / "hot-master.wav"], cache_dir=tmp_path / "cache", workers=1)
    found = outliers(batch.features)
    hot_rows = found[found["id"].str.endswith("hot-master.wav")]
    assert "loudness_lufs" in set(hot_rows["feature"])
    assert not found[found["feature"] == "loudness_lufs"]["id"].str.endswith(".ogg").any()
