"""The main job end to end under Prefect's ephemeral API: idempotent, audited, gated, reported."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import demo
from analytics.audit import verify
from analytics.config import Settings
from analytics.reports.consistency import check_page
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.validation import DatasetValidationError
from analytics.warehouse import Warehouse
from tests.report_pages import altered_count, broken_links, page_problems, report_pages
from tests.worlds import CANARY, WORLDS, FailedRun, PipelineWorld

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

# The first test that reads the demo world also waits for its two pipeline runs (2-4 min on a
# loaded 2-core machine, near 10 min under a load of 15).
pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]


@pytest.fixture(scope="module")
def runs(pipeline_world: Callable[[str], PipelineWorld]) -> dict[str, object]:
    """Two runs of the pipeline on the demo catalog, with a canary secret configured (shared)."""
    world = pipeline_world("demo")
    return {
        "home": world.home,
        "first": world.first,
        "second": world.second,
        "settings": world.settings,
        "hashes": world.hashes,
    }


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
    checkpoints = warehouse.rows("sync_checkpoints")
    assert checkpoints and {c["run_id"] for c in checkpoints} == {second.run_id}
    assert all(c["status"] == "complete" for c in checkpoints)
    synced = next(e for e in entries if e["run_id"] == second.run_id and e["task"] == "sync_catalog")
    assert synced["requests"] and all(k.endswith((" 304", "/api/token 200")) for k in synced["requests"])


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


def test_one_hostile_draft_export_file_and_1900_row_are_set_aside_and_the_rest_of_the_run_completes(
    runs: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The main job on a copy of the demo world, with one artist's genre that fails some of its
    drafts' fact check, one unreadable history export and one audience row dated 1900-01-01
    among the demo's own exports: it ends partial, renders every report, and the audit, the
    command line's lines and every report name each item it set aside."""
    from flows.cli import run_lines
    from flows.pipeline import pipeline

    home = tmp_path / "home"
    shutil.copytree(Path(runs["home"]) / "data", home / "data", symlinks=True)
    catalog = demo.load_catalog()
    sectoid = next(a for a in catalog["artists"] if a["name"] == "Sectoid")
    sectoid["genres"] = ["metal", "lo-fi [beats]"]  # "[beats]" reads as a placeholder in a draft
    (home / "catalog.json").write_text(json.dumps(catalog))
    exports = home / "exports"
    exports.mkdir()
    maxstack = demo.demo_artist_ids()[0]
    (demo_csv,) = (home / "data" / "demo" / "streaming").glob(f"*/s4a/{maxstack}/audience-timeline.csv")
    audience = exports / f"{maxstack}-audience-timeline.csv"
    good = demo_csv.read_text(encoding="utf-8").splitlines()
    audience.write_text("\n".join([*good, f"1900-01-01,{good[-1].split(',', 1)[1]}"]) + "\n")
    shutil.copyfile(HOSTILE / "history_truncated.json", exports / "Streaming_History_Audio_2026_1.json")
    for key, value in WORLDS["demo"](home).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ENCORE_CATALOG_FILE", str(home / "catalog.json"))
    monkeypatch.setenv("ENCORE_STREAMING_EXPORTS_DIR", str(exports))

    result = pipeline()

    assert result.outcome == "partial", result.message
    assert len(result.reports) == 1 + len(demo.demo_artist_ids()) and all(p.exists() for p in result.reports)
    by_what: dict[str, list] = {}
    for item in result.set_aside:
        by_what.setdefault(item.what, []).append(item)
    assert set(by_what) == {"draft", "export file", "export row"}, result.set_aside
    assert all("Sectoid" in d.item and "placeholder" in d.reason for d in by_what["draft"])
    (bad_file,) = by_what["export file"]
    assert bad_file.item == "Streaming_History_Audio_2026_1.json"
    (bad_row,) = by_what["export row"]
    assert bad_row.item == f"{audience.name} row {len(good) + 1}" and "1900-01-01" in bad_row.reason
    # the audit: each item in the main job's closing record, the run chain intact
    warehouse = Warehouse(f"sqlite:///{home / 'data' / 'encore.sqlite'}")
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records") if r["run_id"] == result.run_id]
    closing = next(r for r in records if r["task"] == "run")
    assert closing["outcome"] == "partial"
    assert closing["details"]["set_aside"] == [item.as_dict() for item in result.set_aside]
    assert verify(warehouse).ok
    # the good data went on: Sectoid's other drafts and the demo's days are stored
    drafts = [d for d in warehouse.rows("content_drafts") if d["removed_run"] is None]
    assert any(d["artist_id"] == sectoid["id"] for d in drafts) and all(d["grounded"] for d in drafts)
    assert not any(r["day"].year == 1900 for r in warehouse.rows("s4a_audience_daily"))
    warehouse.dispose()
    # the command line's lines and every report say what is missing
    lines = run_lines(result)
    assert f"set aside {bad_file}" in lines and f"set aside {bad_row}" in lines
    assert sum(line.startswith("set aside draft ") for line in lines) == len(by_what["draft"])
    for page in result.reports:
        html = page.read_text(encoding="utf-8")
        assert "set aside" in html and bad_file.item in html and f"row {len(good) + 1}" in html, page
        assert by_what["draft"][0].item in html, page


def test_a_dataset_that_breaks_its_suite_stops_the_flow_before_storage(failed_run: FailedRun) -> None:
    """The demo catalog with a 5 ms track (the shared failing run, tests/worlds.py)."""
    error = failed_run.error
    assert isinstance(error, DatasetValidationError)
    assert "duration_ms" in str(error) and "expect_column_values_to_be_between" in str(error)
    tmp_path = failed_run.home
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    # the gate is per unit of work: the unit holding the bad track is not written, nor anything
    # after it; the artists' unit before it passed its own suites and stays
    for table in ("albums", "tracks", "playlists"):
        assert warehouse.rows(table) == [], f"{table} was stored although their unit failed a suite"
    assert {r["artist_id"] for r in warehouse.rows("artists")} == set(demo.demo_artist_ids())
    failed = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    assert any(e["task"] == "validate.tracks" and e["outcome"] == "failed" for e in failed)
    synced = next(e for e in failed if e["task"] == "sync_catalog")
    assert synced["outcome"] == "failed" and "DatasetValidationError" in synced["details"]["error"]
    assert synced["requests"]["GET /albums/{id} 200"] > 0
    assert verify(warehouse).ok


def test_a_quota_stop_in_the_sync_ends_the_run_partial_and_the_job_goes_on_with_what_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real-API path against a sandbox the test serves, which answers 429 'come back in 2 h'."""
    from flows import sync_artist_data
    from flows.pipeline import pipeline

    audio = tmp_path / "audio"
    audio.mkdir()
    first_file = sorted(demo.AUDIO_DIR.glob("*.ogg"))[0]  # one file keeps the audio job short
    (audio / first_file.name).write_bytes(first_file.read_bytes())
    for key in ("ENCORE_ARTIST_IDS", "ENCORE_CATALOG_FILE", "ENCORE_DATABASE_URL", "ENCORE_QUOTA_MODE"):
        monkeypatch.delenv(key, raising=False)
    with SpotifySandbox(SandboxOptions(quota_mode="development")).running() as sb:
        for name, value in {
            "DATA_DIR": str(tmp_path / "data"),
            "REPORTS_DIR": str(tmp_path / "reports"),
            "AUDIO_DIR": str(audio),
            "SENTRY_DSN": "",
            "WORLD": "real",
            "SPOTIFY_API_URL": sb.api_url,
            "SPOTIFY_ACCOUNTS_URL": sb.accounts_url,
            "SPOTIFY_CLIENT_ID": sb.client_id,
            "SPOTIFY_CLIENT_SECRET": sb.client_secret,
            "SPOTIFY_REFRESH_TOKEN": sb.user_refresh_token,
            "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache" / "token.json"),
        }.items():
            monkeypatch.setenv(f"ENCORE_{name}", value)
        # 2 artists, 2 discographies, 5 albums, then the 23 tracks: the 429 comes among the tracks
        sb.set_rate_limit(19, retry_after_s=7200)
        started = time.monotonic()
        result = pipeline(reports=False)
        assert result.outcome == "partial" and "resume after" in result.message

        settings = Settings()
        warehouse = Warehouse.from_settings(settings)
        entries = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
        mine = {e["task"]: e for e in entries if e["run_id"] == result.run_id}
        synced, closing = mine["sync_catalog"], mine["run"]
        assert synced["outcome"] == "partial" and synced["requests"]["GET /tracks/{id} 429"] == 1
        resume_at = datetime.fromisoformat(synced["details"]["resume_at"])
        remaining = (resume_at - datetime.now(UTC)).total_seconds()
        assert 7200 - (time.monotonic() - started) - 5 < remaining <= 7200
        assert closing["outcome"] == "partial" and closing["outputs"]["resume_at"] == resume_at.isoformat()
        assert "resume after" in closing["details"]["message"]
        # the job went on: the stored catalog (the artists' unit) saved and checked, the others ran
        assert {r["artist_id"] for r in warehouse.rows("artists")} == set(demo.demo_artist_ids())
        assert warehouse.rows("tracks") == []
        assert mine["validate.artists"]["outcome"] == "ok" and "analyze_tracks" in mine
        # a real world without an exports folder or a social platform skips those jobs, saying
        # so, and never ingests the demo streams
        assert mine["collect_streaming_metrics"]["details"] == {
            "skipped": "no exports folder: set ENCORE_STREAMING_EXPORTS_DIR"
        }
        assert "ENCORE_YOUTUBE_API_KEY" in mine["sync_social_media"]["details"]["skipped"]
        assert set(result.skipped) == {"collect_streaming_metrics", "sync_social_media", "update_playlist"}
        assert warehouse.rows("stream_play_events") == []
        assert all(f"monitor_artist.{a}" in mine for a in demo.demo_artist_ids())
        datasets = result.run_dir / "datasets"
        assert len(pd.read_parquet(datasets / "artists.parquet")) == len(demo.demo_artist_ids())
        manifest = json.loads((result.run_dir / "manifest.json").read_text())
        assert manifest["catalog_sync"] == {"outcome": "partial", "resume_at": resume_at.isoformat()}

        sb.set_rate_limit(None)
        resumed = sync_artist_data(demo.demo_artist_ids())
        assert resumed.outcome == "ok" and resumed.changes.inserted["tracks"] == 23
        # the cycle the pipeline began goes on: artists and discography listings are not read again
        assert not any(
            k.startswith(("GET /artists/{id} ", "GET /artists/{id}/albums")) for k in resumed.requests
        )
        warehouse.dispose()


def test_every_report_tells_one_story_and_its_data_docs_links_resolve(runs: dict) -> None:
    reports = Path(runs["home"]) / "reports"
    pages = report_pages(reports)
    artist_pages = [p for p in pages if p.name == "artist_report.html"]
    assert len(artist_pages) == len(demo.demo_artist_ids()) and any(
        p.name == "catalog_overview.html" for p in pages
    )
    assert page_problems(reports) == {}
    for page in artist_pages:
        html = page.read_text(encoding="utf-8")
        assert 'data-fact="recordings"' in html and 'data-fact="streams"' in html
        docs = page.parent / "data-docs.html"
        assert 'href="data-docs.html"' in html and docs.is_file()
        assert broken_links(docs) == [] and len(list((page.parent / "validation").glob("*.json"))) >= 8
    # the demo's catalog dates every release years back: no release-day rise may be stored
    warehouse = Warehouse.from_settings(runs["settings"])
    try:
        kinds = {r["kind"] for r in warehouse.rows("stream_anomalies")}
    finally:
        warehouse.dispose()
    assert "release_spike" not in kinds


def test_the_checker_fails_a_report_where_one_count_was_altered(runs: dict) -> None:
    page = next((Path(runs["home"]) / "reports").rglob("artist_report.html"))
    html = page.read_text(encoding="utf-8")
    assert check_page(html) == []
    problems = check_page(altered_count(html))
    assert problems and "shows" in problems[0], problems
