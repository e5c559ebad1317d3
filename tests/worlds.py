"""Whole-pipeline worlds the tests share: each world's pipeline runs once a session (on the xdist
worker whose tests read it; conftest.SHARED_WORLDS keeps those tests together).

A world is a name and the settings its pipeline runs with. ``pipeline_world(name)`` runs the
main job twice on it (the second run, without reports, must find nothing to do) and keeps both
results; tests read them, and a test that writes copies the data folder first. A second world (its own
catalog, exports and audio) is one more entry in ``WORLDS``.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# A secret configured in the demo world's runs, searched for in everything they leave behind.
CANARY = "canary-secret-7f1e2d3c4b5a"
# What every run writes by design: its audit records and the sync's checkpoints (the cycle and
# run that last confirmed each artist's catalog); everything else must stay as it was.
BOOKKEEPING = ("audit_records", "alembic_version", "sync_checkpoints")


def _demo(home: Path) -> dict[str, str]:
    return {
        "ENCORE_DATA_DIR": str(home / "data"),
        "ENCORE_REPORTS_DIR": str(home / "reports"),
        "ENCORE_SPOTIFY_CLIENT_SECRET": CANARY,
        "ENCORE_SENTRY_DSN": "",
        "ENCORE_DEMO_STREAMING_DAYS": "28",
    }


# world name -> the environment its pipeline runs with, given the world's home folder
WORLDS: dict[str, Callable[[Path], dict[str, str]]] = {"demo": _demo}


@dataclass(frozen=True)
class PipelineWorld:
    """Two runs of the main job on one world: the first stores it, the second finds nothing new."""

    name: str
    home: Path
    first: Any  # flows.pipeline's result of the first run
    second: Any  # and of the second
    settings: Any  # the Settings both runs read
    hashes: tuple[str, str]  # the warehouse without bookkeeping, after each run


def run_world(name: str, home: Path) -> PipelineWorld:
    from analytics.config import Settings
    from analytics.warehouse import Warehouse
    from flows.pipeline import pipeline

    mp = pytest.MonkeyPatch()
    for key, value in WORLDS[name](home).items():
        mp.setenv(key, value)
    try:
        first = pipeline()
        settings = Settings()
        warehouse = Warehouse.from_settings(settings)
        after_first = warehouse.content_hash(exclude_tables=BOOKKEEPING)
        # The reports are the first run's to show (test_pipeline reads them); rendering the same
        # pages again from unchanged data would add a notebook kernel per report and test nothing.
        second = pipeline(reports=False)
        after_second = warehouse.content_hash(exclude_tables=BOOKKEEPING)
        warehouse.dispose()
    finally:
        mp.undo()
    return PipelineWorld(name, home, first, second, settings, (after_first, after_second))


@pytest.fixture(scope="session")
def pipeline_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], PipelineWorld]]:
    """``pipeline_world("demo")``: the world's two pipeline runs, made on first use."""
    made: dict[str, PipelineWorld] = {}

    def get(name: str) -> PipelineWorld:
        if name not in made:
            made[name] = run_world(name, tmp_path_factory.mktemp(f"world-{name}"))
        return made[name]

    yield get


@dataclass(frozen=True)
class FailedRun:
    """One run of the main job on the demo catalog with a track its suite rejects, every
    telemetry channel on: the flow fails at the gate; what it left behind, sent and logged."""

    home: Path
    state: Any  # the flow run's final Prefect state (failed)
    error: BaseException  # what state.result() raised
    stderr: str  # the process's log lines while it ran
    spans: list[Any]  # OTLP export requests the collector received
    sentry: list[Any]  # Sentry envelope requests
    metrics: str | None  # the Pushgateway's /metrics afterwards; None without a Pushgateway


@contextmanager
def pushgateway(folder: Path) -> Iterator[str | None]:
    """prometheus-pushgateway on a free loopback port, without persistence; its base URL, or
    None where it is not installed."""
    binary = shutil.which("prometheus-pushgateway")
    if binary is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log_path = folder / "pushgateway.log"
    log = log_path.open("wb")
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
            raise AssertionError(f"pushgateway did not start: {log_path.read_text()}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class _Tee(io.StringIO):
    """Keeps what is written and passes it on."""

    def __init__(self, through: Any) -> None:
        super().__init__()
        self.through = through

    def write(self, text: str) -> int:
        self.through.write(text)
        return super().write(text)


def run_failed(home: Path) -> FailedRun:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

    from analytics import demo, observability
    from flows.pipeline import pipeline
    from tests.observability.receivers import receiver

    broken = demo.load_catalog()
    broken["tracks"][0]["duration_ms"] = 5  # the tracks suite rejects it: the run fails on purpose
    (home / "catalog.json").write_text(json.dumps(broken))
    ok = ExportTraceServiceResponse().SerializeToString()
    mp = pytest.MonkeyPatch()
    with (
        pushgateway(home) as gateway,
        receiver(content_type="application/x-protobuf", response=ok) as collector,
        receiver(response=b'{"id": "0"}') as sentry,
    ):
        for key, value in {
            "ENCORE_DATA_DIR": str(home / "data"),
            "ENCORE_REPORTS_DIR": str(home / "reports"),
            "ENCORE_CATALOG_FILE": str(home / "catalog.json"),
            "ENCORE_OTEL_EXPORTER": "otlp",
            "ENCORE_OTEL_ENDPOINT": collector.url,
            "ENCORE_SENTRY_DSN": f"http://publickey@127.0.0.1:{sentry.url.rsplit(':', 1)[1]}/1",
            "ENCORE_PUSHGATEWAY_URL": gateway or "",
            "ENCORE_LOG_FORMAT": "json",
        }.items():
            mp.setenv(key, value)
        stderr = _Tee(sys.stderr)
        try:
            with redirect_stderr(stderr):
                state = pipeline(reports=False, return_state=True)
                try:
                    state.result()
                except Exception as exc:
                    error: BaseException = exc
                else:
                    raise AssertionError("the run with a broken track did not fail")
                observability.flush()
            span_requests = collector.wait()
            sentry_requests = sentry.wait()
            metrics = None
            if gateway is not None:
                with urllib.request.urlopen(f"{gateway}/metrics", timeout=5) as response:
                    metrics = response.read().decode()
        finally:
            observability.reset()
            mp.undo()
    return FailedRun(home, state, error, stderr.getvalue(), span_requests, sentry_requests, metrics)


@pytest.fixture(scope="session")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> FailedRun:
    """The demo pipeline failing at its gate, with every telemetry channel on (made once)."""
    return run_failed(tmp_path_factory.mktemp("failed-run"))
