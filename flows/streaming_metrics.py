"""collect_streaming_metrics: ingest exports, history and play events; aggregate; find anomalies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from analytics import audit
from analytics.audit import AuditRun, RunSummary, SetAside
from analytics.config import Settings
from analytics.observability import progress
from analytics.streaming.aggregate import aggregate
from analytics.streaming.anomalies import detect_anomalies
from analytics.streaming.exports import scan_exports
from analytics.streaming.ingest import ingest_export
from analytics.streaming.realtime import consume_events
from analytics.streaming.summary import IngestSummary, SourceFormatError
from analytics.warehouse import UpsertResult
from flows._tasks import table_frame, validate_dataset
from flows.world import DemoStreams, World, world

SUITES = {
    "stream_play_events": "streams_raw",
    "stream_metrics_daily": "streams_daily",
    "stream_anomalies": "streaming_anomalies",
}


@task(cache_policy=NO_CACHE)
def prepare_demo_exports(streams: DemoStreams, settings: Settings, *, end: date, days: int, seed: int) -> Any:
    """The sandbox's seeded demo exports, history and play feed (same inputs, byte-identical files)."""
    folder = settings.data_dir / "demo" / "streaming" / end.isoformat()
    return streams.generate(folder, seed=seed, days=days, end=end)


@task(cache_policy=NO_CACHE)
def ingest_demo(run: AuditRun, streams: DemoStreams, data: Any) -> set[date]:
    summary = streams.ingest(run.warehouse, data, run_id=run.run_id)
    _record_ingest(run, "ingest.demo", summary)
    return set(summary.days_touched)


@task(cache_policy=NO_CACHE)
def ingest_exports(run: AuditRun, source_dir: Path, artist_id: str | None) -> set[date]:
    """Every export under ``source_dir``: each file alone, rejected or stored, audited by name.

    A Spotify for Artists file belongs to the artist its name or folder says (``artist_id``
    otherwise); see :func:`analytics.streaming.exports.scan_exports` for what is read at all.
    """
    touched: set[date] = set()
    scan = scan_exports(source_dir)
    for path, why in scan.refused:
        run.reject(
            f"ingest.{path.name}",
            [SetAside("export file", path.name, why)],
            rejected_file=f"{path}: {why}",
        )
    if scan.ignored:
        run.record(
            "ingest.ignored",
            details={
                "why": "not named like a Spotify export (e.g. <artist id>-audience-timeline.csv, "
                "Streaming_History_Audio_2026_0.json); see docs/streaming.md",
                "files": [str(p.relative_to(source_dir)) for p in scan.ignored[:50]],
            },
        )
    for export in scan.files:
        try:
            summary = ingest_export(run.warehouse, export, run_id=run.run_id, artist_id=artist_id)
        except SourceFormatError as error:  # an unreadable file is rejected whole; the others go on
            run.reject(
                f"ingest.{export.path.name}",
                [SetAside("export file", export.path.name, f"{error.problem}. {error.hint}"[:500])],
                rejected_file=str(error)[:2000],
            )
            continue
        _record_ingest(run, f"ingest.{export.path.name}", summary)
        touched |= set(summary.days_touched)
    return touched


def _record_ingest(run: AuditRun, task_name: str, summary: IngestSummary) -> None:
    """The ingest's record; every rejected row is set aside by file and row (the run ends ``partial``)."""
    run.record(
        task_name,
        inputs={"rows_read": summary.rows_read},
        outputs=summary.as_dict(),
        changes=UpsertResult(
            inserted={"streaming": summary.rows_stored}, updated={"streaming": summary.rows_updated}
        ),
        outcome="partial" if summary.rows_rejected else "ok",
    )
    rows = [
        SetAside("export row", f"{summary.file_name or summary.source} row {r.line}", r.reason)
        for r in summary.rejections
    ]
    more = summary.rows_rejected - len(rows)
    if more > 0:  # the summary keeps the first examples; the count says how many in all
        where = summary.file_name or summary.source
        rows.append(
            SetAside("export rows", f"{more} more in {where}", "counted by reason in the ingest record")
        )
    run.reject(f"{task_name}.rejected_rows", rows)


@task(cache_policy=NO_CACHE)
def realtime_events(run: AuditRun, settings: Settings, seconds: float) -> set[date]:
    """Drain the Redis play stream for up to ``seconds`` (exactly once into the warehouse)."""
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    try:
        summary = consume_events(run.warehouse, client, duration_s=seconds)
    finally:
        client.close()
    _record_ingest(run, "ingest.realtime", summary)
    return set(summary.days_touched)


@task(cache_policy=NO_CACHE)
def aggregate_days(run: AuditRun, days: set[date]) -> None:
    summary = aggregate(run.warehouse, days=sorted(days) if days else None)
    run.record(
        "aggregate",
        outputs=summary.as_dict(),
        changes=UpsertResult(updated={"stream_metrics_daily": summary.rows_written}),
    )


@task(cache_policy=NO_CACHE)
def find_anomalies(run: AuditRun, *, seed: int) -> dict[str, int]:
    summary = detect_anomalies(run.warehouse, run_id=run.run_id, seed=seed)
    run.record("anomalies", outputs=summary.as_dict())
    return dict(summary.by_kind)


def streaming_source(w: World, source_dir: str | None, *, realtime_seconds: float) -> Path | None:
    """The exports folder to ingest, checked before anything is written.

    ``source_dir``, else the world's exports folder; without either, the sandbox world uses its
    seeded demo streams (None here) and a real world needs the Redis play stream
    (``realtime_seconds`` > 0) as its input.

    Raises
    ------
    MissingInput : a real world with no exports folder and no real-time window.
    FileNotFoundError : the folder given does not exist.
    """
    if source_dir or w.exports_dir:
        return w.require_exports_dir(source_dir)
    if w.demo_streams is None and realtime_seconds <= 0:
        w.require_exports_dir()  # raises: names ENCORE_STREAMING_EXPORTS_DIR
    return None


@flow(name="collect-streaming-metrics", version=audit.code_version())
def collect_streaming_metrics(
    source_dir: str | None = None,
    *,
    artist_id: str | None = None,
    realtime_seconds: float = 0.0,
    exports: bool = True,
    demo_days: int = 90,
    end_date: str | None = None,
    seed: int = 7,
) -> RunSummary:
    """Ingest streaming data idempotently, recompute the days it touched, flag anomalies.

    Files come from ``source_dir``, else ``ENCORE_STREAMING_EXPORTS_DIR``; with neither, the
    sandbox world uses its seeded demo streams and a real world stops (nothing written) unless
    ``realtime_seconds`` > 0, which drains the Redis play stream (``ENCORE_REDIS_URL``).
    ``exports=False`` reads the play stream only (the frequent schedule: the files are the
    daily main job's).

    Raises
    ------
    MissingInput : a real world with no exports folder and no real-time window.
    ValueError : ``exports=False`` without a real-time window: nothing to collect.
    """
    if not exports and realtime_seconds <= 0:
        raise ValueError(
            "nothing to collect: exports=False reads the play stream only, set realtime_seconds > 0"
        )
    settings = Settings()
    end = date.fromisoformat(end_date) if end_date else datetime.now(UTC).date() - timedelta(days=1)
    parameters = {
        "source_dir": source_dir,
        "artist_id": artist_id,
        "realtime_seconds": realtime_seconds,
        "exports": exports,
        "end": end,
    }
    with world(settings) as w:
        source = streaming_source(w, source_dir, realtime_seconds=realtime_seconds) if exports else None
        with audit.run("collect_streaming_metrics", settings=settings, parameters=parameters) as run:
            _collect(
                run,
                w,
                source,
                artist_id=artist_id,
                realtime_seconds=realtime_seconds,
                exports=exports,
                demo_days=demo_days,
                end=end,
                seed=seed,
            )
    return run.summary()


def _collect(
    run: AuditRun,
    w: World,
    source: Path | None,
    *,
    artist_id: str | None,
    realtime_seconds: float,
    exports: bool,
    demo_days: int,
    end: date,
    seed: int,
) -> None:
    """Ingest, aggregate, detect and save the run's datasets inside the open audit run."""
    with progress.stage("streaming ingest", total=5) as step:
        touched: set[date] = set()
        if not exports:
            run.record("ingest.files", details={"skipped": "exports=False: the Redis play stream only"})
        elif source is not None:
            touched = ingest_exports(run, source, artist_id)
        elif w.demo_streams is not None:
            data = prepare_demo_exports(w.demo_streams, run.settings, end=end, days=demo_days, seed=seed)
            touched = ingest_demo(run, w.demo_streams, data)
        else:
            run.record("ingest.files", details={"skipped": "no exports folder: the Redis play stream only"})
        if realtime_seconds > 0:
            touched |= realtime_events(run, run.settings, realtime_seconds)
        step.advance()  # ingested
        validate_dataset(
            table_frame(run, "stream_play_events", days=touched),
            dataset="stream_play_events",
            run=run,
            suite=SUITES["stream_play_events"],
        )
        validate_dataset(table_frame(run, "s4a_playlists"), dataset="s4a_playlists", run=run)
        step.advance()
        aggregate_days(run, touched)
        step.advance()
        daily = table_frame(run, "stream_metrics_daily")
        validate_dataset(
            daily,
            dataset="stream_metrics_daily",
            run=run,
            suite=SUITES["stream_metrics_daily"],
        )
        step.advance()
        run.outputs.update(find_anomalies(run, seed=seed))
        anomalies = table_frame(run, "stream_anomalies")
        validate_dataset(anomalies, dataset="stream_anomalies", run=run, suite=SUITES["stream_anomalies"])
        step.advance()
        step.note(f"{len(touched)} days touched")
    datasets = run.run_dir / "datasets"
    datasets.mkdir(parents=True, exist_ok=True)
    daily.to_parquet(datasets / "stream_metrics_daily.parquet", index=False)
    anomalies.to_parquet(datasets / "stream_anomalies.parquet", index=False)
