"""``python -m deploy check|up|down``: encore's Prefect stack on PostgreSQL (see deploy/stack.py).

Settings (environment):

- ``ENCORE_PREFECT_ADMIN_URL``: a PostgreSQL URL allowed to create databases
  (default ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``);
- ``ENCORE_PREFECT_DATABASE``: the Prefect server's database (default ``encore_prefect``);
- ``ENCORE_PREFECT_PORT``: the API port on 127.0.0.1 (default 4200);
- ``ENCORE_DEPLOY_DIR``: pid files, logs and PREFECT_HOME (default ``data/deploy``);
- everything ``ENCORE_…`` the flows read (``ENCORE_DATABASE_URL`` for a PostgreSQL warehouse,
  ``ENCORE_PUSHGATEWAY_URL``, …) is passed on to the worker and so to every flow run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deploy import stack
from deploy.server_env import server_python

SMOKE_DEPLOYMENT = "pipeline/pipeline-daily"
SMOKE_PARAMETERS = {"reports": False}
# The smoke run syncs, ingests and analyses the demo from scratch: a few minutes on a busy 2-core
# machine (the first run also compiles the audio code); ENCORE_DEPLOY_RUN_TIMEOUT overrides.
SMOKE_TIMEOUT_S = 900.0


@dataclass(frozen=True)
class Config:
    admin_url: str
    database: str
    port: int
    state: Path


def _config() -> Config:
    state = Path(os.environ.get("ENCORE_DEPLOY_DIR", stack.PROJECT_ROOT / "data" / "deploy")).resolve()
    return Config(
        admin_url=os.environ.get(
            "ENCORE_PREFECT_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        database=os.environ.get("ENCORE_PREFECT_DATABASE", "encore_prefect"),
        port=int(os.environ.get("ENCORE_PREFECT_PORT", "4200")),
        state=state,
    )


def up(*, keep_running: bool) -> tuple[str, list[stack.Process]]:
    """Server on PostgreSQL, pool and limits, every deployment, one worker; the API URL."""
    cfg = _config()
    state = cfg.state
    home = state / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    db_url = stack.ensure_database(cfg.admin_url, cfg.database)
    api_url = f"http://127.0.0.1:{cfg.port}/api"
    python = server_python(state / "server-venv")
    server = stack.start_server(db_url, port=cfg.port, home=home, log=state / "server.log", python=python)
    started = [server]
    try:
        took = stack.wait_healthy(api_url, process=server)
        print(f"server up at {api_url} in {took:.0f} s (database {cfg.database})")
        ui = stack.ui_url(cfg.port)
        stack.wait_ui(ui)
        print(f"Prefect UI: {ui} (loopback only)")
        limits = stack.load_limits(stack.PROJECT_ROOT / "prefect.yaml")
        stack.apply_pool_and_limits(api_url, pool="encore", limits=limits)
        print(f"work pool 'encore' (process) and limits {json.dumps(limits)}")
        stack.deploy_all(api_url, home=home, log=state / "deploy.log")
        names = sorted(f"{d['flow_name']}/{d['name']}" for d in stack.read_deployments(api_url))
        print(f"deployed: {', '.join(names)}")
        worker = stack.start_worker(api_url, pool="encore", home=home, log=state / "worker.log")
        started.append(worker)
        print(f"worker started (log {worker.log})")
    except BaseException:
        for process in reversed(started):
            process.stop()
        raise
    if keep_running:
        pids = {p.name: p.popen.pid for p in started}
        (state / "pids.json").write_text(json.dumps({"api_url": api_url, "pids": pids}))
        print(
            f"left running; Prefect UI {stack.ui_url(cfg.port)}, PREFECT_API_URL={api_url}; "
            "stop with `deploy/deploy.sh down`"
        )
    return api_url, started


def check() -> int:
    """The whole cycle: up, run the pipeline deployment to COMPLETED, stop everything."""
    api_url, started = up(keep_running=False)
    try:
        begin = time.monotonic()
        timeout_s = float(os.environ.get("ENCORE_DEPLOY_RUN_TIMEOUT", SMOKE_TIMEOUT_S))
        state, run_id = stack.run_and_wait(
            api_url, SMOKE_DEPLOYMENT, parameters=SMOKE_PARAMETERS, timeout_s=timeout_s
        )
        print(f"{SMOKE_DEPLOYMENT} run {run_id}: {state} in {time.monotonic() - begin:.0f} s")
    finally:
        for process in reversed(started):
            code = process.stop()
            print(f"stopped {process.name} (exit {code})")
    return 0 if state == "COMPLETED" else 1


def down() -> int:
    """Stop what ``up`` left running (SIGINT first: the worker and server shut down cleanly)."""
    state = _config().state
    pid_file = state / "pids.json"
    if not pid_file.exists():
        print(f"nothing to stop: no {pid_file}")
        return 0
    pids = json.loads(pid_file.read_text())["pids"]
    for name in ("prefect worker", "prefect server"):
        pid = pids.get(name)
        if pid is None:
            continue
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            for _ in range(60):
                time.sleep(0.5)
                try:
                    os.killpg(pid, 0)
                except ProcessLookupError:
                    break
            else:
                continue
            break
        print(f"stopped {name} ({pid})")
    pid_file.unlink()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "up", "down"], nargs="?", default="check")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            up(keep_running=True)
            return 0
        if args.command == "down":
            return down()
        return check()
    except stack.DeployError as error:
        print(f"deploy failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
