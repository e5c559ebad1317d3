"""Structured logs: canary secrets never printed, run_id and trace_id on every line."""

from __future__ import annotations

import json
import logging
import re

import pytest

from analytics import observability
from analytics.observability import bind_run, current_trace_id, get_logger, span
from analytics.observability.logs import EncoreHandler

from .conftest import CANARY, CANARY_TOKEN, json_lines

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _log_everything(run_id: str) -> None:
    log = get_logger("analytics.sync")
    third_party = logging.getLogger("vendor.httpclient")
    with bind_run(run_id=run_id, flow="sync_artist_data"):
        log.info("sync.start", artist_id="a1", client_secret=CANARY)
        log.info(
            "sync.page", payload={"items": [f"id {CANARY}", {CANARY_TOKEN: [CANARY_TOKEN]}]}, tags=(CANARY,)
        )
        log.warning(f"token refreshed with {CANARY_TOKEN}")
        third_party.info("POST /api/token body=grant_type=refresh&refresh=%s", CANARY_TOKEN)
        third_party.warning("Authorization: Bearer %s", "Zm9vYmFyYmF6cXV4MTIz")
        try:
            raise RuntimeError(f"token endpoint said no to {CANARY}")
        except RuntimeError:
            log.exception("sync.failed", secret=CANARY)
            third_party.exception("request failed for %s", CANARY)


def test_canary_secrets_never_reach_the_output(configured, capsys) -> None:
    configured()
    _log_everything("run-1")
    err = capsys.readouterr().err
    lines = json_lines(err)
    assert len(lines) == 7, err
    assert CANARY not in err and CANARY_TOKEN not in err
    assert "Zm9vYmFyYmF6cXV4MTIz" not in err
    assert err.count("[REDACTED]") >= 9
    tracebacks = [line["exception"] for line in lines if "exception" in line]
    assert len(tracebacks) == 2 and all(
        "RuntimeError: token endpoint said no to [REDACTED]" in t for t in tracebacks
    )


def test_console_format_is_redacted_too(configured, capsys) -> None:
    configured(log_format="console")
    _log_everything("run-2")
    err = capsys.readouterr().err
    assert "sync.start" in err and "run_id=run-2" in err
    assert CANARY not in err and CANARY_TOKEN not in err


def test_every_line_carries_run_id_and_one_trace_id(configured, capsys) -> None:
    configured()
    _log_everything("run-3")
    lines = json_lines(capsys.readouterr().err)
    assert {line["run_id"] for line in lines} == {"run-3"}
    trace_ids = {line["trace_id"] for line in lines}
    assert len(trace_ids) == 1 and HEX32.match(trace_ids.pop())
    assert {line["logger"] for line in lines} == {"analytics.sync", "vendor.httpclient"}


def test_trace_id_is_stable_within_a_run_and_new_for_the_next(configured) -> None:
    configured()
    assert current_trace_id() == "0" * 32
    with bind_run(run_id="a") as first:
        assert HEX32.match(first.trace_id) and current_trace_id() == first.trace_id
        with span("inner"):
            assert current_trace_id() == first.trace_id
        with bind_run(run_id="a-child") as child:
            assert child.trace_id == first.trace_id
    with bind_run(run_id="b") as second:
        assert second.trace_id != first.trace_id
    assert current_trace_id() == "0" * 32


def test_trace_id_is_the_otel_span_trace_id_when_tracing_is_on(configured, capsys) -> None:
    configured(otel_exporter="console")
    log = get_logger("analytics.audio")
    with bind_run(run_id="r-otel", flow="analyze_tracks") as run, span("audio.features", attributes={"n": 3}):
        log.info("features.done", tracks=3)
        logging.getLogger("librosa").info("loaded")
    err = capsys.readouterr().err
    spans = [json.loads(line) for line in err.splitlines() if line.startswith('{"name"')]
    assert {s["name"] for s in spans} == {"audio.features", "analyze_tracks"}
    span_trace_ids = {s["context"]["trace_id"].removeprefix("0x") for s in spans}
    assert span_trace_ids == {run.trace_id}
    lines = json_lines(err)
    assert len(lines) == 2 and {line["trace_id"] for line in lines} == {run.trace_id}
    inner = next(s for s in spans if s["name"] == "audio.features")
    assert {line["span_id"] for line in lines} == {inner["context"]["span_id"].removeprefix("0x")}


def test_configure_twice_keeps_one_handler_and_caplog_works(configured, caplog, capsys) -> None:
    configured()
    configured(log_level="DEBUG")
    root = logging.getLogger()
    assert sum(isinstance(h, EncoreHandler) for h in root.handlers) == 1
    assert root.level == logging.DEBUG
    with caplog.at_level(logging.INFO, logger="vendor.httpclient"):
        logging.getLogger("vendor.httpclient").info("retrying with %s", CANARY)
    assert caplog.messages == ["retrying with [REDACTED]"]
    assert len(json_lines(capsys.readouterr().err)) == 1


def test_reset_restores_logging(make_settings) -> None:
    root = logging.getLogger()
    level = root.level
    factory = logging.getLogRecordFactory()
    observability.configure(make_settings(log_level="DEBUG"))
    assert logging.getLogRecordFactory() is not factory
    observability.reset()
    assert not any(isinstance(h, EncoreHandler) for h in root.handlers)
    assert root.level == level and logging.getLogRecordFactory() is factory


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("log_level", "LOUD", "log_level"),
        ("log_format", "xml", "ENCORE_LOG_FORMAT"),
        ("otel_exporter", "jaeger", "ENCORE_OTEL_EXPORTER"),
        ("otel_endpoint", "collector:4318", "ENCORE_OTEL_ENDPOINT"),
    ],
)
def test_bad_settings_fail_with_the_setting_named(configured, field, value, hint) -> None:
    overrides = {field: value, **({"otel_exporter": "otlp"} if field == "otel_endpoint" else {})}
    with pytest.raises(ValueError, match=hint):
        configured(**overrides)


def test_terminal_handlers_are_taken_over_and_given_back(make_settings, capsys) -> None:
    import sys

    root = logging.getLogger()
    plain = logging.StreamHandler(sys.stderr)
    root.addHandler(plain)
    try:
        observability.configure(make_settings())
        assert plain not in root.handlers
        logging.getLogger("spotipy").warning("quota for %s", CANARY)
        err = capsys.readouterr().err
        assert err.count("quota for") == 1 and json_lines(err)[0]["event"] == "quota for [REDACTED]"
        observability.reset()
        assert plain in root.handlers
    finally:
        observability.reset()
        root.removeHandler(plain)


@pytest.mark.slow  # imports Prefect (shared with the flow tests in a whole run)
def test_prefect_logs_are_printed_once_as_json_and_redacted(make_settings, capsys) -> None:
    from prefect.logging.configuration import setup_logging

    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging()
    try:
        observability.configure(make_settings())
        with bind_run(run_id="r-prefect", flow="pipeline"):
            logging.getLogger("prefect.engine").warning("retrying task with %s", CANARY)
        err = capsys.readouterr().err
        assert err.count("retrying task") == 1, err
        [line] = json_lines(err)
        assert line["event"] == "retrying task with [REDACTED]" and line["run_id"] == "r-prefect"
    finally:
        observability.reset()
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)


def test_before_configure_lines_are_json_strings_redacted_by_pattern(caplog) -> None:
    import structlog

    structlog.reset_defaults()
    with caplog.at_level(logging.INFO, logger="analytics.early"), bind_run(run_id="r-early"):
        get_logger("analytics.early").info("early.line", url="https://u:pw123@host/x", who="fan@example.org")
    [message] = caplog.messages
    line = json.loads(message)
    assert line["event"] == "early.line" and line["run_id"] == "r-early"
    assert line["url"] == "https://u:[REDACTED]@host/x" and line["who"] == "[EMAIL]"
    structlog.reset_defaults()


def test_library_narration_below_warning_stays_out_and_its_warnings_stay_in(configured, capsys) -> None:
    configured()
    for name in ("great_expectations._docs_decorators", "papermill", "httpx", "alembic.runtime.plugins"):
        logging.getLogger(name).info("internal detail of %s", name)
        logging.getLogger(name).warning("something %s wants seen", name)
    get_logger("analytics.sync").info("sync.start")
    events = [line["event"] for line in json_lines(capsys.readouterr().err)]
    assert not any(e.startswith("internal detail") for e in events)
    assert sum(e.startswith("something") for e in events) == 4 and "sync.start" in events
