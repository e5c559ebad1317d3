"""Tasks shared by several flows: validation through the GX gate, storage, run datasets."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from analytics import validation
from analytics.audit import AuditRun


@task(cache_policy=NO_CACHE)
def validate_dataset(frame: pd.DataFrame, *, dataset: str, run: AuditRun, suite: str | None = None) -> dict[str, object]:
    """Run the dataset's suite; raises DatasetValidationError (and nothing is stored) on failure."""
    try:
        outcome = validation.validate(frame, suite=suite or dataset, run_dir=run.run_dir, run_id=run.run_id, dataset=dataset)
    except validation.DatasetValidationError as error:
        run.record(
            f"validate.{dataset}",
            inputs={"rows": len(frame)},
            validation={dataset: {"success": False, "evidence": str(error.result_path)}},
            outcome="failed",
            details={"error": str(error)[:4000]},
        )
        raise
    reference = outcome.reference()
    run.record(f"validate.{dataset}", inputs={"rows": len(frame)}, validation={dataset: reference})
    return reference
