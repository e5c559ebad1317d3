"""Fan-outs on a Dask cluster (prefect-dask) give the same results as on the default runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from prefect import flow, task

from analytics import catalog, demo
from analytics.config import PROJECT_ROOT, Settings
from flows._runners import dask_map_fn, task_runner_from_settings

EXCERPTS = sorted((PROJECT_ROOT / "analytics" / "demo" / "audio").glob("*.ogg"))[:2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A scheduler and two single-threaded workers over TCP on loopback (in this process: fast to start)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@task
def artist_frames(artist_id: str) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """One artist's catalog frames (a pure library transform), and the Dask worker that made them."""
    from distributed import get_worker

    frames = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=[artist_id], quota_mode="extended")
    try:
        where = get_worker().address
    except ValueError:
        where = "not on dask"
    return {name: frame.to_dict("records") for name, frame in frames.items()}, where


@flow
def fan_out(artist_ids: list[str]) -> list[tuple[dict[str, list[dict[str, Any]]], str]]:
    return [future.result() for future in artist_frames.map(artist_ids)]


def test_without_a_scheduler_the_default_thread_pool_runs_tasks(settings: Settings) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner

    assert isinstance(task_runner_from_settings(settings), ThreadPoolTaskRunner)
    with dask_map_fn(settings) as map_fn:
        assert map_fn is None


def test_dask_task_runner_gives_the_default_runs_results(cluster: Any, settings: Settings) -> None:
    from prefect_dask import DaskTaskRunner

    artist_ids = [a["id"] for a in demo.load_catalog()["artists"]]
    default = fan_out.with_options(task_runner=task_runner_from_settings(settings))(artist_ids)
    on_dask = settings.model_copy(update={"dask_scheduler_address": cluster.scheduler_address})
    runner = task_runner_from_settings(on_dask)
    assert isinstance(runner, DaskTaskRunner)
    distributed = fan_out.with_options(task_runner=runner)(artist_ids)

    assert [frames for frames, _ in distributed] == [frames for frames, _ in default]
    assert all(frames["tracks"] for frames, _ in default[:2]), "the demo artists have tracks"
    workers = set(cluster.scheduler_info["workers"])
    assert {where for _, where in distributed} <= workers, "tasks did not run on the Dask workers"
    assert {where for _, where in default} == {"not on dask"}


def test_analyze_files_on_dask_equals_the_process_pool(
    cluster: Any, settings: Settings, tmp_path: Path
) -> None:
    from analytics.audio import analyze_files

    local = analyze_files(EXCERPTS, settings=settings, cache_dir=tmp_path / "a", workers=1)
    with dask_map_fn(address=cluster.scheduler_address) as map_fn:
        assert map_fn is not None
        remote = analyze_files(EXCERPTS, settings=settings, cache_dir=tmp_path / "b", map_fn=map_fn)
    assert remote.computed == len(EXCERPTS)
    cols = [c for c in local.features.columns if c not in ("path",)]
    numeric = local.features[cols].select_dtypes("number").columns
    labels = [c for c in cols if c not in numeric]
    assert remote.features[labels].equals(local.features[labels])
    # Same computation in another process: equal up to floating-point summation order.
    pd.testing.assert_frame_equal(remote.features[numeric], local.features[numeric], rtol=1e-6, atol=1e-9)
