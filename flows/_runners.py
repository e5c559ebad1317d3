"""Where library batches run: a process pool on this machine, or a Dask cluster when one is configured.

``settings.dask_scheduler_address`` (``ENCORE_DASK_SCHEDULER_ADDRESS=tcp://scheduler:8786``)
moves the batches that take a ``map_fn`` (``analytics.audio.analyze_files``) to the cluster: wrap
the call in ``with dask_map_fn(settings) as map_fn:`` — ``None`` means "use the library's own pool".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from analytics.config import Settings

J = TypeVar("J")
R = TypeVar("R")
MapFn = Callable[[Callable[[J], R], Sequence[J]], Iterable[R]]


@contextmanager
def dask_map_fn(
    settings: Settings | None = None, *, address: str | None = None
) -> Iterator[MapFn[Any, Any] | None]:
    """A ``map_fn(fn, jobs)`` that runs ``fn`` over ``jobs`` on the Dask cluster, in order.

    Yields ``None`` when no scheduler is configured (callers then use their default pool).
    The client connects for the duration of the ``with`` block.
    """
    address = address or (settings or Settings()).dask_scheduler_address
    if not address:
        yield None
        return
    from distributed import Client

    with Client(address, set_as_default=False) as client:

        def run(fn: Callable[[J], R], jobs: Sequence[J]) -> list[R]:
            futures = client.map(fn, list(jobs), pure=False)
            return list(client.gather(futures))

        yield run
