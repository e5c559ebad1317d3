"""The data scientist's notebook runs under papermill on a run folder and a real warehouse."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analytics import catalog
from analytics.config import PROJECT_ROOT, QuotaMode
from analytics.warehouse import Warehouse
from tests.reports.world import world_catalog


def test_explore_catalog_runs_and_shows_the_inventory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    frames = catalog.frames_from_catalog(world_catalog(), quota_mode=QuotaMode.development)
    frames.save(tmp_path / "run" / "datasets")
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'w.sqlite'}")
    warehouse.migrate()
    catalog.store_catalog(warehouse, frames, run_id="r1")
    warehouse.dispose()
    monkeypatch.setenv("ENCORE_DATABASE_URL", warehouse.url)
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(PROJECT_ROOT / "notebooks" / "explore_catalog.ipynb"),
        str(out),
        parameters={"run_dir": str(tmp_path / "run"), "artist_id": "YQhOGXX8g2pM1yHEFVFAjK"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(PROJECT_ROOT),
    )
    outputs = [o for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert "Rows per table" in html and "<td>tracks</td>" in html
    assert "<h3>Maxstack</h3>" in html
    assert "no streaming data for this artist yet" in html and "no audio_features dataset" in html
