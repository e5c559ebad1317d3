"""Order the selected tracks: exact for short playlists, else greedy start and iterated local search.

The objective is the total transition cost plus the energy-arc cost of each track at its
position; pinned tracks keep their positions. Up to :data:`EXACT_MAX` tracks the order is
optimal (Held-Karp dynamic programming). Longer playlists start from a greedy order, are
improved by Or-opt, 2-opt and swap moves until none helps, and then by a fixed, seeded number
of kicks (a local segment exchange followed by local search around it, kept only if the total
cost drops). The number of kicks depends on the size, not on a clock, so the same input and
seed always give the same order: a second run of a playlist update must not reorder anything.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import minimum_spanning_tree

from analytics.curation.candidates import Candidate
from analytics.curation.transitions import arc_targets, transition_matrix
from analytics.jit import ensure_compiled

EPS = 1e-9
EXACT_MAX = 12  # Held-Karp: 2**12 subsets x 12 x 12, a few tens of milliseconds
KICK_WINDOW = 12  # longest block moved by a kick
KICK_REACH = 100  # moves after a kick stay within this many positions of the kicked blocks


@dataclass
class Problem:
    """Indices 0..n-1 of tracks; ``d`` transition costs, ``arc[t][p]`` cost of track t at position p."""

    d: list[list[float]]
    arc: list[list[float]]
    pins: dict[int, int]  # position -> track index
    _arrays: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.d)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``d`` padded with a zero-cost dummy track ``n`` (both ends of the order), and ``arc``."""
        if self._arrays is None:
            n = self.n
            d = np.zeros((n + 1, n + 1))
            d[:n, :n] = np.asarray(self.d, dtype=float).reshape(n, n)
            a = np.asarray(self.arc, dtype=float).reshape(n, n)
            self._arrays = (d, a)
        return self._arrays


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


def greedy_order(problem: Problem, *, with_arc: bool = True, start: int | None = None) -> list[int]:
    """Nearest neighbour, position by position; pinned tracks at their positions.

    ``start``: the track to open with (when position 0 is not pinned); default the cheapest
    first track (with the arc) or, without the arc, track 0.
    """
    n, d, a = problem.n, problem.d, problem.arc
    free = sorted(set(range(n)) - set(problem.pins.values()))
    order: list[int] = []
    for p in range(n):
        if p in problem.pins:
            order.append(problem.pins[p])
            continue
        if p == 0 and start is not None and start in free:
            free.remove(start)
            order.append(start)
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


def nearest_neighbour_every_start(problem: Problem) -> list[list[int]]:
    """The classic nearest-neighbour order (transitions only) from each track as the opener.

    Vectorised over the starts: one ``argmin`` per position for all of them at once (ties go
    to the lower track index). Without pins only; the benchmark's baseline is the best of these.
    """
    if problem.pins:
        raise ValueError("nearest_neighbour_every_start ignores pins: use greedy_order(start=...)")
    n = problem.n
    d = np.asarray(problem.d, dtype=float).reshape(n, n)
    rows = np.arange(n)
    orders = np.empty((n, n), dtype=int)
    orders[:, 0] = rows
    visited = np.zeros((n, n), dtype=bool)
    visited[rows, rows] = True
    current = rows.copy()
    for p in range(1, n):
        costs = np.where(visited, np.inf, d[current])
        current = np.argmin(costs, axis=1)
        visited[rows, current] = True
        orders[:, p] = current
    return [[int(t) for t in row] for row in orders]


def best_nearest_neighbour(problem: Problem) -> tuple[list[int], float]:
    """The lowest-cost (full objective) nearest-neighbour order over every opening track."""
    d, a = problem.arrays()
    orders = np.asarray(nearest_neighbour_every_start(problem), dtype=int).reshape(problem.n, problem.n)
    if problem.n == 0:
        return [], 0.0
    costs = d[orders[:, :-1], orders[:, 1:]].sum(axis=1) + a[orders, np.arange(problem.n)].sum(axis=1)
    best = int(np.argmin(costs))
    return [int(t) for t in orders[best]], float(costs[best])


def exact_order(problem: Problem) -> list[int]:
    """The optimal order by Held-Karp dynamic programming over subsets (for ``n <= EXACT_MAX``).

    ``best[S, t]``: the cheapest way to fill positions 0..|S|-1 with the tracks of ``S``,
    ending with ``t``; a pinned position only admits its track.
    """
    n = problem.n
    if n > EXACT_MAX:
        raise ValueError(f"exact sequencing is for at most {EXACT_MAX} tracks, not {n}")
    if n == 0:
        return []
    d_pad, a = problem.arrays()
    d = d_pad[:n, :n]
    pinned_at = problem.pins
    allowed = np.ones((n, n), dtype=bool)  # allowed[t, p]
    for p, t in pinned_at.items():
        allowed[:, p] = False
        allowed[t, :] = False
        allowed[t, p] = True
    size = 1 << n
    best = np.full((size, n), np.inf)
    back = np.full((size, n), -1, dtype=int)
    for t in range(n):
        if allowed[t, 0]:
            best[1 << t, t] = a[t, 0]
    popcount = np.array([bin(m).count("1") for m in range(size)])
    for mask in range(1, size):
        p = int(popcount[mask]) - 1
        if p == 0:
            continue
        members = np.array([t for t in range(n) if mask >> t & 1])
        ends = members[allowed[members, p]]
        if ends.size == 0:
            continue
        prev_masks = mask ^ (1 << ends)
        # cand[e, u]: end at ends[e] after members[u] filled the rest
        cand = best[prev_masks[:, None], members[None, :]] + d[members[None, :], ends[:, None]]
        which = np.argmin(cand, axis=1)
        best[mask, ends] = cand[np.arange(ends.size), which] + a[ends, p]
        back[mask, ends] = members[which]
    full = size - 1
    t = int(np.argmin(best[full]))
    if not np.isfinite(best[full, t]):
        raise ValueError("no order puts every pinned track at its position")
    order = [t]
    mask = full
    while len(order) < n:
        prev = int(back[mask, t])
        mask ^= 1 << t
        t = prev
        order.append(t)
    return order[::-1]


def transitions_lower_bound(problem: Problem, *, upper: float | None = None, iterations: int = 300) -> float:
    """No order's transitions cost less: the Held-Karp bound (1-trees with Lagrangian penalties).

    A path through every track, closed through a dummy track of zero cost, is a 1-tree whose
    every node has degree 2. Penalties on the nodes move the cheapest 1-tree towards one; each
    tree's penalised cost minus twice the penalties is a lower bound, and subgradient steps
    raise it. ``upper``: the cost of a known order, for the step size (default: nearest
    neighbour from track 0). On random catalogs the bound is within a fraction of a per cent of
    the best order a state-of-the-art solver finds. Pins are ignored (they only raise the optimum).
    """
    n = problem.n
    if n < 2:
        return 0.0
    d = np.asarray(problem.d, dtype=float).reshape(n, n)
    if upper is None:
        order = greedy_order(problem, with_arc=False)
        upper = float(sum(d[order[k], order[k + 1]] for k in range(n - 1)))
    penalty = np.zeros(n + 1)  # penalty[0]: the dummy track
    best, step, stalled = -np.inf, 2.0, 0
    for _ in range(iterations):
        w = d + penalty[1:, None] + penalty[None, 1:]
        shift = 1.0 - float(w.min())  # the tree routine reads 0 as "no edge": make every cost positive
        positive = w + shift
        np.fill_diagonal(positive, 0.0)
        tree = minimum_spanning_tree(positive).tocoo()
        degree = np.zeros(n + 1)
        np.add.at(degree, tree.row + 1, 1)
        np.add.at(degree, tree.col + 1, 1)
        to_dummy = penalty[1:] + penalty[0]
        ends = np.argpartition(to_dummy, 1)[:2]
        degree[ends + 1] += 1
        degree[0] = 2
        value = float((tree.data - shift).sum() + to_dummy[ends].sum() - 2 * penalty.sum())
        if value > best + EPS:
            best, stalled = value, 0
        else:
            stalled += 1
            if stalled >= 20:
                step, stalled = step / 2, 0
        gradient = degree - 2
        norm = float((gradient * gradient).sum())
        if norm == 0:  # the cheapest 1-tree is a path: the bound is its cost, the optimum
            break
        if step < 1e-4:
            break
        penalty += step * max(upper - value, EPS) / norm * gradient
    return best


def arc_lower_bound(problem: Problem) -> float:
    """No order's arc costs less: the cheapest assignment of tracks to positions (pins kept)."""
    n = problem.n
    if n == 0:
        return 0.0
    a = np.asarray(problem.arc, dtype=float).reshape(n, n).copy()
    big = float(a.max(initial=0.0)) * n + 1.0
    for p, t in problem.pins.items():
        a[:, p] = big
        a[t, :] = big
        a[t, p] = problem.arc[t][p]
    rows, cols = linear_sum_assignment(a)
    return float(a[rows, cols].sum())


def lower_bound(problem: Problem) -> float:
    """No order costs less than this: the transitions' and the arc's lower bounds added.

    Each part is tight on its own; added they can be loose where the arc and the transitions
    pull apart, so a gap to it is an upper limit on what a better order could save.
    """
    return transitions_lower_bound(problem) + arc_lower_bound(problem)


def default_kicks(n: int) -> int:
    """Kicks after the first local optimum: enough for large gains, bounded for 500 tracks."""
    return 0 if n < 4 else min(4 * n, 600)


def local_search(
    problem: Problem, order: Sequence[int], *, seed: int = 0, kicks: int | None = None
) -> list[int]:
    """Improve ``order`` by Or-opt (1-3 tracks, as is or reversed), 2-opt and swaps, then kicks.

    The first descent examines every track (in a seeded order); each of ``kicks`` (default
    :func:`default_kicks`) then exchanges two short neighbouring blocks, descends from the
    tracks around the change, and is kept only if the total cost went down. Pinned tracks
    never move. See :mod:`analytics.curation.search_kernel`.
    """
    n = problem.n
    if n < 3:
        return list(order)
    # compiled: loaded when needed, from a cache no other process writes at the same time
    ensure_compiled("analytics.curation.search_kernel:warm_up")
    from analytics.curation.search_kernel import iterated_local_search

    d, a = problem.arrays()
    pinned = np.zeros(n, dtype=np.bool_)
    pinned[list(problem.pins)] = True
    found = iterated_local_search(
        d,
        a,
        np.asarray(order, dtype=np.int64),
        pinned,
        seed,
        default_kicks(n) if kicks is None else kicks,
        KICK_WINDOW,
        KICK_REACH,
    )
    return [int(t) for t in found]


def optimise(problem: Problem, *, seed: int = 0, kicks: int | None = None) -> list[int]:
    """The optimiser: exact up to :data:`EXACT_MAX` tracks, else greedy start and local search."""
    if problem.n <= EXACT_MAX:
        return exact_order(problem)
    return local_search(problem, greedy_order(problem), seed=seed, kicks=kicks)


def random_order(problem: Problem, *, seed: int = 0) -> list[int]:
    """A random order with the pins in place (a baseline)."""
    rng = random.Random(seed)
    free = sorted(set(range(problem.n)) - set(problem.pins.values()))
    rng.shuffle(free)
    it = iter(free)
    return [problem.pins[p] if p in problem.pins else next(it) for p in range(problem.n)]
