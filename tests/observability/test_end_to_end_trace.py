"""One trace id links a flow run's log lines, exported spans, audit record and Sentry event;
the run's metrics reach a real Pushgateway (Debian's prometheus-pushgateway, started here)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from analytics import demo, observability
from analytics.validation import DatasetValidationError
from analytics.warehouse import Warehouse
from tests.conftest import service_missing

from .conftest import json_lines
from .receivers import receiver

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pushgateway(tmp_path: Path) -> Iterator[str]:
    """prometheus-pushgateway on a free loopback port, without persistence; its base URL."""
    binary = shutil.which("prometheus-pushgateway")
    if binary is None:
        service_missing(
            "prometheus-pushgateway", FileNotFoundError("install it: deploy/deploy.sh pushgateway")
        )
    port = _free_port()
    log = (tmp_path / "pushgateway.log").open("wb")
    process = subprocess.Popen(
        [binary, f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"pushgateway did not start: {(tmp_path / 'pushgateway.log').read_text()}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


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


def test_one_trace_id_links_logs_spans_audit_sentry_and_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], pushgateway: str
) -> None:
    from flows.pipeline import pipeline

    broken = demo.load_catalog()
    broken["tracks"][0]["duration_ms"] = 5  # the tracks suite rejects it: the run fails on purpose
    (tmp_path / "catalog.json").write_text(json.dumps(broken))
    ok = ExportTraceServiceResponse().SerializeToString()
    with (
        receiver(content_type="application/x-protobuf", response=ok) as collector,
        receiver(response=b'{"id": "0"}') as sentry,
    ):
        for key, value in {
            "ENCORE_DATA_DIR": str(tmp_path / "data"),
            "ENCORE_REPORTS_DIR": str(tmp_path / "reports"),
            "ENCORE_CATALOG_FILE": str(tmp_path / "catalog.json"),
            "ENCORE_OTEL_EXPORTER": "otlp",
            "ENCORE_OTEL_ENDPOINT": collector.url,
            "ENCORE_SENTRY_DSN": f"http://publickey@127.0.0.1:{sentry.url.rsplit(':', 1)[1]}/1",
            "ENCORE_PUSHGATEWAY_URL": pushgateway,
            "ENCORE_LOG_FORMAT": "json",
        }.items():
            monkeypatch.setenv(key, value)
        try:
            state = pipeline(reports=False, return_state=True)
            assert state.is_failed()
            with pytest.raises(DatasetValidationError):
                state.result()
            observability.flush()
            span_requests = collector.wait()
            sentry_requests = sentry.wait()
        finally:
            observability.reset()

    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
    [closing] = [r for r in records if r["flow"] == "pipeline" and r["task"] == "run"]
    assert closing["outcome"] == "failed"
    run_id, trace_id = closing["run_id"], closing["trace_id"]
    assert len(trace_id) == 32 and trace_id != "0" * 32
    assert {r["trace_id"] for r in records if r["run_id"] == run_id} == {trace_id}

    lines = [line for line in json_lines(capfd.readouterr().err) if line.get("run_id") == run_id]
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

    with urllib.request.urlopen(f"{pushgateway}/metrics", timeout=5) as response:
        exposed = response.read().decode()
    wanted = [
        line
        for line in exposed.splitlines()
        if line.startswith("encore_flow_runs_total{")
        and 'flow="pipeline"' in line
        and 'outcome="failed"' in line
        and f'run_id="{run_id}"' in line
    ]
    assert wanted and float(wanted[0].rsplit(" ", 1)[1]) >= 1, exposed[:2000]
