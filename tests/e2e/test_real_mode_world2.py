"""The main job in the real world, on a catalog, exports and audio that are not the demo's.

The Spotify, social and MusicBrainz emulators run as a separate process (``encore sandbox
serve`` on the second world, tests/data/world2) and are reached only through the base-URL
settings, as real services would be; the exports and audio folders come through their settings
and the warehouse is PostgreSQL. The ``encore`` command runs twice (the second time without
reports), then plans a playlist.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from analytics.audit import verify
from analytics.reports.consistency import check_page
from analytics.reports.explore import latest_period
from analytics.warehouse import Warehouse
from tests.conftest import POSTGRES_ADMIN_URL, _postgres_schema_url, service_missing
from tests.report_pages import altered_count, broken_links, page_problems, report_pages

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.slow,  # two whole real-mode runs (sync, audio, streaming, social, content, reports) and a plan
    # about 165 s on an idle 2-core machine, over 300 s (the suite's default) on a loaded one
    pytest.mark.timeout(900),
]

ROOT = Path(__file__).resolve().parents[2]
WORLD2 = ROOT / "tests" / "data" / "world2"
ENCORE = Path(sys.executable).parent / "encore"
CATALOG = json.loads((WORLD2 / "catalog.json").read_text(encoding="utf-8"))
ARTISTS = [a["id"] for a in CATALOG["artists"] if a["name"] != "Various Artists"]
TRACKS = {t["id"] for t in CATALOG["tracks"]}
CLIENT_ID, CLIENT_SECRET, REFRESH = (
    "kestrelapp00000000000000000000aa",
    "kestrel-app-secret-0001",
    "kestrel-refresh-0001",
)
PLAYLIST = """name: Kestrel Avenue Essentials
description: "{count} songs to start with, about {minutes} minutes."
length: 8
pool:
  artist_ids: [N5KaGCbAmIaPQDrr4NX4M6]
constraints:
  max_per_album: 3
  unique_recordings: true
"""


def demo_markers() -> set[str]:
    """Every id, artist name, user and audio file name of the demo world."""
    demo = json.loads((ROOT / "analytics" / "demo" / "catalog.json").read_text(encoding="utf-8"))
    ids = {
        x["id"] for section in ("artists", "albums", "tracks", "playlists", "users") for x in demo[section]
    }
    names = {a["name"] for a in demo["artists"] if a["name"] != "Various Artists"}
    files = {p.name for p in (ROOT / "analytics" / "demo" / "audio").iterdir()}
    return ids | names | files


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    ready = tmp_path_factory.mktemp("sandbox") / "ready.json"
    args = [
        str(ENCORE), "sandbox", "serve", "--port", "0", "--catalog", str(WORLD2 / "catalog.json"),
        "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--refresh-token", REFRESH,
        "--ready-file", str(ready), "--social", "--social-accounts", str(WORLD2 / "social.json"),
    ]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else "sandbox exited"
        assert time.monotonic() < deadline, "the sandbox did not start in 120 s"
        time.sleep(0.2)
    try:
        yield json.loads(ready.read_text(encoding="utf-8"))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    schema = f"w2_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        service_missing("PostgreSQL at 127.0.0.1:5432", exc)
    try:
        yield _postgres_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def real(
    sandbox: dict[str, Any], postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("real")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_") or k.startswith("ENCORE_TEST_")}
    env.update(sandbox["social_env"])
    env.update(
        {
            "ENCORE_WORLD": "real",
            "ENCORE_DATA_DIR": str(home / "data"),
            "ENCORE_REPORTS_DIR": str(home / "reports"),
            "ENCORE_DATABASE_URL": postgres_url,
            "ENCORE_SPOTIFY_API_URL": sandbox["api_url"],
            "ENCORE_SPOTIFY_ACCOUNTS_URL": sandbox["accounts_url"],
            "ENCORE_SPOTIFY_CLIENT_ID": CLIENT_ID,
            "ENCORE_SPOTIFY_CLIENT_SECRET": CLIENT_SECRET,
            "ENCORE_SPOTIFY_REFRESH_TOKEN": REFRESH,
            "ENCORE_SPOTIFY_TOKEN_CACHE": str(home / "cache" / "spotify-token.json"),
            "ENCORE_SOCIAL_TOKEN_CACHE": str(home / "cache" / "social-tokens.json"),
            "ENCORE_ARTIST_IDS": json.dumps(ARTISTS),
            "ENCORE_STREAMING_EXPORTS_DIR": str(WORLD2 / "exports"),
            "ENCORE_AUDIO_DIR": str(WORLD2 / "audio"),
        }
    )
    definition = home / "kestrel-essentials.yaml"
    definition.write_text(PLAYLIST, encoding="utf-8")

    def encore(*args: str) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            [str(ENCORE), *args], cwd=home, env=env, capture_output=True, text=True, timeout=1500
        )
        done.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        return done

    first = encore("run")
    # The first run's reports are the ones checked; the second run must find nothing new, which
    # rendering every artist's notebooks again would not show any better.
    second = encore("run", "--no-reports")
    plan = encore("playlist", str(definition))
    return {"home": home, "first": first, "second": second, "plan": plan, "url": postgres_url}


def _warehouse_text(url: str) -> str:
    warehouse = Warehouse(url)
    try:
        return json.dumps(
            {t: warehouse.rows(t) for t in warehouse.table_names()}, default=str, ensure_ascii=False
        )
    finally:
        warehouse.dispose()


def test_both_runs_complete_and_the_second_writes_nothing(real: dict[str, Any]) -> None:
    first, second = real["first"], real["second"]
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert "unchanged" in second.stdout, second.stdout[-2000:]
    # every export finds its songs, a featured artist's too: nothing set aside, the run is ok
    assert re.search(r"^run \S+: ok — ", first.stdout, re.MULTILINE), first.stdout[-3000:]
    assert "set aside" not in first.stdout, first.stdout[-3000:]


def test_on_postgres_both_runs_are_audited_and_nothing_goes_to_the_sqlite_default(
    real: dict[str, Any],
) -> None:
    """The whole job with its warehouse on PostgreSQL: the first run stores, the second finds
    nothing new, each says so in its closing audit record, and the chain verifies."""
    run_ids = [
        re.search(r"^run (\S+): (\w+)", real[which].stdout, re.MULTILINE) for which in ("first", "second")
    ]
    assert all(run_ids), [real[which].stdout[-2000:] for which in ("first", "second")]
    assert not (real["home"] / "data" / "encore.sqlite").exists(), "nothing may go to the SQLite default"
    warehouse = Warehouse(real["url"])
    try:
        assert warehouse.dialect == "postgresql"
        assert len(warehouse.rows("tracks")) >= 10
        bodies = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
        closing = {b["run_id"]: b for b in bodies if b["flow"] == "pipeline" and b["task"] == "run"}
        (first_id, first_outcome), (second_id, second_outcome) = (m.groups() for m in run_ids if m)
        assert (first_outcome, second_outcome) == ("ok", "unchanged")
        assert closing[first_id]["outcome"] == "ok" and closing[second_id]["outcome"] == "unchanged"
        assert verify(warehouse).ok
    finally:
        warehouse.dispose()


def test_a_report_renders_for_each_artist(real: dict[str, Any]) -> None:
    reports = real["home"] / "reports"
    warehouse = Warehouse(real["url"])
    try:
        # the exports end days before today: each report covers its artist's latest 28 days
        # with numbers, as `encore report` and the notebooks choose, not days no export holds
        periods = {a: latest_period(warehouse, artist_id=a) for a in ARTISTS}
    finally:
        warehouse.dispose()
    for artist_id in ARTISTS:
        pages = list((reports / artist_id).rglob("*.html"))
        assert pages, f"no report for {artist_id}"
        assert all(p.stat().st_size > 10_000 for p in pages)
        reports_ = [p for p in pages if p.name == "artist_report.html"]
        # self-contained and light, with a page per song: at most 2 MB each (plotly.js embedded once)
        assert all(p.stat().st_size <= 2_000_000 for p in reports_), [p.stat().st_size for p in reports_]
        report_folders = {p.parent.name for p in reports_}
        assert report_folders == {periods[artist_id].label}
        assert periods[artist_id].end <= date(2026, 12, 1)  # the last day of the exports


def test_no_demo_id_name_or_file_anywhere(real: dict[str, Any]) -> None:
    markers = demo_markers()
    stored = _warehouse_text(real["url"])
    found = {m for m in markers if m in stored}
    assert not found, f"demo values in the warehouse: {sorted(found)[:10]}"
    for path in real["home"].rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".ipynb", ".md", ".txt", ".csv", ".jsonl"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":  # what the notebook showed, not its source's default parameters
                cells = json.loads(text)["cells"]
                text = json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)
            found = {m for m in markers if m in text}
            assert not found, f"demo values in {path.relative_to(real['home'])}: {sorted(found)[:10]}"


def test_every_dataset_passed_its_suite(real: dict[str, Any]) -> None:
    results = list((real["home"] / "data" / "runs").glob("*/validation/*.json"))
    assert len({p.stem for p in results}) >= 8, sorted({p.stem for p in results})
    failed = [p for p in results if json.loads(p.read_text(encoding="utf-8")).get("success") is not True]
    assert not failed, [f"{p.parent.parent.name}/{p.name}" for p in failed]


def test_the_world_is_in_the_warehouse(real: dict[str, Any]) -> None:
    warehouse = Warehouse(real["url"])
    try:
        assert {r["artist_id"] for r in warehouse.rows("artists")} >= set(ARTISTS)
        tracks = {r["track_id"] for r in warehouse.rows("tracks")}
        assert tracks and tracks <= TRACKS
        assert warehouse.rows("s4a_audience_daily") and warehouse.rows("stream_play_events")
        assert warehouse.rows("track_audio_features")
    finally:
        warehouse.dispose()


def test_the_playlist_plan_holds_only_the_users_tracks(real: dict[str, Any]) -> None:
    plan = real["plan"]
    assert plan.returncode == 0, plan.stderr[-3000:]
    stored = json.loads(_warehouse_text(real["url"]))["audit_records"]
    bodies = [json.loads(r["body"]) for r in stored]
    (planned,) = [b for b in bodies if b["task"] == "playlist.plan"]
    after = planned["outputs"]["after"]
    assert len(after) == 8 and set(after) <= TRACKS


def test_every_report_tells_one_story_and_its_data_docs_links_resolve(real: dict[str, Any]) -> None:
    reports = real["home"] / "reports"
    pages = report_pages(reports)
    assert {p.name for p in pages} >= {"artist_report.html", "catalog_overview.html"}
    assert page_problems(reports) == {}
    for page in (p for p in pages if p.name == "artist_report.html"):
        docs = page.parent / "data-docs.html"
        assert docs.is_file() and broken_links(docs) == []
    artist_page = next(p for p in pages if p.name == "artist_report.html")
    assert check_page(altered_count(artist_page.read_text(encoding="utf-8")))
