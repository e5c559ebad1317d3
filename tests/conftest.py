"""Shared fixtures: isolated warehouses on SQLite and on the machine's real PostgreSQL, Redis,
and one Prefect API server for the whole session (every xdist worker and child process)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.worlds import failed_run, pipeline_world  # noqa: F401  (session fixtures: the shared worlds)

if TYPE_CHECKING:
    from analytics.config import Settings
    from analytics.warehouse import Warehouse

POSTGRES_ADMIN_URL = os.environ.get(
    "ENCORE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# A test's own HTTP calls to a loopback server wait this long: the server may share a loaded
# 2-core machine with the other test workers (httpx's 5 s default is not enough there).
TEST_HTTP_TIMEOUT_S = 30.0

# Where the environment forbids bytecode (PYTHONDONTWRITEBYTECODE in containers and CI), every
# test process, notebook kernel and child process would compile analytics/, flows/ and the test
# modules (with pytest's assertion rewriting) from source again: the tests keep it (git-ignored
# __pycache__ folders, as any Python run writes by default).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# No task caches its result unless it names a cache policy (flows/_policies.py).
os.environ.setdefault("PREFECT_TASKS_DEFAULT_NO_CACHE", "true")
# A loaded 2-core machine can take longer than Prefect's default 20 s to start its API.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# Each test session gets its own Prefect database, so parallel sessions never share a SQLite lock.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="encore-prefect-"))


def _worker_redis_url(base: str) -> str:
    """The Redis database of this xdist worker: the configured one for gw0, the ones below it next.

    Tests flush their database, so two workers must never share one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0)
    head, _, db = base.rpartition("/")
    number = int(db) - index if db.isdigit() else -1
    if number < 0:
        raise RuntimeError(f"no Redis database left for xdist worker {worker} below {base}")
    return f"{head}/{number}"


REDIS_URL = _worker_redis_url(os.environ.get("ENCORE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))

# One Prefect API for the session. The first pytest process (the xdist controller, or the only
# one) starts it while the tests are collected and exports PREFECT_API_URL, so xdist workers,
# in-process flows and every child process a test starts (CLI, reliability scenarios) talk to
# it instead of each booting Prefect's ephemeral API (about 15 s of CPU each).
_PREFECT_SERVER: subprocess.Popen[bytes] | None = None
IDLE_SERVICES = (
    "CANCELLATION_CLEANUP", "CLEANUP_RECONCILER", "EVENT_PERSISTER", "FOREMAN", "LATE_RUNS",
    "PAUSE_EXPIRATIONS", "REPOSSESSOR", "SCHEDULER", "TRIGGERS",
)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_configure(config: pytest.Config) -> None:
    global _PREFECT_SERVER
    if os.environ.get("PREFECT_API_URL") or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if config.option.collectonly:  # no test runs: no server
        return
    port = _free_port()
    home = Path(os.environ["PREFECT_HOME"])
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        # No test schedules, cancels, pauses or automates on this server, nor reads its events:
        # the services that would (polling every 5-60 s) are off, about a tenth of its CPU.
        **{f"PREFECT_SERVER_SERVICES_{service}_ENABLED": "false" for service in IDLE_SERVICES},
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
    log = (home / "server.log").open("wb")
    _PREFECT_SERVER = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
    os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"


# Test files whose tests share a world built once per session: under xdist they run on one
# worker, so the world is not built twice. Every other file is a unit of its own (its
# module-scoped fixtures are built once).
SHARED_WORLDS: dict[str, str] = {
    "tests/notebooks/test_notebook_runs.py": "report-world",
    "tests/e2e/test_artist_reports.py": "report-world",
    "tests/flows/test_pipeline.py": "pipeline-worlds",
    "tests/notebooks/test_notebook_defaults.py": "pipeline-worlds",
    "tests/observability/test_end_to_end_trace.py": "pipeline-worlds",
    "tests/e2e/test_report_pages.py": "pipeline-worlds",
    "tests/cli/test_terminal.py": "pipeline-worlds",
    "tests/cli/test_report.py": "pipeline-worlds",
}
# The files that take longest start first, so that no worker is left with one at the end
# (seconds on an idle 2-core machine in brackets).
LONGEST_FIRST: tuple[str, ...] = (
    "tests/e2e/test_real_mode_world2.py",  # a sandbox process, two `encore run`, a plan (~165)
    "tests/flows/test_pipeline.py",  # with the trace test: the demo world and the failed run (~170)
    "tests/observability/test_end_to_end_trace.py",
    "tests/audio/test_jit_cache.py",  # cold numba compiles in child processes (~95)
    "tests/reliability/test_pipeline_faults.py",
    "tests/deploy/test_deploy_and_run.py",
    "tests/reliability/test_pipeline_hostile.py",
    "tests/notebooks/test_notebook_runs.py",
    "tests/e2e/test_artist_reports.py",
    "tests/flows/test_streaming_metrics.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, with the files of a shared world together (pytest 9 leaves
    ``--dist loadgroup`` without effect: xdist can no longer tag the node ids)."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFileAndWorld(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return SHARED_WORLDS.get(path, path)

    config.option.loadscopereorder = False  # the collection order below decides
    return ByFileAndWorld(config, log)


# The files with tests marked ``serial``: `make test` runs them after the parallel part by path
# (the Makefile's SERIAL_TESTS), so that the second pytest does not collect the whole suite again
# for them.
SERIAL_FILES: tuple[str, ...] = ("tests/sandbox/test_spotify_properties.py",)
MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def _check_serial_files(items: list[pytest.Item]) -> None:
    """A serial test outside SERIAL_FILES, or a SERIAL_FILES entry the Makefile does not run,
    would be skipped by `make test` without a word: stop the run instead."""
    makefile = MAKEFILE.read_text(encoding="utf-8")
    unlisted = {
        item.nodeid.split("::", 1)[0]
        for item in items
        if item.get_closest_marker("serial") and item.nodeid.split("::", 1)[0] not in SERIAL_FILES
    }
    unrun = {path for path in SERIAL_FILES if path not in makefile}
    if unlisted or unrun:
        raise pytest.UsageError(
            f"serial test files missing from tests/conftest.py SERIAL_FILES: {sorted(unlisted)}; "
            f"SERIAL_FILES missing from the Makefile's SERIAL_TESTS: {sorted(unrun)}"
        )


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects: every collected test is seen
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _check_serial_files(items)
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


# A test whose own part (not its fixtures) runs over 30 s is either marked ``slow`` with its
# reason beside the mark, or split: the end of the run lists those that are neither.
SLOW_CALL_S = 30.0
_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.duration > SLOW_CALL_S and "slow" not in report.keywords:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _unmarked_slow:
        terminalreporter.write_sep(
            "-", f"over {SLOW_CALL_S:.0f} s without a slow mark: mark it, with why, or split it"
        )
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda item: -item[1]):
            terminalreporter.write_line(f"{seconds:7.1f}s {nodeid}")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _PREFECT_SERVER is not None:
        _PREFECT_SERVER.terminate()
        try:
            _PREFECT_SERVER.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _PREFECT_SERVER.kill()


@pytest.fixture(scope="session")
def report_world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The report tests' seeded world (tests/reports/world.py), built once a session and shared by
    every xdist worker (the first to need it builds it under a lock, the others wait and read it):
    tests read it, or change a copy of it (``copy_world``)."""
    from analytics.jit import cache_lock
    from tests.reports.world import build_world, world_at

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder above each worker's own
    root, built = shared / "report-world", shared / "report-world.built"
    with cache_lock(root):  # a lock file beside the folder, released when its holder exits
        if not built.exists():
            shutil.rmtree(root, ignore_errors=True)  # a build cut short by a failure
            build_world(root)
            built.touch()
    return world_at(root)


@pytest.fixture(scope="session", autouse=True)
def prefect_api() -> str:
    """The session's Prefect API URL, once it answers its health check."""
    url = os.environ["PREFECT_API_URL"]
    deadline = time.monotonic() + float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return url
        except OSError as error:
            if time.monotonic() > deadline or (_PREFECT_SERVER and _PREFECT_SERVER.poll() is not None):
                log = Path(os.environ["PREFECT_HOME"], "server.log")
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(
                    f"the session's Prefect API at {url} did not start: {error}\n{tail}"
                ) from error
        time.sleep(0.2)


@pytest.fixture(scope="session", autouse=True)
def flows_without_heartbeats(prefect_api: str) -> Iterator[None]:
    """Flows run in a test process send no heartbeats, as the ``encore`` command's do
    (``flows._lifetime.no_idle_heartbeats``): each flow run would wait for its heartbeat thread
    at its end, about half a second, and nothing here watches heartbeats."""
    from flows._lifetime import no_idle_heartbeats

    with no_idle_heartbeats():
        yield


def service_missing(what: str, error: Exception) -> None:
    """Skip where a service is absent on a user's machine; fail under CI, which has it."""
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if IN_CI:
        pytest.fail(f"{message}; CI must provide it", pytrace=False)
    pytest.skip(message)


def _postgres_schema_url(schema: str) -> str:
    sep = "&" if "?" in POSTGRES_ADMIN_URL else "?"
    return f"{POSTGRES_ADMIN_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def empty_sqlite_warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """A SQLite warehouse without any table (migrations not run)."""
    from analytics.warehouse import Warehouse

    wh = Warehouse(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    yield wh
    wh.dispose()


@pytest.fixture
def empty_postgres_warehouse() -> Iterator[Warehouse]:
    """A fresh, empty schema in the machine's PostgreSQL database ``test``, dropped afterwards."""
    import sqlalchemy as sa

    from analytics.warehouse import Warehouse

    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        service_missing("PostgreSQL at 127.0.0.1:5432", exc)
    wh = Warehouse(_postgres_schema_url(schema))
    try:
        yield wh
    finally:
        wh.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_warehouse(empty_sqlite_warehouse: Warehouse) -> Warehouse:
    empty_sqlite_warehouse.migrate()
    return empty_sqlite_warehouse


@pytest.fixture
def postgres_warehouse(empty_postgres_warehouse: Warehouse) -> Warehouse:
    """A fresh schema in the machine's PostgreSQL database ``test``, migrated, dropped afterwards."""
    empty_postgres_warehouse.migrate()
    return empty_postgres_warehouse


@pytest.fixture(params=["sqlite", "postgres"])
def empty_warehouse(request: pytest.FixtureRequest) -> Warehouse:
    """An unmigrated warehouse on SQLite and on PostgreSQL (for migration tests)."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue(f"empty_{request.param}_warehouse")


@pytest.fixture(params=["sqlite", "postgres"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    """The same test on SQLite and on PostgreSQL, each isolated."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue(f"{request.param}_warehouse")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing every file a run writes into the test's own folder."""
    for key in list(os.environ):
        if key.startswith("ENCORE_") and not key.startswith("ENCORE_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    from analytics.config import Settings

    return Settings(
        data_dir=tmp_path / "data",
        reports_dir=tmp_path / "reports",
        spotify_token_cache=tmp_path / "cache" / "token.json",
    )


@pytest.fixture
def redis_client() -> Iterator[object]:
    """A client on database 15 of the machine's Redis, flushed before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except Exception as exc:
        service_missing("Redis at 127.0.0.1:6379", exc)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session", autouse=True)
def every_table_declared() -> None:
    """Every package's tables on the warehouse metadata (``analytics.tables``), so that a test
    reading a table by name gets its declared types, whichever packages it imports itself."""
    import analytics.tables  # noqa: F401


_PROJECT_FOLDER = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _logging_left_as_found() -> Iterator[None]:
    """Every test starts with logging as the last one found it: a run configured in-process
    (``configure_logging``: root handler, record factory, levels) is undone, and each named
    logger gets back its level, ``disabled``, ``propagate`` and handlers."""
    loggers = [v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled, lg.propagate, list(lg.handlers)) for lg in loggers]
    root_level = logging.getLogger().level
    yield
    logs = sys.modules.get("analytics.observability.logs")
    if logs is not None:
        logs.unconfigure_logging()
    for lg, level, disabled, propagate, handlers in saved:
        lg.setLevel(level)
        lg.disabled, lg.propagate, lg.handlers = disabled, propagate, handlers
    logging.getLogger().setLevel(root_level)


@pytest.fixture(autouse=True)
def _working_directory_kept() -> Iterator[None]:
    """Every test starts in the project folder, whatever an earlier test on the same worker did
    (papermill and notebook kernels change the process's working directory while they run)."""
    os.chdir(_PROJECT_FOLDER)
    yield
    os.chdir(_PROJECT_FOLDER)
