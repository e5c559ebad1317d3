"""The ``encore`` command line: the same flows users schedule, run by hand."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

for _name, _value in (
    ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
    ("DO_NOT_TRACK", "1"),
    ("GX_ANALYTICS_ENABLED", "false"),
    ("PREFECT_LOGGING_LEVEL", "WARNING"),
    # A busy 2-core machine can take longer than Prefect's default 20 s to start its local API.
    ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180"),
):
    os.environ.setdefault(_name, _value)

app = typer.Typer(
    name="encore",
    help="encore: the data and operations back office of an independent artist or small label on Spotify.",
    no_args_is_help=True,
    add_completion=False,
)
audit_app = typer.Typer(help="Inspect and verify the hash-chained audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

try:  # the sandbox commands live with the sandbox
    from analytics.sandbox.cli import app as sandbox_app

    app.add_typer(sandbox_app, name="sandbox", help="Run the loopback Spotify sandbox.")
except ImportError:  # pragma: no cover - only while the sandbox package is absent
    pass

from analytics.monitoring.cli import app as monitor_app  # noqa: E402

app.add_typer(monitor_app, name="monitor", help="Monitor the artists: live alerts, one-off checks, delivery.")


@app.command()
def run(
    artist: Annotated[
        list[str] | None, typer.Option("--artist", "-a", help="Spotify artist id (repeatable).")
    ] = None,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="Skip the HTML reports.")] = False,
) -> None:
    """Run the main job (the `pipeline` flow) and print where the HTML reports are."""
    from flows.pipeline import pipeline

    result = pipeline(artist_ids=artist or None, reports=not no_reports)
    typer.echo(f"run {result.run_id}: {result.outcome} — {result.message}")
    typer.echo(f"evidence: {result.run_dir}")
    for page in result.reports:
        typer.echo(f"report: {page}")
    if result.reports:
        typer.echo(f"all reports: {Path(result.reports[0]).parents[2] / 'index.html'}")


@app.command()
def sync(
    artist: Annotated[
        list[str] | None, typer.Argument(help="Spotify artist ids; default: configured or followed.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-read everything (still writes only differences).")
    ] = False,
) -> None:
    """Sync the catalog from Spotify incrementally (the `sync_artist_data` flow)."""
    from flows.data_sync import sync_artist_data

    report = sync_artist_data(artist or None, full=full)
    typer.echo(report.message)
    if report.outcome == "partial":
        raise typer.Exit(code=3)


@app.command("playlist")
def playlist(
    definition: Annotated[str, typer.Argument(help="A name in config/playlists/ or a YAML file.")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Change Spotify; without it, only print the plan.")
    ] = False,
) -> None:
    """Curate one playlist from its definition: plan, explain, and (with --apply) update it."""
    from flows.playlist_update import update_playlist

    summary = update_playlist(definition, apply=apply)
    typer.echo(str(summary))


@audit_app.command("verify")
def audit_verify() -> None:
    """Check every audit record's hash and link; name any edited, deleted or reordered record."""
    from analytics.audit import audit_key, verify
    from analytics.config import Settings
    from analytics.warehouse import Warehouse

    settings = Settings()
    warehouse = Warehouse.from_settings(settings)
    try:
        warehouse.migrate()
        report = verify(warehouse, head_dir=settings.data_dir, key=audit_key(settings))
    finally:
        warehouse.dispose()
    typer.echo(str(report))
    if not report.ok:
        raise typer.Exit(code=1)


@audit_app.command("show")
def audit_show(
    run_id: Annotated[str | None, typer.Option(help="Only this run's records.")] = None,
    last: Annotated[int, typer.Option(help="How many records, newest last.")] = 20,
) -> None:
    """Print audit records as JSON lines."""
    import json

    from analytics.audit import read_entries
    from analytics.config import Settings
    from analytics.warehouse import Warehouse

    warehouse = Warehouse.from_settings(Settings())
    try:
        warehouse.migrate()
        for entry in read_entries(warehouse, run_id=run_id)[-last:]:
            typer.echo(json.dumps(entry, ensure_ascii=False))
    finally:
        warehouse.dispose()


def main() -> None:  # pragma: no cover
    app(sys.argv[1:])
