"""The append-only, hash-chained audit log of every run.

Each record names the run, trace, flow and task, the code version, a hash of the parameters,
input and output row counts, request counts, a reference to its validation evidence and the
outcome. Each record's hash covers its content and the previous record's hash, so an edited,
deleted or reordered record breaks the chain at a point :func:`verify` names.

What a step records is its result: every recorded result implements :class:`Audited` (its
``audit_record()`` returns the record's parts, :class:`AuditRecord`), and
``run.record(step, result)`` writes it.
"""

from analytics.audit.chain import (
    AuditEntry,
    ChainProblem,
    VerifyReport,
    append,
    code_version,
    parameters_hash,
    read_entries,
    verify,
)
from analytics.audit.key import audit_key
from analytics.audit.lock import RunLocked, warehouse_lock
from analytics.audit.record import Audited, AuditRecord, Skipped
from analytics.audit.run import AuditRun, JobRun, RunSummary, SetAside, run

__all__ = [
    "AuditEntry",
    "AuditRecord",
    "AuditRun",
    "Audited",
    "ChainProblem",
    "JobRun",
    "RunLocked",
    "RunSummary",
    "SetAside",
    "Skipped",
    "VerifyReport",
    "append",
    "audit_key",
    "code_version",
    "parameters_hash",
    "read_entries",
    "run",
    "verify",
    "warehouse_lock",
]
