"""Order the selected tracks: greedy start, then 2-opt, Or-opt and swap local search (seeded)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

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


def _best(delta: np.ndarray, candidates: np.ndarray, tries: int) -> list[int]:
    """The ``tries`` candidates with the most negative screened delta (ties by position)."""
    good = np.flatnonzero(delta < -EPS)
    if good.size == 0:
        return []
    picked = good[np.argsort(delta[good], kind="stable")[:tries]]
    return [int(candidates[k]) for k in picked]


def local_search(
    problem: Problem, order: Sequence[int], *, seed: int = 0, max_passes: int = 40, tries: int = 3
) -> list[int]:
    """Improve ``order`` with 2-opt reversals, Or-opt moves (1-3 tracks) and swaps until no move helps.

    For each position every partner is screened at once (numpy, transition change only, with a
    dummy track of zero cost at both ends); the ``tries`` best are then checked exactly, with the
    energy arc, and the first that lowers the total cost is kept. Moves never shift a pinned track.
    """
    s = list(order)
    n = len(s)
    if n < 3:
        return s
    pins = sorted(problem.pins)
    dp = np.zeros((n + 1, n + 1))
    dp[:n, :n] = np.asarray(problem.d)
    ap = np.zeros((n + 1, n))
    ap[:n, :] = np.asarray(problem.arc)
    rng = random.Random(seed)
    free_q = np.array([q for q in range(1, n + 1) if (q - 1) not in problem.pins], dtype=int)

    def bounds(lo: int, hi: int) -> tuple[int, int]:
        """The nearest pinned positions left of ``lo`` and right of ``hi`` (-1 / n if none)."""
        left = max((p for p in pins if p < lo), default=-1)
        right = min((p for p in pins if p > hi), default=n)
        return left, right

    for _ in range(max_passes):
        improved = False
        starts = [i for i in range(n) if i not in problem.pins]
        rng.shuffle(starts)
        for i in starts:
            sp = np.array([n, *s, n])
            pos = i + 1  # index in the padded sequence
            left, right = bounds(i, i)
            # 2-opt: reverse s[i..j] for i < j < right
            if right - i > 1:
                qs = np.arange(pos + 1, right + 1)
                delta = (
                    dp[sp[pos - 1], sp[qs]]
                    + dp[sp[pos], sp[qs + 1]]
                    - dp[sp[pos - 1], sp[pos]]
                    - dp[sp[qs], sp[qs + 1]]
                )
                for q in _best(delta, qs, tries):
                    j = q - 1
                    if _try(problem, s, i, j, s[i : j + 1][::-1]):
                        improved = True
                        sp = np.array([n, *s, n])
                        break
            # Or-opt: move s[i..last] between s[j-1] and s[j], within the pins around it
            for k in (1, 2, 3):
                last = i + k - 1
                if last >= right:
                    break
                pl = last + 1
                removal = dp[sp[pos - 1], sp[pos]] + dp[sp[pl], sp[pl + 1]] - dp[sp[pos - 1], sp[pl + 1]]
                js = np.arange(left + 1, right + 1)
                js = js[(js < i) | (js > last + 1)]
                if js.size == 0:
                    continue
                delta = dp[sp[js], sp[pos]] + dp[sp[pl], sp[js + 1]] - dp[sp[js], sp[js + 1]] - removal
                for j in _best(delta, js, tries):
                    lo, hi = (j, last) if j < i else (i, j - 1)
                    seg = s[i : last + 1]
                    new = seg + s[j:i] if j < i else s[last + 1 : j] + seg
                    if _try(problem, s, lo, hi, new):
                        improved = True
                        sp = np.array([n, *s, n])
                        break
            # swaps with any other track that is not pinned, across pins too
            si = sp[pos]
            qs = free_q[free_q != pos]
            if qs.size == 0:
                continue
            sj = sp[qs]
            before = (
                dp[sp[pos - 1], si]
                + dp[si, sp[pos + 1]]
                + dp[sp[qs - 1], sj]
                + dp[sj, sp[qs + 1]]
                + ap[si, i]
                + ap[sj, qs - 1]
            )
            after = (
                dp[sp[pos - 1], sj]
                + dp[sj, sp[pos + 1]]
                + dp[sp[qs - 1], si]
                + dp[si, sp[qs + 1]]
                + ap[sj, i]
                + ap[si, qs - 1]
            )
            for q in _best(after - before, qs, tries):
                if _try_swap(problem, s, i, q - 1):
                    improved = True
                    break
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
