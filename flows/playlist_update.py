"""update_playlist: curate a playlist from its definition, plan the edits, and apply them safely."""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, task

from analytics import audit, curation
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.curation import review
from analytics.spotify import SpotifyApi
from flows._policies import SPOTIFY_TAG, network
from flows._steps import audited
from flows._tasks import validate_dataset
from flows.world import check_playlist_inputs, world


@task(**network(retries=2), tags={SPOTIFY_TAG})
def plan_update(
    client: SpotifyApi, curated: curation.Curated, description: str | None = None
) -> curation.Plan:
    """Read the playlist and plan the edits (reads only: safe to retry)."""
    return curation.make_plan(client, curated, description=description)


@audited("playlist.apply", tags={SPOTIFY_TAG})
def apply_update(
    run: AuditRun, client: SpotifyApi, plan: curation.Plan, proposal: review.Proposal
) -> review.AppliedPlan:
    """Apply the plan (never retried blindly: a rerun of the flow re-plans from what is there);
    each re-plan is audited as it happens."""

    def replanned(new: curation.Plan) -> None:
        run.record("playlist.replan", review.Replan(new))

    return review.apply(client, plan, proposal, on_replan=replanned)


@flow(name="update-playlist", version=audit.code_version())
def update_playlist(definition: str, *, apply: bool = False, print_plan: bool = True) -> RunSummary:
    """Curate the playlist ``definition`` describes; a dry run unless ``apply``.

    Every plan goes through the ``playlist_plans`` expectation suite and into the audit record
    with the track lists before and after; with ``apply`` the edits are sent in chunks of 100
    against the playlist's snapshot and verified. Candidates come from the warehouse's catalog;
    only the sandbox world, before its first sync, curates from the catalog it serves.

    Raises
    ------
    MissingInput : (real world) the warehouse holds no catalog yet, or no Spotify credentials;
        nothing is written.
    """
    settings = Settings()
    path = curation.definition_path(definition)
    spec = curation.load_definition(path)
    parameters = {"definition": str(path), "apply": apply}
    with world(settings) as w:
        check_playlist_inputs(w)
        with audit.run("update_playlist", settings=settings, parameters=parameters) as run:
            today = datetime.now(UTC).date()
            proposal = review.propose(spec, warehouse=run.warehouse, catalog=w.catalog, today=today)
            plan = plan_update(w.spotify, proposal.curated, proposal.description)
            frame = curation.plan_frame(spec, plan.target, proposal.by_id)
            validate_dataset(frame, dataset="playlist_plans", run=run)
            if print_plan:  # the plan for the person who asked for it (the main job only audits it)
                print(review.plan_text(plan, proposal))
            run.record("playlist.plan", review.PlanReview(plan, proposal, definition=str(path), apply=apply))
            applied = apply and not plan.empty
            if applied:
                apply_update(run, w.spotify, plan, proposal)
            run.outputs.update(review.run_outputs(plan, applied=applied))
    return run.summary()
