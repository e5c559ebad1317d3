"""Sequencing quality and speed: the optimiser against greedy nearest neighbour and random order.

For each catalog, the same selected tracks are ordered three ways and scored with the same total
cost (transitions + energy arc): the optimiser (greedy start with the arc, then 2-opt, Or-opt and
swaps), the greedy nearest-neighbour baseline (transitions only) and a random order (mean of 5
seeds). Prints the ratios with the absolute costs, and the optimiser's time for 100 and 500
tracks (goal: >= 15 % lower cost than greedy, < 2 s for 500 tracks).

Catalogs: the demo catalog (23 tracks; it carries no audio features unless the warehouse has
them, so only the same-album term and the neutral terms differ) and synthetic catalogs of 100,
200 and 500 tracks with seeded features.

    uv run python benchmarks/curation_sequencing.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import demo
from analytics.curation import (
    Candidate,
    build_problem,
    candidates_from_catalog,
    greedy_order,
    optimise,
    random_order,
    total_cost,
)
from analytics.curation.candidates import KEYS


def synthetic(n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    return [
        Candidate(
            track_id=f"t{i}",
            name=f"Track {i}",
            album_id=f"a{rng.randrange(max(1, n // 8))}",
            album_name="",
            artist_ids=("x",),
            release_date="2020",
            duration_ms=200_000,
            tempo_bpm=rng.uniform(70, 170),
            key=rng.choice(KEYS),
            mode=rng.choice(["major", "minor"]),
            energy=rng.random(),
            loudness_lufs=rng.uniform(-18, -6),
        )
        for i in range(n)
    ]


def measure(label: str, tracks: list[Candidate], seed: int) -> dict[str, float]:
    problem = build_problem(tracks, arc="rise_fall", pins={})
    start = time.perf_counter()
    order = optimise(problem, seed=seed)
    seconds = time.perf_counter() - start
    best = total_cost(problem, order)
    greedy = total_cost(problem, greedy_order(problem, with_arc=False))
    shuffled = statistics.mean(total_cost(problem, random_order(problem, seed=s)) for s in range(5))
    print(
        f"{label:<22} n={len(tracks):>3}  optimiser {best:8.2f}  greedy {greedy:8.2f} "
        f"({1 - best / greedy:6.1%} lower)  random {shuffled:8.2f} ({1 - best / shuffled:6.1%} lower)  "
        f"time {seconds:5.2f} s"
    )
    return {"best": best, "greedy": greedy, "random": shuffled, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    measure("demo catalog", candidates_from_catalog(demo.load_catalog()), 0)
    results: dict[int, list[dict[str, float]]] = {}
    for n in (100, 200, 500):
        for seed in range(args.seeds):
            results.setdefault(n, []).append(measure(f"synthetic seed {seed}", synthetic(n, seed), seed))
    print()
    for n, rows in results.items():
        vs_greedy = statistics.mean(1 - r["best"] / r["greedy"] for r in rows)
        vs_random = statistics.mean(1 - r["best"] / r["random"] for r in rows)
        worst = max(r["seconds"] for r in rows)
        print(
            f"n={n}: optimiser cost {vs_greedy:.1%} lower than greedy, {vs_random:.1%} lower than random; "
            f"time at most {worst:.2f} s over {len(rows)} seeds"
        )


if __name__ == "__main__":
    main()
