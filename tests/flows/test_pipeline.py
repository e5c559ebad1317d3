"""The main job end to end under Prefect's ephemeral API: idempotent, audited, gated, reported."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from analytics import demo
from analytics.audit import verify
from analytics.config import Settings
from analytics.validation import DatasetValidationError
from analytics.warehouse import Warehouse

CANARY = "canary-secret-7f1e2d3c4b5a"


pytestmark = pytest.mark.timeout(1200)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Two runs of the pipeline on the demo catalog, with a canary secret configured."""
    from flows.pipeline import pipeline

    home = tmp_path_factory.mktemp("pipeline")
    mp = pytest.MonkeyPatch()
    mp.setenv("ENCORE_DATA_DIR", str(home / "data"))
    mp.setenv("ENCORE_REPORTS_DIR", str(home / "reports"))
    mp.setenv("ENCORE_SPOTIFY_CLIENT_SECRET", CANARY)
    mp.setenv("ENCORE_SENTRY_DSN", "")
    mp.setenv("ENCORE_DEMO_STREAMING_DAYS", "28")
    try:
        first = pipeline()
        warehouse = Warehouse.from_settings(Settings())
        after_first = warehouse.content_hash()
        second = pipeline()
        after_second = warehouse.content_hash()
        warehouse.dispose()
        yield {
            "home": home,
            "first": first,
            "second": second,
            "settings": Settings(),
            "hashes": (after_first, after_second),
        }
    finally:
        mp.undo()


def test_first_run_stores_the_catalog_and_renders_a_report(runs: dict) -> None:
    first = runs["first"]
    assert first.outcome == "ok"
    report, *artist_reports = first.reports
    assert len(artist_reports) == len(demo.demo_artist_ids())
    assert all(
        Path(p).name == "artist_report.html" and Path(p).stat().st_size > 100_000 for p in artist_reports
    )
    page = Path(report).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and len(page) > 100_000
    catalog = demo.load_catalog()
    for track in catalog["tracks"][:5]:
        assert track["name"] in page
    assert "Maxstack" in page and "Sectoid" in page
    assert page.count("Plotly.newPlot(") >= 2
    assert len(re.findall(r"<script src=", page)) == 0, "nothing may load from outside the page"
    assert (Path(runs["home"]) / "reports" / "index.html").exists()


def test_second_run_changes_no_row_and_says_so(runs: dict) -> None:
    settings: Settings = runs["settings"]
    second = runs["second"]
    assert second.outcome == "unchanged"
    assert "no change" in second.message
    warehouse = Warehouse.from_settings(settings)
    entries = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
    closing = [e for e in entries if e["run_id"] == second.run_id and e["task"] == "run"]
    assert closing and closing[0]["outcome"] == "unchanged" and closing[0]["outputs"]["rows_written"] == 0
    before, after = runs["hashes"]
    assert before == after, "the second run changed stored rows"


def test_audit_chain_verifies_and_names_an_edited_record(runs: dict, tmp_path: Path) -> None:
    settings: Settings = runs["settings"]
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes((settings.data_dir / "encore.sqlite").read_bytes())
    warehouse = Warehouse(f"sqlite:///{copy}")
    assert verify(warehouse).ok
    with warehouse.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, 'pipeline', 'pipelinX') WHERE seq = 4")
        )
    report = verify(warehouse)
    assert not report.ok and "#4" in str(report) and "edited" in str(report)


def test_no_secret_in_logs_audit_or_reports(runs: dict, capfd: pytest.CaptureFixture[str]) -> None:
    home = Path(runs["home"])
    for path in home.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), f"secret leaked into {path}"
    out, err = capfd.readouterr()
    assert CANARY not in out + err


def test_a_dataset_that_breaks_its_suite_stops_the_flow_before_storage(tmp_path: Path, monkeypatch) -> None:
    from flows.pipeline import pipeline

    broken = demo.load_catalog()
    broken["tracks"][0]["duration_ms"] = 5
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(broken))
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("ENCORE_CATALOG_FILE", str(catalog_file))
    with pytest.raises(DatasetValidationError) as error:
        pipeline(reports=False)
    assert "duration_ms" in str(error.value) and "expect_column_values_to_be_between" in str(error.value)
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    for table in ("artists", "albums", "tracks", "playlists"):
        assert warehouse.rows(table) == [], f"{table} was stored although a dataset failed"
    failed = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    assert any(e["task"] == "validate.tracks" and e["outcome"] == "failed" for e in failed)
    assert verify(warehouse).ok
