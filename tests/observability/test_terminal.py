"""Data printed to a terminal cannot clear it, ring it, reorder it or forge a line."""

from __future__ import annotations

import pytest

from analytics.curation.diff import plan_diff
from analytics.observability.terminal import printable


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("\x1b[2JGone", "\\x1b[2JGone"),
        ("Bell\x07", "Bell\\x07"),
        ("\r- Nebula", "\\x0d- Nebula"),
        ("a\nb", "a\\x0ab"),
        ("\u202eesreveR", "\\u202eesreveR"),
        ("Crème brûlée 夜行列車", "Crème brûlée 夜行列車"),
    ],
)
def test_control_characters_in_data_are_shown_as_escapes(name: str, shown: str) -> None:
    assert printable(name) == shown


def test_a_plan_prints_one_line_per_change_whatever_the_names() -> None:
    diff = plan_diff(["a"], ["b", "c"])
    text = diff.render({"b": "Evil\n+ forged line", "c": "\x1b[31mRed\x1b[0m"})
    lines = text.split("\n")
    changes = [line for line in lines if line[:2] in ("- ", "> ", "+ ")]
    assert len(changes) == len(diff.removals) + sum(len(i.track_ids) for i in diff.inserts)
    assert all("\x1b" not in line for line in lines)
    assert not any(line.startswith("+ forged") for line in lines)
