from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.curation import plan_diff, simulate
from analytics.curation.diff import longest_kept

ids = st.sampled_from([f"t{i}" for i in range(25)])


@settings(max_examples=300, deadline=None)
@given(current=st.lists(ids, max_size=30), target=st.lists(ids, unique=True, max_size=25))
def test_diff_reaches_the_target(current: list[str], target: list[str]) -> None:
    diff = plan_diff(current, target)
    assert simulate(current, diff) == target
    assert plan_diff(target, target).empty


def _lis(seq: list[int]) -> int:
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@settings(max_examples=200, deadline=None)
@given(st.permutations(list(range(15))))
def test_only_entries_out_of_order_move(perm: list[int]) -> None:
    current = [f"t{i}" for i in perm]
    target = [f"t{i}" for i in range(15)]
    diff = plan_diff(current, target)
    assert diff.kept == _lis(perm) == len(longest_kept(current, {t: i for i, t in enumerate(target)}))
    assert sum(m.range_length for m in diff.moves) == 15 - diff.kept
    assert not diff.removals and not diff.inserts


def test_write_requests_are_counted_by_batches_of_100() -> None:
    current = [f"old{i}" for i in range(150)] + [f"t{i}" for i in range(10)]
    target = [f"t{i}" for i in range(10)] + [f"new{i}" for i in range(250)]
    diff = plan_diff(current, target)
    assert diff.summary()["write_requests"] == 5 and diff.summary()["removed"] == 150
    assert diff.replace_requests() == 3 and diff.replace_is_cheaper
    assert diff.requests() == 5 and diff.requests(allow_replace=True) == 3
    assert simulate(current, diff) == target


def test_duplicates_are_removed_and_inserted_once() -> None:
    diff = plan_diff(["a", "b", "a", "c"], ["a", "b", "c"])
    assert diff.removals == ("a",)
    assert simulate(["a", "b", "a", "c"], diff) == ["a", "b", "c"]


def test_render_marks_each_kind_of_edit() -> None:
    rng = random.Random(0)
    target = [f"t{i}" for i in range(6)]
    current = ["x", *rng.sample(target[:5], 5)]
    text = plan_diff(current, target).render({"t5": "Song Five"})
    assert "- x" in text and "+ Song Five (t5) at position 6" in text and "> " in text
