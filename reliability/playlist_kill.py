"""Crash safety of the playlist apply: SIGKILL at seeded request counts, then rerun.

The apply (what ``flows.playlist_update`` runs: plan against the playlist's snapshot, send the
removals, moves and inserts, verify) runs in a forked child against a Spotify sandbox this
process serves, so the playlist survives the kill. The parent kills the child once the sandbox
has answered a seeded number of its requests, then runs the apply again to completion. The
playlist must then equal the target exactly, hold no track twice, and no change may have been
made twice: each inserted track was inserted once (one new entry), each removed track removed
once, and every track kept from the start kept its entry (and its ``added_at``). The audit
records of both runs must verify.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import shutil
import signal
import time
from collections import Counter
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from analytics import audit, curation
from analytics.audit import verify
from analytics.config import Settings
from analytics.curation.definition import PlaylistDefinition
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import SpotifyClient
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

SPEC = SyntheticCatalogSpec(artists=3, albums=12, tracks=240, users=2, playlists=2, seed=9)
START = 90  # tracks in the playlist before the apply
DESCRIPTION = "encore reliability: the apply under SIGKILL"


def make_lists(track_ids: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """A starting playlist and a target needing removals, several moves and several inserts."""
    pool = list(track_ids)
    rng.shuffle(pool)
    start, spare = pool[:START], pool[START:]
    kept = [t for t in start if rng.random() > 0.15]
    for _ in range(8):  # move blocks of 1-3 tracks
        k = rng.randrange(len(kept))
        block = kept[k : k + rng.randint(1, 3)]
        del kept[k : k + len(block)]
        at = rng.randrange(len(kept) + 1)
        kept[at:at] = block
    target = list(kept)
    new = iter(spare)
    for _ in range(6):  # inserts at separate places, 1-25 tracks each
        at = rng.randrange(len(target) + 1)
        target[at:at] = [next(new) for _ in range(rng.randint(1, 25))]
    return start, target


def _settings(job: dict[str, Any]) -> Settings:
    return Settings(
        data_dir=job["data_dir"],
        spotify_token_cache=Path(job["data_dir"]) / "token.json",
        spotify_client_id=job["client_id"],
        spotify_client_secret=SecretStr(job["client_secret"]),
        spotify_refresh_token=SecretStr(job["refresh_token"]),
        quota_mode="development",
    )


def apply_once(job: dict[str, Any]) -> curation.ApplyResult | None:
    """Plan the playlist to the target and apply it, audited as the flow does (None: nothing to do).

    The flow's ``apply_update`` task is :func:`analytics.curation.apply_plan` with the re-plans
    recorded; it is called here directly, so a trial does not import every flow (Prefect,
    scikit-learn...).
    """
    settings = _settings(job)
    definition = PlaylistDefinition(
        name=job["name"], playlist_id=job["playlist_id"], description=DESCRIPTION, length=len(job["target"])
    )
    warehouse = Warehouse(job["db"])
    with (
        SpotifyClient.from_settings(
            settings, api_url=job["api_url"], accounts_url=job["accounts_url"]
        ) as client,
        audit.run("update_playlist", settings=settings, parameters=job["params"], warehouse=warehouse) as run,
    ):
        plan = curation.plan_for_target(client, definition, job["target"], description=DESCRIPTION)
        run.record(
            "playlist.plan",
            inputs={"playlist_id": plan.state.playlist_id, "snapshot_id": plan.state.snapshot_id},
            outputs={"before": list(plan.state.track_ids), "after": list(plan.target), **plan.diff.summary()},
        )
        if plan.empty:
            return None
        result = curation.apply_plan(
            client,
            plan,
            on_replan=lambda new: run.record("playlist.replan", outputs={"after": list(new.target)}),
        )
        run.record(
            "playlist.apply",
            inputs={"playlist_id": result.playlist_id},
            outputs={
                "after": result.after,
                "write_requests": result.write_requests,
                "verified": result.verified,
            },
        )
    warehouse.dispose()
    return result


def _spawn(job: dict[str, Any]) -> BaseProcess:
    process = multiprocessing.get_context("fork").Process(target=apply_once, args=(job,), daemon=True)
    process.start()
    return process


def _kill_after(sb: SpotifySandbox, child: BaseProcess, *, requests: int) -> bool:
    """SIGKILL the child once the sandbox has answered ``requests`` of its requests; False if it finished."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.is_alive():
        if sb.stats().total >= requests:
            os.kill(int(child.pid or 0), signal.SIGKILL)
            child.join()
            return True
        time.sleep(0.0005)
    child.join()
    return False


def _new_playlist(sb: SpotifySandbox, client: SpotifyClient, name: str, tracks: list[str]) -> str:
    playlist = client.create_playlist(name, description="")
    client.add_items(str(playlist.id), tracks)
    return str(playlist.id)


def _history(sb: SpotifySandbox, playlist_id: str, since: int) -> list[tuple[Any, ...]]:
    """The playlist's versions from the ``since``-th on (each a tuple of entries)."""
    return list(sb.state.playlists[playlist_id].snapshots.values())[since:]


def _doubled(versions: list[tuple[Any, ...]], start: list[str], target: list[str]) -> list[str]:
    """Changes made more than once, or made to what should have stayed, over the versions."""
    first = {e.track_id: e.uid for e in versions[0]}
    entries: dict[str, set[int]] = {}
    removed: Counter[str] = Counter()
    for older, newer in itertools.pairwise(versions):
        before = Counter(e.track_id for e in older)
        after = Counter(e.track_id for e in newer)
        removed.update(t for t in before if after[t] < before[t])
        for e in newer:
            entries.setdefault(e.track_id, set()).add(e.uid)
    problems = []
    for tid in target:
        uids = entries.get(tid, set()) | ({first[tid]} if tid in first else set())
        if tid in first and uids != {first[tid]}:
            problems.append(f"{tid} kept from the start got a new entry (re-added)")
        elif tid not in first and len(uids) > 1:
            problems.append(f"{tid} inserted {len(uids)} times")
    problems += [f"{t} removed {n} times" for t, n in removed.items() if n > 1 or t in set(target)]
    return problems


def run_playlist_kills(*, trials: int = 3, seed: int = 0, workdir: Path) -> ScenarioResult:
    """``trials`` applies SIGKILLed at seeded request counts, each rerun to completion."""
    result = ScenarioResult("SIGKILL of the playlist apply at random points, then rerun")
    rng = random.Random(seed)
    options = SandboxOptions(quota_mode="development", synthetic=SPEC, seed=seed)
    with SpotifySandbox(options).running() as sb:
        base = {
            "api_url": sb.api_url,
            "accounts_url": sb.accounts_url,
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
            "refresh_token": sb.user_refresh_token,
        }
        setup = _settings({**base, "data_dir": str(workdir / "setup")})
        tracks = sorted(sb.state.tracks)
        start, target = make_lists(tracks, rng)
        planned = curation.plan_diff(start, target)
        with SpotifyClient.from_settings(setup, api_url=sb.api_url, accounts_url=sb.accounts_url) as client:
            reference_id = _new_playlist(sb, client, "reference", start)
            template = workdir / "migrated.sqlite"
            migrated = Warehouse(f"sqlite:///{template}")
            migrated.migrate()  # once: each run gets a copy (a migration costs seconds)
            migrated.dispose()
            shutil.copy(template, workdir / "reference.sqlite")
            sb.reset_stats()
            ref_job = {
                **base,
                "name": "reference",
                "playlist_id": reference_id,
                "target": target,
                "db": f"sqlite:///{workdir / 'reference.sqlite'}",
                "data_dir": str(workdir / "reference"),
                "params": {"trial": "reference"},
            }
            reference = apply_once(ref_job)
            full = sb.stats().total
            result.check(reference is not None and reference.verified, "the uninterrupted apply failed")
            rerun_writes = 0
            for trial in range(trials):
                name = f"kill-{trial}"
                playlist_id = _new_playlist(sb, client, name, start)
                since = len(sb.state.playlists[playlist_id].snapshots) - 1
                job = {
                    **ref_job,
                    "name": name,
                    "playlist_id": playlist_id,
                    "db": f"sqlite:///{workdir / f'kill{trial}.sqlite'}",
                    "data_dir": str(workdir / name),
                    "params": {"trial": trial},
                }
                shutil.copy(template, workdir / f"kill{trial}.sqlite")
                point = rng.randint(1, full - 1)
                sb.reset_stats()
                killed = _kill_after(sb, _spawn(job), requests=point)
                result.check(killed, f"trial {trial}: the apply finished before request {point}")
                rerun = apply_once(job)
                rerun_writes += rerun.write_requests if rerun else 0
                final = [e.track_id for e in sb.state.playlists[playlist_id].entries]
                result.check(final == target, f"trial {trial}: killed at {point}, the playlist differs")
                counts = Counter(final)
                result.duplicated += sum(n - 1 for n in counts.values() if n > 1)
                result.lost += len(set(target) - set(final))
                doubled = _doubled(_history(sb, playlist_id, since), start, target)
                result.duplicated += len(doubled)
                result.problems += [f"trial {trial}: {p}" for p in doubled[:5]]
                warehouse = Warehouse(job["db"])
                result.check(verify(warehouse).ok, f"trial {trial}: the audit chain does not verify")
                warehouse.dispose()
                result.faults += int(killed)
                result.trials += 1
    result.notes = (
        f"{len(start)} tracks to {len(target)}: {planned.summary()['removed']} removed, "
        f"{len(planned.moves)} moves, {len(planned.inserts)} inserts, {planned.write_requests()} writes; "
        f"kills at seeded counts of the {full} requests of an uninterrupted apply; "
        f"{rerun_writes} writes by the reruns"
    )
    return result
