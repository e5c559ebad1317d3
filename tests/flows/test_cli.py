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
