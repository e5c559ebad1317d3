"""What a curation run proposes, shows a person and reports to the audit.

:func:`propose` curates a definition from the candidates (with the content generator's
description when the definition asks for it); :func:`plan_text` is the dry run a person reads;
:class:`PlanReview`, :class:`AppliedPlan` and :class:`Replan` report the plan, the apply and each
re-plan to the audit, with the track lists before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from analytics.curation.apply import ApplyResult, Plan, apply_plan
from analytics.curation.candidates import Candidate
from analytics.curation.curate import Curated, curate
from analytics.curation.definition import PlaylistDefinition
from analytics.curation.description import content_description
from analytics.curation.sources import load_candidates
from analytics.observability.terminal import printable
from analytics.warehouse import Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord
    from analytics.spotify import SpotifyApi

LEFT_OUT_SHOWN = 20  # in the printed plan; the audit record keeps every one


@dataclass(frozen=True)
class Proposal:
    """A curated target with the candidates it was chosen from.

    ``description`` is the content generator's (None: the definition's template is used).
    """

    curated: Curated
    candidates: Sequence[Candidate]
    description: str | None = None

    @property
    def by_id(self) -> dict[str, Candidate]:
        return {c.track_id: c for c in self.candidates}

    @property
    def names(self) -> dict[str, str]:
        return {c.track_id: c.name for c in self.candidates}


def propose(
    definition: PlaylistDefinition,
    *,
    warehouse: Warehouse,
    catalog: Mapping[str, Any] | None = None,
    today: date,
) -> Proposal:
    """Curate ``definition`` as of ``today`` from every track of the warehouse's catalog (or of
    ``catalog`` when it holds none, see :func:`~analytics.curation.sources.load_candidates`);
    with ``description_from: content`` the description is written from the warehouse's facts
    (see :func:`~analytics.curation.description.content_description`)."""
    candidates = load_candidates(warehouse, catalog=catalog)
    curated = curate(definition, candidates, today=today)
    generated = (
        content_description(curated, warehouse=warehouse, today=today, candidates=candidates, catalog=catalog)
        if definition.description_from == "content"
        else None
    )
    return Proposal(curated, candidates, generated)


def plan_text(plan: Plan, proposal: Proposal, *, shown: int = LEFT_OUT_SHOWN) -> str:
    """The plan for a person: the edits, then why each of the first ``shown`` strong tracks was
    left out (control characters from data shown as escapes)."""
    names = proposal.names
    lines = [plan.render(names)]
    for track_id, why in proposal.curated.left_out[:shown]:
        lines.append(
            f"  left out: {printable(names.get(track_id, track_id))} ({printable(track_id)}): {printable(why)}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class PlanReview:
    """A plan as the audit keeps it: the plan, the proposal it came from, the definition file and
    whether the run was asked to apply it."""

    plan: Plan
    proposal: Proposal
    definition: str
    apply: bool

    def audit_record(self) -> AuditRecord:
        """The ``playlist.plan`` record: the playlist, the tracks before and after, the diff, every
        track's reasons, every track left out and why, and where the description came from."""
        plan, proposal = self.plan, self.proposal
        names = proposal.names
        curated = proposal.curated
        return {
            "inputs": {
                "definition": self.definition,
                "playlist_id": plan.state.playlist_id,
                "snapshot_id": plan.state.snapshot_id,
            },
            "outputs": {
                "before": list(plan.state.track_ids),
                "after": list(plan.target),
                **plan.diff.summary(),
            },
            "details": {
                "tracks": curated.rows(),
                "left_out": [
                    {"track_id": t, "name": names.get(t, t), "why_out": why} for t, why in curated.left_out
                ],
                "sequencing_cost": curated.cost,
                "description": plan.description,
                "description_source": "content generator" if proposal.description else "definition template",
                "creates": plan.creates,
                "apply": self.apply,
            },
        }


@dataclass(frozen=True)
class Replan:
    """A plan made again because the playlist changed since the first was made (a hand edit)."""

    plan: Plan

    def audit_record(self) -> AuditRecord:
        """The ``playlist.replan`` record: the playlist's snapshot, the tracks before and after, the diff."""
        plan = self.plan
        return {
            "inputs": {"playlist_id": plan.state.playlist_id, "snapshot_id": plan.state.snapshot_id},
            "outputs": {
                "before": list(plan.state.track_ids),
                "after": list(plan.target),
                **plan.diff.summary(),
            },
            "details": {"why": "the playlist changed since the plan was made (a hand edit)"},
        }


@dataclass(frozen=True)
class AppliedPlan:
    """An applied plan, with the requests the client had made by then (endpoint, status -> count)."""

    result: ApplyResult
    requests: Mapping[tuple[str, str], int]

    def audit_record(self) -> AuditRecord:
        """The ``playlist.apply`` record: tracks before and after, the writes planned and sent, the
        re-plans, whether the result was verified, and the requests by endpoint and status."""
        result = self.result
        return {
            "inputs": {"playlist_id": result.playlist_id},
            "outputs": {
                "before": result.before,
                "after": result.after,
                "write_requests": result.write_requests,
                "planned_write_requests": result.planned_write_requests,
                "replans": result.replans,
                "verified": result.verified,
            },
            "requests": {f"{e} {s}": n for (e, s), n in self.requests.items()},
        }


def apply(
    client: SpotifyApi, plan: Plan, proposal: Proposal, *, on_replan: Callable[[Plan], None] | None = None
) -> AppliedPlan:
    """Apply ``plan`` (:func:`~analytics.curation.apply.apply_plan`, re-planning from the proposal's
    candidates if the playlist changed, each re-plan passed to ``on_replan``)."""
    result = apply_plan(client, plan, candidates=proposal.by_id, on_replan=on_replan)
    return AppliedPlan(result, client.request_counts())


def run_outputs(plan: Plan, *, applied: bool) -> dict[str, Any]:
    """The run's closing outputs: tracks in the target, writes planned, whether they were sent."""
    return {
        "tracks": len(plan.target),
        "write_requests_planned": plan.diff.write_requests(),
        "applied": applied,
    }
