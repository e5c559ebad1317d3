"""sync_artist_data: the artists' catalog and the user's playlists from Spotify, incrementally."""

from __future__ import annotations

from collections.abc import Sequence

from prefect import flow, task

from analytics import audit, sync
from analytics.audit import AuditRun
from analytics.config import Settings
from analytics.observability import progress
from analytics.spotify import SpotifyApi
from analytics.validation import DatasetValidationError
from flows._policies import SPOTIFY
from flows.world import artists_to_sync, world


@task(**SPOTIFY)
def resolve_artists(syncer: sync.Syncer, artist_ids: list[str] | None, settings: Settings) -> list[str]:
    """The given artists, else settings.artist_ids, else the followed ones ([] on a quota stop)."""
    return syncer.resolve(artist_ids, settings=settings)


@task(**SPOTIFY)
def sync_stage(syncer: sync.Syncer, stage: str, artist_ids: list[str]) -> bool:
    """One stage (artists, albums, playlists); a retry resumes from the checkpoints."""
    return syncer.stage(stage, artist_ids)


def sync_in_run(
    run: AuditRun, *, spotify: SpotifyApi, artist_ids: Sequence[str] | None, full: bool = False
) -> sync.SyncReport:
    """The incremental sync inside an open audit run (this flow's or the pipeline's).

    Rows and checkpoints carry ``run.run_id``; each unit of work passes its Great Expectations
    suites (evidence under ``run.run_dir/validation``) before it is committed. Records
    ``sync_catalog`` (requests, changes, checkpoints, validation; outcome ``partial`` with the
    time to resume after a quota stop, ``failed`` with what was read before an error) and a
    failed ``validate.<dataset>`` record for each suite that stopped a unit.

    Raises
    ------
    SyncPayloadError, DatasetValidationError, UnknownArtist : as :func:`analytics.sync.sync_catalog`
        (the unit in question is not written; earlier units stay).
    """
    syncer = sync.Syncer(
        spotify,
        run.warehouse,
        run_id=run.run_id,
        full=full,
        validate=sync.gx_validator(run_dir=run.run_dir, run_id=run.run_id),
    )
    try:
        with progress.stage("catalog sync", total=1 + len(sync.STAGES)) as step:
            ids = resolve_artists(syncer, list(artist_ids) if artist_ids else None, run.settings)
            step.advance()
            if ids:
                syncer.open(ids)
                for stage in sync.STAGES:
                    if not sync_stage(syncer, stage, ids):
                        break
                    step.advance()
            step.note(f"{len(ids)} artists")
    except Exception as error:
        _record_failure(run, syncer.finish(), error=error)
        raise
    report = syncer.finish()
    run.record("sync_catalog", report)
    run.outputs.update(quota_mode=report.quota_mode, requests_made=report.requests_made)
    if report.partial and report.resume_at is not None:
        run.outputs["resume_at"] = report.resume_at.isoformat()
    return report


def _record_failure(run: AuditRun, report: sync.SyncReport, *, error: Exception) -> None:
    """What the sync read and wrote before ``error``, and each suite that stopped a unit."""
    if isinstance(error, DatasetValidationError):
        for failure in error.failures:
            run.record(f"validate.{failure.outcome.dataset}", failure)
    run.record("sync_catalog", report.failed(error))


@flow(name="sync-artist-data", version=audit.code_version())
def sync_artist_data(artist_ids: list[str] | None = None, *, full: bool = False) -> sync.SyncReport:
    """Sync the artists' catalog incrementally (default: the world's artists, else followed artists).

    In the world ``ENCORE_WORLD`` names (the loopback sandbox by default); every run leaves an
    audit record with requests, changes, checkpoints and validation. A quota stop ends the run
    as ``partial`` with the time it can resume.

    Raises
    ------
    MissingInput : (real world) no Spotify credentials, or no artist configured or followed;
        nothing is written.
    """
    settings = Settings()
    with world(settings) as w:
        ids = artists_to_sync(w, artist_ids)
        parameters = {"artist_ids": artist_ids, "full": full}
        with audit.run("sync_artist_data", settings=settings, parameters=parameters) as run:
            report = sync_in_run(run, spotify=w.spotify, artist_ids=ids, full=full)
            if report.partial:
                run.message = report.message
    return report
