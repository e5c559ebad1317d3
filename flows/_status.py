"""``encore status``: the last runs and their outcome, open alerts, the warehouse's size and, when a
Prefect server is configured, the next scheduled runs.

Read-only and quick: nothing is created or migrated (a warehouse not there yet is said so),
and no Prefect server is started — the schedules are read only from the server that
``PREFECT_API_URL`` names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from analytics.config import MissingInput, Settings
from analytics.warehouse import Warehouse
from analytics.warehouse.models import AuditRecord

RECENT_RECORDS = 500  # audit records read to find the last runs' closing records


@dataclass(frozen=True)
class RunLine:
    flow: str
    run_id: str
    outcome: str
    at: str
    message: str


@dataclass(frozen=True)
class AlertLine:
    artist_id: str
    severity: str
    summary: str
    fired_at: str


@dataclass
class Status:
    """What ``encore status`` shows."""

    warehouse: str
    exists: bool
    size_bytes: int | None = None
    runs: list[RunLine] = field(default_factory=list)
    alerts: list[AlertLine] = field(default_factory=list)
    open_alerts: int = 0
    latest: str | None = None  # the run data/runs/latest names
    schedule: list[tuple[str, str, str]] | None = None  # (when, deployment, flow run); None: no server
    schedule_error: str | None = None


def warehouse_exists(settings: Settings) -> bool:
    """False for a SQLite warehouse whose file is not there yet (no run has written it)."""
    if settings.database_url:
        return True
    return (settings.data_dir / "encore.sqlite").is_file()


def require_warehouse(settings: Settings, *, then: str) -> None:
    """Refuse (:class:`MissingInput`) when :func:`warehouse_exists` is False, naming where the
    warehouse was looked for and, in ``then``, what to do."""
    if not warehouse_exists(settings):
        raise MissingInput(
            f"no warehouse yet at {settings.data_dir / 'encore.sqlite'}: {then}", setting="ENCORE_DATA_DIR"
        )


def warehouse_size(warehouse: Warehouse, settings: Settings) -> int | None:
    """The database's size in bytes: the SQLite file (with its WAL), or PostgreSQL's own figure."""
    if warehouse.dialect == "sqlite":
        base = settings.data_dir / "encore.sqlite"
        return sum(p.stat().st_size for p in (base, Path(f"{base}-wal")) if p.exists())
    if warehouse.dialect == "postgresql":
        with warehouse.engine.connect() as conn:
            return int(conn.execute(text("select pg_database_size(current_database())")).scalar_one())
    return None


def last_runs(warehouse: Warehouse, *, limit: int = 8) -> list[RunLine]:
    """The newest runs' closing records (flow, outcome, when, message), newest first; the main
    job's sub-jobs (its records name their runs) are part of its line."""
    with warehouse.session() as session:
        rows = session.execute(
            select(AuditRecord.body, AuditRecord.created_at)
            .order_by(AuditRecord.seq.desc())
            .limit(RECENT_RECORDS)
        ).all()
    runs = []
    inside: set[str] = set()  # the main job's sub-jobs: listed as part of it, not on their own
    for body, created_at in rows:
        record = json.loads(body)
        if record.get("flow") == "pipeline" and record.get("task") != "run":
            inside.add(str((record.get("outputs") or {}).get("run_id", "")))
        if record.get("task") != "run" or record.get("run_id") in inside:
            continue
        details = record.get("details") or {}
        message = str(details.get("message") or details.get("error") or "")
        runs.append(
            RunLine(
                flow=str(record.get("flow", "")),
                run_id=str(record.get("run_id", "")),
                outcome=str(record.get("outcome", "")),
                at=str(created_at)[:19].replace("T", " "),
                message=message,
            )
        )
        if len(runs) >= limit:
            break
    return runs


def firing_alerts(warehouse: Warehouse, *, limit: int = 5) -> tuple[int, list[AlertLine]]:
    """How many alerts are open (firing), and the newest ``limit`` of them."""
    from analytics.monitoring.tables import AlertRow

    if "monitoring_alerts" not in warehouse.table_names():
        return 0, []
    with warehouse.session() as session:
        count = session.scalar(select(func.count()).where(AlertRow.status == "firing")) or 0
        rows = session.scalars(
            select(AlertRow)
            .where(AlertRow.status == "firing")
            .order_by(AlertRow.fired_at.desc())
            .limit(limit)
        ).all()
        lines = [
            AlertLine(
                artist_id=a.artist_id,
                severity=str(a.severity),
                summary=str(a.summary),
                fired_at=str(a.fired_at)[:16],
            )
            for a in rows
        ]
    return int(count), lines


def open_alerts(settings: Settings) -> int:
    """The number of firing alerts in the warehouse (0 when there is none yet)."""
    if not warehouse_exists(settings):
        return 0
    warehouse = Warehouse.from_settings(settings)
    try:
        return firing_alerts(warehouse, limit=0)[0]
    finally:
        warehouse.dispose()


def next_scheduled(*, limit: int = 5, timeout_s: float = 5.0) -> list[tuple[str, str, str]]:
    """The next scheduled flow runs on the server ``PREFECT_API_URL`` names: (when, deployment
    id or name, flow run name), soonest first."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.settings import PREFECT_API_REQUEST_TIMEOUT, temporary_settings

    with (
        temporary_settings(updates={PREFECT_API_REQUEST_TIMEOUT: timeout_s}),
        get_client(sync_client=True) as client,
    ):
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=limit,
        )
        names: dict[Any, str] = {}
        for run in runs:
            if run.deployment_id is not None and run.deployment_id not in names:
                names[run.deployment_id] = client.read_deployment(run.deployment_id).name
    out = []
    for run in runs:
        when = run.expected_start_time or run.next_scheduled_start_time
        stamp = when.strftime("%Y-%m-%d %H:%M %Z") if isinstance(when, datetime) else "?"
        out.append((stamp, names.get(run.deployment_id, "-"), run.name))
    return out


def gather(settings: Settings) -> Status:
    """Everything ``encore status`` shows, read without writing anything."""
    from sqlalchemy.engine import make_url

    shown = make_url(settings.warehouse_url).render_as_string(hide_password=True)
    status = Status(warehouse=shown, exists=warehouse_exists(settings))
    latest = settings.data_dir / "runs" / "latest"
    if latest.exists():
        status.latest = latest.resolve().name
    if status.exists:
        warehouse = Warehouse.from_settings(settings)
        try:
            status.size_bytes = warehouse_size(warehouse, settings)
            if "audit_records" in warehouse.table_names():
                status.runs = last_runs(warehouse)
            status.open_alerts, status.alerts = firing_alerts(warehouse)
        finally:
            warehouse.dispose()
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        try:
            status.schedule = next_scheduled()
        except Exception as error:  # the server is down or unreachable: say so, show the rest
            status.schedule_error = (
                f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            )
    return status
