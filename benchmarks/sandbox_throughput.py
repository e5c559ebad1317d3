"""Requests per second the Spotify sandbox serves on this machine, against a bare FastAPI baseline.

Both servers run the same way (``LoopbackServer``: uvicorn in a thread on 127.0.0.1) and are driven by the same
keep-alive HTTP client, so the ratio is the cost of the sandbox's work per request (auth, rendering,
ETag hashing, accounting) over the cost of HTTP itself. Loopback only, bounded in count and time.

    uv run python benchmarks/sandbox_throughput.py [--requests 1500] [--threads 4] [--no-synthetic]

Prints one line per figure and writes benchmarks/results/sandbox_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from analytics.sandbox.loopback import LoopbackServer
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec, generate_catalog

RESULTS = Path(__file__).resolve().parent / "results" / "sandbox_throughput.json"
MAX_SECONDS_PER_FIGURE = 20.0
MAXSTACK, SOUNDTRACK, PLAYLIST = "YQhOGXX8g2pM1yHEFVFAjK", "BNHkI8hBgDXl9S7kSoUooy", "y73Jp9KsyZXEMUvUv8ugYj"


@contextmanager
def bare_fastapi() -> Iterator[str]:
    """The baseline: a FastAPI app with one JSON endpoint, served like the sandbox."""
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    with LoopbackServer(app, name="the bare FastAPI baseline").running() as server:
        yield f"{server.url}/hello"


def rate(url: str, *, headers: dict[str, str], requests: int, threads: int) -> float:
    """Requests per second over ``requests`` GETs of ``url`` from ``threads`` keep-alive clients."""
    per_thread = max(1, requests // threads)
    deadline = time.perf_counter() + MAX_SECONDS_PER_FIGURE

    def worker(_: int) -> int:
        done = 0
        with httpx.Client(headers=headers, timeout=10) as client:
            client.get(url).raise_for_status()  # warm the connection
            for _ in range(per_thread):
                client.get(url).raise_for_status()
                done += 1
                if time.perf_counter() > deadline:
                    break
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(worker, range(threads)))
    return total / (time.perf_counter() - started)


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per figure (default 1500)")
    parser.add_argument("--threads", type=int, default=1, help="concurrent keep-alive clients (default 1)")
    parser.add_argument("--no-synthetic", action="store_true", help="skip timing the full synthetic catalog")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": platform.platform(),
        "requests": args.requests,
        "threads": args.threads,
    }

    with bare_fastapi() as hello_url:
        baseline = rate(hello_url, headers={}, requests=args.requests, threads=args.threads)
    results["baseline_hello_rps"] = baseline
    print(f"baseline  bare FastAPI GET /hello                     {baseline:8.0f} req/s")

    with SpotifySandbox(SandboxOptions()).running() as sb:
        token = httpx.post(
            sb.token_url,
            data={"grant_type": "refresh_token", "refresh_token": sb.user_refresh_token},
            auth=(sb.client_id, sb.client_secret),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        figures = {
            "GET /v1/artists/{id}": f"{sb.api_url}/artists/{MAXSTACK}",
            "GET /v1/albums/{id} (10 tracks)": f"{sb.api_url}/albums/{SOUNDTRACK}",
            "GET /v1/playlists/{id}/items": f"{sb.api_url}/playlists/{PLAYLIST}/items?limit=50",
            "GET /v1/artists/{id}/albums": f"{sb.api_url}/artists/{MAXSTACK}/albums?limit=10",
        }
        results["sandbox"] = {}
        for name, url in figures.items():
            rps = rate(url, headers=headers, requests=args.requests, threads=args.threads)
            results["sandbox"][name] = {"rps": rps, "ratio_to_baseline": rps / baseline}
            print(f"sandbox   {name:42s} {rps:8.0f} req/s   {rps / baseline:5.2f}x baseline")
        results["requests_counted"] = sb.stats().total

    if not args.no_synthetic:
        spec = SyntheticCatalogSpec()
        seconds = timed(lambda: generate_catalog(spec))
        results["synthetic_full_s"] = seconds
        print(
            f"synthetic {spec.artists} artists / {spec.albums} albums / {spec.tracks} tracks generated in "
            f"{seconds:5.1f} s   {seconds / 20.0:5.2f}x the 20 s budget"
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {RESULTS}")


if __name__ == "__main__":
    main()
