"""prefect.yaml: a deployment for every flow, valid entrypoints, parameters and schedules."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.stack import PROJECT_ROOT, load_limits

PREFECT_FILE = PROJECT_ROOT / "prefect.yaml"
NOT_FLOWS = {"__init__.py", "cli.py", "world.py"}  # world.py: what the flows run against, not a flow

# How often each job runs, as the operations guide promises.
CADENCE = {
    "pipeline": timedelta(days=1),
    "sync_artist_data": timedelta(days=1),
    "sync_social_media": timedelta(days=1),
    "monitor_artist": timedelta(hours=1),
    "collect_streaming_metrics": timedelta(minutes=15),
    "render_reports": timedelta(weeks=1),
    "generate_content": timedelta(weeks=1),
    "analyze_tracks": timedelta(days=1),
    "update_playlist": timedelta(weeks=1),
}


def _document() -> dict[str, Any]:
    return yaml.safe_load(PREFECT_FILE.read_text())


def _deployments() -> list[dict[str, Any]]:
    return _document()["deployments"]


def _flow_of(entrypoint: str) -> Any:
    path, name = entrypoint.split(":")
    module = importlib.import_module(Path(path).with_suffix("").as_posix().replace("/", "."))
    return getattr(module, name)


def test_every_flow_module_has_a_deployment() -> None:
    modules = {p.name for p in (PROJECT_ROOT / "flows").glob("*.py")} - NOT_FLOWS
    modules = {m for m in modules if not m.startswith("_")}
    deployed = {Path(d["entrypoint"].split(":")[0]).name for d in _deployments()}
    assert modules - deployed == set(), f"flows without a deployment in prefect.yaml: {modules - deployed}"


@pytest.mark.parametrize("deployment", _deployments(), ids=lambda d: d["name"])
def test_entrypoint_is_a_flow_and_parameters_fit_it(deployment: dict[str, Any]) -> None:
    from prefect import Flow

    flow = _flow_of(deployment["entrypoint"])
    assert isinstance(flow, Flow), f"{deployment['entrypoint']} is not a Prefect flow"
    signature = inspect.signature(flow.fn)
    given = deployment.get("parameters") or {}
    assert set(given) <= set(signature.parameters), (
        f"unknown parameters {set(given) - set(signature.parameters)}"
    )
    required = {n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty}
    assert required <= set(given), (
        f"{deployment['name']}: required parameters without a value {required - set(given)}"
    )
    assert deployment["work_pool"]["name"] == "encore"
    assert deployment["concurrency_limit"]["limit"] >= 1


@pytest.mark.parametrize("deployment", _deployments(), ids=lambda d: d["name"])
def test_schedules_run_at_the_promised_cadence(deployment: dict[str, Any]) -> None:
    from prefect.server.schemas.schedules import CronSchedule

    flow_name = deployment["entrypoint"].split(":")[1]
    [spec] = deployment["schedules"]
    schedule = CronSchedule(cron=spec["cron"], timezone=spec["timezone"])
    dates = schedule.get_dates(n=3, start=datetime(2026, 1, 5, tzinfo=UTC))
    first, second, third = asyncio.run(dates) if inspect.isawaitable(dates) else dates
    gaps = {(second - first).total_seconds(), (third - second).total_seconds()}
    assert gaps == {CADENCE[flow_name].total_seconds()}, spec["cron"]


def test_spotify_limits_are_defined_and_tagged() -> None:
    limits = load_limits(PREFECT_FILE)
    assert limits["task_tags"]["spotify"] >= 1
    rate = limits["rate_limits"]["spotify-api"]
    assert 0 < rate["slot_decay_per_second"] <= rate["limit"]
    spotify_callers = {"pipeline", "sync_artist_data", "monitor_artist", "update_playlist"}
    for deployment in _deployments():
        if deployment["entrypoint"].split(":")[1] in spotify_callers:
            assert "spotify" in deployment["tags"], deployment["name"]
