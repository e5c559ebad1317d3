"""The whole main job under Spotify and social HTTP faults ends like the fault-free runs (CI: one trial)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.pipeline_faults import run_pipeline_faults

# Four whole pipeline runs in one child process (two fault-free, one faulty, its rerun): 3-6 min
# on a loaded 2-core machine.
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]


def test_the_pipeline_under_faults_then_rerun_equals_two_fault_free_runs(tmp_path: Path) -> None:
    result = run_pipeline_faults(trials=1, seed=0, workdir=tmp_path)
    assert result.ok, result.problems
    assert result.trials == 1 and result.faults > 10  # faults were injected and survived
    assert (result.lost, result.duplicated, result.leaked, result.injected) == (0, 0, 0, 0)
