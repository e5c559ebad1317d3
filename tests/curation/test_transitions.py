from __future__ import annotations

import random

import pytest

from analytics.curation import Candidate, camelot, camelot_distance, transition_cost
from analytics.curation.transitions import NEUTRAL, describe_transition, transition_matrix
from tests.curation.conftest import random_candidates


@pytest.mark.parametrize(
    ("key", "mode", "code"),
    [
        ("C", "major", (8, "B")),
        ("A", "minor", (8, "A")),
        ("G", "major", (9, "B")),
        ("B", "major", (1, "B")),
        ("F", "minor", (4, "A")),
        ("F#", "major", (2, "B")),
        ("D", "minor", (7, "A")),
    ],
)
def test_camelot_codes(key: str, mode: str, code: tuple[int, str]) -> None:
    assert camelot(key, mode) == code


def test_camelot_distance_wraps_and_counts_mode_switch() -> None:
    assert camelot_distance((12, "A"), (1, "A")) == 1
    assert camelot_distance((8, "A"), (8, "B")) == 1
    assert camelot_distance((3, "B"), (9, "B")) == 6
    assert camelot(None, "major") is None


def _c(**kw: object) -> Candidate:
    base: dict[str, object] = dict(
        track_id="x", name="x", album_id="a", album_name="", artist_ids=(), release_date="2020", duration_ms=1
    )
    base.update(kw)
    return Candidate(**base)  # type: ignore[arg-type]


def test_cost_prefers_close_tempo_and_compatible_keys() -> None:
    a = _c(track_id="a", album_id="1", tempo_bpm=120, key="C", mode="major", energy=0.5, loudness_lufs=-9)
    near = _c(track_id="b", album_id="2", tempo_bpm=124, key="G", mode="major", energy=0.55, loudness_lufs=-9)
    far = _c(track_id="c", album_id="3", tempo_bpm=150, key="F#", mode="major", energy=0.9, loudness_lufs=-4)
    assert transition_cost(a, near) < transition_cost(a, far)
    assert "next key on the Camelot wheel (8B to 9B)" in describe_transition(a, near)
    assert "+4 BPM" in describe_transition(a, near)
    # double time is nearly as good as the same tempo
    double = _c(
        track_id="d", album_id="4", tempo_bpm=240, key="C", mode="major", energy=0.5, loudness_lufs=-9
    )
    assert transition_cost(a, double) < transition_cost(a, far)


def test_missing_features_cost_neutral_and_same_album_costs_more() -> None:
    a, b = _c(track_id="a", album_id="1"), _c(track_id="b", album_id="2")
    assert transition_cost(a, b) == pytest.approx(4 * NEUTRAL)
    assert transition_cost(a, _c(track_id="c", album_id="1")) > transition_cost(a, b)


def test_matrix_matches_the_pairwise_cost() -> None:
    tracks = random_candidates(random.Random(4), 40, features=0.7)
    d = transition_matrix(tracks)
    for i in range(len(tracks)):
        for j in range(len(tracks)):
            expected = 0.0 if i == j else transition_cost(tracks[i], tracks[j])
            assert d[i][j] == pytest.approx(expected, abs=1e-9)
