"""The `encore` command line: help, audit verify on an intact and on an edited chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from analytics.audit import AuditEntry, append
from analytics.warehouse import Warehouse
from flows.cli import app

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "audit", "sandbox"):
        assert command in result.output


def test_audit_verify_passes_then_names_an_edited_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path))
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'encore.sqlite'}")
    warehouse.migrate()
    for task in ("load", "validate", "store"):
        entry = AuditEntry(
            run_id="r1",
            trace_id="t",
            flow="pipeline",
            task=task,
            code_version="v",
            parameters_hash="p",
            outcome="ok",
        )
        append(warehouse, entry, head_dir=tmp_path)
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "3 records" in ok.output
    with warehouse.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, 'validate', 'validatE') WHERE seq = 2")
        )
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "#2" in broken.output and "edited" in broken.output


def test_artists_are_accepted_as_ids_uris_or_urls_and_stored_by_their_bare_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analytics import demo

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    maxstack, sectoid = demo.demo_artist_ids()[:2]
    result = runner.invoke(
        app, ["sync", f"spotify:artist:{maxstack}", f"https://open.spotify.com/artist/{sectoid}?si=abc"]
    )
    assert result.exit_code == 0, result.output
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    assert {a["artist_id"] for a in warehouse.rows("artists")} >= {maxstack, sectoid}
    assert not any(":" in a["artist_id"] or "/" in a["artist_id"] for a in warehouse.rows("artists"))
    warehouse.dispose()


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--artist", "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"],
        ["run", "-a", "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"],
        ["sync", "Maxstack (official)"],
        ["monitor", "once", "spotify:artist:"],
    ],
)
def test_an_artist_in_no_accepted_form_is_one_line_and_exit_code_2_before_anything_is_written(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("encore: ") and "spotify:artist:<id>" in line and repr(argv[-1]) in line
    assert not (tmp_path / "data").exists()
