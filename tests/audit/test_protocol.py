"""One protocol for what a step reports to the audit: every recorded result reports itself.

Flows record only results that say what their step did (:class:`analytics.audit.Audited`):
the audited tasks of :mod:`flows._steps` and the few ``run.record(name, result)`` calls. An audit
dict built by hand in a flow fails :func:`test_no_flow_builds_an_audit_record_by_hand`.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import typing
from pathlib import Path
from types import NoneType, UnionType
from typing import Any

import pytest
from prefect import Task

import flows
from analytics import audit, content, monitoring, social, sync
from analytics.audio.batch import AnalysisBatch
from analytics.audio.matching import MatchResult
from analytics.audio.store import StoredFeatures
from analytics.config import Settings
from analytics.curation import review
from analytics.ml.clustering import Clustering
from analytics.reports import RenderedReports
from analytics.streaming.aggregate import AggregateSummary
from analytics.streaming.anomalies import AnomalySummary
from analytics.streaming.collect import IgnoredFiles
from analytics.streaming.summary import IngestSummary
from analytics.validation import DatasetValidationError, ValidationOutcome
from analytics.validation.gate import FailedValidation
from analytics.warehouse import UpsertResult, Warehouse
from flows._notebooks import TrackPages

ROOT = Path(__file__).resolve().parents[2]

# What flows and the library record besides the audited tasks' results (run.record(name, x)).
RECORDED = (
    audit.Skipped,
    audit.JobRun,
    RenderedReports,
    review.PlanReview,
    review.Replan,
    review.AppliedPlan,
    sync.SyncReport,
    FailedValidation,
    DatasetValidationError,
    AnalysisBatch,
    IngestSummary,
    IgnoredFiles,
)


def _audited_tasks() -> dict[str, Task[..., Any]]:
    """Every audited task of the flows package (made by ``flows._steps.audited``), by dotted name."""
    found: dict[str, Task[..., Any]] = {}
    for info in pkgutil.iter_modules(flows.__path__):
        module = importlib.import_module(f"flows.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Task) and hasattr(value.fn, "audit_step"):
                found[f"{module.__name__}.{name}"] = value
    return found


def _returned_types(each: Task[..., Any]) -> list[type]:
    returned = typing.get_type_hints(each.fn)["return"]
    parts = typing.get_args(returned) if isinstance(returned, UnionType) else (returned,)
    return [t for t in parts if t is not NoneType]


def test_the_audited_tasks_are_found() -> None:
    assert {
        "flows._tasks.validate_dataset",
        "flows.artist_monitoring.snapshot_artist",
        "flows.artist_monitoring.evaluate_rules",
        "flows.artist_monitoring.deliver_alerts",
        "flows.streaming_metrics.aggregate_days",
        "flows.streaming_metrics.find_anomalies",
        "flows.ai_content_generation.gather_facts",
        "flows.ai_content_generation.store",
        "flows.social_media_sync.sync_artist_accounts",
        "flows.playlist_update.apply_update",
        "flows.track_analysis.match_to_catalog",
        "flows.track_analysis.store_features",
        "flows.track_analysis.describe_catalog",
        "flows.track_analysis.render_reports",
        "flows.pipeline.stored_catalog",
    } <= set(_audited_tasks())


def test_every_audited_task_returns_a_result_that_reports_itself() -> None:
    for name, each in _audited_tasks().items():
        returned = _returned_types(each)
        assert returned, f"{name} declares no result"
        for kind in returned:
            assert issubclass(kind, audit.Audited), (
                f"{name} returns {kind.__name__}, which has no audit_record()"
            )


@pytest.mark.parametrize("kind", RECORDED, ids=lambda k: k.__name__)
def test_every_type_recorded_by_name_reports_itself(kind: type) -> None:
    assert issubclass(kind, audit.Audited)


def test_the_types_the_audited_tasks_return_are_the_ones_expected() -> None:
    returned = {kind for each in _audited_tasks().values() for kind in _returned_types(each)}
    assert returned >= {
        ValidationOutcome,
        monitoring.Snapshot,
        monitoring.Evaluation,
        monitoring.DeliveryReport,
        AggregateSummary,
        AnomalySummary,
        content.FactSheet,
        content.StoredDrafts,
        social.ArtistSyncReport,
        review.AppliedPlan,
        MatchResult,
        StoredFeatures,
        Clustering,
        TrackPages,
        sync.StoredCatalog,
    }


def _record_calls(path: Path, *, receivers: set[str] | None) -> list[ast.Call]:
    """Calls of ``<x>.record(...)`` in ``path`` (only those on ``receivers``' names when given)."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record":
            owner = node.func.value
            if receivers is None or (isinstance(owner, ast.Name) and owner.id in receivers):
                calls.append(node)
    return calls


def _by_hand(call: ast.Call) -> bool:
    """A record built at the call: keyword parts, ``**`` parts, or anything but (name, result)."""
    return bool(call.keywords) or len(call.args) != 2 or isinstance(call.args[1], ast.Dict | ast.DictComp)


def test_no_flow_builds_an_audit_record_by_hand() -> None:
    """Every ``.record(...)`` in flows/ (and every ``run.record`` in the library outside the audit
    package) is ``record(step, result)``: the result says what the step did."""
    paths = [(p, None) for p in sorted((ROOT / "flows").glob("*.py"))]
    paths += [
        (p, {"run"})
        for p in sorted((ROOT / "analytics").rglob("*.py"))
        if "audit" not in p.relative_to(ROOT / "analytics").parts
    ]
    by_hand = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path, receivers in paths
        for call in _record_calls(path, receivers=receivers)
        if _by_hand(call)
    ]
    assert not by_hand, f"audit records built by hand (record an Audited result instead): {by_hand}"


def test_the_scan_sees_a_record_built_by_hand(tmp_path: Path) -> None:
    flow = tmp_path / "a_flow.py"
    flow.write_text(
        "def step(run):\n"
        "    run.record('a', outputs={'n': 1})\n"
        "    run.record('b', {'outputs': {}})\n"
        "    run.record('c', **parts)\n"
        "    run.record('d', audit.Skipped('why'))\n"
    )
    assert [c.lineno for c in _record_calls(flow, receivers=None) if _by_hand(c)] == [2, 3, 4]


# -- AuditRun.record takes a result ---------------------------------------------------------------


def test_a_result_is_recorded_as_its_parts(sqlite_warehouse: Warehouse, settings: Settings) -> None:
    with audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run:
        by_result = run.record("skip", audit.Skipped("no exports folder"))
        by_parts = run.record("skip", details={"skipped": "no exports folder"})
        changed = run.record(
            "job",
            audit.JobRun(
                "job",
                audit.RunSummary(
                    run_id="r",
                    flow="job",
                    outcome="partial",
                    rows_written=3,
                    trace_id="t",
                    run_dir=run.run_dir,
                ),
            ),
        )
    fields = ("task", "outcome", "inputs", "outputs", "requests", "validation", "details")
    assert {k: by_result[k] for k in fields} == {k: by_parts[k] for k in fields}
    assert changed["outcome"] == "partial" and changed["outputs"]["inserted"] == {"job": 3}
    assert run.changes.inserted == {"job": 3} and run.outcome == "partial"


def test_a_record_has_one_source(sqlite_warehouse: Warehouse, settings: Settings) -> None:
    with (
        audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run,
        pytest.raises(TypeError, match="not both"),
    ):
        run.record("skip", audit.Skipped("why"), outputs={"n": 1})  # type: ignore[call-arg]


def test_an_upsert_result_is_recorded_among_the_outputs(
    sqlite_warehouse: Warehouse, settings: Settings
) -> None:
    stored = StoredFeatures(2, UpsertResult(inserted={"track_audio_features": 2}))
    with audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run:
        record = run.record("store_features", stored)
    assert record["inputs"] == {"tracks": 2}
    assert record["outputs"]["rows_written"] == 2 and record["outputs"]["inserted"] == {
        "track_audio_features": 2
    }
