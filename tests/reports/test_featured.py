"""Playlists featuring the artist: from Spotify for Artists exports in a real warehouse to the page."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from analytics import catalog
from analytics.config import QuotaMode
from analytics.reports import load_artist_data, load_run, sections
from analytics.reports.consistency import check_page, read_page
from analytics.streaming.ingest import ingest_s4a_csv
from analytics.warehouse import Warehouse
from tests.reports.world import BARE_ID, world_catalog

START, END = date(2026, 10, 26), date(2026, 11, 22)
MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"
APEX = ("O3FcYIybyDEkrAG0NghN4J", "uzvbFTLeSKnwYVun8CGDtM")  # one recording (ISRC) on two releases
HEADER = "playlist,made by,song,track_id,listeners,streams,date added"
LATEST = [
    HEADER,
    f"Late Night Drive,Spotify,Apex Aleph,{APEX[0]},1200,2500,2026-10-02",
    f"Late Night Drive,Spotify,Apex Aleph,{APEX[1]},300,700,2026-11-02",
    "Late Night Drive,Spotify,Nebula,,40,61,2026-11-10",
    "Sunday Coffee,marie.l,Nebula,,12,20,",
]
OLDER = [HEADER, "Old Favourites,Spotify,Nebula,,5,9,2026-09-01"]


@pytest.fixture
def world(tmp_path: Path, sqlite_warehouse: Warehouse) -> tuple[Path, Warehouse]:
    frames = catalog.frames_from_catalog(world_catalog(), quota_mode=QuotaMode.development)
    run_dir = tmp_path / "run"
    frames.save(run_dir / "datasets")
    (run_dir / "manifest.json").write_text('{"run_id": "r1", "quota_mode": "development"}')
    catalog.store_catalog(sqlite_warehouse, frames, run_id="r1")
    for lines, as_of in ((OLDER, date(2026, 10, 1)), (LATEST, date(2026, 11, 23))):
        path = tmp_path / as_of.isoformat() / f"{MAXSTACK}-playlists-28days.csv"
        path.parent.mkdir()
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary = ingest_s4a_csv(sqlite_warehouse, path, run_id="r1", artist_id=MAXSTACK, as_of=as_of)
        assert summary.rows_rejected == 0, summary.as_dict()
    return run_dir, sqlite_warehouse


def _shown(capsys: pytest.CaptureFixture[str]) -> str:
    bundles = [
        ast.literal_eval(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    return "".join(b.get("text/html", "") for b in bundles)


def _render(run_dir: Path, warehouse: Warehouse, artist: str, language: str, capsys) -> tuple[str, object]:
    data = load_artist_data(
        load_run(run_dir, artist_id=artist),
        warehouse,
        artist_id=artist,
        start=START,
        end=END,
        language=language,
    )
    capsys.readouterr()
    sections.featured(data, language=language)
    return f"<html><body>{_shown(capsys)}</body></html>", data


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_the_playlists_featuring_the_artist_are_counted_by_recording(
    world: tuple[Path, Warehouse], capsys: pytest.CaptureFixture[str], language: str
) -> None:
    page, data = _render(*world, MAXSTACK, language, capsys)
    facts = data.facts  # type: ignore[attr-defined]
    assert facts.featured_day == date(2026, 11, 23)  # the export of the day after the period
    rows = [(r.playlist, r.song, r.listeners, r.streams) for r in facts.featured.itertuples()]
    assert rows == [
        ("Late Night Drive", "Apex Aleph", 1200, 3200),  # two tracks, one recording: streams add up
        ("Late Night Drive", "Nebula", 40, 61),
        ("Sunday Coffee", "Nebula", 12, 20),
    ]
    stated = {(k, v) for k, v, _ in read_page(page).facts}
    assert stated == {("featured-playlists", "2"), ("featured-recordings", "2")}
    assert format_decimal(3200, locale=language) in page and "3200" not in page
    assert "Old Favourites" not in page  # an older export tells an earlier period
    assert "marie.l" in page and page.count('<tr data-row="featured"') == 3
    assert check_page(page) == []


def test_older_exports_stay_in_the_warehouse_as_history(world: tuple[Path, Warehouse]) -> None:
    _, warehouse = world
    stored = {(r["as_of"], r["playlist"]) for r in warehouse.rows("s4a_playlists")}
    assert (date(2026, 10, 1), "Old Favourites") in stored and len(stored) == 3


def test_an_altered_count_is_caught_by_the_checker(world: tuple[Path, Warehouse], capsys) -> None:
    page, _ = _render(*world, MAXSTACK, "en", capsys)
    altered = page.replace(
        'data-fact="featured-playlists" data-value="2">2<', 'data-fact="featured-playlists" data-value="2">3<'
    )
    assert altered != page and any("featured-playlists" in p for p in check_page(altered))


def test_without_an_export_the_section_says_so_in_a_sentence(world: tuple[Path, Warehouse], capsys) -> None:
    page, data = _render(*world, BARE_ID, "fr", capsys)
    assert "<table" not in page and "Pas encore de tableau des playlists" in page
    assert "featured" in data.missing  # type: ignore[attr-defined]


def test_an_export_from_before_the_period_is_not_shown_as_its_numbers(
    world: tuple[Path, Warehouse], capsys
) -> None:
    run_dir, warehouse = world
    data = load_artist_data(
        load_run(run_dir, artist_id=MAXSTACK),
        warehouse,
        artist_id=MAXSTACK,
        start=date(2026, 12, 1),
        end=date(2026, 12, 28),
    )
    capsys.readouterr()
    sections.featured(data, language="en")
    page = _shown(capsys)
    assert "<table" not in page and "during or after this period" in page


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_the_data_quality_table_names_the_dataset_in_words(
    world: tuple[Path, Warehouse], capsys, language: str
) -> None:
    import pandas as pd

    from analytics.validation import validate

    run_dir, warehouse = world
    stored = pd.DataFrame(warehouse.rows("s4a_playlists"))
    validate(stored, suite="s4a_playlists", run_dir=run_dir, run_id="r1")  # as the streaming flow does
    data = load_artist_data(
        load_run(run_dir, artist_id=MAXSTACK), warehouse, artist_id=MAXSTACK, start=START, end=END
    )
    assert list(data.validation["dataset"]) == ["s4a_playlists"] and data.validation["passed"].all()
    capsys.readouterr()
    sections.data_quality(data, language=language)
    page = f"<html><body>{_shown(capsys)}</body></html>"
    assert "Spotify for Artists" in page and "s4a" not in page
    assert check_page(page) == []
