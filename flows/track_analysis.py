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
from analytics.audio.matching import MatchResult, match_files
from analytics.audio.tags import read_all_tags
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.ml.catalog import describe_catalog as describe
from analytics.ml.clustering import Clustering
from flows._notebooks import TrackPages, render_track_pages
from flows._runners import dask_map_fn
from flows._steps import audited
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


@audited("match_files")
def match_to_catalog(run: AuditRun, paths: list[str], tracks: pd.DataFrame) -> MatchResult:
    return match_files(read_all_tags(paths), tracks)


@audited("store_features")
def store_features(run: AuditRun, frame: pd.DataFrame) -> store.StoredFeatures:
    return store.store_track_features(run.warehouse, frame, run_id=run.run_id)


@audited("clusters")
def describe_catalog(run: AuditRun, frame: pd.DataFrame) -> Clustering | None:
    """Sounds-like neighbours and clusters in words (one row per recording), saved with the run's
    datasets; too few recordings to group leave no record."""
    return describe(frame, datasets_dir=run.run_dir / "datasets").groups


@task
def artists_with_audio(run: AuditRun, frame: pd.DataFrame) -> dict[str, str]:
    """Artist id -> name of every artist with at least one analysed track."""
    return store.artists_with_audio(run.warehouse, frame)


@audited("render_track_analysis")
def render_reports(run: AuditRun, artists: dict[str, str], *, label: str, settings: Settings) -> TrackPages:
    """One track analysis page per artist, then the refreshed reports/index.html.

    A page that fails to render is audited with its error and the others still render: the
    features are stored and validated by then, and stay so.
    """
    return render_track_pages(run, artists, label=label, settings=settings)


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
        if state.name == "Cached":  # the stored result of an identical batch: nothing was computed now
            batch = batch.reused()
        run.record("analyze_audio", batch)
        validate_dataset(batch.features, dataset="track_features", run=run)
        tracks = catalog_tracks(run)
        frame = store.track_features(batch.features, match_to_catalog(run, paths, tracks).matches, tracks)
        store_features(run, frame)
        describe_catalog(run, frame)
        run.outputs["quarantined"] = len(batch.quarantined)
        if reports and not frame.empty:
            label = report_label or datetime.now(UTC).date().isoformat()
            done = render_reports(run, artists_with_audio(run, frame), label=label, settings=settings)
            run.outputs["reports"] = [str(p.path) for p in done.pages]
    return run.summary()
