"""analyze_tracks: audio features from the artist's own files, matched to the catalog, with ML on top."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from analytics import audit, demo
from analytics.audio.batch import AnalysisBatch, analyze_files, find_audio_files
from analytics.audio.cache import content_hash
from analytics.audio.features import FEATURE_SET_VERSION
from analytics.audio.matching import match_files
from analytics.audio.store import store_track_features, track_features
from analytics.audio.tags import read_all_tags
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.ml import clustering, similarity
from flows._runners import dask_map_fn
from flows._tasks import validate_dataset


def _audio_cache_key(_context: Any, parameters: dict[str, Any]) -> str:
    """Same audio bytes and same feature set: the stored result is reused, nothing is computed."""
    digest = hashlib.sha256(FEATURE_SET_VERSION.encode())
    for audio_hash in sorted(parameters["hashes"]):
        digest.update(audio_hash.encode())
    return f"analyze-audio-{digest.hexdigest()}"


@task(cache_key_fn=_audio_cache_key, persist_result=True, cache_expiration=timedelta(days=90))
def analyze_audio(paths: list[str], hashes: list[str], settings: Settings) -> AnalysisBatch:
    """Features of every file (process pool, or the Dask cluster when one is configured)."""
    with dask_map_fn(settings) as map_fn:
        return analyze_files([Path(p) for p in paths], settings=settings, map_fn=map_fn)


@task(cache_policy=NO_CACHE)
def catalog_tracks(run: AuditRun) -> pd.DataFrame:
    """The stored catalog's tracks with their artist names (for matching by tags)."""
    artists = {a["artist_id"]: a["name"] for a in run.warehouse.rows("artists")}
    rows = [
        {
            "track_id": t["track_id"],
            "name": t["name"],
            "artist_name": artists.get(t["artist_id"], ""),
            "duration_ms": t["duration_ms"],
            "isrc": t["isrc"],
        }
        for t in run.warehouse.rows("tracks")
        if t["removed_run"] is None
    ]
    return pd.DataFrame(rows, columns=["track_id", "name", "artist_name", "duration_ms", "isrc"])


@task(cache_policy=NO_CACHE)
def match_to_catalog(run: AuditRun, paths: list[str], tracks: pd.DataFrame) -> pd.DataFrame:
    result = match_files(read_all_tags(paths), tracks)
    run.record(
        "match_files",
        inputs={"files": len(paths), "tracks": len(tracks)},
        outputs={"matched": len(result.matches), "unmatched_files": result.unmatched_files},
        details={"unmatched_tracks": len(result.unmatched_tracks)},
    )
    return result.matches


@task(cache_policy=NO_CACHE)
def store_features(run: AuditRun, frame: pd.DataFrame) -> None:
    run.record(
        "store_features",
        inputs={"tracks": len(frame)},
        changes=store_track_features(run.warehouse, frame, run_id=run.run_id),
    )


@task(cache_policy=NO_CACHE)
def describe_catalog(run: AuditRun, frame: pd.DataFrame) -> None:
    """Sounds-like neighbours and clusters in words, saved with the run's datasets."""
    datasets = run.run_dir / "datasets"
    datasets.mkdir(parents=True, exist_ok=True)
    features = pd.json_normalize(frame["features"].tolist())
    flat = pd.concat([frame.drop(columns=["features"]), features.add_prefix("f_")], axis=1)
    flat.to_parquet(datasets / "track_audio_features.parquet", index=False)
    features = features.assign(track_id=frame["track_id"].to_numpy())
    if len(features) >= 3:
        similarity.similarity(features, k=min(3, len(features) - 1), id_column="track_id").to_parquet(
            datasets / "sounds_like.parquet", index=False
        )
        groups = clustering.cluster(features, max_k=min(4, len(features) - 1), id_column="track_id")
        groups.assignments.to_parquet(datasets / "clusters.parquet", index=False)
        described = dict(
            zip(groups.clusters["cluster"].astype(str), groups.clusters["description"], strict=True)
        )
        run.record(
            "clusters", outputs={"k": groups.k, "model_version": groups.model_version}, details=described
        )


@flow(name="analyze-tracks", version=audit.code_version())
def analyze_tracks(audio_dir: str | None = None) -> RunSummary:
    """Analyse every audio file under ``audio_dir`` (default: ``ENCORE_AUDIO_DIR``, else the demo
    excerpts), match files to catalog tracks, validate and store the features.

    Files that cannot be analysed are quarantined with a reason in the audit record; the rest
    of the batch continues. A rerun on unchanged files computes nothing.
    """
    settings = Settings()
    folder = Path(audio_dir) if audio_dir else (settings.audio_dir or demo.AUDIO_DIR)
    if not folder.is_dir():
        raise FileNotFoundError(f"no audio folder at {folder}: set ENCORE_AUDIO_DIR to the artist's files")
    paths = [str(p) for p in find_audio_files(folder)]
    with audit.run("analyze_tracks", settings=settings, parameters={"audio_dir": str(folder)}) as run:
        state = analyze_audio(paths, [content_hash(Path(p)) for p in paths], settings, return_state=True)
        batch: AnalysisBatch = state.result()
        outputs = batch.audit_record()
        if state.name == "Cached":  # the stored result of an identical batch: nothing was computed now
            outputs |= {"computed": 0, "cache_hits": len(paths), "prefect_cache": True}
        run.record("analyze_audio", inputs={"files": len(paths)}, outputs=outputs)
        validate_dataset(batch.features, dataset="track_features", run=run)
        tracks = catalog_tracks(run)
        frame = track_features(batch.features, match_to_catalog(run, paths, tracks), tracks)
        store_features(run, frame)
        describe_catalog(run, frame)
        run.outputs["quarantined"] = len(batch.quarantined)
    return run.summary()
