"""The one Great Expectations context of this process: ephemeral, offline, quiet, reused.

Great Expectations is imported here and only when the first dataset is validated, so that
``import analytics.validation`` stays cheap for commands that never validate anything.
Its usage statistics are switched off before the import (``GX_ANALYTICS_ENABLED=false``
unless the environment already says otherwise), the context lives in memory and writes no
files, and its progress bars are off.
"""

from __future__ import annotations

import os
import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import AbstractDataContext

DATASOURCE_NAME = "encore"
BATCH_DEFINITION_NAME = "whole-frame"
_DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_lock = threading.RLock()
_context: AbstractDataContext | None = None
_batch_definitions: dict[str, BatchDefinition[Any]] = {}


def gx_lock() -> threading.RLock:
    """The lock that serialises use of the shared context (Prefect may run tasks in threads)."""
    return _lock


def check_dataset_name(dataset: str) -> str:
    """``dataset`` if it is usable as a file name and a GX asset name, else ValueError."""
    if not _DATASET_NAME.match(dataset):
        raise ValueError(
            f"dataset name {dataset!r} is not usable: use letters, digits, '_', '.' or '-' "
            "(at most 64, starting with a letter or digit), e.g. 'tracks'"
        )
    return dataset


def get_context() -> AbstractDataContext:
    """The process's ephemeral GX context, created on first use."""
    global _context
    with _lock:
        if _context is None:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            context.data_sources.add_pandas(DATASOURCE_NAME)
            _context = context
        return _context


def batch_definition(dataset: str) -> BatchDefinition[Any]:
    """The whole-dataframe batch definition of ``dataset``'s asset, created once per dataset."""
    check_dataset_name(dataset)
    with _lock:
        found = _batch_definitions.get(dataset)
        if found is None:
            source = get_context().data_sources.get(DATASOURCE_NAME)
            asset = source.add_dataframe_asset(dataset)  # type: ignore[attr-defined]
            found = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
            _batch_definitions[dataset] = found
        return found
