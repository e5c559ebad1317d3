"""Telemetry is off wherever encore is imported, not only under make and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED", "GX_ANALYTICS_ENABLED")


def _run(code: str, **extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in NAMES}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()


@pytest.mark.parametrize("module", ["analytics", "analytics.reports", "flows", "flows.pipeline", "flows.cli"])
def test_importing_encore_switches_telemetry_off(module: str) -> None:
    code = (
        f"import {module}, os\n"
        "from prefect.settings import get_current_settings\n"
        "print(os.environ['DO_NOT_TRACK'], os.environ['GX_ANALYTICS_ENABLED'],"
        " get_current_settings().server.analytics_enabled)"
    )
    assert _run(code) == "1 false False"


def test_a_value_the_user_set_wins() -> None:
    assert _run("import analytics, os; print(os.environ['DO_NOT_TRACK'])", DO_NOT_TRACK="0") == "0"
