from __future__ import annotations

import itertools
import random

from analytics.curation import (
    best_nearest_neighbour,
    build_problem,
    exact_order,
    greedy_order,
    optimise,
    random_order,
    total_cost,
)
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


def test_exact_order_is_the_brute_force_optimum_with_pins() -> None:
    for seed, pins in ((0, {}), (1, {"t0002": 0, "t0005": 4}), (2, {"t0001": 6})):
        problem = _problem(7, seed, pins)
        fixed = problem.pins
        best = min(
            total_cost(problem, list(p))
            for p in itertools.permutations(range(7))
            if all(p[pos] == t for pos, t in fixed.items())
        )
        order = exact_order(problem)
        assert sorted(order) == list(range(7)) and all(order[pos] == t for pos, t in fixed.items())
        assert abs(total_cost(problem, order) - best) < 1e-9


def test_short_playlists_are_sequenced_optimally() -> None:
    problem = _problem(11, 4, {"t0003": 2})
    assert optimise(problem, seed=0) == exact_order(problem)
    assert total_cost(problem, exact_order(problem)) <= total_cost(problem, greedy_order(problem)) + 1e-9


def test_the_baseline_is_the_best_nearest_neighbour_over_every_start() -> None:
    problem = _problem(30, 3)
    order, cost = best_nearest_neighbour(problem)
    each = [total_cost(problem, greedy_order(problem, with_arc=False, start=t)) for t in range(30)]
    assert abs(cost - min(each)) < 1e-9 and abs(total_cost(problem, order) - cost) < 1e-9
    assert cost <= total_cost(problem, greedy_order(problem, with_arc=False)) + 1e-9
    best = total_cost(problem, optimise(problem, seed=3))
    assert best < 0.9 * cost, (best, cost)
