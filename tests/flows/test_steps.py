"""flows._steps.audited: a library call as a Prefect task whose result is recorded under its step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from prefect import flow

from analytics import audit
from analytics.audit import AuditRecord, AuditRun
from analytics.config import Settings
from analytics.warehouse import Warehouse
from flows._steps import audited


@dataclass(frozen=True)
class Counted:
    artist_id: str
    n: int

    def audit_record(self) -> AuditRecord:
        return {"inputs": {"artist_id": self.artist_id}, "outputs": {"n": self.n}}


class Refused(Exception):
    """An error that reports itself, as a failed suite does."""

    def audit_record(self) -> AuditRecord:
        return {"outcome": "failed", "details": {"error": str(self)}}


@audited("count.{artist[artist_id]}")
def count(run: AuditRun, artist: dict[str, str], *, n: int) -> Counted | None:
    return Counted(artist["artist_id"], n) if n else None


@audited("refuse")
def refuse(run: AuditRun) -> Counted:
    raise Refused("no such artist")


@audited("unaudited")
def unaudited(run: AuditRun) -> Any:
    return {"n": 1}


def _records(run: AuditRun) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [(r["task"], r["outcome"], r["outputs"], r["details"]) for r in run.records[1:]]


def test_a_step_records_its_result_under_its_name_and_returns_it(
    sqlite_warehouse: Warehouse, settings: Settings
) -> None:
    @flow
    def a_flow(run: AuditRun) -> list[str]:
        counted = count(run, {"artist_id": "a1"}, n=3, return_state=True)
        nothing = count(run, {"artist_id": "a2"}, n=0, return_state=True)
        return [counted.name, str(counted.result()), nothing.name, str(nothing.result())]

    with audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run:
        states = a_flow(run)
        assert _records(run) == [("count.a1", "ok", {"n": 3}, {})]  # None: nothing to record
    assert states == ["Completed", "Counted(artist_id='a1', n=3)", "Completed", "None"]
    assert run.records[1]["inputs"] == {"artist_id": "a1"}
    assert count.task_run_name == "count.{artist[artist_id]}"


def test_an_error_that_reports_itself_is_recorded_and_raised(
    sqlite_warehouse: Warehouse, settings: Settings
) -> None:
    @flow
    def a_flow(run: AuditRun) -> None:
        refuse(run)

    with audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run:
        with pytest.raises(Refused):
            a_flow(run)
        assert _records(run) == [("refuse", "failed", {}, {"error": "no such artist"})]
    assert run.outcome == "failed"


def test_a_result_that_does_not_report_itself_is_refused(
    sqlite_warehouse: Warehouse, settings: Settings
) -> None:
    @flow
    def a_flow(run: AuditRun) -> None:
        unaudited(run)

    with audit.run("a_flow", settings=settings, warehouse=sqlite_warehouse) as run:
        with pytest.raises(TypeError, match="'unaudited' returned a dict, which has no audit_record"):
            a_flow(run)
        assert _records(run) == []


def test_a_step_takes_the_run() -> None:
    def no_run(warehouse: Warehouse) -> None:
        return None

    with pytest.raises(TypeError, match="takes the run as its 'run' parameter"):
        audited("nowhere")(no_run)
