"""generate_content: grounded drafts for the artists' period, validated, stored, ready to post."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prefect import flow, task

from analytics import audit, content
from analytics.audit import AuditRun, RunSummary, SetAside
from analytics.config import Settings
from flows._steps import audited
from flows._tasks import save_datasets, validate_dataset
from flows.world import artists_in_scope, world


@audited("facts")
def gather_facts(run: AuditRun, artist_id: str, *, period_start: date, period_end: date) -> content.FactSheet:
    return content.facts_from_warehouse(
        run.warehouse, artist_id, period_start=period_start, period_end=period_end
    )


@task
def write_drafts(
    facts: content.FactSheet,
    *,
    settings: Settings,
    kinds: list[str] | None,
    languages: list[str],
    platforms: list[str] | None,
    seed: int,
) -> list[content.Draft]:
    """Draft with the configured backend; a model draft that fails grounding is replaced."""
    return content.generate_drafts(
        facts,
        kinds=kinds or tuple(content.ContentKind),
        languages=languages,
        platforms=platforms,
        seed=seed,
        backend=content.backend_from_settings(settings),
    )


@task
def set_aside_ungrounded(run: AuditRun, drafts: list[content.Draft], *, artist: str) -> list[content.Draft]:
    """The drafts that passed their fact check; each other one is set aside with its issues.

    A draft even the grounded generator could not fit to the facts (a name the validator reads
    as a link or a placeholder, say) is not stored or posted; the rest of the run goes on and
    ends ``partial``, the audit naming each draft and why.
    """
    run.reject(
        "set_aside.content_drafts",
        (
            SetAside(
                "draft",
                f"{d.kind.value} {d.language} {d.platform} for {artist}",
                d.validation.reason,
            )
            for d in drafts
            if not d.validation.ok
        ),
        fact_sheet_id=drafts[0].fact_sheet_id if drafts else None,
    )
    return [d for d in drafts if d.validation.ok]


@audited("store_drafts")
def store(
    run: AuditRun, drafts: list[content.Draft], facts: content.FactSheet, out_dir: Path
) -> content.StoredDrafts:
    return content.store_and_write_drafts(
        run.warehouse, drafts, facts=facts, out_dir=out_dir, run_id=run.run_id
    )


@flow(name="generate-content", version=audit.code_version())
def generate_content(
    artist_id: str | None = None,
    *,
    kinds: list[str] | None = None,
    languages: list[str] | None = None,
    platforms: list[str] | None = None,
    period_days: int = 7,
    period_end: str | None = None,
    seed: int = 0,
) -> RunSummary:
    """Drafts of every kind × language × platform the artist's facts support.

    ``artist_id`` None: every configured artist (:func:`flows.world.artists_in_scope`), in one
    run. Every number, date and name in a stored draft is checked against the fact sheet; drafts
    also go to ``data/content/<artist>/<period end>/<platform>/`` as ready-to-post text files.
    A draft that fails the check is set aside (audited with its issues, not stored) and the run
    ends ``partial``; the ``content_drafts`` suite then checks the drafts kept.

    Raises
    ------
    MissingInput : the warehouse's catalog does not hold the artist (run ``encore sync`` first);
        nothing is written.
    """
    settings = Settings()
    with world(settings) as w:
        artist_ids = artists_in_scope(w, artist_id)
    end = date.fromisoformat(period_end) if period_end else datetime.now(UTC).date()
    start = end - timedelta(days=period_days - 1)
    languages = languages or list(content.LANGUAGES)
    parameters = {"artist_id": artist_id, "artist_ids": artist_ids, "kinds": kinds, "languages": languages}
    parameters |= {"platforms": platforms, "period": [start.isoformat(), end.isoformat()], "seed": seed}
    with audit.run("generate_content", settings=settings, parameters=parameters) as run:
        totals = dict.fromkeys(("drafts", "drafts_set_aside", "ready_to_post_files"), 0)
        for each in artist_ids:
            facts = gather_facts(run, each, period_start=start, period_end=end)
            written = write_drafts(
                facts, settings=settings, kinds=kinds, languages=languages, platforms=platforms, seed=seed
            )
            drafts = set_aside_ungrounded(run, written, artist=facts.artist.name)
            frame = content.drafts_frame(drafts)
            validate_dataset(frame, dataset="content_drafts", run=run)
            save_datasets(run, {f"content_drafts_{each}": frame})
            stored = store(run, drafts, facts, settings.data_dir / "content" / each / end.isoformat())
            totals["drafts"] += len(drafts)
            totals["drafts_set_aside"] += len(written) - len(drafts)
            totals["ready_to_post_files"] += len(stored.files)
        run.outputs.update(totals)
    return run.summary()
