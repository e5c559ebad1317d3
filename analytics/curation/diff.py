"""The fewest playlist edits from the current entries to the target: removals, moves, inserts.

The entries that already sit in the target's relative order (a longest common subsequence) stay
where they are; everything else is removed, moved or inserted. Each step is one write request
(inserts of more than 100 tracks take one request per 100).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from analytics.observability.terminal import printable

BATCH = 100


@dataclass(frozen=True, slots=True)
class Move:
    range_start: int
    insert_before: int
    range_length: int
    track_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Insert:
    position: int
    track_ids: tuple[str, ...]


@dataclass(frozen=True)
class Diff:
    """Edits in the order they are sent: removals, then moves, then inserts."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    removals: tuple[str, ...] = ()
    moves: tuple[Move, ...] = ()
    inserts: tuple[Insert, ...] = ()
    kept: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.removals or self.moves or self.inserts)

    def write_requests(self) -> int:
        """Write requests needed: removals by 100, one per move, inserts by 100 per run."""
        removal = -(-len(self.removals) // BATCH)
        inserts = sum(-(-len(i.track_ids) // BATCH) for i in self.inserts)
        return removal + len(self.moves) + inserts

    def replace_requests(self) -> int:
        """Write requests of replacing everything instead (PUT the first 100, POST the rest by 100)."""
        return max(1, -(-len(self.after) // BATCH))

    @property
    def replace_is_cheaper(self) -> bool:
        """Whether a full replace would take fewer requests (it resets every entry's added_at)."""
        return not self.empty and self.replace_requests() < self.write_requests()

    def requests(self, *, allow_replace: bool = False) -> int:
        """Write requests the apply sends: the edits, or a full replace if allowed and fewer."""
        return self.replace_requests() if allow_replace and self.replace_is_cheaper else self.write_requests()

    def summary(self) -> dict[str, int]:
        return {
            "removed": len(self.removals),
            "moved": sum(m.range_length for m in self.moves),
            "inserted": sum(len(i.track_ids) for i in self.inserts),
            "kept": self.kept,
            "write_requests": self.write_requests(),
            "replace_requests": self.replace_requests(),
        }

    def render(self, names: dict[str, str] | None = None) -> str:
        """A readable diff: '-' removed, '>' moved, '+' inserted, then the target."""
        names = names or {}

        def label(tid: str) -> str:  # names from data: no control character reaches the terminal
            return f"{printable(names[tid])} ({printable(tid)})" if tid in names else printable(tid)

        lines = [f"{self.summary()}"]
        if self.replace_is_cheaper:
            lines.append(
                f"(a full replace would take {self.replace_requests()} requests but reset every added_at)"
            )
        lines += [f"- {label(t)}" for t in self.removals]
        lines += [
            f"> {label(t)} to position {self.after.index(t) + 1}" for m in self.moves for t in m.track_ids
        ]
        lines += [
            f"+ {label(t)} at position {self.after.index(t) + 1}" for i in self.inserts for t in i.track_ids
        ]
        if self.empty:
            lines.append("no change: the playlist already matches the target")
        return "\n".join(lines)


def longest_kept(current: Sequence[str], target_index: dict[str, int]) -> set[int]:
    """Indices of ``current`` forming a longest subsequence already in target order (LIS, n log n)."""
    tails: list[int] = []
    tails_at: list[int] = []
    parent = [-1] * len(current)
    for i, tid in enumerate(current):
        rank = target_index[tid]
        k = bisect.bisect_left(tails, rank)
        if k == len(tails):
            tails.append(rank)
            tails_at.append(i)
        else:
            tails[k] = rank
            tails_at[k] = i
        parent[i] = tails_at[k - 1] if k > 0 else -1
    keep: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


def plan_diff(current: Sequence[str], target: Sequence[str]) -> Diff:
    """The edits that turn ``current`` into ``target`` (no duplicate ids in the target).

    Tracks not in the target are removed (every occurrence, by URI); a track present more than
    once is removed too and inserted again once.
    """
    if len(set(target)) != len(target):
        raise ValueError("the target has duplicate tracks")
    target_index = {t: i for i, t in enumerate(target)}
    counts: dict[str, int] = {}
    for t in current:
        counts[t] = counts.get(t, 0) + 1
    removals = sorted({t for t in current if t not in target_index or counts[t] > 1})
    gone = set(removals)
    work = [t for t in current if t not in gone]
    keep_idx = longest_kept(work, target_index)
    placed = {work[i] for i in keep_idx}
    kept = len(placed)
    moves: list[Move] = []
    order_of_present = [t for t in target if t in set(work)]
    k = 0
    while k < len(order_of_present):
        tid = order_of_present[k]
        if tid in placed:
            k += 1
            continue
        start = work.index(tid)
        run = [tid]
        while (
            k + len(run) < len(order_of_present)
            and start + len(run) < len(work)
            and work[start + len(run)] == order_of_present[k + len(run)]
            and order_of_present[k + len(run)] not in placed
        ):
            run.append(order_of_present[k + len(run)])
        pred = next(
            (order_of_present[m] for m in range(k - 1, -1, -1) if order_of_present[m] in placed), None
        )
        before = work.index(pred) + 1 if pred is not None else 0
        if not start <= before <= start + len(run):
            moves.append(Move(start, before, len(run), tuple(run)))
            block = work[start : start + len(run)]
            del work[start : start + len(run)]
            at = before if before < start else before - len(run)
            work[at:at] = block
        placed.update(run)
        k += len(run)
    inserts: list[Insert] = []
    present = set(work)
    pos = 0
    while pos < len(target):
        if target[pos] in present:
            pos += 1
            continue
        run_start = pos
        while pos < len(target) and target[pos] not in present:
            pos += 1
        inserts.append(Insert(run_start, tuple(target[run_start:pos])))
    return Diff(tuple(current), tuple(target), tuple(removals), tuple(moves), tuple(inserts), kept)


def simulate(current: Sequence[str], diff: Diff) -> list[str]:
    """Apply a diff to a list the way the API does (for tests and dry runs)."""
    out = [t for t in current if t not in set(diff.removals)]
    for m in diff.moves:
        block = out[m.range_start : m.range_start + m.range_length]
        del out[m.range_start : m.range_start + m.range_length]
        at = m.insert_before if m.insert_before < m.range_start else m.insert_before - m.range_length
        out[at:at] = block
    for ins in diff.inserts:
        out[ins.position : ins.position] = list(ins.track_ids)
    return out
