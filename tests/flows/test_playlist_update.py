"""update_playlist under Prefect: a dry run changes nothing, an apply is validated, audited, verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.curation import DefinitionError
from analytics.warehouse import Warehouse


def _records(tmp_path: Path, run_id: str) -> dict[str, dict]:  # type: ignore[type-arg]
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    try:
        bodies = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    finally:
        warehouse.dispose()
    return {r["task"]: r for r in bodies if r["run_id"] == run_id}


def test_dry_run_then_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.playlist_update import update_playlist

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    dry = update_playlist("maxstack-essentials")
    printed = capsys.readouterr().out
    assert "playlist 'Maxstack Essentials' (to be created)" in printed and "+ Awakening" in printed
    records = _records(tmp_path, dry.run_id)
    plan = records["playlist.plan"]
    assert plan["outputs"]["before"] == [] and len(plan["outputs"]["after"]) == 10
    assert plan["outputs"]["after"][0] == "KJDQIrkVdFohZuzUGV62Wy"
    assert records["validate.playlist_plans"]["validation"]["playlist_plans"]["success"] is True
    assert "playlist.apply" not in records

    applied = update_playlist("maxstack-essentials", apply=True)
    records = _records(tmp_path, applied.run_id)
    result = records["playlist.apply"]["outputs"]
    assert result["verified"] is True and result["after"] == records["playlist.plan"]["outputs"]["after"]
    assert result["write_requests"] == result["planned_write_requests"] >= 2


def test_unknown_definition_lists_the_known_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.playlist_update import update_playlist

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(DefinitionError, match="maxstack-essentials"):
        update_playlist.fn("no-such-playlist")
