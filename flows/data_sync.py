"""sync_artist_data: the artists' catalog and the user's playlists from Spotify, incrementally."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from analytics import audit, sync
from analytics.config import Settings
from analytics.spotify import QuotaExhausted
from analytics.validation import DatasetValidationError

# Failures that another attempt cannot fix: stop at once (the checkpoint keeps the progress).
FINAL = (QuotaExhausted, sync.SyncPayloadError, sync.UnknownArtist, DatasetValidationError)


def worth_retrying(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect retry condition: network trouble yes; quota, bad payloads, failed suites no."""
    try:
        state.result()
    except FINAL:
        return False
    except Exception:
        return True
    return True


NETWORK = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": worth_retrying,
    "cache_policy": NO_CACHE,
}


@task(**NETWORK)
def resolve_artists(syncer: sync.Syncer, artist_ids: list[str] | None, settings: Settings) -> list[str]:
    """The given artists, else settings.artist_ids, else the followed ones ([] on a quota stop)."""
    return syncer.resolve(artist_ids, settings=settings)


@task(**NETWORK)
def sync_stage(syncer: sync.Syncer, stage: str, artist_ids: list[str]) -> bool:
    """One stage (artists, albums, playlists); a retry resumes from the checkpoints."""
    return syncer.stage(stage, artist_ids)


@flow(name="sync-artist-data", version=audit.code_version())
def sync_artist_data(artist_ids: list[str] | None = None, *, full: bool = False) -> sync.SyncReport:
    """Sync the artists' catalog incrementally (default: settings.artist_ids, else followed artists).

    Against the loopback sandbox by default (``ENCORE_SPOTIFY_SANDBOX``); every run leaves an
    audit record with requests, changes, checkpoints and validation. A quota stop ends the run
    as ``partial`` with the time it can resume.
    """
    settings = Settings()
    parameters = {"artist_ids": artist_ids, "full": full}
    with (
        audit.run("sync_artist_data", settings=settings, parameters=parameters) as run,
        sync.spotify_client(settings) as client,
    ):
        syncer = sync.Syncer(
            client,
            run.warehouse,
            run_id=run.run_id,
            full=full,
            validate=sync.gx_validator(run_dir=run.run_dir, run_id=run.run_id),
        )
        ids = resolve_artists(syncer, artist_ids, settings)
        if ids:
            syncer.open(ids)
            for stage in sync.STAGES:
                if not sync_stage(syncer, stage, ids):
                    break
        report = syncer.finish()
        run.record(
            "sync_catalog",
            inputs={"artist_ids": ids, "full": full},
            requests=report.requests,
            validation=report.validation,
            details=report.details(),
            outcome="partial" if report.partial else "ok",
            changes=report.changes,
        )
        run.outputs.update(quota_mode=report.quota_mode, requests_made=report.requests_made)
        if report.partial:
            run.message = report.message
    return report
