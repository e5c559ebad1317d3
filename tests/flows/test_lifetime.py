"""A command killed with SIGKILL leaves no process behind: Prefect's temporary API server and
report kernels stop with it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processes import alive as _alive
from tests.processes import descendants as _descendants

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; prctl is Linux's"),
    pytest.mark.timeout(600),
]


def _kill_when(
    process: subprocess.Popen[bytes], ready: Callable[[dict[int, str]], bool], *, log: Path | None = None
) -> dict[int, str]:
    """Wait until ``ready(descendants)``, SIGKILL ``process``; the descendants it had then.

    ``log``: the command's output, whose end the failure message shows."""
    deadline = time.monotonic() + 480
    children: dict[int, str] = {}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the command ended (code {process.returncode}) before it was killed{_tail(log)}"
            )
        children = _descendants(process.pid)
        if ready(children):
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return children
        time.sleep(0.2)
    process.kill()
    seen = "\n".join(children.values())
    raise AssertionError(
        f"the command never reached the point where it is killed; its processes:\n{seen}{_tail(log)}"
    )


def _tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n--- the end of its output:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _gone_within(children: dict[int, str], seconds: float) -> dict[int, str]:
    deadline = time.monotonic() + seconds
    while (left := _alive(children)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:  # leave nothing running whatever the outcome
        os.kill(pid, signal.SIGKILL)
    return left


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # Prefect's temporary API
    env.update(
        {
            "PREFECT_HOME": str(tmp_path / "prefect"),
            "ENCORE_DATA_DIR": str(tmp_path / "data"),
            "ENCORE_REPORTS_DIR": str(tmp_path / "reports"),
        }
    )
    return env


@pytest.mark.slow  # `encore run` with its own Prefect API, killed once the run has begun: 20-40 s
def test_kill_9_of_encore_run_mid_way_stops_prefects_temporary_server(tmp_path: Path) -> None:
    encore = Path(sys.executable).with_name("encore")
    log = tmp_path / "encore-run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(encore), "run", "--no-reports"],
            cwd=ROOT,
            env=_environment(tmp_path),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    runs = tmp_path / "data" / "runs"

    def mid_way(children: dict[int, str]) -> bool:  # the server is up and the run has begun
        server = any("prefect.server.api.server:create_app" in cmd for cmd in children.values())
        return server and runs.is_dir() and any(p.name != "latest" for p in runs.iterdir())

    children = _kill_when(process, mid_way, log=log)
    assert _gone_within(children, 10) == {}, "processes outlived the killed encore run"


def test_kill_9_of_a_process_rendering_a_report_stops_its_notebook_kernel(tmp_path: Path) -> None:
    notebook = tmp_path / "slow.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "metadata": {},
                        "outputs": [],
                        "source": ["import time\n", "time.sleep(300)"],
                    }
                ],
                "metadata": {
                    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    script = (
        "import sys\nfrom pathlib import Path\nfrom flows._notebooks import run_notebook\n"
        "run_notebook(sys.argv[1], output=Path(sys.argv[2]), parameters={})\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(notebook), str(tmp_path / "out" / "slow.ipynb")],
        cwd=ROOT,
        env=_environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = _kill_when(process, lambda c: any("ipykernel" in cmd for cmd in c.values()))
    assert _gone_within(children, 10) == {}, "the report kernel outlived the killed process"
