"""Catalog sync through a faulty Spotify sandbox ends with the fault-free warehouse.

Faults, seeded, on about 20% of API requests: 503 and 500 answers, timeouts, connection
resets, truncated JSON bodies, and 429 storms with a short ``Retry-After`` (waited for) and a
long one (the sync stops with a checkpoint and is resumed by the next run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


SOCIAL_PLATFORMS = ("youtube", "instagram", "x", "tiktok", "musicbrainz")


def social_fault_rules(
    rate: float = 0.2, *, platforms: tuple[str, ...] = SOCIAL_PLATFORMS
) -> list[FaultRule]:
    """The Spotify mix of faults on each social platform's API (429 answered the platform's way)."""
    return [
        FaultRule(
            route=f"/{platform}/*", kind=r.kind, status=r.status, delay_s=1.0, probability=r.probability
        )
        for platform in platforms
        for r in fault_rules(rate)
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
            result.tally(expected=tracks, found=stored)
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


SOCIAL_TABLES = ("social_accounts", "social_snapshots", "social_identity_links")
SOCIAL_RUN_COLUMNS = (*RUN_COLUMNS, "run_id", "updated_at")
LONG_WAIT_PLATFORM = "x"
SOCIAL_ATTEMPTS = 3  # PlatformHttp(server_retries=2): the first try and two retries


def social_sync(
    sb: Any, warehouse: Warehouse, data_dir: Path, *, run_id: str, max_retry_wait_s: float | None = None
) -> list[Any]:
    """Every demo artist through ``analytics.social.sync_artist``, as the social flow does it.

    ``max_retry_wait_s`` caps the rate-limit waits of a run (the settings' default otherwise).
    """
    from analytics import demo, social

    # short backoff: what is checked is that every fault is retried and survived, not the delays
    options: dict[str, Any] = {"social_retry_base_delay_s": 0.01}
    if max_retry_wait_s is not None:
        options["social_max_retry_wait_s"] = max_retry_wait_s
    settings = sb.configure(Settings(data_dir=data_dir, **options))
    connectors = social.connectors_from_settings(settings, sb.base_urls)
    musicbrainz = social.musicbrainz_from_settings(settings, sb.base_urls)
    ids = set(demo.demo_artist_ids())
    artists = [
        {"artist_id": a["id"], "name": a["name"]} for a in demo.load_catalog()["artists"] if a["id"] in ids
    ]
    try:
        return [
            social.sync_artist(
                warehouse,
                a,
                connectors=connectors,
                musicbrainz=musicbrainz,
                day=sb.state.day(),
                run_id=run_id,
            )
            for a in artists
        ]
    finally:
        connectors.close()


def social_hash(warehouse: Warehouse) -> str:
    return warehouse.content_hash(tables=SOCIAL_TABLES, exclude_columns=SOCIAL_RUN_COLUMNS)


def run_social_faults(
    *,
    trials: int = 1,
    seed: int = 0,
    workdir: Path,
    rate: float = 0.2,
    platforms: tuple[str, ...] = SOCIAL_PLATFORMS,
) -> ScenarioResult:
    """``trials`` social syncs through the faulty social sandbox, each rerun, against a fault-free one.

    ``platforms``: the APIs that fail (MusicBrainz among them by default). Checked per trial: no
    exception escapes (each platform ends ``ok`` or ``failed`` with a reason); X, under a 1-hour
    rate limit, does not complete (its snapshot sync or its identity lookup fails: a partial run,
    as documented in ``analytics.social``) and the others are not held up by it; the rerun without
    faults ends
    with every platform ``ok`` and the social tables, run bookkeeping aside, hash like the
    fault-free run's; the extra requests stay within faults x attempts.
    """
    from datetime import UTC, datetime

    from analytics.sandbox.social import SocialSandbox

    result = ScenarioResult("social sync under HTTP faults (5xx, 429, timeout, reset, truncated JSON)")
    sb = SocialSandbox(seed=7, today=datetime.now(UTC).date())
    failed_for_faults = 0
    with sb.running():
        reference_wh = Warehouse(f"sqlite:///{workdir / 'reference.sqlite'}")
        reference_wh.migrate()
        reference = social_sync(sb, reference_wh, workdir / "reference", run_id="reference")
        reference_requests = len(sb.served)
        result.check(all(not r.failed for r in reference), "the fault-free social sync failed")
        expected = social_hash(reference_wh)
        want = {t: len(reference_wh.rows(t)) for t in SOCIAL_TABLES}
        reference_wh.dispose()
        extra_total = 0
        for trial in range(trials):
            warehouse = Warehouse(f"sqlite:///{workdir / f'social{trial}.sqlite'}")
            warehouse.migrate()
            sb.reset_stats()
            sb.set_faults(
                social_fault_rules(rate, platforms=platforms), seed=seed * 1000 + trial, retry_after_s=1
            )
            # limited for the hour: every request of this run gets the 1-hour answer
            sb.force_rate_limit(LONG_WAIT_PLATFORM, times=10_000, reset_s=3600)
            try:
                faulty = social_sync(sb, warehouse, workdir / f"social{trial}", run_id=f"faulty{trial}")
            except Exception as exc:  # a fault must end a platform, never the sync
                result.problems.append(f"trial {trial}: the sync crashed: {exc.__class__.__name__}: {exc}")
                continue
            made = len(sb.served)
            faults = sum(1 for r in sb.served if r.fault)
            sb.set_faults([])
            sb.force_rate_limit(LONG_WAIT_PLATFORM, times=0)
            failed = {(o.platform, o.error_type) for r in faulty for o in r.failed}
            synced = {o.platform for r in faulty for o in r.outcomes if o.status == "ok"}
            result.check(
                LONG_WAIT_PLATFORM not in synced,
                f"trial {trial}: {LONG_WAIT_PLATFORM} completed under a 1-hour rate limit",
            )
            failed_for_faults += len(failed - {(LONG_WAIT_PLATFORM, "RateLimited")})
            rerun = social_sync(sb, warehouse, workdir / f"social{trial}", run_id=f"rerun{trial}")
            result.check(
                all(not r.failed for r in rerun),
                f"trial {trial}: the rerun failed: {[o.detail for r in rerun for o in r.failed][:3]}",
            )
            result.check(social_hash(warehouse) == expected, f"trial {trial}: the social tables differ")
            for table, n in want.items():
                got = len(warehouse.rows(table))
                result.tally(expected=n, found=got)
            extra = made - reference_requests
            extra_total += extra
            bound = faults * SOCIAL_ATTEMPTS + 1
            result.check(extra <= bound, f"trial {trial}: {extra} extra requests for {faults} faults")
            result.faults += faults + 1
            result.trials += 1
            warehouse.dispose()
    result.notes = (
        f"reference {reference_requests} requests; {extra_total} extra requests in all for {result.faults} "
        f"faults (bound: faults x {SOCIAL_ATTEMPTS} attempts); {LONG_WAIT_PLATFORM} stopped by a 1-hour "
        f"rate limit in every trial, {failed_for_faults} other platform syncs failed on faults; "
        "all completed by the rerun"
    )
    return result
