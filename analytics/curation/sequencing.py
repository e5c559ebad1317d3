"""Order the selected tracks: greedy start, then 2-opt, Or-opt and swap local search (seeded)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analytics.curation.candidates import Candidate
from analytics.curation.transitions import arc_targets, transition_matrix

EPS = 1e-9


@dataclass
class Problem:
    """Indices 0..n-1 of tracks; ``d`` transition costs, ``arc[t][p]`` cost of track t at position p."""

    d: list[list[float]]
    arc: list[list[float]]
    pins: dict[int, int]  # position -> track index

    @property
    def n(self) -> int:
        return len(self.d)


def build_problem(
    tracks: Sequence[Candidate], *, arc: str, pins: Mapping[str, int], arc_weight: float = 2.0
) -> Problem:
    """The sequencing problem for ``tracks`` with pinned ``{track_id: position}``."""
    n = len(tracks)
    energies = [t.energy for t in tracks if t.energy is not None]
    low, high = (min(energies), max(energies)) if energies else (0.0, 0.0)
    targets = arc_targets(n, arc, low=low, high=high)
    a = [
        [0.0 if t.energy is None else arc_weight * (t.energy - targets[p]) ** 2 for p in range(n)]
        for t in tracks
    ]
    index = {t.track_id: i for i, t in enumerate(tracks)}
    return Problem(transition_matrix(tracks), a, {pos: index[tid] for tid, pos in pins.items()})


def total_cost(problem: Problem, order: Sequence[int]) -> float:
    """Sum of the transition costs plus the arc cost of an order."""
    d, a = problem.d, problem.arc
    trans = sum(d[order[k]][order[k + 1]] for k in range(len(order) - 1))
    return trans + sum(a[t][p] for p, t in enumerate(order))


def greedy_order(problem: Problem, *, with_arc: bool = True) -> list[int]:
    """Nearest neighbour, position by position; pinned tracks at their positions."""
    n, d, a = problem.n, problem.d, problem.arc
    free = sorted(set(range(n)) - set(problem.pins.values()))
    order: list[int] = []
    for p in range(n):
        if p in problem.pins:
            order.append(problem.pins[p])
            continue
        prev = order[-1] if order else None
        nxt = problem.pins.get(p + 1)

        def cost(t: int, prev: int | None = prev, nxt: int | None = nxt, p: int = p) -> float:
            c = (d[prev][t] if prev is not None else 0.0) + (d[t][nxt] if nxt is not None else 0.0)
            return c + (a[t][p] if with_arc else 0.0)

        best = min(free, key=lambda t: (cost(t), t))
        free.remove(best)
        order.append(best)
    return order


def _edge(d: list[list[float]], s: list[int], k: int) -> float:
    return d[s[k]][s[k + 1]] if 0 <= k < len(s) - 1 else 0.0


def _segment_cost(problem: Problem, s: list[int], lo: int, hi: int) -> float:
    """Arc cost of positions lo..hi and the edges from lo-1 to hi+1."""
    d, a = problem.d, problem.arc
    return sum(a[s[p]][p] for p in range(lo, hi + 1)) + sum(_edge(d, s, k) for k in range(lo - 1, hi + 1))


def _try(problem: Problem, s: list[int], lo: int, hi: int, new: list[int]) -> bool:
    """Replace s[lo..hi] by ``new`` if that lowers the cost; say whether it did."""
    before = _segment_cost(problem, s, lo, hi)
    old = s[lo : hi + 1]
    s[lo : hi + 1] = new
    if _segment_cost(problem, s, lo, hi) < before - EPS:
        return True
    s[lo : hi + 1] = old
    return False


def local_search(
    problem: Problem, order: Sequence[int], *, seed: int = 0, window: int = 30, max_passes: int = 12
) -> list[int]:
    """Improve ``order`` with 2-opt reversals, Or-opt moves (1-3 tracks) and swaps until no move helps.

    Moves never shift a pinned track. 2-opt and Or-opt are screened by their O(1) change of
    transition cost, then checked with the arc; segments longer than ``window`` are not tried
    on long lists, and swaps try a seeded sample of partners, so 500 tracks take well under 2 s.
    """
    s = list(order)
    n = len(s)
    pinned = sorted(problem.pins)
    rng = random.Random(seed)
    w = n if n <= 3 * window else window
    d = problem.d

    def clear(lo: int, hi: int) -> bool:
        return not any(lo <= p <= hi for p in pinned)

    def e(x: int, y: int) -> float:
        return d[s[x]][s[y]] if 0 <= x < n and 0 <= y < n else 0.0

    for _ in range(max_passes):
        improved = False
        starts = list(range(n))
        rng.shuffle(starts)
        for i in starts:
            # 2-opt: reverse s[i..j]
            for j in range(i + 1, min(n, i + w)):
                if not clear(i, j):
                    break
                if e(i - 1, j) + e(i, j + 1) < e(i - 1, i) + e(j, j + 1) - EPS and _try(
                    problem, s, i, j, s[i : j + 1][::-1]
                ):
                    improved = True
            # Or-opt: move s[i..i+k-1] between s[j-1] and s[j]
            for k in (1, 2, 3):
                last = i + k - 1
                if last >= n:
                    break
                removal = e(i - 1, i) + e(last, last + 1) - e(i - 1, last + 1)
                for j in range(max(0, i - w), min(n, i + w) + 1):
                    if i <= j <= last + 1:
                        continue
                    insertion = e(j - 1, i) + e(last, j) - e(j - 1, j)
                    if insertion >= removal - EPS:
                        continue
                    lo, hi = (j, last) if j < i else (i, j - 1)
                    if not clear(lo, hi):
                        continue
                    seg = s[i : last + 1]
                    new = seg + s[j:i] if j < i else s[last + 1 : j] + seg
                    if _try(problem, s, lo, hi, new):
                        improved = True
                        break
            if i in problem.pins:
                continue
            others = range(n) if n <= 3 * window else rng.sample(range(n), window)
            for j in others:
                if j != i and j not in problem.pins and _try_swap(problem, s, i, j):
                    improved = True
        if not improved:
            break
    return s


def _try_swap(problem: Problem, s: list[int], i: int, j: int) -> bool:
    d, a = problem.d, problem.arc
    edges = sorted({k for k in (i - 1, i, j - 1, j) if 0 <= k < len(s) - 1})
    before = sum(d[s[k]][s[k + 1]] for k in edges) + a[s[i]][i] + a[s[j]][j]
    s[i], s[j] = s[j], s[i]
    after = sum(d[s[k]][s[k + 1]] for k in edges) + a[s[i]][i] + a[s[j]][j]
    if after < before - EPS:
        return True
    s[i], s[j] = s[j], s[i]
    return False


def optimise(problem: Problem, *, seed: int = 0) -> list[int]:
    """The optimiser: greedy start with the arc, then local search."""
    return local_search(problem, greedy_order(problem), seed=seed)


def random_order(problem: Problem, *, seed: int = 0) -> list[int]:
    """A random order with the pins in place (a baseline)."""
    rng = random.Random(seed)
    free = sorted(set(range(problem.n)) - set(problem.pins.values()))
    rng.shuffle(free)
    it = iter(free)
    return [problem.pins[p] if p in problem.pins else next(it) for p in range(problem.n)]
