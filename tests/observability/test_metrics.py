"""Prometheus: the standard per-run metrics, pushed to a gateway or served on /metrics."""

from __future__ import annotations

import urllib.request

import pytest

from analytics.observability import (
    FLOW_RUNS,
    REGISTRY,
    ROWS_WRITTEN,
    TASK_DURATION,
    VALIDATION_FAILURES,
    MetricsPushError,
    counter,
    metrics_text,
    push_metrics,
    serve_metrics,
)

from .receivers import receiver


def _value(name: str, **labels: str) -> float:
    value = REGISTRY.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_standard_metrics_count_what_runs_record() -> None:
    before = _value("encore_flow_runs_total", flow="pipeline", outcome="success")
    rows = _value("encore_rows_written_total", table="tracks")
    FLOW_RUNS.labels(flow="pipeline", outcome="success").inc()
    ROWS_WRITTEN.labels(table="tracks").inc(412)
    VALIDATION_FAILURES.labels(suite="catalog").inc()
    TASK_DURATION.labels(flow="pipeline", task="sync").observe(0.25)
    assert _value("encore_flow_runs_total", flow="pipeline", outcome="success") == before + 1
    assert _value("encore_rows_written_total", table="tracks") == rows + 412
    assert _value("encore_task_duration_seconds_count", flow="pipeline", task="sync") >= 1
    assert counter("encore_flow_runs_total", "again", ("flow", "outcome")) is FLOW_RUNS


def test_push_metrics_puts_the_registry_to_the_gateway(settings) -> None:
    ROWS_WRITTEN.labels(table="albums").inc(7)
    with receiver(status=200, response=b"") as gateway:
        pushed = push_metrics(
            settings.model_copy(update={"pushgateway_url": gateway.url}),
            job="encore",
            grouping={"run_id": "r-42", "flow": "pipeline"},
        )
        [request] = gateway.wait()
    assert pushed
    assert request.method == "PUT"
    assert request.path == "/metrics/job/encore/flow/pipeline/run_id/r-42"
    text = request.body.decode()
    assert 'encore_rows_written_total{table="albums"}' in text
    assert "# TYPE encore_task_duration_seconds histogram" in text


def test_push_metrics_without_gateway_is_a_no_op(settings) -> None:
    assert push_metrics(settings) is False


def test_push_failure_is_reported(settings, caplog) -> None:
    with receiver(status=500, response=b"nope") as gateway:
        broken = settings.model_copy(update={"pushgateway_url": gateway.url})
        assert push_metrics(broken) is False
        with pytest.raises(MetricsPushError, match="ENCORE_PUSHGATEWAY_URL"):
            push_metrics(broken, raise_on_error=True)
    assert "pushing metrics to" in caplog.text


def test_serve_metrics_answers_scrapes() -> None:
    VALIDATION_FAILURES.labels(suite="streams").inc()
    server = serve_metrics(0)
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert 'encore_validation_failures_total{suite="streams"}' in body
    assert (
        "# TYPE encore_flow_runs_total counter" in body
        and "# TYPE encore_flow_runs_total counter" in metrics_text()
    )
