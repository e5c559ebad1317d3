"""Crash safety of the catalog sync: SIGKILL at seeded random points, rerun, compare.

The sync uses the sync package's own kill harness (``tests/sync/test_kill.py``: the sync in a
forked child, killed once the sandbox has answered a number of its requests). The playlist
apply and alert delivery have their own modules (``playlist_kill``, ``alert_kill``).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from analytics.audit import verify
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

ROOT = Path(__file__).resolve().parents[1]
CATALOG_TABLES = ("artists", "albums", "tracks", "playlists", "playlist_items")


def run_sync_kills(*, trials: int = 3, seed: int = 20261123, workdir: Path) -> ScenarioResult:
    """``trials`` syncs SIGKILLed part-way, each resumed by a normal sync run."""
    from analytics import sync
    from analytics.config import Settings
    from tests.sync.conftest import FAST, artists_of, catalog_hash, start
    from tests.sync.test_kill import KILL_SPEC, UNIT_ALBUMS, _kill_after, _spawn

    def run(sb, warehouse: Warehouse, data_dir: Path) -> sync.SyncReport:  # type: ignore[no-untyped-def]
        settings = Settings(data_dir=data_dir, quota_mode=sb.runtime.quota_mode)
        with sync.sandbox_client(settings, sb, policy=FAST, seed=0) as client:
            return sync.sync_catalog(client, warehouse, artist_ids=artists_of(sb), unit_albums=UNIT_ALBUMS)

    result = ScenarioResult("SIGKILL of the catalog sync at random points, then rerun")
    rng = random.Random(seed)
    with start("development", synthetic=KILL_SPEC).running() as sb:
        reference_wh = Warehouse(f"sqlite:///{workdir / 'reference.sqlite'}")
        reference_wh.migrate()
        reference = run(sb, reference_wh, workdir / "reference")
        expected = catalog_hash(reference_wh)
        expected_rows = {t: len(reference_wh.rows(t)) for t in CATALOG_TABLES}
        partial = 0
        for trial in range(trials):
            db = workdir / f"kill{trial}.sqlite"
            warehouse = Warehouse(f"sqlite:///{db}")
            warehouse.migrate()
            point = rng.randint(5, reference.requests_made - 5)
            child = _spawn(sb, db=f"sqlite:///{db}", data_dir=workdir / f"kill{trial}")
            killed = _kill_after(sb, child, requests=point)
            result.check(killed, f"trial {trial}: the sync finished before the kill point {point}")
            at_kill = len(warehouse.rows("tracks"))
            partial += 0 < at_kill < expected_rows["tracks"]
            resumed = run(sb, warehouse, workdir / f"kill{trial}")
            result.check(resumed.outcome in {"ok", "unchanged"}, f"trial {trial}: {resumed.message}")
            result.check(
                catalog_hash(warehouse) == expected, f"trial {trial}: killed at {point}, content differs"
            )
            for table, want in expected_rows.items():
                got = len(warehouse.rows(table))
                result.tally(expected=want, found=got)
            inserted = Counter(
                (v["entity_type"], v["entity_key"])
                for v in warehouse.rows("entity_versions")
                if v["change"] == "inserted"
            )
            result.duplicated += sum(n - 1 for n in inserted.values() if n > 1)
            result.check(verify(warehouse).ok, f"trial {trial}: the audit chain does not verify")
            result.faults += int(killed)
            result.trials += 1
            warehouse.dispose()
        reference_wh.dispose()
    result.notes = (
        f"kills at seeded request counts of {reference.requests_made}; {partial} left a part-stored catalog"
    )
    return result
