"""analyze_tracks: audio features from the artist's own files, matched to the catalog, with ML on top."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, task
from prefect.cache_policies import CachePolicy

from analytics import audit
from analytics.audio import store
from analytics.audio.batch import AnalysisBatch, analyze_files, find_audio_files
from analytics.audio.cache import content_hash
from analytics.audio.features import FEATURE_SET_VERSION
from analytics.audio.matching import match_files
from analytics.audio.tags import read_all_tags
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.ml.catalog import describe_catalog as describe
from flows._notebooks import render_track_pages
from flows._runners import dask_map_fn
from flows._tasks import validate_dataset
from flows.world import world

REPORT_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _audio_cache_key(_context: Any, parameters: dict[str, Any]) -> str:
    """Same audio bytes and same feature set: the stored result is reused, nothing is computed."""
    digest = hashlib.sha256(FEATURE_SET_VERSION.encode())
    for audio_hash in sorted(parameters["hashes"]):
        digest.update(audio_hash.encode())
    return f"analyze-audio-{digest.hexdigest()}"


@task(
    cache_policy=CachePolicy.from_cache_key_fn(_audio_cache_key),
    persist_result=True,
    cache_expiration=timedelta(days=90),
)
def analyze_audio(paths: list[str], hashes: list[str], settings: Settings) -> AnalysisBatch:
    """Features of every file (process pool, or the Dask cluster when one is configured)."""
    with dask_map_fn(settings) as map_fn:
        return analyze_files([Path(p) for p in paths], settings=settings, map_fn=map_fn)


@task
def catalog_tracks(run: AuditRun) -> pd.DataFrame:
    """The stored catalog's tracks with their artist names (for matching by tags)."""
    return store.stored_tracks(run.warehouse)


@task
def match_to_catalog(run: AuditRun, paths: list[str], tracks: pd.DataFrame) -> pd.DataFrame:
    result = match_files(read_all_tags(paths), tracks)
    run.record(
        "match_files",
        inputs={"files": len(paths), "tracks": len(tracks)},
        outputs={"matched": len(result.matches), "unmatched_files": result.unmatched_files},
        details={"unmatched_tracks": len(result.unmatched_tracks)},
    )
    return result.matches


@task
def store_features(run: AuditRun, frame: pd.DataFrame) -> None:
    run.record(
        "store_features",
        inputs={"tracks": len(frame)},
        changes=store.store_track_features(run.warehouse, frame, run_id=run.run_id),
    )


@task
def describe_catalog(run: AuditRun, frame: pd.DataFrame) -> None:
    """Sounds-like neighbours and clusters in words (one row per recording), saved with the run's datasets."""
    record = describe(frame, datasets_dir=run.run_dir / "datasets").audit_record()
    if record is not None:
        run.record("clusters", **record)


@task
def artists_with_audio(run: AuditRun, frame: pd.DataFrame) -> dict[str, str]:
    """Artist id -> name of every artist with at least one analysed track."""
    return store.artists_with_audio(run.warehouse, frame)


@task
def render_reports(run: AuditRun, artists: dict[str, str], *, label: str, settings: Settings) -> list[Path]:
    """One track analysis page per artist, then the refreshed reports/index.html.

    A page that fails to render is audited with its error and the others still render: the
    features are stored and validated by then, and stay so.
    """
    done = render_track_pages(run, artists, label=label, settings=settings)
    run.record("render_track_analysis", **done.audit_record(artists=len(artists), label=label))
    return [p.path for p in done.pages]


@flow(name="analyze-tracks", version=audit.code_version())
def analyze_tracks(
    audio_dir: str | None = None, *, reports: bool = True, report_label: str | None = None
) -> RunSummary:
    """Analyse every audio file under ``audio_dir`` (default: the world's audio folder:
    ``ENCORE_AUDIO_DIR``, in the sandbox world else the demo excerpts), match files to catalog tracks, validate and store the features, then render
    each analysed artist's track analysis page.

    Files that cannot be analysed are quarantined with a reason in the audit record; the rest
    of the batch continues. A rerun on unchanged files computes nothing.

    Parameters
    ----------
    audio_dir : folder of the artist's audio files (searched recursively).
    reports : render ``reports/<artist_id>/<label>/track_analysis.html`` for every artist with
        analysed tracks, and refresh ``reports/index.html``.
    report_label : the pages' folder under the artist (default: today's UTC date), e.g. the
        period of the artist reports: letters, digits, '.', '_' and '-'.

    Raises
    ------
    ValueError : ``report_label`` is not a plain folder name.
    MissingInput : a real world with no ``audio_dir`` and no ``ENCORE_AUDIO_DIR``; nothing is written.
    FileNotFoundError : ``audio_dir`` is not a folder.
    """
    if report_label is not None and not REPORT_LABEL.match(report_label):
        raise ValueError(
            f"report label {report_label!r} names a folder: letters, digits, '.', '_' and '-' only"
        )
    settings = Settings()
    with world(settings) as w:
        folder = w.require_audio_dir(audio_dir)
    paths = [str(p) for p in find_audio_files(folder)]
    with audit.run("analyze_tracks", settings=settings, parameters={"audio_dir": str(folder)}) as run:
        hashes = [content_hash(Path(p)) for p in paths]
        state = analyze_audio(paths, hashes, settings, return_state=True)
        batch: AnalysisBatch = state.result().at_paths(paths, hashes)  # a cached batch may name old paths
        outputs = batch.audit_record()
        if state.name == "Cached":  # the stored result of an identical batch: nothing was computed now
            outputs |= {"computed": 0, "cache_hits": len(paths), "prefect_cache": True}
        run.record("analyze_audio", inputs={"files": len(paths)}, outputs=outputs)
        validate_dataset(batch.features, dataset="track_features", run=run)
        tracks = catalog_tracks(run)
        frame = store.track_features(batch.features, match_to_catalog(run, paths, tracks), tracks)
        store_features(run, frame)
        describe_catalog(run, frame)
        run.outputs["quarantined"] = len(batch.quarantined)
        if reports and not frame.empty:
            label = report_label or datetime.now(UTC).date().isoformat()
            pages = render_reports(run, artists_with_audio(run, frame), label=label, settings=settings)
            run.outputs["reports"] = [str(p) for p in pages]
    return run.summary()
