"""Similarity: nearest neighbours in the standardised audio space, explained by shared traits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.ml.audio_space import MODEL_VERSION, describe, fit_space
from analytics.ml.similarity import shared_traits, similarity, sounds_like

GROUPS = {
    "hush": dict(
        tempo_bpm=70,
        loudness_lufs=-24,
        mode="minor",
        energy=0.3,
        spectral_centroid_hz=800,
        onset_rate_per_s=1.0,
    ),
    "drive": dict(
        tempo_bpm=165,
        loudness_lufs=-9,
        mode="major",
        energy=0.85,
        spectral_centroid_hz=3200,
        onset_rate_per_s=6.0,
    ),
    "mid": dict(
        tempo_bpm=110,
        loudness_lufs=-15,
        mode="major",
        energy=0.55,
        spectral_centroid_hz=1600,
        onset_rate_per_s=3.0,
    ),
}


def synthetic_catalog(seed: int = 0, per_group: int = 8) -> pd.DataFrame:
    """Three groups of tracks with known character, small seeded jitter on every feature."""
    rng = np.random.default_rng(seed)
    rows = []
    for group, centre in GROUPS.items():
        for i in range(per_group):
            row: dict[str, object] = {"track_id": f"{group}-{i}", "group": group, "mode": centre["mode"]}
            for name, value in centre.items():
                if name != "mode":
                    row[name] = float(value) * (1 + 0.04 * rng.standard_normal())
            row["beat_regularity"] = (0.9 if group == "mid" else 0.4) + 0.03 * rng.standard_normal()
            row["spectral_flatness"] = (0.02 if group == "mid" else 0.06) + 0.003 * rng.standard_normal()
            rows.append(row)
    return pd.DataFrame(rows)


def test_neighbours_come_from_the_same_group_and_say_why() -> None:
    table = synthetic_catalog()
    groups = table.set_index("track_id")["group"]
    result = similarity(table, k=3)
    assert len(result) == len(table) * 3
    assert (result["id"].map(groups) == result["neighbour_id"].map(groups)).all()
    assert set(result["model_version"]) == {MODEL_VERSION}
    hush = result[result["id"] == "hush-0"].iloc[0]
    assert {"tempo_bpm", "loudness_lufs"} & set(hush["drivers"])
    assert "both" in hush["explanation"] and ("slow" in hush["explanation"] or "quiet" in hush["explanation"])
    assert result["similarity"].between(0, 1).all()
    assert result.groupby("id")["distance"].apply(lambda d: d.is_monotonic_increasing).all()


def test_sounds_like_one_track() -> None:
    table = synthetic_catalog()
    rows = sounds_like(table, "drive-3", k=2)
    assert list(rows["rank"]) == [1, 2] and all(n.startswith("drive-") for n in rows["neighbour_id"])
    with pytest.raises(KeyError, match="nope"):
        sounds_like(table, "nope")


def test_average_pairs_have_no_driver() -> None:
    a = pd.Series({"tempo_bpm": 0.1, "loudness_lufs": -0.1})
    assert shared_traits(a, a.copy()) == []
    b = pd.Series({"tempo_bpm": 2.0, "loudness_lufs": -1.5})
    assert [name for name, _ in shared_traits(b, b * 0.9)] == ["tempo_bpm", "loudness_lufs"]


def test_space_standardises_and_logs() -> None:
    table = synthetic_catalog()
    space = fit_space(table)
    assert np.allclose(space.z.mean(), 0, atol=1e-9) and np.allclose(space.z.std(ddof=0), 1, atol=1e-9)
    assert "mode_minor" in space.columns
    assert describe(space.z.loc["hush-1"]).count(",") <= 2
    with pytest.raises(ValueError, match="duplicate"):
        fit_space(pd.concat([table, table.head(1)]))


def test_projection_keeps_groups_apart() -> None:
    from analytics.ml.similarity import projection

    table = synthetic_catalog()
    points = projection(table).merge(table[["track_id", "group"]], left_on="id", right_on="track_id")
    centres = points.groupby("group")[["x", "y"]].mean()
    spread = points.groupby("group")[["x", "y"]].std().to_numpy().max()
    gaps = [
        np.linalg.norm(centres.loc[a] - centres.loc[b])
        for a, b in (("hush", "drive"), ("hush", "mid"), ("mid", "drive"))
    ]
    assert min(gaps) > 3 * spread
    assert sum(projection(table).attrs["explained_variance"]) > 0.5


def test_explanations_name_traits_in_words_not_column_names() -> None:
    from analytics.ml.similarity import _words

    assert _words("mfcc_03_mean", -1.2) == "similar timbre"
    assert _words("spectral_rolloff_hz", 1.0) == "both crisp highs"
    assert _words("tempo_bpm", -0.8) == "both slow"
    table = synthetic_catalog()
    rng = np.random.default_rng(1)
    centre = table["group"].map({g: k for k, g in enumerate(GROUPS)}).to_numpy(float) * 20 - 20
    for i in range(1, 13):  # timbre that follows the groups strongly
        table[f"mfcc_{i:02d}_mean"] = centre * (1 + i / 6) + rng.standard_normal(len(table))
    explanations = similarity(table, k=3)["explanation"]
    assert explanations.str.contains("similar timbre").any()
    assert not explanations.str.contains(r"mfcc|_hz|_mean").any()
    assert not explanations.str.contains(r"similar timbre.*similar timbre").any()  # said once
