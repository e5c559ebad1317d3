"""Tasks shared by several flows."""

from __future__ import annotations

from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from analytics import validation
from analytics.audit import AuditRun


@task(cache_policy=NO_CACHE)
def validate_dataset(
    frame: pd.DataFrame, *, dataset: str, run: AuditRun, suite: str | None = None
) -> dict[str, Any]:
    """Run the dataset's GX suite and audit the result; on failure nothing downstream runs.

    Raises
    ------
    DatasetValidationError : naming each failed expectation, a sample of bad rows, the evidence.
    """
    try:
        outcome = validation.validate(
            frame, suite=suite or dataset, run_dir=run.run_dir, run_id=run.run_id, dataset=dataset
        )
    except validation.DatasetValidationError as error:
        validation.build_data_docs(run.run_dir, run_id=run.run_id)
        run.record(
            f"validate.{dataset}",
            inputs={"rows": len(frame)},
            validation={dataset: error.outcome.evidence()},
            outcome="failed",
            details={"error": str(error)[:4000]},
        )
        raise
    evidence = outcome.evidence()
    evidence["data_docs"] = str(validation.build_data_docs(run.run_dir, run_id=run.run_id))
    run.record(f"validate.{dataset}", inputs={"rows": len(frame)}, validation={dataset: evidence})
    return evidence


@task(cache_policy=NO_CACHE)
def table_frame(run: AuditRun, table: str) -> pd.DataFrame:
    """A stored table as a frame, for the gate and the run's datasets."""
    return pd.DataFrame(run.warehouse.rows(table))
