"""Analyse many files: cache first, then the misses in parallel, quarantining what cannot be read.

The default executor is a process pool (``concurrent.futures``). ``map_fn`` swaps it: any
callable ``map_fn(fn, jobs) -> iterable of results, in order`` works, e.g. for Dask
``lambda fn, jobs: client.gather(client.map(fn, jobs))``.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analytics.audio.analyze import FileResult, analyze_file, quarantined
from analytics.audio.cache import FeatureCache, content_hash
from analytics.audio.features import FEATURE_SET_VERSION, FEATURES
from analytics.audio.warmup import ensure_warm
from analytics.config import Settings
from analytics.jit import configure_numba_cache
from analytics.observability import progress
from analytics.observability.metrics import counter, histogram

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

Job = tuple[str, str]
"""(path, content hash) of one file to analyse."""
MapFn = Callable[[Callable[[Job], FileResult], Sequence[Job]], Iterable[FileResult]]

_FILES = counter("encore_audio_files_total", "audio files processed, by outcome", ("outcome",))
_SECONDS = histogram("encore_audio_analysis_seconds", "compute time per analysed audio file")


@dataclass
class AnalysisBatch:
    """Result of :func:`analyze_files`.

    ``features`` has one row per analysed file (``path``, ``content_hash``,
    ``feature_set_version`` and every column of ``features.FEATURES``); ``quarantined`` lists
    the files that could not be analysed, each with a reason. ``prefect_cache``: the batch is
    the stored result of an identical batch (see :meth:`reused`).
    """

    results: list[FileResult]
    cache_hits: int
    computed: int
    wall_s: float
    warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefect_cache: bool = False

    @property
    def features(self) -> pd.DataFrame:
        rows = [
            {"path": r.path, "content_hash": r.content_hash, "feature_set_version": r.feature_set_version}
            | {name: r.features.get(name) for name in FEATURES}
            for r in self.results
            if r.status == "ok"
        ]
        columns = ["path", "content_hash", "feature_set_version", *FEATURES]
        return pd.DataFrame(rows, columns=columns)

    @property
    def beats(self) -> dict[str, tuple[float, ...]]:
        """Beat times in seconds, by path."""
        return {r.path: r.beats_s for r in self.results if r.status == "ok"}

    @property
    def quarantined(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "quarantined"]

    def at_paths(self, paths: Sequence[str], hashes: Sequence[str]) -> AnalysisBatch:
        """This batch's results for files at ``paths`` with content ``hashes``, in that order.

        A result follows the audio, not the file name: a batch cached for the same audio in
        another folder (moved, copied, renamed) is valid for the files where they are now.

        Raises
        ------
        KeyError : a hash this batch has no result for (it was made for other audio).
        """
        by_hash = {r.content_hash: r for r in self.results}
        missing = [p for p, h in zip(paths, hashes, strict=True) if h not in by_hash]
        if missing:
            raise KeyError(f"no result for the audio of {missing[:3]} in this batch")
        results = [replace(by_hash[h], path=p) for p, h in zip(paths, hashes, strict=True)]
        old_paths = {r.content_hash: r.path for r in self.results}
        warnings = {
            p: self.warnings[old_paths[h]]
            for p, h in zip(paths, hashes, strict=True)
            if old_paths[h] in self.warnings
        }
        return AnalysisBatch(results, self.cache_hits, self.computed, self.wall_s, warnings)

    def reused(self) -> AnalysisBatch:
        """This batch as the stored result of an identical batch: every file a cache hit, nothing
        computed now."""
        return replace(self, cache_hits=len(self.results), computed=0, prefect_cache=True)

    def audit_record(self) -> AuditRecord:
        """The ``analyze_audio`` record: files given; counts, versions, the quarantine list and
        the warnings (no audio data)."""
        outputs = {
            "feature_set_version": FEATURE_SET_VERSION,
            "files": len(self.results),
            "analysed": len(self.results) - len(self.quarantined),
            "cache_hits": self.cache_hits,
            "computed": self.computed,
            "wall_s": round(self.wall_s, 3),
            "quarantined": [
                {"path": r.path, "content_hash": r.content_hash, "reason": r.reason, "detail": r.detail}
                for r in self.quarantined
            ],
            "warnings": {p: list(w) for p, w in self.warnings.items()},
        }
        if self.prefect_cache:
            outputs["prefect_cache"] = True
        return {"inputs": {"files": len(self.results)}, "outputs": outputs}


def _run_job(job: Job) -> FileResult:
    ensure_warm()  # once per process; a no-op in workers forked from a warm parent
    return analyze_file(job[0], content_hash=job[1])


_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3


def _init_worker(numba_cache: str) -> None:
    configure_numba_cache(Path(numba_cache))
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """Let glibc keep freed memory for reuse in this worker instead of returning it to the kernel.

    Every 10-s block and STFT batch allocates arrays of a few MB. With glibc's adaptive
    thresholds they were given back when freed and faulted in again, zero-filled, for the next
    one: about 1 CPU-second in 11 on the benchmark album. Arrays up to 32 MB now come from the
    heap, which keeps up to 64 MB free. Only pool workers do this: they exist for the analysis.
    Nothing happens where the C library has no ``mallopt`` (not glibc).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 32 * 2**20)
    mallopt(_M_TRIM_THRESHOLD, 64 * 2**20)


def process_pool_map(workers: int, *, start_method: str | None = None) -> MapFn:
    """The default ``map_fn``: a process pool of ``workers``; a crashed worker quarantines its file.

    ``start_method`` defaults to ``fork`` on Linux and to the platform default elsewhere. The
    JIT code is compiled in this process, from a checked cache, before any worker starts
    (``warmup.ensure_warm``): forked workers inherit it and never compile into the shared cache
    at the same time, which can corrupt it; other workers check the cache under its lock.
    """
    method = start_method or ("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    context = multiprocessing.get_context(method)
    cache = str(configure_numba_cache())

    def run(fn: Callable[[Job], FileResult], jobs: Sequence[Job]) -> Iterator[FileResult]:
        """Each file's result as soon as it and those before it are done (progress follows)."""
        if jobs:
            with progress.stage("audio JIT warm-up"):
                ensure_warm()
        if workers <= 1 or len(jobs) <= 1:
            yield from (fn(job) for job in jobs)
            return
        size = min(workers, len(jobs))
        given = 0
        try:
            with ProcessPoolExecutor(
                size, mp_context=context, initializer=_init_worker, initargs=(cache,)
            ) as pool:
                for result in pool.map(fn, jobs):
                    given += 1
                    yield result
        except BrokenProcessPool:
            yield from (_isolated(fn, job, context, cache) for job in jobs[given:])

    return run


def _isolated(fn: Callable[[Job], FileResult], job: Job, context: Any, cache: str) -> FileResult:
    """Run one job in its own process, so a decoder crash only affects its own file."""
    try:
        with ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker, initargs=(cache,)) as pool:
            return pool.submit(fn, job).result()
    except BrokenProcessPool:
        # Not a verdict on the file (a broken JIT cache or memory pressure kill a worker too):
        # quarantined for this run, not cached, so the next run tries it again.
        detail = (
            f"{job[0]}: the analysis process died on this file (decoder crash, or the "
            "environment: JIT cache, memory); tried again next run — if it recurs, re-export it "
            "as WAV or FLAC"
        )
        return quarantined(Path(job[0]), job[1], "crashed", detail)


def analyze_files(
    paths: Sequence[Path | str],
    *,
    settings: Settings | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    map_fn: MapFn | None = None,
    use_cache: bool = True,
) -> AnalysisBatch:
    """Features of every file in ``paths``; cached files are read, the rest computed in parallel.

    Parameters
    ----------
    paths : audio files, any format libsndfile reads.
    settings : gives the default cache folder (``data_dir/cache/audio/features``) and worker count.
    cache_dir : overrides the cache folder.
    workers : process count (default ``settings.audio_workers``; 0 = number of cores).
    map_fn : replaces the process pool, e.g. with a Dask client's map (see module docstring).
    use_cache : False to recompute everything (results are still written to the cache).
    """
    started = time.perf_counter()
    settings = settings or Settings()
    cache = FeatureCache(cache_dir or settings.data_dir / "cache" / "audio" / "features")
    count = workers if workers is not None else settings.audio_workers
    count = count or os.cpu_count() or 1

    results: dict[int, FileResult] = {}
    jobs: list[tuple[int, Job]] = []
    for index, raw in enumerate(paths):
        path = Path(raw)
        key = content_hash(path)
        hit = cache.get(key, path=path) if use_cache else None
        if hit is not None:
            results[index] = hit
        else:
            jobs.append((index, (str(path), key)))

    jobs.sort(key=lambda item: -_size(item[1][0]))  # longest first balances the pool
    run = map_fn or process_pool_map(count)
    with progress.stage("audio analysis", total=len(paths)) as step:
        step.advance(len(paths) - len(jobs))  # read from the cache
        for (index, _), result in zip(jobs, run(_run_job, [job for _, job in jobs]), strict=True):
            results[index] = result
            cache.put(result)
            _SECONDS.observe(result.compute_s)
            step.advance()
        step.note(f"{len(paths)} files, {len(paths) - len(jobs)} from the cache")

    ordered = [results[i] for i in range(len(paths))]
    for r in ordered:
        _FILES.labels(outcome=r.status if r.status != "quarantined" else f"quarantined_{r.reason}").inc()
    return AnalysisBatch(
        results=ordered,
        cache_hits=len(paths) - len(jobs),
        computed=len(jobs),
        wall_s=time.perf_counter() - started,
        warnings={r.path: r.warnings for r in ordered if r.warnings},
    )


AUDIO_EXTENSIONS = frozenset(
    {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".w64", ".rf64"}
)


def find_audio_files(root: Path, *, extensions: frozenset[str] = AUDIO_EXTENSIONS) -> list[Path]:
    """Audio files under ``root`` (recursively, by extension, sorted); hidden folders are skipped."""
    return sorted(
        p
        for p in Path(root).rglob("*")
        if p.is_file()
        and p.suffix.lower() in extensions
        and not any(part.startswith(".") for part in p.parts)
    )


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
