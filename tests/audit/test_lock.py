"""One run at a time per warehouse: the second is refused naming the first; a kill frees it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analytics import audit
from analytics.config import Settings
from analytics.warehouse import Warehouse

HOLDER = textwrap.dedent(
    """
    import sys, time
    from analytics import audit
    from analytics.config import Settings
    from analytics.warehouse import Warehouse

    settings = Settings(data_dir=sys.argv[1])
    warehouse = Warehouse(sys.argv[2])
    with audit.run("pipeline", settings=settings, warehouse=warehouse, run_id="holder0run"):
        print("held", flush=True)
        time.sleep(120)
    """
)


def _hold(settings: Settings, warehouse: Warehouse) -> subprocess.Popen[str]:
    url = warehouse.engine.url.render_as_string(hide_password=False)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.data_dir), url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_is_refused_naming_the_first_and_a_kill_frees_the_lock(
    warehouse: Warehouse, settings: Settings
) -> None:
    holder = _hold(settings, warehouse)
    try:
        with (
            pytest.raises(audit.RunLocked, match=r"another encore run is using this warehouse") as caught,
            audit.run("pipeline", settings=settings, warehouse=warehouse, run_id="second000run"),
        ):
            pytest.fail("the second run must not start")
        assert "pipeline run holder0run" in str(caught.value)
        assert not (settings.data_dir / "runs" / "second000run").exists()  # nothing written
        assert {r["run_id"] for r in audit.read_entries(warehouse)} == {"holder0run"}  # its start record
    finally:
        holder.kill()  # kill -9: no clean-up code runs in the holder
        holder.wait(timeout=30)
    # PostgreSQL frees the dead session's lock once its server process has read the closed
    # connection, a moment after the kill: the next run starts within seconds, not at once.
    deadline = time.monotonic() + 15
    while True:
        try:
            with audit.run("pipeline", settings=settings, warehouse=warehouse, run_id="third0000run") as run:
                run.record("step")
            break
        except audit.RunLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert "third0000run" in {r["run_id"] for r in audit.read_entries(warehouse)}


def test_runs_nested_in_one_process_share_the_lock(sqlite_warehouse: Warehouse, settings: Settings) -> None:
    with audit.run("pipeline", settings=settings, warehouse=sqlite_warehouse) as outer:
        with audit.run("sync_artist_data", settings=settings, warehouse=sqlite_warehouse) as inner:
            inner.record("step")
        outer.record("step")
    flows = [r["flow"] for r in audit.read_entries(sqlite_warehouse)]
    assert flows.count("pipeline") == 3 and flows.count("sync_artist_data") == 3  # start, step, end
    with audit.run("pipeline", settings=settings, warehouse=sqlite_warehouse):  # released afterwards
        pass
