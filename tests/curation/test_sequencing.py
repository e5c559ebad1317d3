from __future__ import annotations

import itertools
import random

import numpy as np

from analytics.curation import (
    arc_lower_bound,
    best_nearest_neighbour,
    build_problem,
    exact_order,
    greedy_order,
    lower_bound,
    optimise,
    random_order,
    total_cost,
    transitions_lower_bound,
)
from analytics.curation.sequencing import Problem
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


def test_the_lower_bound_is_never_above_the_optimum() -> None:
    for seed, pins in ((0, {}), (1, {"t0002": 0, "t0005": 4}), (2, {"t0001": 6}), (3, {}), (4, {})):
        problem = _problem(9, seed, pins)
        optimum = total_cost(problem, exact_order(problem))
        bound = lower_bound(problem)
        assert 0.0 < bound <= optimum + 1e-9, (bound, optimum)
        no_arc = Problem(problem.d, [[0.0] * 9 for _ in range(9)], {})
        assert transitions_lower_bound(problem) <= total_cost(no_arc, exact_order(no_arc)) + 1e-9


def test_the_transitions_bound_is_tight() -> None:
    # Tracks on a line: the cheapest path walks it once, from one end to the other.
    xs = np.random.default_rng(7).uniform(0, 10, size=25)
    d = np.abs(xs[:, None] - xs[None, :]).tolist()
    line = Problem(d, [[0.0] * 25 for _ in range(25)], {})
    assert abs(transitions_lower_bound(line) - (xs.max() - xs.min())) < 1e-6
    # A random catalog: the local search's order without the arc is within 2 % of the bound.
    problem = _problem(60, 5)
    no_arc = Problem(problem.d, [[0.0] * 60 for _ in range(60)], {})
    searched = total_cost(no_arc, optimise(no_arc, seed=5))
    bound = transitions_lower_bound(problem)
    assert 0.98 * searched <= bound <= searched + 1e-9, (bound, searched)


def test_the_arc_bound_is_the_cheapest_assignment_with_pins() -> None:
    arc = [[(t - p) ** 2 + 0.5 * t for p in range(6)] for t in range(6)]
    problem = Problem([[0.0] * 6 for _ in range(6)], arc, {0: 5})
    brute = min(
        sum(arc[t][p] for p, t in enumerate(order))
        for order in itertools.permutations(range(6))
        if order[0] == 5
    )
    assert abs(arc_lower_bound(problem) - brute) < 1e-9
