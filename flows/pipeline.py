"""pipeline: the main job — catalog in, validated, stored, audited, reported."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from analytics import audit, catalog, demo, sync
from analytics.audit import AuditRun, RunSummary
from analytics.config import PROJECT_ROOT, Settings
from analytics.warehouse import UpsertResult
from flows._tasks import validate_dataset
from flows.ai_content_generation import generate_content
from flows.artist_monitoring import monitor_artist
from flows.data_sync import sync_in_run
from flows.playlist_update import update_playlist
from flows.reporting import render_reports
from flows.social_media_sync import sync_social_media
from flows.streaming_metrics import collect_streaming_metrics
from flows.track_analysis import analyze_tracks


@dataclass
class PipelineResult:
    run_id: str
    outcome: str
    message: str
    run_dir: Path
    reports: list[Path] = field(default_factory=list)


@task(cache_policy=NO_CACHE)
def stored_catalog(run: AuditRun, artist_ids: list[str]) -> catalog.CatalogFrames:
    """The artists' catalog as stored after the sync: the run's datasets, changed or not."""
    frames = sync.stored_catalog(run.warehouse, artist_ids)
    run.record("stored_catalog", inputs={"artist_ids": artist_ids}, outputs=frames.counts())
    return frames


@task(cache_policy=NO_CACHE)
def save_run_datasets(frames: catalog.CatalogFrames, run: AuditRun, synced: sync.SyncReport) -> None:
    frames.save(run.run_dir / "datasets")
    manifest = {
        "run_id": run.run_id,
        "trace_id": run.trace_id,
        "quota_mode": run.settings.quota_mode.value,
        "catalog_sync": {
            "outcome": synced.outcome,
            "resume_at": synced.resume_at.isoformat() if synced.resume_at else None,
        },
    }
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))


def record_job(run: AuditRun, job: str, summary: RunSummary) -> None:
    """A sub-job's own run, as one line of the main job's audit record."""
    run.record(
        job,
        outputs={"run_id": summary.run_id, "outcome": summary.outcome, "message": summary.message},
        changes=UpsertResult(inserted={job: summary.rows_written}),
        outcome="partial" if summary.outcome in {"partial", "failed"} else "ok",
    )


@flow(name="pipeline", version=audit.code_version())
def pipeline(artist_ids: list[str] | None = None, *, reports: bool = True) -> PipelineResult:
    """Run encore end to end on the configured artists (default: the demo catalog).

    The catalog comes from the incremental sync (:func:`flows.data_sync.sync_in_run`, against
    the loopback sandbox by default): only changes are written, a second run writes nothing.
    When Spotify's quota stops the sync, the run goes on with what is stored and ends
    ``partial``, its audit record saying when the sync can resume.
    """
    settings = Settings()
    artist_ids = artist_ids or settings.artist_ids or demo.demo_artist_ids(settings.catalog_file)
    with audit.run(
        "pipeline", settings=settings, parameters={"artist_ids": artist_ids}, marks_latest=True
    ) as run:
        # The incremental sync: each unit passes its suites before it is committed; a quota
        # stop ends it partial (checkpoint saved) and the job goes on with what is stored.
        synced = sync_in_run(run, artist_ids=artist_ids)
        if synced.partial:
            run.message = f"catalog sync partial: {synced.message}; the rest ran on the stored catalog"
        frames = stored_catalog(run, artist_ids)
        for name, frame in frames.items():  # what the reports read, checked as a whole
            validate_dataset(frame, dataset=name, run=run)
        save_run_datasets(frames, run, synced)
        if settings.streaming_exports_dir or settings.spotify_sandbox:
            # Without exports of their own, sandbox runs use the seeded demo streams.
            exports = str(settings.streaming_exports_dir) if settings.streaming_exports_dir else None
            only = artist_ids[0] if len(artist_ids) == 1 else None
            record_job(
                run,
                "collect_streaming_metrics",
                collect_streaming_metrics(exports, artist_id=only, demo_days=settings.demo_streaming_days),
            )
        record_job(run, "analyze_tracks", analyze_tracks(reports=reports))
        record_job(run, "sync_social_media", sync_social_media())
        for artist_id in artist_ids:
            record_job(run, f"monitor_artist.{artist_id}", monitor_artist(artist_id))
            record_job(run, f"generate_content.{artist_id}", generate_content(artist_id))
        if settings.spotify_sandbox:  # dry run: plans are audited, Spotify is not changed
            for definition in sorted((PROJECT_ROOT / "config" / "playlists").glob("*.yaml")):
                record_job(run, f"update_playlist.{definition.stem}", update_playlist(str(definition)))
        stored = [a for a in artist_ids if a in set(frames.artists["artist_id"])]
        pages = render_reports(str(run.run_dir), artist_ids=stored) if reports and stored else []
        run.record("render_reports", outputs={"reports": [str(p) for p in pages]})
    summary = run.summary()
    return PipelineResult(
        run_id=summary.run_id,
        outcome=summary.outcome,
        message=summary.message,
        run_dir=summary.run_dir,
        reports=pages,
    )
