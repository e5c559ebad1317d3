"""One trace id links a flow run's log lines, exported spans, audit record and Sentry event;
the run's metrics reach a real Pushgateway (Debian's prometheus-pushgateway). The run is the
shared failing run of tests/worlds.py, which tests/flows/test_pipeline.py reads too."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)

from analytics.validation import DatasetValidationError
from analytics.warehouse import Warehouse
from tests.conftest import service_missing
from tests.worlds import FailedRun

from .conftest import json_lines

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _spans(requests) -> list[tuple[str, str]]:
    """(name, trace id) of every span the collector received."""
    out = []
    for request in requests:
        message = ExportTraceServiceRequest()
        message.ParseFromString(request.body)
        for resource_spans in message.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                out.extend((s.name, s.trace_id.hex()) for s in scope_spans.spans)
    return out


def _task_run_names(flow_run_id: UUID | None) -> set[str]:
    """The names of the task runs Prefect recorded for the flow run (the span names it uses)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {run.name for run in runs}


def _sentry_events(requests) -> list[dict]:
    events = []
    for request in requests:
        lines = request.body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_one_trace_id_links_logs_spans_audit_sentry_and_metrics(failed_run: FailedRun) -> None:
    if failed_run.metrics is None:
        service_missing(
            "prometheus-pushgateway", FileNotFoundError("install it: deploy/deploy.sh pushgateway")
        )
    state = failed_run.state
    assert state.is_failed()
    assert isinstance(failed_run.error, DatasetValidationError)
    span_requests, sentry_requests = failed_run.spans, failed_run.sentry

    warehouse = Warehouse(f"sqlite:///{failed_run.home / 'data' / 'encore.sqlite'}")
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
    [closing] = [r for r in records if r["flow"] == "pipeline" and r["task"] == "run"]
    assert closing["outcome"] == "failed"
    run_id, trace_id = closing["run_id"], closing["trace_id"]
    assert len(trace_id) == 32 and trace_id != "0" * 32
    assert {r["trace_id"] for r in records if r["run_id"] == run_id} == {trace_id}

    lines = [line for line in json_lines(failed_run.stderr) if line.get("run_id") == run_id]
    assert len(lines) >= 2 and {line["trace_id"] for line in lines} == {trace_id}

    spans = _spans(span_requests)
    assert ("flow.pipeline", trace_id) in spans
    in_trace = [name for name, t in spans if t == trace_id]
    assert "db.transaction" in in_trace, f"no database transaction span in the run's trace: {in_trace}"
    assert any(name.split()[0] in {"GET", "POST"} for name in in_trace), f"no HTTP span: {in_trace}"
    tasks = _task_run_names(state.state_details.flow_run_id)
    assert len(tasks) >= 3, f"the failing run should have run its sync and validation tasks: {tasks}"
    missing = tasks - set(in_trace)
    assert not missing, f"task runs without a span in the run's trace: {sorted(missing)}; got {in_trace}"

    [event] = _sentry_events(sentry_requests)
    assert event["tags"]["trace_id"] == trace_id and event["tags"]["run_id"] == run_id
    assert event["exception"]["values"][-1]["type"] == "DatasetValidationError"

    exposed = failed_run.metrics
    wanted = [
        line
        for line in exposed.splitlines()
        if line.startswith("encore_flow_runs_total{")
        and 'flow="pipeline"' in line
        and 'outcome="failed"' in line
        and f'run_id="{run_id}"' in line
    ]
    assert wanted and float(wanted[0].rsplit(" ", 1)[1]) >= 1, exposed[:2000]
