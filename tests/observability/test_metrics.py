"""Prometheus: the standard per-run metrics, pushed to a gateway or served on /metrics."""

from __future__ import annotations

import time
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


def test_timed_observes_the_task_duration_in_the_bound_flow(configured) -> None:
    from analytics.observability import bind_run, timed

    configured()
    count = _value("encore_task_duration_seconds_count", flow="analyze_tracks", task="audio.decode")
    total = _value("encore_task_duration_seconds_sum", flow="analyze_tracks", task="audio.decode")

    @timed("audio.decode")
    def decode() -> None:
        time.sleep(0.02)

    with bind_run(run_id="r-timed", flow="analyze_tracks"):
        decode()
        with pytest.raises(RuntimeError), timed("audio.decode"):
            raise RuntimeError("corrupt file")
    assert (
        _value("encore_task_duration_seconds_count", flow="analyze_tracks", task="audio.decode") == count + 2
    )
    assert (
        _value("encore_task_duration_seconds_sum", flow="analyze_tracks", task="audio.decode") >= total + 0.02
    )


def test_grafana_dashboard_queries_only_metrics_that_exist() -> None:
    import json
    import re
    from pathlib import Path

    dashboard = json.loads((Path(__file__).parents[2] / "ops" / "grafana-dashboard.json").read_text())
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}
    exposed = {family.name + end for family in REGISTRY.collect() for end in suffixes.get(family.type, ("",))}
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"\bencore_[a-z_]+", expr)}
    standard = {"encore_flow_runs_total", "encore_rows_written_total", "encore_validation_failures_total"}
    assert standard <= used and "encore_task_duration_seconds_bucket" in used
    assert used <= exposed, used - exposed
