"""pipeline: the main job — catalog in, validated, stored, audited, reported."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task

from analytics import audit, catalog, sync
from analytics.audit import AuditRun, RunSummary, SetAside
from analytics.config import NO_AUDIO_DIR, NO_EXPORTS_DIR, NO_SOCIAL_PLATFORM, PROJECT_ROOT, Settings
from analytics.observability import progress
from analytics.reports import RenderedReports
from analytics.warehouse import UpsertResult
from flows._notebooks import one_report_kernel
from flows._steps import audited
from flows._tasks import validate_dataset
from flows.ai_content_generation import generate_content
from flows.artist_monitoring import monitor_artist
from flows.data_sync import sync_in_run
from flows.playlist_update import update_playlist
from flows.reporting import render_reports
from flows.social_media_sync import sync_social_media
from flows.streaming_metrics import collect_streaming_metrics
from flows.track_analysis import analyze_tracks
from flows.world import World, artists_to_sync, world


@dataclass
class PipelineResult:
    run_id: str
    outcome: str
    message: str
    run_dir: Path
    reports: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # job -> why it did not run
    set_aside: list[SetAside] = field(default_factory=list)  # inputs rejected alone; the rest ran
    rows: dict[str, int] = field(default_factory=dict)  # dataset or sub-job -> rows written

    @classmethod
    def of(
        cls, summary: RunSummary, *, reports: list[Path], skipped: dict[str, str], changes: UpsertResult
    ) -> PipelineResult:
        """The result of a closed run: its summary, the reports rendered and the jobs skipped."""
        return cls(
            run_id=summary.run_id,
            outcome=summary.outcome,
            message=summary.message,
            run_dir=summary.run_dir,
            reports=reports,
            skipped=skipped,
            set_aside=summary.set_aside,
            rows=rows_written(changes),
        )


def skipped_jobs(w: World) -> dict[str, str]:
    """The pipeline's optional jobs that have no input in this world, with what would provide it.

    Streaming needs an exports folder (the sandbox: its seeded demo streams), the audio analysis
    an audio folder (the sandbox: the demo excerpts), the social sync one configured platform
    (the sandbox: all, emulated); the playlists of ``config/playlists/`` are
    planned (dry run) only in the sandbox, whose catalog they are written for.
    """
    skipped: dict[str, str] = {}
    if w.exports_dir is None and w.demo_streams is None:
        skipped["collect_streaming_metrics"] = NO_EXPORTS_DIR
    if w.audio_dir is None:
        skipped["analyze_tracks"] = NO_AUDIO_DIR
    if not w.social().connectors.connectors:
        skipped["sync_social_media"] = NO_SOCIAL_PLATFORM
    if w.name != "sandbox":
        skipped["update_playlist"] = "the example playlists are planned in the sandbox world only"
    return skipped


@audited("stored_catalog")
def stored_catalog(run: AuditRun, artist_ids: list[str]) -> sync.StoredCatalog:
    """The artists' catalog as stored after the sync: the run's datasets, changed or not."""
    return sync.StoredCatalog.read(run.warehouse, artist_ids)


@task
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


def rows_written(changes: UpsertResult) -> dict[str, int]:
    """Rows inserted, updated or removed per dataset (a sub-job's datasets under its own name)."""
    rows: dict[str, int] = {}
    for part in (changes.inserted, changes.updated, changes.removed):
        for name, count in part.items():
            rows[name] = rows.get(name, 0) + int(count)
    return rows


def record_job(run: AuditRun, job: str, summary: RunSummary, *, step: progress.Stage | None = None) -> None:
    """A sub-job's own run, as one line of the main job's audit record (and one step of ``step``).

    What the sub-job set aside (a draft, an export file or row) is named in that line and
    becomes the main job's too: its closing record, its result and the reports list it.
    """
    run.record(job, audit.JobRun(job, summary))
    run.set_aside += summary.set_aside
    if step is not None:
        step.advance()


@contextmanager
def job_stage(run: AuditRun, job: str, label: str) -> Iterator[Callable[[RunSummary], None]]:
    """A stage of the terminal display for one sub-job: ``done(summary)`` notes the rows it
    wrote and records it (:func:`record_job`)."""
    with progress.stage(label) as step:

        def done(summary: RunSummary) -> None:
            step.note(f"{summary.rows_written:,} rows written")
            record_job(run, job, summary)

        yield done


def checked_catalog(run: AuditRun, synced: sync.SyncReport, artist_ids: list[str]) -> list[str]:
    """The catalog as stored after the sync, every dataset the reports read checked against its
    suite as a whole and saved with the run's manifest; the artists it holds.

    The sync checked each unit before committing it; a quota stop ended it partial (checkpoint
    saved), and the job goes on with what is stored.
    """
    if synced.partial:
        run.message = f"catalog sync partial: {synced.message}; the rest ran on the stored catalog"
    frames = stored_catalog(run, artist_ids).frames
    datasets = list(frames.items())
    with progress.stage("catalog checks", total=len(datasets)) as step:
        for name, frame in datasets:
            validate_dataset(frame, dataset=name, run=run)
            step.advance()
        step.note(f"{len(datasets)} datasets passed their suites")
    save_run_datasets(frames, run, synced)
    return [a for a in artist_ids if a in set(frames.artists["artist_id"])]


@task
def note_set_aside(run: AuditRun) -> None:
    """Add what the run set aside to its manifest, where the reports read it."""
    manifest_path = run.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest["set_aside"] = [r.as_dict() for r in run.set_aside]
    manifest_path.write_text(json.dumps(manifest, indent=2))


@flow(name="pipeline", version=audit.code_version())
def pipeline(artist_ids: list[str] | None = None, *, reports: bool = True) -> PipelineResult:
    """Run encore end to end on the world's artists (the sandbox: the demo catalog).

    The catalog comes from the incremental sync (:func:`flows.data_sync.sync_in_run`): only
    changes are written, a second run writes nothing. When Spotify's quota stops the sync, the
    run goes on with what is stored and ends ``partial``, its audit record saying when the sync
    can resume. Optional jobs without their input (:func:`skipped_jobs`: a real world without an
    exports or audio folder) are skipped with a line in the audit record and the result, never
    replaced by demo data. A draft, an export file or an export row that fails its checks is
    set aside alone (named in the audit with its reason) while the rest of the run completes;
    the run then ends ``partial`` and the reports say what is missing.

    Raises
    ------
    MissingInput : (real world) no Spotify credentials, or no artist configured or followed;
        nothing is written.
    """
    settings = Settings()
    with world(settings) as w:
        ids = artists_to_sync(w, artist_ids)
        return _pipeline(w, settings, artist_ids=ids, reports=reports)


def _pipeline(w: World, settings: Settings, *, artist_ids: list[str] | None, reports: bool) -> PipelineResult:
    skipped = skipped_jobs(w)
    # the track pages and the reports run their notebooks in one kernel, started by the first
    with (
        one_report_kernel(),
        audit.run(
            "pipeline", settings=settings, parameters={"artist_ids": artist_ids}, marks_latest=True
        ) as run,
    ):
        synced = sync_in_run(run, spotify=w.spotify, artist_ids=artist_ids)
        ids = artist_ids or list(synced.artist_ids)
        stored = checked_catalog(run, synced, ids)
        for job, why in skipped.items():
            run.record(job, audit.Skipped(why))
        if "collect_streaming_metrics" not in skipped:
            with job_stage(run, "collect_streaming_metrics", "streaming metrics") as done:
                only = ids[0] if len(ids) == 1 else None
                done(collect_streaming_metrics(artist_id=only, demo_days=settings.demo_streaming_days))
        if "analyze_tracks" not in skipped:
            with job_stage(run, "analyze_tracks", "track analysis") as done:
                done(analyze_tracks(reports=reports))
        if "sync_social_media" not in skipped:
            with job_stage(run, "sync_social_media", "social media") as done:
                done(sync_social_media())
        with progress.stage("monitoring and content", total=2 * len(stored)) as step:
            for artist_id in stored:
                record_job(run, f"monitor_artist.{artist_id}", monitor_artist(artist_id), step=step)
                record_job(run, f"generate_content.{artist_id}", generate_content(artist_id), step=step)
            step.note(f"{len(stored)} artists")
        if "update_playlist" not in skipped:  # dry run: plans are audited, Spotify is not changed
            definitions = sorted((PROJECT_ROOT / "config" / "playlists").glob("*.yaml"))
            with progress.stage("playlist plans (dry run)", total=len(definitions)) as step:
                for path in definitions:
                    planned = update_playlist(str(path), print_plan=False)
                    record_job(run, f"update_playlist.{path.stem}", planned, step=step)
                step.note(f"{len(definitions)} playlists planned, Spotify unchanged")
        note_set_aside(run)
        pages = render_reports(str(run.run_dir), artist_ids=stored) if reports and stored else []
        run.record("render_reports", RenderedReports(pages))
        if skipped:
            run.outputs["skipped"] = skipped
    return PipelineResult.of(run.summary(), reports=pages, skipped=skipped, changes=run.changes)
