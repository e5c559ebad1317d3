"""Crash safety of the streaming ingest: SIGKILL while a history export is being stored.

A forked child ingests the same big history files into its own SQLite warehouse and is killed
after a seeded random delay; the rerun must end with the rows of an uninterrupted ingest, each
play stored once, and every file recorded once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analytics.streaming.ingest import ingest_history_json
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

NOW = datetime(2026, 11, 23, tzinfo=UTC)
TABLES = ("stream_play_events", "stream_files")


def write_history(folder: Path, *, files: int = 3, plays: int = 15_000, seed: int = 0) -> list[Path]:
    """Seeded extended-history exports (generated, never committed)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for f in range(files):
        records = [
            {
                "ts": (start + timedelta(seconds=37 * (f * plays + k))).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ms_played": rng.randint(1000, 300_000),
                "spotify_track_uri": f"spotify:track:{'ABCDEFGH'[k % 8] * 22}",
                "conn_country": "FR",
                "platform": "android",
            }
            for k in range(plays)
        ]
        path = folder / f"Streaming_History_Audio_{f}.json"
        path.write_text(json.dumps(records))
        paths.append(path)
    return paths


def _ingest_all(db: str, paths: list[str]) -> None:
    warehouse = Warehouse(db)
    for path in paths:
        ingest_history_json(warehouse, path, run_id="ingest", now=NOW, track_artists={})


def _child(db: str, paths: list[str]) -> multiprocessing.process.BaseProcess:
    child = multiprocessing.get_context("fork").Process(target=_ingest_all, args=(db, paths), daemon=True)
    child.start()
    return child


def _timed_in_child(db: str, paths: list[str]) -> float:
    began = time.perf_counter()
    child = _child(db, paths)
    child.join()
    return time.perf_counter() - began


def _kill_after(db: str, paths: list[str], delay_s: float) -> bool:
    """Ingest ``paths`` into ``db`` in a child, SIGKILL it after ``delay_s``; whether it was
    still running then."""
    child = _child(db, paths)
    time.sleep(delay_s)
    killed = child.is_alive()
    if killed:
        os.kill(int(child.pid or 0), signal.SIGKILL)
    child.join()
    return bool(killed)


def _counts(warehouse: Warehouse) -> dict[str, int]:
    with warehouse.engine.connect() as conn:
        return {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()) for t in TABLES}


def run_ingest_kills(*, trials: int = 3, seed: int = 11, workdir: Path) -> ScenarioResult:
    """``trials`` ingests killed at seeded random moments, then rerun to completion."""
    result = ScenarioResult("SIGKILL of the streaming ingest at random points, then rerun")
    rng = random.Random(seed)
    paths = [str(p) for p in write_history(workdir / "exports", seed=seed)]
    reference = Warehouse(f"sqlite:///{workdir / 'reference.sqlite'}")
    reference.migrate()
    full_s = _timed_in_child(reference.url, paths)  # as the trials run it: in a forked child
    expected = reference.content_hash(tables=["stream_play_events"])
    want = _counts(reference)
    partial = 0
    for trial in range(trials):
        db = f"sqlite:///{workdir / f'kill{trial}.sqlite'}"
        warehouse = Warehouse(db)
        warehouse.migrate()
        delay = rng.uniform(0.05, 0.9) * full_s
        for _attempt in range(4):  # an ingest that beat its kill is started again on the same
            # database (idempotent) and killed sooner: a faster run must not make the trial vacuous
            killed = _kill_after(db, paths, delay)
            if killed:
                break
            delay /= 2
        at_kill = _counts(warehouse)["stream_play_events"]
        partial += 0 < at_kill < want["stream_play_events"]
        _ingest_all(db, paths)
        got = _counts(warehouse)
        for table in TABLES:
            result.tally(expected=want[table], found=got[table])
        result.check(
            warehouse.content_hash(tables=["stream_play_events"]) == expected, f"trial {trial}: rows differ"
        )
        result.trials += 1
        result.faults += int(killed)
        warehouse.dispose()
    result.check(result.faults > 0, "no trial killed the ingest before it finished")
    reference.dispose()
    result.notes = (
        f"{len(paths)} files of 15,000 plays, killed at seeded moments of a {full_s:.1f} s ingest; "
        f"{result.faults} kills, {partial} between files"
    )
    return result
