from __future__ import annotations

import random

from analytics.curation import build_problem, greedy_order, optimise, random_order, total_cost
from tests.curation.conftest import random_candidates


def _problem(n: int, seed: int, pins: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    tracks = random_candidates(random.Random(seed), n, albums=20, features=0.9)
    return build_problem(tracks, arc="rise_fall", pins=pins or {})


def test_optimiser_beats_greedy_and_random() -> None:
    for seed in range(3):
        problem = _problem(80, seed)
        best = total_cost(problem, optimise(problem, seed=seed))
        nearest = total_cost(problem, greedy_order(problem, with_arc=False))
        shuffled = total_cost(problem, random_order(problem, seed=seed))
        assert best <= total_cost(problem, greedy_order(problem)) + 1e-9
        assert best < 0.9 * nearest, (best, nearest)
        assert best < 0.6 * shuffled, (best, shuffled)


def test_pins_stay_and_every_track_appears_once() -> None:
    pins = {"t0003": 0, "t0010": 17, "t0020": 39}
    problem = _problem(40, 1, pins)
    order = optimise(problem, seed=1)
    assert sorted(order) == list(range(40))
    assert (order[0], order[17], order[39]) == (3, 10, 20)


def test_same_seed_same_order() -> None:
    problem = _problem(60, 2)
    assert optimise(problem, seed=5) == optimise(problem, seed=5)
