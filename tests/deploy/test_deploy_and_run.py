"""Deploy on a real Prefect server over PostgreSQL, run the pipeline deployment to COMPLETED.

One test on purpose: starting the server, deploying and starting a worker is what costs time
(about 3-4 minutes on a loaded 2-core machine); every assertion shares that stack.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml

from deploy import stack
from deploy.server_env import server_python
from tests.conftest import POSTGRES_ADMIN_URL, service_missing
from tests.processes import wait_childless

# A real server, every deployment, a worker and one pipeline run: its own waits add up to 11 min
# (240 s for the server, 420 s for the run), plus deploying.
pytestmark = [pytest.mark.postgres, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]


async def _server_objects(api_url: str) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            pool = await client.read_work_pool("encore")
            tag_limit = await client.read_concurrency_limit_by_tag("spotify")
            rate_limit = await client.read_global_concurrency_limit_by_name("spotify-api")
            runs = await client.read_flow_runs()
            return {
                "pool_type": pool.type,
                "tag_limit": tag_limit.concurrency_limit,
                "rate_limit": (rate_limit.limit, rate_limit.slot_decay_per_second),
                "scheduled": {
                    str(r.deployment_id)
                    for r in runs
                    if r.state is not None and r.state.type.value == "SCHEDULED"
                },
            }


def _wait_for_scheduled_runs(
    api_url: str, deployment_ids: set[str], timeout_s: float = 60.0
) -> dict[str, Any]:
    """The scheduler service turns each registered schedule into upcoming runs."""
    import time

    start = time.monotonic()
    while True:
        found = asyncio.run(_server_objects(api_url))
        if deployment_ids <= found["scheduled"] or time.monotonic() - start > timeout_s:
            return found
        time.sleep(2)


async def _hold_other_schedules(api_url: str, *, keep: str) -> int:
    """Pause every deployment but ``keep`` and delete their scheduled runs; returns how many.

    A schedule falling due while the test's worker runs (the 15-minute streaming ingest, say)
    would give the worker a second flow run to finish when the test stops it.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            held = [d.id for d in await client.read_deployments() if d.name != keep]
            for deployment_id in held:
                await client.pause_deployment(deployment_id)
            runs = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(state={"type": {"any_": ["SCHEDULED"]}}),
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=held)),
            )
            for run in runs:
                await client.delete_flow_run(run.id)
            return len(held)


@pytest.fixture
def warehouse_schema() -> Any:
    """A PostgreSQL schema for the deployed run's warehouse, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        service_missing("PostgreSQL at 127.0.0.1:5432", exc)
    sep = "&" if "?" in POSTGRES_ADMIN_URL else "?"
    yield f"{POSTGRES_ADMIN_URL}{sep}options=-csearch_path%3D{schema}", admin, schema
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_deploy_all_then_the_pipeline_deployment_completes_on_postgres(
    tmp_path: Path, warehouse_schema
) -> None:
    warehouse_url, admin, schema = warehouse_schema
    database = f"encore_prefect_test_{uuid.uuid4().hex[:8]}"
    db_url = stack.ensure_database(POSTGRES_ADMIN_URL, database, drop_first=True)
    home = tmp_path / "prefect-home"
    home.mkdir()
    api_url = f"http://127.0.0.1:{stack.free_port()}/api"
    python = server_python(stack.PROJECT_ROOT / "data" / "deploy" / "server-venv")
    server = stack.start_server(
        db_url,
        port=int(api_url.split(":")[2].split("/")[0]),
        home=home,
        log=tmp_path / "server.log",
        python=python,
    )
    worker = None
    try:
        stack.wait_healthy(api_url, process=server, timeout_s=240)
        stack.apply_pool_and_limits(
            api_url, pool="encore", limits=stack.load_limits(stack.PROJECT_ROOT / "prefect.yaml")
        )
        stack.deploy_all(api_url, home=home, log=tmp_path / "deploy.log")

        # Every deployment of prefect.yaml is registered with its schedule, as written.
        written = yaml.safe_load((stack.PROJECT_ROOT / "prefect.yaml").read_text())["deployments"]
        registered = {d["name"]: d for d in stack.read_deployments(api_url)}
        assert set(registered) == {d["name"] for d in written}
        for spec in written:
            got = registered[spec["name"]]
            schedules = [s["schedule"] for s in got["schedules"]]
            assert [(s["cron"], s["timezone"]) for s in schedules] == [
                (s["cron"], s["timezone"]) for s in spec.get("schedules") or []
            ], spec["name"]
            assert got["work_pool_name"] == "encore"
            assert got["entrypoint"] == spec["entrypoint"]
            assert set(spec["tags"]) <= set(got["tags"])
            assert got["global_concurrency_limit"]["limit"] == spec["concurrency_limit"]["limit"]
            assert got["concurrency_options"]["collision_strategy"] == "ENQUEUE"
            for key, value in (spec.get("parameters") or {}).items():
                assert got["parameters"][key] == value
        # on-demand deployments (no schedule) get no runs of their own
        scheduled = {registered[spec["name"]]["id"] for spec in written if spec.get("schedules")}
        objects = _wait_for_scheduled_runs(api_url, scheduled)
        assert objects["pool_type"] == "process"
        assert objects["tag_limit"] == 4 and objects["rate_limit"] == (10, 5.0)
        assert scheduled and scheduled <= objects["scheduled"], "the scheduler made no runs"
        assert objects["scheduled"] <= scheduled, "an on-demand deployment got scheduled runs"

        assert asyncio.run(_hold_other_schedules(api_url, keep="pipeline-daily")) == len(written) - 1

        metrics_port = stack.free_port()
        worker = stack.start_worker(
            api_url,
            pool="encore",
            home=home,
            log=tmp_path / "worker.log",
            metrics_port=metrics_port,
            env={
                "ENCORE_DATABASE_URL": warehouse_url,
                "ENCORE_DATA_DIR": str(tmp_path / "data"),
                "ENCORE_REPORTS_DIR": str(tmp_path / "reports"),
                # four weeks of seeded streams (as in tests/worlds.py), not the default 90 days:
                # the deployment's wiring is under test here, not the ingest's volume
                "ENCORE_DEMO_STREAMING_DAYS": "28",
            },
        )
        state, flow_run_id = stack.run_and_wait(
            api_url, "pipeline/pipeline-daily", parameters={"reports": False}, timeout_s=420
        )
        assert state == "COMPLETED", f"flow run {flow_run_id}: {state}\n{worker.tail(40)}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'SET search_path TO "{schema}"'))
            artists = conn.execute(sa.text("SELECT count(*) FROM artists")).scalar_one()
            bodies = [json.loads(b) for (b,) in conn.execute(sa.text("SELECT body FROM audit_records"))]
        assert artists >= 2
        assert any(b["flow"] == "pipeline" and b["task"] == "run" and b["outcome"] == "ok" for b in bodies)
        scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
        assert "process_cpu_seconds_total" in scraped and "# TYPE encore_flow_runs_total counter" in scraped
        # The run is COMPLETED once its last state is reported; its process still flushes (spans,
        # events, errors) and exits. The worker stopped meanwhile would wait for it (under load,
        # longer than stop()'s grace): the process must end on its own first, then the worker.
        left = wait_childless(worker.popen.pid, timeout_s=120)
        assert left == {}, f"the flow run's process outlived its run by 2 min: {left}\n{worker.tail()}"
        code = worker.stop(timeout_s=60)
        assert code == 0, f"the worker did not stop cleanly on SIGINT:\n{worker.tail(120)}"
        worker = None
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        stack.drop_database(POSTGRES_ADMIN_URL, database)
