"""The ``encore`` command line: the same flows users schedule, run by hand."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from analytics.audit.lock import RunLocked
from analytics.config import MissingInput
from analytics.observability.terminal import printable

for _name, _value in (
    ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
    ("DO_NOT_TRACK", "1"),
    ("GX_ANALYTICS_ENABLED", "false"),
    ("PREFECT_LOGGING_LEVEL", "WARNING"),
    # A busy 2-core machine can take longer than Prefect's default 20 s to start its local API.
    ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180"),
):
    os.environ.setdefault(_name, _value)


def say(message: str, *, err: bool = False) -> None:
    """Print a line (or lines) for a person: control characters from data shown as escapes."""
    typer.echo(printable(message, keep_newlines=True), err=err)


class _Commands(TyperGroup):
    """Every command of ``encore`` (sub-commands too): a missing input or an invalid setting is
    one short message and exit code 2, never a traceback."""

    def invoke(self, ctx: typer.Context) -> object:
        with inputs_checked():
            return super().invoke(ctx)


app = typer.Typer(
    cls=_Commands,
    name="encore",
    help="encore: the data and operations back office of an independent artist or small label on Spotify.",
    no_args_is_help=True,
    add_completion=True,  # `encore --install-completion` (README, "Shell completion")
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

INPUT_MISSING = 2  # exit code: an input or a setting is missing or invalid; nothing was written
RUN_REFUSED = 1  # exit code: another run holds the warehouse; nothing was written


class _QuietMissingInput(logging.Filter):
    """Drop Prefect's traceback of a flow that stopped on a missing input: the CLI says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, MissingInput | RunLocked)


def settings_problem(error: ValidationError) -> str:
    """One line per invalid setting: which ``ENCORE_*`` variable and what is wrong with it."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(message if "ENCORE_" in message else f"ENCORE_{name.upper()}: {message}")
    return "\n".join(lines)


@contextmanager
def inputs_checked() -> Iterator[None]:
    """A missing input or an invalid setting: one short message and exit code 2; a warehouse
    another run holds: one short message and exit code 1."""
    quiet = _QuietMissingInput()
    logger = logging.getLogger("prefect.flow_runs")
    logger.addFilter(quiet)
    try:
        yield
    except MissingInput as error:
        say(f"encore: {error}", err=True)
        raise typer.Exit(code=INPUT_MISSING) from None
    except ValidationError as error:
        say(f"encore: invalid settings: {settings_problem(error)}", err=True)
        raise typer.Exit(code=INPUT_MISSING) from None
    except RunLocked as error:
        say(f"encore: {error}", err=True)
        raise typer.Exit(code=RUN_REFUSED) from None
    finally:
        logger.removeFilter(quiet)


@app.command()
def run(
    artist: Annotated[
        list[str] | None, typer.Option("--artist", "-a", help="Spotify artist id (repeatable).")
    ] = None,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="Skip the HTML reports.")] = False,
) -> None:
    """Run the main job (the `pipeline` flow) and print where the HTML reports are."""
    from analytics.config import Settings
    from flows.data_sync import artists_to_sync
    from flows.pipeline import pipeline
    from flows.world import world

    with world(Settings()) as w:
        ids = artists_to_sync(w, artist)  # inputs checked before Prefect starts or anything is written
        result = pipeline(artist_ids=ids, reports=not no_reports)
    say(f"run {result.run_id}: {result.outcome} — {result.message}")
    say(f"evidence: {result.run_dir}")
    for job, why in result.skipped.items():
        say(f"skipped {job}: {why}")
    for page in result.reports:
        say(f"report: {page}")
    if result.reports:
        say(f"all reports: {Path(result.reports[0]).parents[2] / 'index.html'}")


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
    from analytics.config import Settings
    from flows.data_sync import artists_to_sync, sync_artist_data
    from flows.world import world

    with world(Settings()) as w:
        ids = artists_to_sync(w, artist)
        report = sync_artist_data(ids, full=full)
    say(report.message)
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
    from analytics.config import Settings
    from flows.playlist_update import check_playlist_inputs, update_playlist
    from flows.world import world

    with world(Settings()) as w:
        check_playlist_inputs(w)
        summary = update_playlist(definition, apply=apply)
    say(str(summary))


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
    say(str(report))
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
            say(json.dumps(entry, ensure_ascii=False))
    finally:
        warehouse.dispose()


def main() -> None:  # pragma: no cover
    app(sys.argv[1:])
