"""Library batches on a Dask cluster give the same results as on the library's own process pool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analytics.config import PROJECT_ROOT, Settings
from flows._runners import dask_map_fn

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


def test_without_a_scheduler_the_library_keeps_its_own_pool(settings: Settings) -> None:
    with dask_map_fn(settings) as map_fn:
        assert map_fn is None


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
