"""collect_streaming_metrics: ingest exports, history and play events; aggregate; find anomalies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, task

from analytics import audit
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.observability import progress
from analytics.streaming import collect
from analytics.streaming.aggregate import AggregateSummary, aggregate
from analytics.streaming.anomalies import AnomalySummary, detect_anomalies
from flows._steps import audited
from flows._tasks import save_datasets, table_frame, validate_dataset
from flows.world import DemoStreams, World, world


@task
def prepare_demo_exports(streams: DemoStreams, settings: Settings, *, end: date, days: int, seed: int) -> Any:
    """The sandbox's seeded demo exports, history and play feed (same inputs, byte-identical files)."""
    folder = settings.data_dir / "demo" / "streaming" / end.isoformat()
    return streams.generate(folder, seed=seed, days=days, end=end)


@task
def ingest_demo(run: AuditRun, streams: DemoStreams, data: Any) -> set[date]:
    return collect.audit_ingest(run, "ingest.demo", streams.ingest(run.warehouse, data, run_id=run.run_id))


@task
def ingest_exports(run: AuditRun, source_dir: Path, artist_id: str | None) -> set[date]:
    """Every export under ``source_dir``: each file alone, rejected or stored, audited by name."""
    return collect.ingest_folder(run, source_dir, artist_id=artist_id)


@task
def realtime_events(run: AuditRun, settings: Settings, seconds: float) -> set[date]:
    """Drain the Redis play stream for up to ``seconds`` (exactly once into the warehouse)."""
    return collect.drain_play_stream(run, settings.redis_url, seconds=seconds)


@audited("aggregate")
def aggregate_days(run: AuditRun, days: set[date]) -> AggregateSummary:
    return aggregate(run.warehouse, days=sorted(days) if days else None)


@audited("anomalies")
def find_anomalies(run: AuditRun, *, seed: int) -> AnomalySummary:
    return detect_anomalies(run.warehouse, run_id=run.run_id, seed=seed)


def ingest_sources(
    run: AuditRun,
    w: World,
    source: Path | None,
    *,
    exports: bool,
    artist_id: str | None,
    demo: tuple[date, int, int],
) -> set[date]:
    """The files of the run: the exports folder ``source``, else (``exports`` asked for) the
    sandbox's seeded demo streams (``demo``: last day, days, seed), else none, audited as
    skipped. Returns the days they touched."""
    if source is not None:
        return ingest_exports(run, source, artist_id)
    if exports and w.demo_streams is not None:
        end, days, seed = demo
        data = prepare_demo_exports(w.demo_streams, run.settings, end=end, days=days, seed=seed)
        return ingest_demo(run, w.demo_streams, data)
    run.record("ingest.files", audit.Skipped(collect.skipped_files(exports=exports)))
    return set()


def checked_table(run: AuditRun, table: str, *, days: set[date] | None = None) -> pd.DataFrame:
    """The stored table (only ``days``' rows, when given), through its suite."""
    frame = table_frame(run, table, days=days)
    validate_dataset(frame, dataset=table, run=run, suite=collect.SUITES[table])
    return frame


def check_sources(*, exports: bool, realtime_seconds: float) -> None:
    """Something to collect: the exports, or a real-time window.

    Raises
    ------
    ValueError : ``exports=False`` without a real-time window.
    """
    if not exports and realtime_seconds <= 0:
        raise ValueError(
            "nothing to collect: exports=False reads the play stream only, set realtime_seconds > 0"
        )


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
    check_sources(exports=exports, realtime_seconds=realtime_seconds)
    settings = Settings()
    end = date.fromisoformat(end_date) if end_date else datetime.now(UTC).date() - timedelta(days=1)
    parameters = {"source_dir": source_dir, "artist_id": artist_id, "realtime_seconds": realtime_seconds}
    parameters |= {"exports": exports, "end": end}
    with world(settings) as w:
        source = streaming_source(w, source_dir, realtime_seconds=realtime_seconds) if exports else None
        with (
            audit.run("collect_streaming_metrics", settings=settings, parameters=parameters) as run,
            progress.stage("streaming ingest", total=5) as step,
        ):
            demo = (end, demo_days, seed)
            touched = ingest_sources(run, w, source, exports=exports, artist_id=artist_id, demo=demo)
            if realtime_seconds > 0:
                touched |= realtime_events(run, run.settings, realtime_seconds)
            step.advance()  # ingested
            checked_table(run, "stream_play_events", days=touched)
            checked_table(run, "s4a_playlists")
            step.advance()
            aggregate_days(run, touched)
            step.advance()
            daily = checked_table(run, "stream_metrics_daily")
            step.advance()
            run.outputs.update(find_anomalies(run, seed=seed).by_kind)
            anomalies = checked_table(run, "stream_anomalies")
            step.advance()
            save_datasets(run, {"stream_metrics_daily": daily, "stream_anomalies": anomalies})
            step.note(f"{len(touched)} days touched")
    return run.summary()
