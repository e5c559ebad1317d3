"""The main job on the demo world and on the second world, side by side: rows, time, report size.

- demo: ``encore run`` in the sandbox world (the demo catalog, seeded streams, demo audio);
- second world: ``encore run`` in the real world, its Spotify, social and MusicBrainz emulators
  started as a separate process (``encore sandbox serve`` on tests/data/world2) and reached only
  through base-URL settings, its exports and audio folders through their settings.

Each world runs twice in a fresh data folder (SQLite); the second run must write nothing. The
figures are the rows the first run wrote (from its closing audit record), each run's wall time,
and the reports' total and largest page size; the last column is the second world's figure
divided by the demo's.

    uv run python benchmarks/worlds.py
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORLD2 = ROOT / "tests" / "data" / "world2"
ENCORE = Path(sys.executable).parent / "encore"
CLIENT = ("worldsbenchclient00000000000000a", "worlds-bench-secret", "worlds-bench-refresh")


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_")}
    env.update(
        {
            "ENCORE_DATA_DIR": str(home / "data"),
            "ENCORE_REPORTS_DIR": str(home / "reports"),
            "ENCORE_SPOTIFY_TOKEN_CACHE": str(home / "cache" / "spotify-token.json"),
            "ENCORE_SOCIAL_TOKEN_CACHE": str(home / "cache" / "social-tokens.json"),
            "ENCORE_LOG_LEVEL": "WARNING",
            "PREFECT_HOME": str(home / "prefect"),  # its own Prefect database, shared with no other run
        }
    )
    return env


def _sandbox(folder: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    ready = folder / "ready.json"
    args = [
        str(ENCORE), "sandbox", "serve", "--port", "0", "--catalog", str(WORLD2 / "catalog.json"),
        "--client-id", CLIENT[0], "--client-secret", CLIENT[1], "--refresh-token", CLIENT[2],
        "--ready-file", str(ready), "--social", "--social-accounts", str(WORLD2 / "social.json"),
    ]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the second world's sandbox did not start")
        time.sleep(0.2)
    return process, json.loads(ready.read_text(encoding="utf-8"))


def _world2_env(home: Path, info: dict[str, Any]) -> dict[str, str]:
    catalog = json.loads((WORLD2 / "catalog.json").read_text(encoding="utf-8"))
    env = _base_env(home)
    env.update(info["social_env"])
    env.update(
        {
            "ENCORE_WORLD": "real",
            "ENCORE_SPOTIFY_API_URL": info["api_url"],
            "ENCORE_SPOTIFY_ACCOUNTS_URL": info["accounts_url"],
            "ENCORE_SPOTIFY_CLIENT_ID": CLIENT[0],
            "ENCORE_SPOTIFY_CLIENT_SECRET": CLIENT[1],
            "ENCORE_SPOTIFY_REFRESH_TOKEN": CLIENT[2],
            "ENCORE_ARTIST_IDS": json.dumps(
                [a["id"] for a in catalog["artists"] if a["name"] != "Various Artists"]
            ),
            "ENCORE_STREAMING_EXPORTS_DIR": str(WORLD2 / "exports"),
            "ENCORE_AUDIO_DIR": str(WORLD2 / "audio"),
        }
    )
    return env


def _measure(home: Path, env: dict[str, str]) -> dict[str, float]:
    home.mkdir(parents=True, exist_ok=True)
    times = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run([str(ENCORE), "run"], cwd=home, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"encore run failed in {home}:\n{done.stderr[-3000:]}")
    rows = 0
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{home / 'data' / 'encore.sqlite'}")
    with engine.connect() as conn:
        bodies = [
            json.loads(b) for (b,) in conn.execute(sa.text("SELECT body FROM audit_records ORDER BY seq"))
        ]
    engine.dispose()
    closing = [b for b in bodies if b["flow"] == "pipeline" and b["task"] == "run"]
    rows = closing[0]["outputs"]["rows_written"]
    again = closing[1]["outputs"]["rows_written"]
    pages = [p.stat().st_size for p in (home / "reports").rglob("*.html") if p.name != "index.html"]
    return {
        "rows written, first run": rows,
        "rows written, second run": again,
        "first run, s": times[0],
        "second run, s": times[1],
        "report pages": len(pages),
        "reports, MB": sum(pages) / 1e6,
        "largest page, MB": max(pages) / 1e6,
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="encore-worlds-") as folder:
        root = Path(folder)
        demo = _measure(root / "demo", _base_env(root / "demo"))
        process, info = _sandbox(root)
        try:
            second = _measure(root / "world2", _world2_env(root / "world2", info))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    load = os.getloadavg()[0]
    print(f"{'figure':<26} {'demo':>10} {'world2':>10} {'world2/demo':>12}   (load average {load:.1f})")
    for name, value in demo.items():
        other = second[name]
        ratio = f"{other / value:.2f}x" if value else "-"
        print(f"{name:<26} {value:>10.2f} {other:>10.2f} {ratio:>12}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "worlds.json").write_text(json.dumps({"demo": demo, "world2": second, "load": load}, indent=2))


if __name__ == "__main__":
    main()
