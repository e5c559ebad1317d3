"""update_playlist: curate a playlist from its definition, plan the edits, and apply them safely."""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, task

from analytics import audit, curation
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.observability.terminal import printable
from analytics.spotify import SpotifyApi
from flows._policies import SPOTIFY_TAG, network
from flows._tasks import validate_dataset
from flows.world import World, require_catalog, world


@task(**network(retries=2), tags={SPOTIFY_TAG})
def plan_update(
    client: SpotifyApi, curated: curation.Curated, description: str | None = None
) -> curation.Plan:
    """Read the playlist and plan the edits (reads only: safe to retry)."""
    return curation.make_plan(client, curated, description=description)


@task(tags={SPOTIFY_TAG})
def apply_update(
    run: AuditRun, client: SpotifyApi, plan: curation.Plan, candidates: dict[str, curation.Candidate]
) -> curation.ApplyResult:
    """Apply the plan (never retried blindly: a rerun of the flow re-plans from what is there)."""

    def replanned(new: curation.Plan) -> None:
        run.record(
            "playlist.replan",
            inputs={"playlist_id": new.state.playlist_id, "snapshot_id": new.state.snapshot_id},
            outputs={"before": list(new.state.track_ids), "after": list(new.target), **new.diff.summary()},
            details={"why": "the playlist changed since the plan was made (a hand edit)"},
        )

    return curation.apply_plan(client, plan, candidates=candidates, on_replan=replanned)


LEFT_OUT_SHOWN = 20  # in the printed plan; the audit record keeps every one


def check_playlist_inputs(w: World) -> None:
    """What curating needs, checked before anything is written: a catalog to curate from (the
    warehouse's; the sandbox world before its first sync: the catalog it serves) and Spotify.

    Raises
    ------
    MissingInput : the warehouse holds no catalog yet (real world), or no Spotify credentials.
    """
    if w.catalog is None:
        require_catalog(w.settings)
    w.require_spotify()


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
    with world(settings) as w:
        check_playlist_inputs(w)
        with audit.run(
            "update_playlist", settings=settings, parameters={"definition": str(path), "apply": apply}
        ) as run:
            _update(run, w, spec, path=str(path), apply=apply, print_plan=print_plan)
    return run.summary()


def _update(
    run: AuditRun, w: World, spec: curation.PlaylistDefinition, *, path: str, apply: bool, print_plan: bool
) -> None:
    """Curate, plan, validate, audit and (with ``apply``) apply, inside the open audit run."""
    client = w.spotify
    candidates = curation.load_candidates(run.warehouse, catalog=w.catalog)
    by_id = {c.track_id: c for c in candidates}
    today = datetime.now(UTC).date()
    curated = curation.curate(spec, candidates, today=today)
    generated = (
        curation.content_description(
            curated, warehouse=run.warehouse, today=today, candidates=candidates, catalog=w.catalog
        )
        if spec.description_from == "content"
        else None
    )
    plan = plan_update(client, curated, generated)
    validate_dataset(curation.plan_frame(spec, plan.target, by_id), dataset="playlist_plans", run=run)
    names = {c.track_id: c.name for c in candidates}
    if print_plan:  # the plan for the person who asked for it (the main job only audits it)
        print(plan.render(names))
        for track_id, why in curated.left_out[:LEFT_OUT_SHOWN]:
            print(
                f"  left out: {printable(names.get(track_id, track_id))} ({printable(track_id)}): {printable(why)}"
            )
    run.record(
        "playlist.plan",
        inputs={
            "definition": str(path),
            "playlist_id": plan.state.playlist_id,
            "snapshot_id": plan.state.snapshot_id,
        },
        outputs={"before": list(plan.state.track_ids), "after": list(plan.target), **plan.diff.summary()},
        details={
            "tracks": curated.rows(),
            "left_out": [
                {"track_id": t, "name": names.get(t, t), "why_out": why} for t, why in curated.left_out
            ],
            "sequencing_cost": curated.cost,
            "description": plan.description,
            "description_source": "content generator" if generated else "definition template",
            "creates": plan.creates,
            "apply": apply,
        },
    )
    if apply and not plan.empty:
        result = apply_update(run, client, plan, by_id)
        run.record(
            "playlist.apply",
            inputs={"playlist_id": result.playlist_id},
            outputs={
                "before": result.before,
                "after": result.after,
                "write_requests": result.write_requests,
                "planned_write_requests": result.planned_write_requests,
                "replans": result.replans,
                "verified": result.verified,
            },
            requests={f"{e} {s}": n for (e, s), n in client.request_counts().items()},
        )
    run.outputs.update(
        {
            "tracks": len(plan.target),
            "write_requests_planned": plan.diff.write_requests(),
            "applied": bool(apply and not plan.empty),
        }
    )
