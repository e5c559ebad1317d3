"""The Spotify client reading a whole catalog under injected faults, against a fault-free run.

Starts the loopback sandbox (demo catalog, or a small seeded synthetic one), reads every artist,
album, album track and track the way the sync does, once without faults (the baseline: the
requests needed) and once with a seeded fault rate (20 % by default: 503, 500, connection reset,
truncated JSON body and dropped-after-delay connections in equal shares, on every ``/v1`` route).
Prints one line per figure, as ratios against the baseline with absolute numbers, and writes
``benchmarks/results/client_faults.json``.

    uv run python benchmarks/client_faults.py [--catalog demo|synthetic] [--mode development|extended|both]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from analytics.config import Settings
from analytics.sandbox.spotify import FaultRule, SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy, SpotifyClient

RESULTS = Path(__file__).resolve().parent / "results" / "client_faults.json"
SMALL = SyntheticCatalogSpec(artists=4, albums=30, tracks=300, users=2, playlists=2, seed=3)
KINDS: list[dict[str, Any]] = [
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 500},
    {"kind": "reset"},
    {"kind": "truncate"},
    {"kind": "timeout", "delay_s": 0.3},
]
POLICY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.1, timeout_s=0.25, max_retry_wait_s=5)


def fault_rules(rate: float) -> list[FaultRule]:
    """Rules whose first-match draws add up to ``rate`` overall, in equal shares per kind."""
    share = rate / len(KINDS)
    rules = []
    for i, spec in enumerate(KINDS):
        conditional = share / (1.0 - i * share)  # given that no earlier rule fired
        rules.append(FaultRule(route="/v1/*", probability=conditional, **spec))
    return rules


def read_catalog(client: SpotifyClient, artist_ids: list[str]) -> str:
    """Read everything the sync reads; a hash of it, to compare runs."""
    seen: dict[str, Any] = {"artists": [], "albums": {}, "tracks": []}
    album_ids: list[str] = []
    for artist_id in artist_ids:
        seen["artists"].append(client.artist(artist_id).value.model_dump())
        for album in client.artist_albums(artist_id):
            if album.id not in seen["albums"]:
                album_ids.append(album.id)
                seen["albums"][album.id] = None
    track_ids: list[str] = []
    for album_id in album_ids:
        seen["albums"][album_id] = client.album(album_id).value.model_dump(exclude={"tracks"})
        track_ids += [t.id for t in client.album_tracks(album_id) if t.id]
    seen["tracks"] = [t.model_dump() for t in client.tracks(track_ids).value]
    return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()


def run(sb: SpotifySandbox, workdir: Path, *, name: str) -> dict[str, Any]:
    settings = Settings(
        data_dir=workdir / name,
        spotify_token_cache=workdir / name / "token.json",
        spotify_client_id=sb.client_id,
        spotify_client_secret=SecretStr(sb.client_secret),
        quota_mode=sb.runtime.quota_mode,
    )
    started = time.perf_counter()
    digest, error = None, None
    with SpotifyClient.from_settings(
        settings, api_url=sb.api_url, accounts_url=sb.accounts_url, policy=POLICY, seed=0, persist_etags=False
    ) as client:
        try:
            digest = read_catalog(client, sorted(sb.state.artists))
        except Exception as exc:  # a failed read is a result here, reported below
            error = f"{type(exc).__name__}: {exc}"
        requests = client.requests_made()
    return {"digest": digest, "error": error, "requests": requests, "seconds": time.perf_counter() - started}


def measure(mode: str, *, catalog: str, rate: float, seed: int) -> dict[str, Any]:
    options = SandboxOptions(quota_mode=mode, synthetic=SMALL if catalog == "synthetic" else None, seed=seed)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp, SpotifySandbox(options).running() as sb:
        baseline = run(sb, Path(tmp), name="baseline")
        sb.set_faults(fault_rules(rate), seed=seed)
        sb.reset_stats()
        faulty = run(sb, Path(tmp), name="faulty")
        time.sleep(0.1)  # the sandbox logs a request just after answering it
        injected = sum(1 for r in sb.requests if r.fault and r.path.startswith("/v1"))
        seen = sum(1 for r in sb.requests if r.path.startswith("/v1"))
    ok = faulty["error"] is None and faulty["digest"] == baseline["digest"]
    return {
        "mode": mode,
        "catalog": catalog,
        "fault_rate": rate,
        "seed": seed,
        "requests_needed": baseline["requests"],
        "requests_made": faulty["requests"],
        "ratio": faulty["requests"] / baseline["requests"],
        "faults_injected": injected,
        "observed_fault_rate": injected / seen if seen else 0.0,
        "success": ok,
        "error": faulty["error"],
        "seconds_baseline": baseline["seconds"],
        "seconds_faulty": faulty["seconds"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", choices=["demo", "synthetic"], default="synthetic")
    parser.add_argument("--mode", choices=["development", "extended", "both"], default="both")
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.getLogger("analytics.spotify").setLevel(logging.ERROR)  # each retry logs a warning
    modes = ["development", "extended"] if args.mode == "both" else [args.mode]
    results = []
    for mode in modes:
        r = measure(mode, catalog=args.catalog, rate=args.fault_rate, seed=args.seed)
        results.append(r)
        tag = f"client_faults {r['catalog']} {mode} rate={r['fault_rate']:.0%}"
        print(
            f"{tag}: requests made / needed = {r['ratio']:.2f}x "
            f"({r['requests_made']} / {r['requests_needed']}; {r['faults_injected']} faults injected, "
            f"observed rate {r['observed_fault_rate']:.1%})"
        )
        print(
            f"{tag}: wall time faulty / fault-free = {r['seconds_faulty'] / r['seconds_baseline']:.2f}x "
            f"({r['seconds_faulty']:.2f} s / {r['seconds_baseline']:.2f} s)"
        )
        print(
            f"{tag}: success = {r['success']} (same catalog as the fault-free run){'; ' + r['error'] if r['error'] else ''}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["success"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
