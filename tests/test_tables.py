"""The table registry: packages declare their tables; the warehouse imports none of them.

``analytics.warehouse`` knows only its own models. A table read by name gets its declared
types once its package is loaded (``analytics.tables`` loads them all); before that it is
reflected from the database. The warehouse package never pulls in a capability, at import
nor while it migrates and reads.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import analytics.tables
from analytics.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]


def capability_packages() -> list[str]:
    """The capability layer of the layers contract in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    capabilities = contracts["layers"]["layers"][2]
    return [name.strip() for name in capabilities.split(":")]


# Runs in a fresh interpreter: migrate, read a play through the view, then load the registry.
_PROBE = """
import json, sys
from analytics.warehouse import Warehouse

url, capabilities = sys.argv[1], json.loads(sys.argv[2])
loaded = lambda: sorted(m for m in sys.modules if any(m == c or m.startswith(c + ".") for c in capabilities))
wh = Warehouse(url)
wh.migrate()
with wh.engine.begin() as conn:
    conn.exec_driver_sql(
        "INSERT INTO stream_play_contexts (context_id, source, country) VALUES (7, 'history', 'DE')"
    )
    conn.exec_driver_sql(
        "INSERT INTO stream_play_facts (event_id, ts, track_id, ms_played, context_id)"
        " VALUES ('e1', 1700000000123456, 't1', 30000, 7)"
    )
def probe():
    table = wh.table("stream_play_events")
    play = wh.rows("stream_play_events")[0]
    return {"type": type(table.c.ts.type).__name__, "ts": repr(play["ts"]), "capabilities": loaded()}
before = probe()
import analytics.tables
print(json.dumps({"before": before, "after": probe()}))
"""


def _probe(tmp_path: Path) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, url, json.dumps(capability_packages())],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_warehouse_migrates_and_reads_without_any_capability(tmp_path: Path) -> None:
    before = _probe(tmp_path)["before"]
    assert before["capabilities"] == []
    # not declared yet: reflected, so SQLite's integer microseconds come back as they are stored
    assert before["type"] == "BIGINT"
    assert before["ts"] == "1700000000123456"


def test_a_table_has_its_declared_types_once_the_registry_is_loaded(tmp_path: Path) -> None:
    after = _probe(tmp_path)["after"]
    assert after["type"] == "PlayTime"
    assert after["ts"] == "datetime.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=datetime.timezone.utc)"
    assert "analytics.streaming" in after["capabilities"]


def test_every_table_and_view_the_migrations_create_is_declared(sqlite_warehouse: Warehouse) -> None:
    inspector = sa.inspect(sqlite_warehouse.engine)
    created = set(inspector.get_table_names()) | set(inspector.get_view_names())
    declared = set(analytics.tables.metadata().tables)
    assert created - {"alembic_version"} <= declared
    assert created - {"alembic_version"} == declared  # and nothing is declared that is never created


def test_the_registry_names_every_module_that_declares_a_table() -> None:
    from analytics.warehouse import Base

    declaring = {mapper.class_.__module__ for mapper in Base.registry.mappers}
    assert declaring == {module.__name__ for module in analytics.tables.MODULES}


@pytest.mark.slow
def test_the_flows_declare_every_table_they_may_read() -> None:
    """The flows, once loaded, import every capability, and so every table, without the registry.

    The package and the command line load the flows lazily (``encore --help`` imports none of
    them), so the probe loads each flow the package exports, as running it would.
    """
    probe = (
        "import json, flows, flows.cli\n"
        "for name in flows.__all__: getattr(flows, name)\n"
        "from analytics.warehouse import Base\n"
        "print(json.dumps({'tables': sorted(Base.metadata.tables)}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=240, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["tables"] == sorted(analytics.tables.metadata().tables)
