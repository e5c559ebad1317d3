"""OpenTelemetry: spans really reach an OTLP/HTTP receiver, with our trace ids, redacted."""

from __future__ import annotations

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from analytics import observability
from analytics.observability import bind_run, get_logger, span
from analytics.observability.tracing import otlp_traces_url, set_attributes

from .conftest import CANARY, json_lines
from .receivers import receiver


def _exported_spans(requests) -> dict[str, tuple[str, object]]:
    """span name -> (trace id hex, span) of every span in the recorded export requests."""
    spans = {}
    for request in requests:
        assert request.path == "/v1/traces" and request.method == "POST"
        assert request.headers["content-type"] == "application/x-protobuf"
        message = ExportTraceServiceRequest()
        message.ParseFromString(request.body)
        for resource_spans in message.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            assert service["service.name"] == "encore"
            for scope_spans in resource_spans.scope_spans:
                for item in scope_spans.spans:
                    spans[item.name] = (item.trace_id.hex(), item)
    return spans


def test_otlp_exporter_sends_spans_with_the_logged_trace_id(configured, capsys) -> None:
    ok = ExportTraceServiceResponse().SerializeToString()
    with receiver(content_type="application/x-protobuf", response=ok) as collector:
        configured(otel_exporter="otlp", otel_endpoint=collector.url)
        with bind_run(run_id="r-otlp", flow="sync_artist_data") as run:
            get_logger("analytics.sync").info("sync.start")
            with span("sync.fetch_albums", attributes={"artist_id": "a1", "note": f"with {CANARY}"}):
                set_attributes({"albums": 3, "last": f"token {CANARY}"})
            with span("sync.tags", attributes={"urls": [f"https://x/?access_token={CANARY}"]}):
                pass
            with pytest.raises(ValueError), span("sync.write"):
                raise ValueError(f"rejected {CANARY}")
        observability.flush()
        requests = collector.wait()
    spans = _exported_spans(requests)
    assert set(spans) == {"sync_artist_data", "sync.fetch_albums", "sync.tags", "sync.write"}
    assert {trace_id for trace_id, _ in spans.values()} == {run.trace_id}
    assert [line["trace_id"] for line in json_lines(capsys.readouterr().err)] == [run.trace_id]
    fetch = spans["sync.fetch_albums"][1]
    attributes = {a.key: a.value for a in fetch.attributes}
    assert (
        attributes["artist_id"].string_value == "a1" and attributes["note"].string_value == "with [REDACTED]"
    )
    assert attributes["albums"].int_value == 3 and attributes["last"].string_value == "token [REDACTED]"
    [urls] = spans["sync.tags"][1].attributes
    assert [v.string_value for v in urls.value.array_value.values] == ["https://x/?access_token=[REDACTED]"]
    failed = spans["sync.write"][1]
    assert failed.status.code == failed.status.STATUS_CODE_ERROR
    event = {a.key: a.value.string_value for a in failed.events[0].attributes}
    assert event["exception.message"] == "rejected [REDACTED]"
    assert "ValueError: rejected [REDACTED]" in event["exception.stacktrace"]
    assert all(CANARY.encode() not in r.body for r in requests)


def test_tracing_off_exports_nothing_and_costs_no_span(configured) -> None:
    with receiver() as collector:
        configured(otel_exporter="off", otel_endpoint=collector.url)
        assert not observability.tracing_enabled()
        with bind_run(run_id="r-off"), span("work") as current:
            assert not current.is_recording()
        observability.flush()
    assert collector.requests == []


def test_span_works_as_a_decorator(configured, capsys) -> None:
    configured(otel_exporter="console")

    @span("audio.decode")
    def decode(n: int) -> int:
        return n * 2

    with bind_run(run_id="r-deco") as run:
        assert decode(2) == 4 and decode(3) == 6
    err = capsys.readouterr().err
    assert err.count('"name": "audio.decode"') == 2 and err.count(run.trace_id) >= 3


@pytest.mark.parametrize(
    ("endpoint", "url"),
    [
        (None, "http://127.0.0.1:4318/v1/traces"),
        ("http://collector:4318", "http://collector:4318/v1/traces"),
        ("https://collector:4318/", "https://collector:4318/v1/traces"),
        ("http://collector:4318/custom/traces", "http://collector:4318/custom/traces"),
    ],
)
def test_otlp_endpoint_forms(endpoint, url) -> None:
    assert otlp_traces_url(endpoint) == url


def test_configure_again_keeps_an_open_parent_span_exporting(configured) -> None:
    ok = ExportTraceServiceResponse().SerializeToString()
    with receiver(content_type="application/x-protobuf", response=ok) as collector:
        configured(otel_exporter="otlp", otel_endpoint=collector.url)
        with bind_run(run_id="outer", flow="pipeline") as outer:
            configured(otel_exporter="otlp", otel_endpoint=collector.url)  # a sub-flow configures too
            with bind_run(run_id="inner", flow="sync_artist_data") as inner:
                pass
        observability.flush()
        spans = _exported_spans(collector.wait())
    assert set(spans) == {"pipeline", "sync_artist_data"}
    assert inner.trace_id == outer.trace_id == spans["pipeline"][0]
    assert spans["sync_artist_data"][1].parent_span_id == spans["pipeline"][1].span_id


@pytest.mark.slow
def test_every_prefect_task_run_is_a_span_in_its_flow_runs_trace(configured) -> None:
    """Prefect's own task-run spans (called and submitted tasks) join the trace of the run."""
    from prefect import flow, task

    @task(tags=[f"note {CANARY}"])
    def double(n: int) -> int:
        return n * 2

    @task
    def total(values: list[int]) -> int:
        return sum(values)

    @flow
    def tiny(run_id: str) -> str:
        with bind_run(run_id=run_id, flow="tiny") as run:
            futures = [double.submit(n) for n in (1, 2)]  # in Prefect's worker threads
            assert total([f.result() for f in futures]) == 6
            return run.trace_id

    ok = ExportTraceServiceResponse().SerializeToString()
    with receiver(content_type="application/x-protobuf", response=ok) as collector:
        configured(otel_exporter="otlp", otel_endpoint=collector.url)
        first, second = tiny("r-prefect-1"), tiny("r-prefect-2")
        observability.flush()
        requests = collector.wait()
    tasks: dict[str, list[tuple[str, list[str]]]] = {}
    for request in requests:
        message = ExportTraceServiceRequest()
        message.ParseFromString(request.body)
        for resource_spans in message.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                for item in scope_spans.spans:
                    attributes = {a.key: a.value for a in item.attributes}
                    if (
                        attributes.get("prefect.run.type")
                        and attributes["prefect.run.type"].string_value == "task"
                    ):
                        tags = [v.string_value for v in attributes["prefect.tags"].array_value.values]
                        name = item.name.rsplit("-", 1)[0]
                        tasks.setdefault(name, []).append((item.trace_id.hex(), tags))
    assert first != second
    assert sorted(t for t, _ in tasks["double"]) == sorted([first, first, second, second])
    assert sorted(t for t, _ in tasks["total"]) == sorted([first, second])
    assert {tuple(tags) for _, tags in tasks["double"]} == {("note [REDACTED]",)}
    assert all(CANARY.encode() not in r.body for r in requests)
