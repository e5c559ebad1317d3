"""The leak scanners and the runner's table: they find what is there and report it."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from analytics.config import Settings
from analytics.warehouse import Warehouse
from reliability import leaks
from reliability.result import ScenarioResult, render_table
from reliability.run import write_doc


def test_every_secret_setting_gets_its_own_canary() -> None:
    fields = leaks.secret_fields()
    secret_typed = [n for n in Settings.model_fields if isinstance(getattr(Settings(), n, None), SecretStr)]
    assert set(secret_typed) <= set(fields)
    assert {"spotify_client_secret", "sentry_dsn", "pagerduty_routing_key", "llm_api_key"} <= set(fields)
    env = leaks.canary_env(overrides={"sentry_dsn": "http://k@127.0.0.1:1/2"})
    assert len(set(env.values())) == len(fields)
    assert env["ENCORE_SENTRY_DSN"] == "http://k@127.0.0.1:1/2"
    assert all(leaks.CANARY_TAG in v for k, v in env.items() if k != "ENCORE_SENTRY_DSN")


def test_scanners_find_a_planted_canary_in_files_tables_and_payloads(tmp_path: Path) -> None:
    canary = f"{leaks.CANARY_TAG}-planted"
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "log.txt").write_text(f"token={canary}")
    (tmp_path / "clean.txt").write_text("nothing here")
    assert [h.split(":")[0] for h in leaks.scan_tree(tmp_path, [canary])] == [
        str(tmp_path / "run" / "log.txt")
    ]
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'w.sqlite'}")
    warehouse.migrate()
    assert leaks.scan_warehouse(warehouse, [canary])[0] == []
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.exec_driver_sql("INSERT INTO notes (body) VALUES (?)", (f"see {canary}",))
    hits, cells = leaks.scan_warehouse(warehouse, [canary])
    assert hits and hits[0].startswith("notes.body") and cells > 0
    assert leaks.scan_payloads({"sentry": [{"extra": canary}]}, [canary], where="rx")


def test_the_table_shows_every_count_and_the_failure(tmp_path: Path) -> None:
    ok = ScenarioResult("a", trials=20, faults=40, notes="fine | really")
    bad = ScenarioResult("b", trials=2, lost=1, problems=["trial 1: the warehouse differs"])
    table = render_table([ok, bad])
    assert "| a | 20 | 40 | 0 | 0 | 0 | 0 | pass | fine \\| really |" in table
    assert "| b | 2 | 0 | 1 | 0 | 0 | 0 | FAIL: trial 1: the warehouse differs |" in table
    doc = write_doc([ok, bad], path=tmp_path / "RELIABILITY.md", quick=True)
    assert "SOME SCENARIOS FAILED" in doc.read_text() and "--quick" in doc.read_text()
