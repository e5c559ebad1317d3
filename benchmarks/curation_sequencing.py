"""Sequencing quality and speed: the optimiser against greedy nearest neighbour and random order.

For each catalog, the same selected tracks are ordered and scored with the same total cost
(transitions + energy arc):

- the optimiser (exact Held-Karp up to 12 tracks; else greedy start, Or-opt / 2-opt / swap local
  search and seeded kicks);
- greedy nearest neighbour (transitions only), in its strongest form: the best (by the full
  cost) of the nearest-neighbour orders from every opening track; also printed: nearest
  neighbour from the optimiser's own opening track;
- a random order (mean of 5 seeds).

Prints every seed (100, 200 and 500 tracks), the optimiser's time (wall clock and this process's CPU
time, which a loaded machine inflates less; after the one-off JIT compile, printed apart), and the ratios (goal: >= 15 % lower cost than greedy, < 2 s for 500
tracks). The demo catalog is measured as ``make run`` sequences it: with the audio features
the track analysis computes from the demo excerpts (11 of its 23 tracks; the others' transitions
are neutral), and also without any. The demo playlists (<= 12 tracks) are solved exactly, so
their ratio is the most any order can reach.

Every order is compared with a lower bound (``analytics.curation.lower_bound``: the Held-Karp
bound on the transitions plus the cheapest assignment of the arc): the optimiser is at most
that far above the optimum, and no order can be further below greedy than the bound. The
search itself is also measured where the optimum is known tightly: on the transitions alone,
where the Held-Karp bound is within a fraction of a per cent of the best order.

    uv run python benchmarks/curation_sequencing.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import demo
from analytics.audio.batch import analyze_files
from analytics.audio.matching import catalog_tracks, match_files
from analytics.audio.store import track_features
from analytics.audio.tags import read_all_tags
from analytics.curation import (
    Candidate,
    best_nearest_neighbour,
    build_problem,
    candidates_from_catalog,
    curate,
    greedy_order,
    load_definition,
    lower_bound,
    optimise,
    random_order,
    total_cost,
    transitions_lower_bound,
)
from analytics.curation.candidates import KEYS, with_features
from analytics.curation.sequencing import Problem

ROOT = Path(__file__).resolve().parents[1]


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


def measure(label: str, problem: Problem, seed: int) -> dict[str, float]:
    start, cpu = time.perf_counter(), time.process_time()
    order = optimise(problem, seed=seed)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    best = total_cost(problem, order)
    _, nearest = best_nearest_neighbour(problem)
    same_start = total_cost(problem, greedy_order(problem, with_arc=False, start=order[0]))
    shuffled = statistics.mean(total_cost(problem, random_order(problem, seed=s)) for s in range(5))
    bound = lower_bound(problem)
    print(
        f"{label:<24} n={problem.n:>3}  optimiser {best:8.2f}  best greedy NN {nearest:8.2f} "
        f"({1 - best / nearest:6.2%} lower)  NN same start {same_start:8.2f} ({1 - best / same_start:6.1%})  "
        f"random {shuffled:8.2f} ({1 - best / shuffled:6.1%})  time {seconds:5.2f} s (CPU {cpu_seconds:5.2f} s)\n"
        f"{'':<24} lower bound {bound:8.2f}: the optimiser is at most {best / bound - 1:.1%} above the optimum; "
        f"no order is more than {1 - bound / nearest:.1%} below the best greedy NN",
        flush=True,
    )
    return {
        "best": best,
        "greedy": nearest,
        "same_start": same_start,
        "random": shuffled,
        "seconds": seconds,
        "cpu": cpu_seconds,
        "bound": bound,
    }


def search_quality(problem: Problem, seed: int) -> float:
    """How far the search is from the optimum where that is known tightly: transitions alone.

    Without the arc the problem is the shortest path through every track, for which the
    Held-Karp bound is within a fraction of a per cent of the optimum; the search's distance
    above the bound is (nearly) its distance from the best order.
    """
    flat = Problem(problem.d, [[0.0] * problem.n for _ in range(problem.n)], {})
    searched = total_cost(flat, optimise(flat, seed=seed))
    bound = transitions_lower_bound(problem, upper=searched)
    print(
        f"{'':<24} transitions alone (no arc): optimiser {searched:8.2f}, Held-Karp bound {bound:8.2f}: "
        f"at most {searched / bound - 1:.1%} above the optimum",
        flush=True,
    )
    return searched / bound - 1


def demo_features() -> pd.DataFrame:
    """The demo excerpts' features, as the track analysis of ``make run`` stores them."""
    catalog = demo.load_catalog()
    paths = demo.audio_files()
    with tempfile.TemporaryDirectory() as tmp:
        batch = analyze_files(paths, cache_dir=Path(tmp), workers=1)
    tracks = catalog_tracks(catalog)
    matches = match_files(read_all_tags([str(p) for p in paths]), tracks)
    return track_features(batch.features, matches.matches, tracks)


def demo_part() -> None:
    catalog = demo.load_catalog()
    plain = candidates_from_catalog(catalog)
    analysed = with_features(plain, demo_features())
    print(
        f"demo catalog: {sum(c.tempo_bpm is not None for c in analysed)} of {len(analysed)} tracks with audio features"
    )
    for label, tracks in (("demo, no features", plain), ("demo, analysed excerpts", analysed)):
        problem = build_problem(tracks, arc="rise_fall", pins={})
        measure(label, problem, 0)
    tracks = analysed
    for name in ("maxstack-essentials", "calm-evening"):
        definition = load_definition(ROOT / "config" / "playlists" / f"{name}.yaml")
        curated = curate(definition, tracks, today=date(2026, 11, 23))
        chosen = [p.track for p in curated.tracks]
        pins = {p.track_id: p.position for p in definition.constraints.pinned}
        sub = build_problem(chosen, arc=definition.energy_arc, pins=pins)
        started = time.perf_counter()
        order = optimise(sub, seed=definition.seed)
        seconds = time.perf_counter() - started
        best = total_cost(sub, order)
        greedy = total_cost(sub, greedy_order(sub, with_arc=False))
        exact = "exact optimum" if sub.n <= 12 else "optimiser"
        with_audio = sum(c.tempo_bpm is not None for c in chosen)
        print(
            f"demo playlist {name:<20} n={sub.n:>3} ({with_audio} with features)  {exact} {best:7.2f}  greedy NN (pins in place) {greedy:7.2f} "
            f"({1 - best / greedy:6.1%} lower)  lower bound {lower_bound(sub):7.2f}  time {seconds:5.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    warm = build_problem(synthetic(40, 99), arc="rise_fall", pins={})
    started = time.perf_counter()
    optimise(warm, seed=0)
    print(
        f"JIT compile or cache load of the local search (once per process): {time.perf_counter() - started:.2f} s"
    )
    demo_part()
    results: dict[int, list[dict[str, float]]] = {}
    for n in (100, 200, 500):
        for seed in range(args.seeds):
            problem = build_problem(synthetic(n, seed), arc="rise_fall", pins={})
            row = measure(f"synthetic seed {seed}", problem, seed)
            row["search_gap"] = search_quality(problem, seed)
            results.setdefault(n, []).append(row)
    print()
    for n, rows in results.items():
        ratios = [1 - r["best"] / r["greedy"] for r in rows]
        same = [1 - r["best"] / r["same_start"] for r in rows]
        vs_same = statistics.mean(same)
        met_same = "met" if min(same) >= 0.15 else "NOT met for every seed"
        vs_random = statistics.mean(1 - r["best"] / r["random"] for r in rows)
        worst = max(r["seconds"] for r in rows)
        worst_cpu = max(r["cpu"] for r in rows)
        met = "met" if min(ratios) >= 0.15 else "NOT met for every seed"
        print(
            f"n={n}: optimiser cost {statistics.mean(ratios):.1%} lower than the best greedy NN "
            f"(seeds {min(ratios):.2%} to {max(ratios):.2%}; goal 15 %: {met}), {vs_same:.1%} lower than NN "
            f"from the same start (seeds {min(same):.2%} to {max(same):.2%}; goal 15 %: {met_same}), "
            f"{vs_random:.1%} lower than random; time at most {worst:.2f} s "
            f"(CPU {worst_cpu:.2f} s); without the arc at most {max(r['search_gap'] for r in rows):.1%} "
            f"above the optimum; no order more than {min(1 - r['bound'] / r['greedy'] for r in rows):.1%} "
            "below the best greedy NN on its worst seed (the bound)"
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
