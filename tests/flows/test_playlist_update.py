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
    assert plan["details"]["left_out"] == []  # nothing strong enough was kept out by a rule

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


def test_a_dry_run_says_why_strong_tracks_were_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.playlist_update import update_playlist

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    one_per_album = tmp_path / "one-per-album.yaml"
    one_per_album.write_text(
        "name: One Per Album\nlength: 4\npool: {artist_ids: [YQhOGXX8g2pM1yHEFVFAjK]}\n"
        "constraints: {max_per_album: 1, excluded: [KJDQIrkVdFohZuzUGV62Wy]}\n"
    )
    run = update_playlist(str(one_per_album))
    printed = capsys.readouterr().out
    left_out = _records(tmp_path, run.run_id)["playlist.plan"]["details"]["left_out"]
    reasons = {e["track_id"]: e["why_out"] for e in left_out}
    assert reasons["KJDQIrkVdFohZuzUGV62Wy"] == "excluded by the definition"
    assert any(r.endswith("already has 1 track (max_per_album)") for r in reasons.values())
    for entry in left_out[:20]:
        assert f"left out: {entry['name']} ({entry['track_id']}): {entry['why_out']}" in printed
