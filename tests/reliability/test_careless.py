"""The careless-use rows of the reliability table: each defect class holds at zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.careless import CHECKS, run_careless

# kill -9 of `encore run` (reliability.careless._lifetime) boots Prefect's temporary API, a
# minute or two: tests/flows/test_lifetime.py holds the same case.
IN_PROCESS = tuple(c for c in CHECKS if c.__name__ != "_lifetime")


@pytest.mark.postgres
def test_every_careless_use_check_passes(tmp_path: Path) -> None:
    results = run_careless(workdir=tmp_path, checks=IN_PROCESS)
    assert len(results) == len(IN_PROCESS) == len(CHECKS) - 1
    for result in results:
        result.assert_ok()
        assert result.trials >= 1 and result.faults >= 1, result.scenario
