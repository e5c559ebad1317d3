"""Compiled local search for sequencing: Or-opt, 2-opt and swaps with don't-look bits, then kicks.

Arrays: ``d`` is the (n+1)x(n+1) transition cost matrix whose last row and column are a dummy
track of zero cost (what precedes the first track and follows the last); ``a[t, p]`` is the
arc cost of track ``t`` at position ``p``; ``s`` the order; ``pinned[p]`` whether position
``p`` is pinned. Every move is evaluated exactly, transitions and arc, except 2-opt, whose arc
change is only computed for the few reversals that lower the transitions most at their ends.
Compiled once with numba and cached on disk, under the JIT cache's lock (:mod:`analytics.jit`):
:func:`analytics.curation.sequencing.local_search` loads this module through
:func:`analytics.jit.ensure_compiled`, and :func:`warm_up` is this part's warm-up.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9
SCREEN = 8  # 2-opt reversals checked exactly per track, out of those that help at their ends


@njit(cache=True)
def order_cost(d: np.ndarray, a: np.ndarray, s: np.ndarray) -> float:
    """Transitions plus arc of the order ``s``."""
    n = s.size
    total = 0.0
    for p in range(n):
        total += a[s[p], p]
        if p + 1 < n:
            total += d[s[p], s[p + 1]]
    return total


@njit(cache=True)
def _pin_bounds(pinned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position, the nearest pinned position on its left (-1) and on its right (n)."""
    n = pinned.size
    left = np.empty(n, dtype=np.int64)
    right = np.empty(n, dtype=np.int64)
    last = -1
    for p in range(n):
        left[p] = last
        if pinned[p]:
            last = p
    last = n
    for p in range(n - 1, -1, -1):
        right[p] = last
        if pinned[p]:
            last = p
    return left, right


@njit(cache=True)
def _at(s: np.ndarray, p: int, dummy: int) -> int:
    if 0 <= p < s.size:
        return s[p]
    return dummy


@njit(cache=True)
def _placement_change(
    d: np.ndarray,
    a: np.ndarray,
    s: np.ndarray,
    i: int,
    k: int,
    g: int,
    pred: int,
    succ: int,
    removal: float,
    old_seg: float,
    shift: float,
    inner_f: float,
    inner_b: float,
) -> tuple[float, float]:
    """Cost change of placing s[i..i+k-1] at position ``g`` between ``pred`` and ``succ``: as is, reversed.

    ``removal`` and ``old_seg`` are what taking the segment out saves (its outer transitions,
    its arc costs), ``shift`` the arc cost change of the tracks it passes, ``inner_f`` and
    ``inner_b`` its inner transitions forwards and backwards.
    """
    fwd = 0.0
    bwd = 0.0
    for m in range(k):
        fwd += a[s[i + m], g + m]
        bwd += a[s[i + k - 1 - m], g + m]
    gap = d[pred, succ] + removal + old_seg - shift
    first, last = s[i], s[i + k - 1]
    forwards = d[pred, first] + d[last, succ] + fwd - gap
    backwards = d[pred, last] + d[first, succ] + bwd + inner_b - inner_f - gap
    return forwards, backwards


@njit(cache=True)
def _or_opt(
    d: np.ndarray, a: np.ndarray, s: np.ndarray, i: int, k: int, left: int, right: int, buf: np.ndarray
) -> tuple[bool, int, int]:
    """Move s[i..i+k-1], as is or reversed, to the best place between the pins ``left``/``right``."""
    n = s.size
    dummy = n
    if i + k - 1 >= right:
        return False, 0, 0
    first, last = s[i], s[i + k - 1]
    prev, nxt = _at(s, i - 1, dummy), _at(s, i + k, dummy)
    removal = d[prev, first] + d[last, nxt] - d[prev, nxt]
    inner_f = 0.0
    inner_b = 0.0
    old_seg = 0.0
    for m in range(k):
        old_seg += a[s[i + m], i + m]
        if m + 1 < k:
            inner_f += d[s[i + m], s[i + m + 1]]
            inner_b += d[s[i + m + 1], s[i + m]]
    best = -EPS
    best_g = -1
    best_rev = False
    # to the left: insert before s[g]; s[g..i-1] move right by k
    shift = 0.0
    for g in range(i - 1, left, -1):
        shift += a[s[g], g + k] - a[s[g], g]
        pred, succ = _at(s, g - 1, dummy), s[g]
        df, db = _placement_change(d, a, s, i, k, g, pred, succ, removal, old_seg, shift, inner_f, inner_b)
        if df < best:
            best, best_g, best_rev = df, g, False
        if db < best:
            best, best_g, best_rev = db, g, True
    # to the right: insert before r[g] (r: s without the segment); s[i+k..g+k-1] move left by k
    shift = 0.0
    for g in range(i + 1, right - k + 1):
        moved = s[g - 1 + k]
        shift += a[moved, g - 1] - a[moved, g - 1 + k]
        pred, succ = moved, _at(s, g + k, dummy)
        df, db = _placement_change(d, a, s, i, k, g, pred, succ, removal, old_seg, shift, inner_f, inner_b)
        if df < best:
            best, best_g, best_rev = df, g, False
        if db < best:
            best, best_g, best_rev = db, g, True
    if best_g < 0:
        return False, 0, 0
    g = best_g
    for m in range(k):
        buf[m] = s[i + k - 1 - m] if best_rev else s[i + m]
    if g < i:
        for p in range(i - 1, g - 1, -1):
            s[p + k] = s[p]
        for m in range(k):
            s[g + m] = buf[m]
        return True, g, i + k - 1
    for p in range(i, g):
        s[p] = s[p + k]
    for m in range(k):
        s[g + m] = buf[m]
    return True, i, g + k - 1


@njit(cache=True)
def _reversal_change(d: np.ndarray, a: np.ndarray, s: np.ndarray, i: int, j: int) -> float:
    """Exact change of cost from reversing s[i..j] (transitions inside and at both ends, arc)."""
    n = s.size
    dummy = n
    prev, nxt = _at(s, i - 1, dummy), _at(s, j + 1, dummy)
    change = d[prev, s[j]] + d[s[i], nxt] - d[prev, s[i]] - d[s[j], nxt]
    for q in range(i, j):
        change += d[s[q + 1], s[q]] - d[s[q], s[q + 1]]
    for q in range(i, j + 1):
        change += a[s[q], i + j - q] - a[s[q], q]
    return change


@njit(cache=True)
def _two_opt(d: np.ndarray, a: np.ndarray, s: np.ndarray, i: int, right: int) -> tuple[bool, int, int]:
    """Reverse s[i..j] for the j before the next pin that lowers the cost most.

    Every j is screened on the change at the two ends of the reversal; the ``SCREEN`` best
    that lower it are then checked exactly (inner transitions and arc).
    """
    n = s.size
    dummy = n
    prev = _at(s, i - 1, dummy)
    top_j = np.full(SCREEN, -1, dtype=np.int64)
    top_v = np.full(SCREEN, 0.0)
    for j in range(i + 1, right):
        nxt = _at(s, j + 1, dummy)
        ends = d[prev, s[j]] + d[s[i], nxt] - d[prev, s[i]] - d[s[j], nxt]
        if ends < top_v[SCREEN - 1]:
            m = SCREEN - 1
            while m > 0 and ends < top_v[m - 1]:
                top_v[m], top_j[m] = top_v[m - 1], top_j[m - 1]
                m -= 1
            top_v[m], top_j[m] = ends, j
    best = -EPS
    best_j = -1
    for m in range(SCREEN):
        if top_j[m] < 0:
            break
        change = _reversal_change(d, a, s, i, top_j[m])
        if change < best:
            best, best_j = change, top_j[m]
    if best_j < 0:
        return False, 0, 0
    lo, hi = i, best_j
    while lo < hi:
        s[lo], s[hi] = s[hi], s[lo]
        lo += 1
        hi -= 1
    return True, i, best_j


@njit(cache=True)
def _swap(
    d: np.ndarray, a: np.ndarray, s: np.ndarray, i: int, pinned: np.ndarray, lo: int, hi: int
) -> tuple[bool, int, int]:
    """Exchange s[i] with the free track in positions lo..hi (across pins) that lowers the cost most."""
    n = s.size
    dummy = n
    si = s[i]
    pi_, ni = _at(s, i - 1, dummy), _at(s, i + 1, dummy)
    base_i = d[pi_, si] + d[si, ni] + a[si, i]
    best = -EPS
    best_q = -1
    for q in range(lo, hi + 1):
        if pinned[q] or abs(q - i) <= 1:
            continue
        sq = s[q]
        pq, nq = _at(s, q - 1, dummy), _at(s, q + 1, dummy)
        before = base_i + d[pq, sq] + d[sq, nq] + a[sq, q]
        after = d[pi_, sq] + d[sq, ni] + a[sq, i] + d[pq, si] + d[si, nq] + a[si, q]
        if after - before < best:
            best, best_q = after - before, q
    if best_q < 0:
        return False, 0, 0
    s[i], s[best_q] = s[best_q], s[i]
    return True, min(i, best_q), max(i, best_q)


@njit(cache=True)
def _push(track: int, queue: np.ndarray, size: int, queued: np.ndarray) -> int:
    if not queued[track]:
        queued[track] = True
        queue[size] = track
        size += 1
    return size


@njit(cache=True)
def descend(
    d: np.ndarray,
    a: np.ndarray,
    s: np.ndarray,
    pinned: np.ndarray,
    queue: np.ndarray,
    size: int,
    queued: np.ndarray,
    lo_lim: int,
    hi_lim: int,
) -> None:
    """Apply improving moves within positions lo_lim..hi_lim, from the tracks in ``queue[:size]``,
    until none helps.

    Don't-look bits: only queued tracks are examined; a move queues the tracks at the ends of
    every changed stretch. The limits act as pins: nothing moves across them.
    """
    n = s.size
    left, right = _pin_bounds(pinned)
    for p in range(n):
        left[p] = max(left[p], lo_lim - 1)
        right[p] = min(right[p], hi_lim + 1)
    pos = np.empty(n, dtype=np.int64)
    for p in range(n):
        pos[s[p]] = p
    buf = np.empty(3, dtype=np.int64)
    while size > 0:
        size -= 1
        track = queue[size]
        queued[track] = False
        i = pos[track]
        if pinned[i] or i < lo_lim or i > hi_lim:
            continue
        done, lo, hi = False, 0, 0
        for k in range(1, 4):
            done, lo, hi = _or_opt(d, a, s, i, k, left[i], right[i], buf)
            if done:
                break
        if not done:
            done, lo, hi = _two_opt(d, a, s, i, right[i])
        if not done:
            done, lo, hi = _swap(d, a, s, i, pinned, lo_lim, hi_lim)
        if not done:
            continue
        for p in range(lo, hi + 1):
            pos[s[p]] = p
        for p in (lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, i - 1, i, i + 1, i + 2, i + 3):
            if lo_lim <= p <= hi_lim and not pinned[p]:
                size = _push(s[p], queue, size, queued)


@njit(cache=True)
def iterated_local_search(
    d: np.ndarray,
    a: np.ndarray,
    order: np.ndarray,
    pinned: np.ndarray,
    seed: int,
    kicks: int,
    window: int,
    reach: int,
) -> np.ndarray:
    """Descend from ``order`` (every track queued, seeded order), then ``kicks`` kicks.

    A kick exchanges two neighbouring blocks of 1..``window`` tracks that hold no pin (a local
    double bridge), descends from the tracks of both blocks and their neighbours with moves
    within ``reach`` positions of the blocks (cheap: the rest of the order is at a local
    optimum already), and is kept only if the total cost went down.
    """
    np.random.seed(seed)
    n = order.size
    s = order.copy()
    queue = np.empty(n, dtype=np.int64)
    queued = np.zeros(n, dtype=np.bool_)
    size = 0
    for t in np.random.permutation(n):
        if not pinned[_position(s, t)]:
            size = _push(t, queue, size, queued)
    descend(d, a, s, pinned, queue, size, queued, 0, n - 1)
    current = order_cost(d, a, s)
    saved = s.copy()
    block = np.empty(2 * window, dtype=np.int64)
    for _ in range(kicks):
        lb = np.random.randint(1, window + 1)
        lc = np.random.randint(1, window + 1)
        if lb + lc > n:
            continue
        start = np.random.randint(0, n - lb - lc + 1)
        end = start + lb + lc - 1
        free = True
        for p in range(start, end + 1):
            if pinned[p]:
                free = False
                break
        if not free:
            continue
        saved[:] = s
        for m in range(lb + lc):
            block[m] = s[start + m]
        for m in range(lc):
            s[start + m] = block[lb + m]
        for m in range(lb):
            s[start + lc + m] = block[m]
        size = 0
        for p in range(max(start - 1, 0), min(end + 2, n)):
            if not pinned[p]:
                size = _push(s[p], queue, size, queued)
        descend(d, a, s, pinned, queue, size, queued, max(start - reach, 0), min(end + reach, n - 1))
        cost = order_cost(d, a, s)
        if cost < current - EPS:
            current = cost
        else:
            s[:] = saved
    return s


@njit(cache=True)
def _position(s: np.ndarray, track: int) -> int:
    for p in range(s.size):
        if s[p] == track:
            return p
    return -1


def warm_up() -> None:
    """Compile every kernel above on a 6-track order with one pin and two kicks."""
    rng = np.random.default_rng(0)
    n = 6
    d = rng.random((n + 1, n + 1))
    d[n, :] = d[:, n] = 0.0  # the dummy track
    pinned = np.zeros(n, dtype=np.bool_)
    pinned[0] = True
    iterated_local_search(d, rng.random((n, n)), np.arange(n, dtype=np.int64), pinned, 0, 2, 2, 4)
