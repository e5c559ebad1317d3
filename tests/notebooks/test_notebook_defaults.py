"""Every notebook of notebooks/ runs with its default parameters after a command other than the
main job, on the main job's latest run and the latest period, started where JupyterLab starts
its kernels (notebooks/).

Reads the shared demo world (tests/worlds.py) from a copy of its data folder; the command run
after it is a playlist plan (`encore playlist`), whose run must not become `data/runs/latest`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from analytics.config import PROJECT_ROOT, Settings
from analytics.reports.explore import latest_period, stream_coverage
from analytics.warehouse import Warehouse
from tests.worlds import PipelineWorld

# The demo world's two pipeline runs, when this file is the first to ask for them, then one
# kernel per notebook (two at a time).
pytestmark = [pytest.mark.timeout(1200), pytest.mark.slow]
NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _execute(notebook: Path, out: Path) -> Path:
    import papermill

    papermill.execute_notebook(
        str(notebook), str(out), kernel_name="python3", progress_bar=False, cwd=str(notebook.parent)
    )
    return out


def test_every_notebook_runs_with_its_defaults_after_a_playlist_run(
    pipeline_world: Callable[[str], PipelineWorld], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.playlist_update import update_playlist

    world = pipeline_world("demo")
    data = tmp_path / "data"
    shutil.copytree(world.home / "data", data, symlinks=True)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(data))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.delenv("ENCORE_DATABASE_URL", raising=False)
    latest = (data / "runs" / "latest").resolve()
    assert latest.name == world.second.run_id

    planned = update_playlist("maxstack-essentials")
    assert (data / "runs" / planned.run_id).is_dir()
    assert (data / "runs" / "latest").resolve() == latest, "a playlist run became data/runs/latest"

    with ThreadPoolExecutor(max_workers=2) as pool:
        executed = list(pool.map(lambda nb: _execute(nb, tmp_path / nb.name), NOTEBOOKS))
    assert [p.name for p in executed] == [nb.name for nb in NOTEBOOKS]
    for path in executed:
        cells = nbformat.read(path, as_version=4).cells
        errors = [o for c in cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors == [], path.name
    # the period the notebooks default to ends on the demo's last day of streams
    warehouse = Warehouse.from_settings(Settings())
    last = max(stream_coverage(warehouse)["last_day"])
    period = latest_period(warehouse)
    warehouse.dispose()
    assert str(period.end) == str(last)[:10] and (period.end - period.start).days == 27
