"""Hostile exports and corrupt audio: a clear error or the right rows each, nothing else touched."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analytics.streaming.summary import SourceFormatError
from analytics.warehouse import Warehouse
from reliability.exports import EXPECTED, ingest, run_hostile_exports
from reliability.hostile import CORPUS, GENERATED, corpus_files, write_big_files


def test_the_committed_corpus_is_small_and_complete() -> None:
    names = {p.name for p in CORPUS.iterdir()}
    assert set(corpus_files(today=date(2026, 11, 23))) <= names
    assert {n for n in EXPECTED if n not in GENERATED} <= names
    assert max(p.stat().st_size for p in CORPUS.iterdir()) < 200_000


def test_every_hostile_file_ends_as_expected_and_nothing_else_is_touched(tmp_path: Path) -> None:
    result = run_hostile_exports(trials=1, workdir=tmp_path)
    result.assert_ok()
    assert result.faults == len(EXPECTED) + 4


def test_a_10mb_csv_field_is_a_clear_error_naming_the_line(tmp_path: Path) -> None:
    # before the fix, the csv module's "field larger than field limit" escaped as a raw csv.Error
    csv_file, _ = write_big_files(tmp_path, field_mb=1)
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'w.sqlite'}")
    warehouse.migrate()
    with pytest.raises(SourceFormatError) as error:
        ingest(warehouse, csv_file)
    message = str(error.value)
    assert csv_file.name in message and "line 2" in message and "field limit" in message
    assert warehouse.rows("s4a_song_totals") == [] and warehouse.rows("stream_files") == []


def test_the_scenario_notices_a_wrong_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the check can fail: claim a refused file should be accepted, and one row more elsewhere
    wrong = dict(EXPECTED)
    wrong["history_truncated.json"] = ("rows", 1, 0)
    wrong["history_hostile.json"] = ("rows", 2, 10)
    monkeypatch.setattr("reliability.exports.EXPECTED", wrong)
    result = run_hostile_exports(trials=1, workdir=tmp_path)
    assert not result.ok
    assert any("history_truncated.json" in p for p in result.problems)
    assert any("history_hostile.json: 1 rows written, expected 2" in p for p in result.problems)


def test_history_with_private_fields_stores_none_of_them(tmp_path: Path) -> None:
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'w.sqlite'}")
    warehouse.migrate()
    ingest(warehouse, CORPUS / "history_hostile.json")
    stored = json.dumps(warehouse.rows("stream_play_events"), default=str)
    assert "198.51.100.99" not in stored and "private-user-name" not in stored
