"""``encore sandbox serve`` as a command: it serves, answers, and stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from analytics.sandbox.cli import app
from analytics.sandbox.spotify.server import free_port
from tests.sandbox import conformance


def test_serve_runs_until_terminated() -> None:
    port = free_port()
    code = "from analytics.sandbox.cli import app; app()"
    args = [
        sys.executable,
        "-c",
        code,
        "serve",
        "--port",
        str(port),
        "--quota-mode",
        "extended",
        "--synthetic-artists",
        "5",
        "--seed",
        "2",
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert health == {"ok": True, "quota_mode": "extended"}
        token = httpx.post(
            f"http://127.0.0.1:{port}/api/token",
            data={"grant_type": "client_credentials"},
            auth=("encoredemoclientid0000000000000a", "encoredemoclientsecret00000000000"),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        api = f"http://127.0.0.1:{port}/v1"
        response = httpx.get(f"{api}/search", params={"q": "various", "type": "artist"}, headers=headers)
        found = response.json()
        assert conformance.validate("GET", "/v1/search", response.status_code, found, mode="extended")
        assert [a["name"] for a in found["artists"]["items"]] == ["Various Artists"]  # the generated catalog
        assert (
            httpx.get(f"{api}/artists/YQhOGXX8g2pM1yHEFVFAjK", headers=headers).status_code == 404
        )  # not the demo
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
    assert process.returncode == 0 and f"http://127.0.0.1:{port}/v1" in out and "stopping" in out


def test_serve_rejects_bad_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--quota-mode", "premium"])
    assert result.exit_code != 0 and "development or extended" in result.output
