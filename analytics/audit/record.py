"""What a step reports to the audit: one protocol, :class:`Audited`, for every recorded result.

A result type says what its step did by :meth:`Audited.audit_record`: the parts of one audit
record (:class:`AuditRecord`: inputs, outputs, requests, validation evidence, details, outcome,
rows changed). :meth:`analytics.audit.AuditRun.record` takes such a result under the step's
name, so the record of a step is written where its result is made, once, and flows never
build audit dicts by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, runtime_checkable

from analytics.warehouse import UpsertResult


class AuditRecord(TypedDict, total=False):
    """The parts of one audit record a step reports; a part left out is recorded empty.

    Attributes
    ----------
    inputs : what the step was given (counts, ids), never the data itself.
    outputs : what it produced (counts, ids, versions).
    requests : requests by ``"<endpoint> <status>"``, added to the run's totals.
    validation : evidence by dataset (suite, hash, result file).
    details : anything a person reading the record needs to know why.
    outcome : ``ok`` (the default), ``partial`` or ``failed``; the run ends no better.
    changes : rows inserted, updated, unchanged, removed; added to the run's totals and
        recorded among the outputs.
    """

    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]
    requests: Mapping[str, int]
    validation: Mapping[str, Any]
    details: Mapping[str, Any] | None
    outcome: str
    changes: UpsertResult | None


@runtime_checkable
class Audited(Protocol):
    """A result that reports itself to the audit (see :meth:`analytics.audit.AuditRun.record`)."""

    def audit_record(self) -> AuditRecord:
        """The parts of this result's audit record (JSON-ready, no data rows)."""
        ...


@dataclass(frozen=True)
class Skipped:
    """A step that did not run, and why (the input it lacks and what would provide it)."""

    why: str

    def audit_record(self) -> AuditRecord:
        return {"details": {"skipped": self.why}}
