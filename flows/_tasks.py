"""Tasks shared by several flows."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date

import pandas as pd
from prefect import task
from sqlalchemy import select

from analytics import validation
from analytics.audit import AuditRun
from flows._steps import audited


@audited("validate.{dataset}")
def validate_dataset(
    frame: pd.DataFrame, *, dataset: str, run: AuditRun, suite: str | None = None
) -> validation.ValidationOutcome:
    """Run the dataset's GX suite and audit the result; on failure nothing downstream runs.

    Raises
    ------
    DatasetValidationError : naming each failed expectation, a sample of bad rows, the evidence.
    """
    try:
        outcome = validation.validate(
            frame, suite=suite or dataset, run_dir=run.run_dir, run_id=run.run_id, dataset=dataset
        )
    finally:  # the Data Docs show a failed suite too
        docs = validation.build_data_docs(run.run_dir, run_id=run.run_id)
    return replace(outcome, data_docs=docs)


@task
def table_frame(run: AuditRun, table: str, *, days: Collection[date] | None = None) -> pd.DataFrame:
    """A stored table as a frame, for the gate and the run's datasets.

    With ``days``, only the rows of those days (the table's ``day`` column): a run checks what it
    touched, not the whole history again. The frame keeps the table's columns even when empty.
    """
    tbl = run.warehouse.table(table)
    query = select(tbl)
    if days is not None:
        query = query.where(tbl.c.day.in_(sorted(days)))
    with run.warehouse.engine.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


@task
def save_datasets(run: AuditRun, frames: dict[str, pd.DataFrame]) -> None:
    """Each frame as ``<run dir>/datasets/<name>.parquet``, where the reports read it."""
    datasets = run.run_dir / "datasets"
    datasets.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(datasets / f"{name}.parquet", index=False)
