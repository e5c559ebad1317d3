"""What a run leaves behind for its readers."""

from __future__ import annotations

from analytics import audit
from analytics.config import Settings
from analytics.warehouse import Warehouse


def test_only_the_main_job_moves_runs_latest(sqlite_warehouse: Warehouse, settings: Settings) -> None:
    latest = settings.data_dir / "runs" / "latest"
    with audit.run("pipeline", settings=settings, warehouse=sqlite_warehouse, marks_latest=True) as main:
        pass
    with audit.run("update_playlist", settings=settings, warehouse=sqlite_warehouse) as other:
        pass
    assert other.run_dir.exists()
    assert latest.resolve() == main.run_dir.resolve()
