"""The careless-use rows of the reliability table: each defect class holds at zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.careless import CHECKS, run_careless


@pytest.mark.postgres
def test_every_careless_use_check_passes(tmp_path: Path) -> None:
    results = run_careless(workdir=tmp_path)
    assert len(results) == len(CHECKS)
    for result in results:
        result.assert_ok()
        assert result.trials >= 1 and result.faults >= 1, result.scenario
