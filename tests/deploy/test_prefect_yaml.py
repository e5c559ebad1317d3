"""prefect.yaml: a deployment for every flow, valid entrypoints, parameters and schedules.

The schedules as a whole: every scheduled job covers every configured artist, reports come
after what they show, and no scheduled job repeats the work of another (the main job's steps
are read from flows/pipeline.py, their parameters from the flows' signatures).
"""

from __future__ import annotations

import ast
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

# How often each scheduled job runs, as the operations guide promises.
CADENCE = {
    "pipeline": timedelta(days=1),
    "monitor_artist": timedelta(hours=1),
    "collect_streaming_metrics": timedelta(minutes=15),
}
ARTIST_PARAMETERS = {"artist_id", "artist_ids"}
# What the reports show, and the jobs that render reports.
SHOWN_IN_REPORTS = {
    "sync_artist_data",
    "collect_streaming_metrics",
    "analyze_tracks",
    "sync_social_media",
    "monitor_artist",
    "generate_content",
}
ANY = object()  # a value computed at run time: it stands for every value


def _document() -> dict[str, Any]:
    return yaml.safe_load(PREFECT_FILE.read_text())


def _deployments() -> list[dict[str, Any]]:
    return _document()["deployments"]


def _scheduled() -> list[dict[str, Any]]:
    return [d for d in _deployments() if d.get("schedules")]


def _flow_name(deployment: dict[str, Any]) -> str:
    return str(deployment["entrypoint"].split(":")[1])


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


@pytest.mark.parametrize("deployment", _scheduled(), ids=lambda d: d["name"])
def test_schedules_run_at_the_promised_cadence(deployment: dict[str, Any]) -> None:
    [spec] = deployment["schedules"]
    first, second, third = _fire_times(spec, start=datetime(2026, 1, 5, tzinfo=UTC), n=3)
    gaps = {(second - first).total_seconds(), (third - second).total_seconds()}
    assert gaps == {CADENCE[_flow_name(deployment)].total_seconds()}, spec["cron"]


def _fire_times(spec: dict[str, Any], *, start: datetime, n: int) -> list[datetime]:
    from prefect.server.schemas.schedules import CronSchedule

    dates = CronSchedule(cron=spec["cron"], timezone=spec["timezone"]).get_dates(n=n, start=start)
    return list(asyncio.run(dates) if inspect.isawaitable(dates) else dates)


def _effective(function: Any, given: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of ``function``: the value given, else its default."""
    out = {}
    for name, parameter in inspect.signature(function).parameters.items():
        out[name] = given.get(name, parameter.default)
    return out


def _call_arguments(call: ast.Call, function: Any) -> dict[str, Any]:
    """The arguments of ``call`` by parameter name: literals as values, anything else ANY."""

    def value(node: ast.expr) -> Any:
        try:
            return ast.literal_eval(node)
        except ValueError:
            return ANY

    names = list(inspect.signature(function).parameters)
    given = {names[i]: value(arg) for i, arg in enumerate(call.args)}
    given |= {k.arg: value(k.value) for k in call.keywords if k.arg is not None}
    return given


def _calls_in(module_name: str, function_name: str) -> list[ast.Call]:
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    [function] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function_name]
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def _pipeline_steps() -> list[tuple[str, dict[str, Any], int]]:
    """The flows the main job chains, in order: (flow name, effective parameters, line).

    The catalog sync runs as ``sync_in_run``, the body of ``sync_artist_data``; every other
    step is a call of the flow itself.
    """
    from prefect import Flow

    pipeline = importlib.import_module("flows.pipeline")
    data_sync = importlib.import_module("flows.data_sync")
    assert "sync_in_run" in {c.func.id for c in _calls_in("flows.data_sync", "sync_artist_data")}  # type: ignore[attr-defined]
    steps = []
    for call in _calls_in("flows.pipeline", "_pipeline"):
        name = call.func.id  # type: ignore[attr-defined]
        target = getattr(pipeline, name, None)
        if name == "sync_in_run":
            flow, body = data_sync.sync_artist_data, data_sync.sync_in_run
        elif isinstance(target, Flow):
            flow, body = target, target.fn
        else:
            continue
        given = _call_arguments(call, body)
        wanted = inspect.signature(flow.fn).parameters
        steps.append(
            (
                flow.fn.__name__,
                _effective(flow.fn, {k: v for k, v in given.items() if k in wanted}),
                call.lineno,
            )
        )
    return steps


def _work(deployment: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The flow a deployment runs and every parameter it runs with."""
    flow = _flow_of(deployment["entrypoint"])
    return flow.fn.__name__, _effective(flow.fn, deployment.get("parameters") or {})


def _repeats(step: dict[str, Any], work: dict[str, Any]) -> bool:
    return all(step[name] is ANY or step[name] == value for name, value in work.items())


@pytest.mark.parametrize("deployment", _scheduled(), ids=lambda d: d["name"])
def test_every_scheduled_job_covers_every_configured_artist(deployment: dict[str, Any]) -> None:
    """No artist is named: the flow takes the configured artists when given none."""
    flow = _flow_of(deployment["entrypoint"])
    parameters = inspect.signature(flow.fn).parameters
    for name in ARTIST_PARAMETERS & set(parameters):
        assert name not in (deployment.get("parameters") or {}), (
            f"{deployment['name']} names {name}: it would cover that artist only"
        )
        assert parameters[name].default is None, f"{flow.fn.__name__}({name}=...) needs a value"


def test_no_scheduled_job_repeats_another() -> None:
    scheduled = _scheduled()
    repeated = []
    for deployment in scheduled:
        flow, work = _work(deployment)
        for other in scheduled:
            if other is deployment:
                continue
            other_flow, other_work = _work(other)
            if other_flow == "pipeline":
                for step, step_work, _line in _pipeline_steps():
                    if step == flow and _repeats(step_work, work):
                        repeated.append(
                            f"{deployment['name']} is repeated by the {other['name']} step {step}"
                        )
            elif other_flow == flow and other_work == work:
                repeated.append(f"{deployment['name']} is repeated by {other['name']}")
    assert repeated == []


def test_the_main_job_renders_its_reports_after_what_they_show() -> None:
    steps = _pipeline_steps()
    [render_line] = [line for step, _work_, line in steps if step == "render_reports"]
    shown = {step for step, _work_, _line in steps if step in SHOWN_IN_REPORTS}
    assert shown == SHOWN_IN_REPORTS
    late = [step for step, _work_, line in steps if step in SHOWN_IN_REPORTS and line > render_line]
    assert late == []


def test_scheduled_reports_come_after_what_they_show() -> None:
    """On every day a report job and a job it shows both run, the shown job runs first
    (jobs more frequent than the report are always fresh and are left out)."""

    def renders(deployment: dict[str, Any]) -> bool:
        flow, work = _work(deployment)
        return flow == "render_reports" or (flow == "pipeline" and work["reports"] is not False)

    start = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
    two_weeks = {
        d["name"]: _fire_times(d["schedules"][0], start=start, n=2 * 7 * 24 * 4 + 1) for d in _scheduled()
    }
    within = {name: [t for t in times if t < start + timedelta(weeks=2)] for name, times in two_weeks.items()}
    late = []
    for report in filter(renders, _scheduled()):
        for shown in _scheduled():
            if _flow_name(shown) not in SHOWN_IN_REPORTS or len(within[shown["name"]]) > len(
                within[report["name"]]
            ):
                continue
            for fired in within[shown["name"]]:
                same_day = [t for t in within[report["name"]] if t.date() == fired.date()]
                if same_day and min(same_day) < fired:
                    late.append(
                        f"{report['name']} {min(same_day):%a %H:%M} before {shown['name']} {fired:%a %H:%M}"
                    )
    assert late == []


def test_spotify_limits_are_defined_and_tagged() -> None:
    limits = load_limits(PREFECT_FILE)
    assert limits["task_tags"]["spotify"] >= 1
    rate = limits["rate_limits"]["spotify-api"]
    assert 0 < rate["slot_decay_per_second"] <= rate["limit"]
    spotify_callers = {"pipeline", "sync_artist_data", "monitor_artist", "update_playlist"}
    for deployment in _deployments():
        if _flow_name(deployment) in spotify_callers:
            assert "spotify" in deployment["tags"], deployment["name"]
