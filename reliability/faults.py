"""Catalog sync through a faulty Spotify sandbox ends with the fault-free warehouse.

Faults, seeded, on about 20% of API requests: 503 and 500 answers, timeouts, connection
resets, truncated JSON bodies, and 429 storms with a short ``Retry-After`` (waited for) and a
long one (the sync stops with a checkpoint and is resumed by the next run).
"""

from __future__ import annotations

from pathlib import Path

from analytics import sync
from analytics.config import Settings
from analytics.sandbox.spotify import FaultRule, SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

SPEC = SyntheticCatalogSpec(artists=3, albums=12, tracks=90, users=2, playlists=3, seed=5)
POLICY = RetryPolicy(
    max_attempts=6, base_delay_s=0.01, max_delay_s=0.05, jitter=0.5, max_retry_wait_s=2.0, timeout_s=2.0
)
# the run bookkeeping that differs between two runs storing the same content
RUN_COLUMNS = ("first_seen_run", "last_changed_run", "removed_run", "removed_at")
BOOKKEEPING = ("audit_records", "alembic_version", "entity_versions", "sync_checkpoints")


def fault_rules(rate: float = 0.2) -> list[FaultRule]:
    """Every transient fault kind, together on about ``rate`` of the API requests."""
    share = rate / 7  # the weights below add up to 7
    return [
        FaultRule(route="/v1/*", kind="status", status=503, probability=share),
        FaultRule(route="/v1/*", kind="status", status=500, probability=share),
        FaultRule(route="/v1/*", kind="status", status=429, probability=share),
        FaultRule(route="/v1/*", kind="timeout", delay_s=2.5, probability=share / 4),
        FaultRule(route="/v1/*", kind="reset", probability=share * 1.75),
        FaultRule(route="/v1/*", kind="truncate", probability=share * 2),
    ]


def catalog_hash(warehouse: Warehouse) -> str:
    return warehouse.content_hash(exclude_tables=BOOKKEEPING, exclude_columns=RUN_COLUMNS)


def _sync(sb: SpotifySandbox, warehouse: Warehouse, data_dir: Path, *, seed: int) -> sync.SyncReport:
    settings = Settings(data_dir=data_dir, quota_mode=sb.runtime.quota_mode)
    artists = sorted(a.id for a in sb.state.artists.values() if a.name != "Various Artists")
    with sync.sandbox_client(settings, sb, policy=POLICY, seed=seed) as client:
        return sync.sync_catalog(client, warehouse, artist_ids=artists)


def run_sync_faults(*, trials: int = 1, seed: int = 0, workdir: Path, rate: float = 0.2) -> ScenarioResult:
    """``trials`` faulty syncs (each its own seed), compared with one fault-free sync.

    Checked per trial: the content hash equals the reference's; the extra requests are at most
    the faults injected times the retry budget; a long ``Retry-After`` stops the sync with a
    checkpoint and the next run completes it; a rerun changes nothing.
    """
    result = ScenarioResult("catalog sync under HTTP faults (5xx, 429, timeout, reset, truncated JSON)")
    options = SandboxOptions(quota_mode="development", synthetic=SPEC, seed=seed)
    with SpotifySandbox(options).running() as sb:
        reference_wh = Warehouse(f"sqlite:///{workdir / 'reference.sqlite'}")
        reference_wh.migrate()
        reference = _sync(sb, reference_wh, workdir / "reference", seed=seed)
        expected = catalog_hash(reference_wh)
        tracks = len(reference_wh.rows("tracks"))
        extra_total = 0
        for trial in range(trials):
            warehouse = Warehouse(f"sqlite:///{workdir / f'faults{trial}.sqlite'}")
            warehouse.migrate()
            sb.reset_stats()
            sb.set_faults(fault_rules(rate), seed=seed * 1000 + trial)
            sb.force_rate_limit(retry_after_s=1, count=3)  # a short storm: waited for
            first = _sync(sb, warehouse, workdir / f"faults{trial}", seed=trial)
            faults = sum(1 for r in sb.requests if r.fault)
            made = sb.stats().total
            sb.set_faults([])
            sb.force_rate_limit(retry_after_s=3600, count=1)  # a long one: stop, checkpoint, resume
            stopped = _sync(sb, warehouse, workdir / f"faults{trial}", seed=trial)
            result.check(stopped.outcome == "partial", f"trial {trial}: a 1-hour Retry-After did not stop it")
            resumed = _sync(sb, warehouse, workdir / f"faults{trial}", seed=trial)
            result.check(resumed.outcome in {"ok", "unchanged"}, f"trial {trial}: resume {resumed.message}")
            again = _sync(sb, warehouse, workdir / f"faults{trial}", seed=trial)
            result.check(again.outcome == "unchanged", f"trial {trial}: a rerun wrote {again.message}")
            result.check(catalog_hash(warehouse) == expected, f"trial {trial}: the warehouse differs")
            stored = len(warehouse.rows("tracks"))
            result.lost += max(tracks - stored, 0)
            result.duplicated += max(stored - tracks, 0)
            extra = made - reference.requests_made
            extra_total += extra
            bound = faults * POLICY.max_attempts + 3
            result.check(extra <= bound, f"trial {trial}: {extra} extra requests for {faults} faults")
            result.check(first.outcome != "partial" or faults > 0, f"trial {trial}: stopped without fault")
            result.faults += faults + 4
            result.trials += 1
            warehouse.dispose()
        reference_wh.dispose()
    result.notes = (
        f"reference {reference.requests_made} requests; {extra_total} extra requests in all for "
        f"{result.faults} faults (bound: faults x {POLICY.max_attempts} attempts)"
    )
    return result
