"""render_reports under Prefect: catalog overview plus one artist report per artist, index, PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics import catalog
from analytics.config import QuotaMode, Settings
from analytics.reports import parse_period
from analytics.warehouse import Warehouse
from tests.e2e.browser import chromium_path
from tests.reports.world import BARE_ID, BARE_NAME, world_catalog


@pytest.fixture
def run_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    frames = catalog.frames_from_catalog(world_catalog(), quota_mode=QuotaMode.development)
    run = tmp_path / "data" / "runs" / "r-flow"
    frames.save(run / "datasets")
    (run / "manifest.json").write_text(json.dumps({"run_id": "r-flow", "quota_mode": "development"}))
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    catalog.store_catalog(warehouse, frames, run_id="r-flow")
    warehouse.dispose()
    for key in ("ENCORE_DATABASE_URL", "ENCORE_CATALOG_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    return run


# Two notebooks executed in kernels, then a PDF printed by Chromium: 15-40 s.
@pytest.mark.slow
def test_render_reports_writes_catalog_and_artist_reports_and_the_index(run_dir: Path) -> None:
    from flows.reporting import render_reports

    pdf = chromium_path() is not None
    pages = render_reports(str(run_dir), artist_ids=[BARE_ID], period="2026-10", pdf=pdf)
    reports = Settings().reports_dir
    assert pages == [
        reports / "catalog" / "2026-10" / "catalog_overview.html",
        reports / BARE_ID / "2026-10" / "artist_report.html",
    ]
    page = pages[1].read_text(encoding="utf-8")
    assert f"<h1>{BARE_NAME}</h1>" in page and "1 Oct 2026 – 31 Oct 2026" in page
    assert "run r-flow" in page
    assert json.loads(pages[1].with_suffix(".json").read_text())["artist"] == BARE_NAME
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert BARE_NAME in index and f'href="{BARE_ID}/2026-10/artist_report.html"' in index
    executed = Settings().data_dir / "notebooks" / BARE_ID / "2026-10" / "artist_report.ipynb"
    assert executed.exists() and "sqlite" not in executed.read_text()  # no warehouse URL in evidence
    if pdf:
        assert pages[1].with_suffix(".pdf").read_bytes().startswith(b"%PDF")
        assert f'href="{BARE_ID}/2026-10/artist_report.pdf"' in index


def test_an_artist_id_that_is_not_an_id_is_refused_before_any_work(run_dir: Path) -> None:
    from flows.reporting import render_artist_report

    with pytest.raises(ValueError, match="letters and digits"):
        render_artist_report(
            run_dir, artist_id="../../etc", period=parse_period("2026-10"), settings=Settings()
        )
    with pytest.raises(KeyError, match="not in the run"):
        render_artist_report(run_dir, artist_id="Nobody", period=parse_period("2026-10"), settings=Settings())


@pytest.mark.slow
def test_render_reports_in_german_renders_the_catalog_overview_in_german(run_dir: Path) -> None:
    from flows.reporting import render_reports

    (page,) = render_reports(str(run_dir), period="2026-10", language="de")
    shown = page.read_text(encoding="utf-8")
    assert "Katalogdauer" in shown and "Titellängen" in shown
    assert "Catalog length" not in shown and "Track durations" not in shown
