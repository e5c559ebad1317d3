"""Progress events: what a listener hears from stages, their steps and the runs they open."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.observability import progress
from analytics.observability.progress import Stage


class Heard:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, int, int | None]] = []
        self.runs: list[Path] = []

    def stage_started(self, stage: Stage) -> None:
        self.events.append(("start", stage.label, stage.depth, stage.total))

    def stage_advanced(self, stage: Stage) -> None:
        self.events.append(("step", stage.label, stage.done, stage.total))

    def stage_finished(self, stage: Stage, *, error: BaseException | None) -> None:
        self.events.append(("end" if error is None else "failed", stage.label, stage.depth, None))

    def run_opened(self, *, flow: str, run_id: str, run_dir: Path) -> None:
        self.runs.append(run_dir)


def test_a_listener_hears_nested_stages_their_steps_and_failures(tmp_path: Path) -> None:
    heard = Heard()
    with progress.listening(heard):
        progress.run_opened(flow="pipeline", run_id="r1", run_dir=tmp_path)
        with progress.stage("track analysis") as outer:
            with progress.stage("audio analysis", total=2) as inner:
                inner.advance()
                inner.advance()
            outer.note("11 rows written")
        with pytest.raises(ValueError), progress.stage("reports", total=3):
            raise ValueError("notebook failed")
    assert heard.runs == [tmp_path]
    assert heard.events == [
        ("start", "track analysis", 0, None),
        ("start", "audio analysis", 1, 2),
        ("step", "audio analysis", 1, 2),
        ("step", "audio analysis", 2, 2),
        ("end", "audio analysis", 1, None),
        ("end", "track analysis", 0, None),
        ("start", "reports", 0, 3),
        ("failed", "reports", 0, None),
    ]
    assert outer.detail == "11 rows written"


def test_without_a_listener_stages_cost_nothing_and_hear_nothing() -> None:
    heard = Heard()
    with progress.listening(heard):
        pass
    with progress.stage("catalog sync", total=4) as step:
        step.advance()
    assert heard.events == [] and step.done == 1
