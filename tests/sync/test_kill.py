"""A sync SIGKILLed at seeded random points, then rerun, ends with the same warehouse as an uninterrupted one.

The sync runs in a forked child process against the sandbox this test process serves; the
test kills it once the sandbox has answered a seeded random number of its requests.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from analytics import sync
from analytics.config import Settings
from analytics.sandbox.spotify import SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import SpotifyClient
from analytics.warehouse import Warehouse
from tests.sync.conftest import SyncFn, artists_of, catalog_hash, start

TRIALS = 4
UNIT_ALBUMS = 2  # small units: a kill lands between commits as well as inside them

# smaller than SMALL: each trial runs a sync and a half
KILL_SPEC = SyntheticCatalogSpec(artists=3, albums=12, tracks=90, users=2, playlists=3, seed=5)


def _child(job: dict[str, Any]) -> None:
    """The sync, in a forked process (the test's imports are already loaded: a trial costs no start-up)."""
    settings = Settings(
        data_dir=job["data_dir"],
        spotify_token_cache=Path(job["data_dir"]) / "token.json",
        spotify_client_id=job["client_id"],
        spotify_client_secret=SecretStr(job["client_secret"]),
        spotify_refresh_token=SecretStr(job["refresh_token"]),
        quota_mode=job["mode"],
    )
    warehouse = Warehouse(job["db"])
    with SpotifyClient.from_settings(
        settings, api_url=job["api_url"], accounts_url=job["accounts_url"]
    ) as client:
        sync.sync_catalog(client, warehouse, artist_ids=job["artist_ids"], unit_albums=job["unit_albums"])


def _spawn(sb: SpotifySandbox, *, db: str, data_dir: Path) -> BaseProcess:
    job = {
        "api_url": sb.api_url,
        "accounts_url": sb.accounts_url,
        "client_id": sb.client_id,
        "client_secret": sb.client_secret,
        "refresh_token": sb.user_refresh_token,
        "mode": sb.runtime.quota_mode,
        "db": db,
        "data_dir": str(data_dir),
        "artist_ids": artists_of(sb),
        "unit_albums": UNIT_ALBUMS,
    }
    process = multiprocessing.get_context("fork").Process(target=_child, args=(job,), daemon=True)
    process.start()
    return process


def _kill_after(sb: SpotifySandbox, child: BaseProcess, *, requests: int) -> bool:
    """SIGKILL the child once the sandbox has answered ``requests`` of its requests; False if it finished."""
    sb.reset_stats()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not child.is_alive():
            return False
        if sb.stats().total >= requests:
            os.kill(int(child.pid or 0), signal.SIGKILL)
            child.join()
            assert child.exitcode == -signal.SIGKILL
            return True
        time.sleep(0.002)
    child.kill()
    raise AssertionError("the sync child neither finished nor reached the kill point in 60 s")


def test_killed_syncs_resume_to_the_uninterrupted_content(
    run_sync: SyncFn, reference_warehouse: Warehouse, tmp_path: Path
) -> None:
    rng = random.Random(20261123)
    with start("development", synthetic=KILL_SPEC).running() as sb:
        reference = run_sync(sb, reference_warehouse, data_dir=tmp_path / "reference")
        expected = catalog_hash(reference_warehouse)
        killed, at_kill = 0, []
        for trial in range(TRIALS):
            db_path = tmp_path / f"trial{trial}.sqlite"
            point = rng.randint(5, reference.requests_made - 5)
            warehouse = Warehouse(f"sqlite:///{db_path}")
            warehouse.migrate()
            child = _spawn(sb, db=f"sqlite:///{db_path}", data_dir=tmp_path / f"trial{trial}")
            killed += _kill_after(sb, child, requests=point)
            at_kill.append(len(warehouse.rows("tracks")))
            resumed = run_sync(sb, warehouse, data_dir=tmp_path / f"trial{trial}", unit_albums=UNIT_ALBUMS)
            assert resumed.outcome in {"ok", "unchanged"}
            assert catalog_hash(warehouse) == expected, f"trial {trial}: killed after {point} requests"
            inserted = Counter(
                (v["entity_type"], v["entity_key"])
                for v in warehouse.rows("entity_versions")
                if v["change"] == "inserted"
            )
            assert max(inserted.values()) == 1, f"trial {trial}: an entity was inserted twice"
            assert len(inserted) == sum(
                len(warehouse.rows(t)) for t in ("artists", "albums", "tracks", "playlists", "playlist_items")
            )
            warehouse.dispose()
        assert killed == TRIALS, "every trial must actually kill the sync part-way"
        total = len(reference_warehouse.rows("tracks"))
        assert any(0 < n < total for n in at_kill), f"no kill left a part-stored catalog: {at_kill}"
