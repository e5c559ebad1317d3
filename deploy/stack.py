"""Bring up encore's Prefect stack on PostgreSQL, deploy every flow, run one, tear it down.

Used by ``make deploy`` (``deploy/deploy.sh``) and by ``tests/deploy``. Each piece is a
function so an operator (or a test) can run only the part they need::

    python -m deploy.stack check          # the whole cycle, then stop everything (make deploy)
    python -m deploy.stack up             # server + pool + deployments + worker; left running
    python -m deploy.stack down           # stop what `up` started (pid files in data/deploy/)

Processes get their own ``PREFECT_HOME`` under ``data/deploy/`` so the operator's Prefect
profile is never touched; the server's database is PostgreSQL (``postgresql+asyncpg``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from deploy.worker import STACKS_SIGNAL

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUIET_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


class DeployError(RuntimeError):
    """A step of the deployment failed; the message says which and where its log is."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(admin_url: str, name: str, *, drop_first: bool = False) -> str:
    """Create PostgreSQL database ``name`` when absent; return the server's asyncpg URL for it.

    ``admin_url`` is any SQLAlchemy URL of the same PostgreSQL server (e.g. its ``postgres``
    database) with the right to create databases.
    """
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if drop_first:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists.first() is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    url = sa.make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (closing its connections)."""
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@dataclass
class Process:
    """A child process started by this module, with its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    stacks_signal: int | None = None  # makes the process write its threads' stacks to its log

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, *, timeout_s: float = 30.0) -> int:
        """SIGINT (Prefect's clean shutdown), then SIGTERM, then SIGKILL; the exit code.

        A process that outlives the SIGINT's grace is first asked for its threads' stacks
        (``stacks_signal``), so its log says where it was stuck.
        """
        if self.popen.poll() is None:
            for sig, wait in ((signal.SIGINT, timeout_s), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
                if sig != signal.SIGINT and self.stacks_signal is not None and self.popen.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.popen.pid, self.stacks_signal)
                    time.sleep(1.0)
                    self.stacks_signal = None  # once
                try:
                    os.killpg(self.popen.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.popen.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        return int(self.popen.returncode if self.popen.returncode is not None else -1)


def prefect_env(api_url: str | None, *, home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a Prefect process: quiet, its own PREFECT_HOME, talking to ``api_url``."""
    env = {**os.environ, **QUIET_ENV, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # never an API the caller's environment happens to name
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra or {})
    return env


def _spawn(name: str, args: list[str], *, env: Mapping[str, str], log: Path, cwd: Path) -> Process:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        popen = subprocess.Popen(
            args, cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name=name, popen=popen, log=log)


def _worker() -> list[str]:
    return [sys.executable, "-m", "deploy.worker"]


def _prefect(python: Path | None = None) -> list[str]:
    return [str(python or sys.executable), "-m", "prefect"]


def start_server(
    database_url: str,
    *,
    port: int,
    home: Path,
    log: Path,
    python: Path | None = None,
    env: Mapping[str, str] | None = None,
    ui: bool = True,
) -> Process:
    """``prefect server start`` on 127.0.0.1:``port`` with its database at ``database_url``.

    ``python`` is the server environment's interpreter (:func:`deploy.server_env.server_python`);
    default: this one. With ``ui`` the server also serves Prefect's UI at :func:`ui_url`, on
    loopback like the API (the UI talks to the API it is served with).
    """
    extra = {
        "PREFECT_API_DATABASE_CONNECTION_URL": database_url,
        "PREFECT_UI_ENABLED": "true" if ui else "false",
        "PREFECT_UI_API_URL": f"{ui_url(port)}/api",
        **(env or {}),
    }
    args = [*_prefect(python), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    return _spawn(
        "prefect server",
        [*args, "--ui" if ui else "--no-ui"],
        env=prefect_env(None, home=home, extra=extra),
        log=log,
        cwd=home,
    )


def ui_url(port: int) -> str:
    """Where the server started by :func:`start_server` on ``port`` serves Prefect's UI."""
    return f"http://127.0.0.1:{port}"


def wait_ui(url: str, *, timeout_s: float = 30.0) -> int:
    """The HTTP status of Prefect's UI page at ``url`` once it answers (the server is healthy).

    Raises
    ------
    DeployError : no answer in time.
    """
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        try:
            answer = httpx.get(url, timeout=5, follow_redirects=True)
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        if answer.status_code == 200 and "<html" in answer.text.lower():
            return answer.status_code
        time.sleep(0.5)
    raise DeployError(f"Prefect's UI did not answer at {url} after {timeout_s:.0f} s")


def wait_healthy(api_url: str, *, process: Process | None = None, timeout_s: float = 180.0) -> float:
    """Wait for ``GET {api_url}/health``; the seconds it took.

    Raises
    ------
    DeployError : the server exited or did not answer in time (with the end of its log).
    """
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if process is not None and process.popen.poll() is not None:
            raise DeployError(f"{process.name} exited with {process.popen.returncode}:\n{process.tail()}")
        try:
            if httpx.get(f"{api_url}/health", timeout=5).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    tail = process.tail() if process else ""
    raise DeployError(f"no answer from {api_url}/health after {timeout_s:.0f} s:\n{tail}")


def load_limits(prefect_file: Path) -> dict[str, Any]:
    """``definitions.encore_limits`` of prefect.yaml: tag limits and rate limits to create."""
    document = yaml.safe_load(prefect_file.read_text())
    return dict((document.get("definitions") or {}).get("encore_limits") or {})


def apply_pool_and_limits(api_url: str, *, pool: str, limits: Mapping[str, Any]) -> None:
    """Create (or update) the process work pool and the concurrency limits on the server."""
    asyncio.run(_apply_pool_and_limits(api_url, pool=pool, limits=limits))


async def _apply_pool_and_limits(api_url: str, *, pool: str, limits: Mapping[str, Any]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
        WorkPoolCreate,
    )
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.workers.process import ProcessWorker

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            template = ProcessWorker.get_default_base_job_template()
            await client.create_work_pool(
                WorkPoolCreate(name=pool, type="process", base_job_template=template), overwrite=True
            )
            for tag, limit in (limits.get("task_tags") or {}).items():
                await client.create_concurrency_limit(tag=tag, concurrency_limit=int(limit))
            for name, spec in (limits.get("rate_limits") or {}).items():
                values = {
                    "limit": int(spec["limit"]),
                    "slot_decay_per_second": float(spec["slot_decay_per_second"]),
                }
                try:
                    await client.read_global_concurrency_limit_by_name(name)
                except ObjectNotFound:
                    await client.create_global_concurrency_limit(
                        GlobalConcurrencyLimitCreate(name=name, **values)
                    )
                else:
                    await client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(**values))


def deploy_all(api_url: str, *, home: Path, log: Path, project_dir: Path = PROJECT_ROOT) -> None:
    """``prefect --no-prompt deploy --all`` from ``project_dir`` (its prefect.yaml).

    Raises
    ------
    DeployError : with the end of the command's output.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        done = subprocess.run(
            [*_prefect(), "--no-prompt", "deploy", "--all"],
            cwd=project_dir,
            env=prefect_env(api_url, home=home, extra={"ENCORE_HOME": str(project_dir)}),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise DeployError(f"`prefect deploy --all` failed ({done.returncode}); log {log}:\n{tail}")


def start_worker(
    api_url: str,
    *,
    pool: str,
    home: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    limit: int = 2,
    metrics_port: int = 0,
    project_dir: Path = PROJECT_ROOT,
) -> Process:
    """A process worker on ``pool`` serving ``/metrics`` on ``metrics_port`` (deploy/worker.py).

    Flow runs start in ``project_dir`` (``ENCORE_HOME``).
    """
    extra = {"ENCORE_HOME": str(project_dir), "PREFECT_WORKER_QUERY_SECONDS": "2", **(env or {})}
    worker = _spawn(
        "prefect worker",
        [*_worker(), "--pool", pool, "--limit", str(limit), "--metrics-port", str(metrics_port)],
        env=prefect_env(api_url, home=home, extra=extra),
        log=log,
        cwd=project_dir,
    )
    worker.stacks_signal = STACKS_SIGNAL
    return worker


def run_and_wait(
    api_url: str, deployment: str, *, parameters: Mapping[str, Any] | None = None, timeout_s: float = 300.0
) -> tuple[str, str]:
    """Trigger ``flow/deployment`` and wait for a final state; ``(state type, flow run id)``."""
    return asyncio.run(_run_and_wait(api_url, deployment, parameters=parameters, timeout_s=timeout_s))


async def _run_and_wait(
    api_url: str, deployment: str, *, parameters: Mapping[str, Any] | None, timeout_s: float
) -> tuple[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            found = await client.read_deployment_by_name(deployment)
            run = await client.create_flow_run_from_deployment(found.id, parameters=dict(parameters or {}))
            start = time.monotonic()
            while time.monotonic() - start < timeout_s:
                current = await client.read_flow_run(run.id)
                if current.state is not None and current.state.is_final():
                    return current.state.type.value, str(run.id)
                await asyncio.sleep(1.0)
            state = current.state.type.value if current.state else "none"
    raise DeployError(f"flow run {run.id} of {deployment} still {state} after {timeout_s:.0f} s")


def read_deployments(api_url: str) -> list[dict[str, Any]]:
    """Every deployment on the server as JSON-ready dicts (name, flow, schedules, limits, …)."""
    return asyncio.run(_read_deployments(api_url))


async def _read_deployments(api_url: str) -> list[dict[str, Any]]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            flows = {f.id: f.name for f in await client.read_flows()}
            out = []
            for d in await client.read_deployments():
                item = d.model_dump(mode="json")
                item["flow_name"] = flows.get(d.flow_id)
                out.append(item)
            return out
