"""The ``encore`` command line: the same flows users schedule, run by hand."""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
import typing
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from analytics.audit.lock import RunLocked
from analytics.config import InvalidInput, MissingInput
from analytics.observability.terminal import printable
from flows import _status
from flows._console import RunLogFile, TerminalDisplay
from flows._lifetime import prefect_home_ready

if TYPE_CHECKING:
    from flows.pipeline import PipelineResult

for _name, _value in (
    ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
    ("DO_NOT_TRACK", "1"),
    ("GX_ANALYTICS_ENABLED", "false"),
    ("PREFECT_LOGGING_LEVEL", "WARNING"),
    # No task caches its result unless it names a cache policy (flows/_policies.py).
    ("PREFECT_TASKS_DEFAULT_NO_CACHE", "true"),
    # A busy 2-core machine can take longer than Prefect's default 20 s to start its local API.
    ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180"),
):
    os.environ.setdefault(_name, _value)


class _Session:
    """How this invocation talks to a person: the terminal display (None elsewhere), ``--debug``."""

    display: TerminalDisplay | None = None
    debug: bool = False
    terminal = False
    log_file: Path | None = None
    log_elsewhere = "the log lines on stdout have the traceback"


session = _Session()


def say(message: str, *, err: bool = False) -> None:
    """Print a line (or lines) for a person: control characters from data shown as escapes;
    at a terminal, above the progress bars."""
    if session.display is not None and not err:
        session.display.say(message)
    else:
        typer.echo(printable(message, keep_newlines=True), err=err)


class _Commands(TyperGroup):
    """Every command of ``encore`` (sub-commands too): the settings checked before anything starts,
    the terminal display or the log lines set up, and every error one short message with its exit
    code (:func:`inputs_checked`), never a traceback unless ``--debug``."""

    def invoke(self, ctx: typer.Context) -> object:
        session.debug = bool(ctx.params.get("debug"))
        with inputs_checked(), output_for(str(ctx.params.get("log_format") or "auto")):
            prefect_home_ready()
            return super().invoke(ctx)


app = typer.Typer(
    cls=_Commands,
    name="encore",
    help="encore: the data and operations back office of an independent artist or small label on Spotify.",
    no_args_is_help=True,
    add_completion=True,  # `encore --install-completion` (README, "Shell completion")
)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Print the traceback of an error (the run's log always has it).")
    ] = False,
    log_format: Annotated[
        str,
        typer.Option(
            "--log-format",
            help="auto: progress at a terminal and JSON logs in the run's folder, JSON logs on stdout "
            "elsewhere; json or console: log lines on stdout in that format, no progress display.",
        ),
    ] = "auto",
) -> None:
    """encore: the data and operations back office of an independent artist or small label on Spotify."""


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
RUN_FAILED = 1  # exit code: the work failed; the run's log says why
LOG_FORMATS = ("auto", "json", "console")


def artist_ids_given(values: list[str] | None) -> list[str] | None:
    """Artist ids, ``spotify:artist:`` URIs or open.spotify.com URLs given on the command line, as
    bare ids (:func:`analytics.spotify.ids.artist_ids_given`; imported when a command needs it)."""
    from analytics.spotify.ids import artist_ids_given as normalised

    return normalised(values)


class _QuietMissingInput(logging.Filter):
    """Drop Prefect's traceback of a flow that stopped on a missing input: the CLI says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, MissingInput | InvalidInput | RunLocked)


def settings_problem(error: ValidationError) -> str:
    """One line per invalid setting: which ``ENCORE_*`` variable, the value given and what is wrong."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        given = problem.get("input")
        shown = f"={given!r}" if isinstance(given, str | int | float) else ""
        lines.append(message if "ENCORE_" in message else f"ENCORE_{name.upper()}{shown}: {message}")
    return "\n".join(lines)


def unparsable_setting(error: SettingsError) -> str:
    """A setting pydantic-settings could not even parse (a list or mapping that is not JSON)."""
    from analytics.config import Settings

    found = re.search(r'field "(\w+)"', str(error))
    if not found:
        return f"invalid settings: {error}"
    name = found.group(1)
    variable = f"ENCORE_{name.upper()}"
    given = os.environ.get(variable)
    field = Settings.model_fields.get(name)
    wanted = "a JSON value"
    if field is not None:
        origin = typing.get_origin(field.annotation) or field.annotation
        if origin in (list, tuple, set):
            wanted = f"a JSON list, e.g. {variable}='[\"YQhOGXX8g2pM1yHEFVFAjK\"]'"
        elif origin is dict:
            wanted = f'a JSON object, e.g. {variable}=\'{{"key": "value"}}\''
    shown = f"={given!r}" if given is not None else ""
    return f"{variable}{shown} is not valid: {wanted}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _refused(message: str, code: int) -> typer.Exit:
    say(f"encore: {message}", err=True)
    return typer.Exit(code=code)


@contextmanager
def inputs_checked() -> Iterator[None]:
    """Every error as one short message and an exit code: a missing or invalid input or setting
    2 (nothing was written), a warehouse another run holds 1, any other failure 1 with where its
    traceback is (``--debug`` prints it too)."""
    from analytics.curation.definition import DefinitionError

    quiet = _QuietMissingInput()
    logger = logging.getLogger("prefect.flow_runs")
    logger.addFilter(quiet)
    try:
        yield
    except (typer.Exit, typer.TyperException, typer.Abort):
        raise
    except (MissingInput, InvalidInput, DefinitionError) as error:
        _debug_traceback()
        raise _refused(str(error), INPUT_MISSING) from None
    except ValidationError as error:
        _debug_traceback()
        raise _refused(f"invalid settings: {settings_problem(error)}", INPUT_MISSING) from None
    except SettingsError as error:
        _debug_traceback()
        raise _refused(unparsable_setting(error), INPUT_MISSING) from None
    except RunLocked as error:
        _debug_traceback()
        raise _refused(str(error), RUN_REFUSED) from None
    except KeyboardInterrupt:
        raise _refused("stopped (Ctrl-C); every job is idempotent: run it again", 130) from None
    except Exception as error:
        _debug_traceback()
        where = f"the traceback is in {session.log_file}" if session.log_file else session.log_elsewhere
        hint = "" if session.debug else "; --debug prints it"
        raise _refused(f"failed: {_first_line(error)}\n{where}{hint}", RUN_FAILED) from None
    finally:
        logger.removeFilter(quiet)


def _debug_traceback() -> None:
    if session.debug:
        traceback.print_exc(file=sys.stderr)


def _prefect_defaults() -> None:
    """Apply the defaults above to Prefect, which read its settings when ``flows`` imported it
    (before this module set them): the logger levels and the local API's start-up timeout."""
    for name in ("prefect", "prefect.extra", "prefect.client", "prefect.infrastructure"):
        logging.getLogger(name).setLevel(os.environ["PREFECT_LOGGING_LEVEL"].upper())


def _log_failure(error: BaseException) -> None:
    """A failure's traceback into the log; a refused input or an exit is no failure (one line said it)."""
    from analytics.curation.definition import DefinitionError

    refused = (
        MissingInput,
        InvalidInput,
        DefinitionError,
        ValidationError,
        SettingsError,
        RunLocked,
        typer.Exit,
        typer.TyperException,
    )
    if isinstance(error, Exception) and not isinstance(error, refused):
        logging.getLogger("encore.cli").error("command.failed", exc_info=error)


@contextmanager
def progress_shown() -> Iterator[None]:
    """At a terminal, the progress of the job in the block (a line per stage, bars under way)."""
    from analytics.observability import progress

    if not session.terminal:
        yield
        return
    with TerminalDisplay(Console()) as display, progress.listening(display):
        session.display = display
        try:
            yield
        finally:
            session.display = None


@contextmanager
def output_for(log_format: str) -> Iterator[None]:
    """Settings checked, then the output set up for whoever reads it.

    ``auto`` at a terminal: the progress display on stdout, the JSON log lines (tracebacks
    included) in the first run's folder (``data/runs/<run id>/log.jsonl``); nothing is written
    when no run starts. ``auto`` elsewhere, ``json`` or ``console``: the log lines on stdout.
    """
    from analytics.config import Settings
    from analytics.observability import progress
    from analytics.observability.logs import configure_logging, send_to

    if log_format not in LOG_FORMATS:
        raise MissingInput(
            f"--log-format {log_format!r}: give one of {', '.join(LOG_FORMATS)}", setting="--log-format"
        )
    settings = Settings()  # every setting checked before Prefect starts or anything is written
    _prefect_defaults()
    with ExitStack() as stack:
        if "prefect.settings" in sys.modules:  # else Prefect reads the environment set above when imported
            from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

            timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
            stack.enter_context(
                temporary_settings(updates={PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: timeout})
            )
        if log_format == "auto" and sys.stdout.isatty():
            log = RunLogFile()
            stack.callback(log.close)
            stack.enter_context(send_to(log, fmt="json"))
            configure_logging(level=settings.log_level, fmt="json")
            stack.enter_context(progress.listening(log))
            session.terminal = True
            try:
                yield
            except BaseException as error:
                _log_failure(error)
                session.log_file = log.path
                session.log_elsewhere = "no run had started, so no log was kept"
                raise
            finally:
                session.terminal = False
        else:
            stack.enter_context(send_to(sys.stdout, fmt=None if log_format == "auto" else log_format))
            configure_logging(level=settings.log_level, fmt=settings.log_format)
            try:
                yield
            except BaseException as error:
                _log_failure(error)
                raise


@app.command()
def run(
    artist: Annotated[
        list[str] | None,
        typer.Option(
            "--artist",
            "-a",
            help="Spotify artist id, spotify:artist:<id> or open.spotify.com/artist/<id> URL (repeatable).",
            callback=artist_ids_given,
        ),
    ] = None,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="Skip the HTML reports.")] = False,
) -> None:
    """Run the main job (the `pipeline` flow) and print where the HTML reports are."""
    from analytics.config import Settings
    from flows._lifetime import no_idle_heartbeats, start_temporary_prefect_api
    from flows.world import artists_to_sync, world

    with progress_shown():
        with world(Settings()) as w:
            ids = artists_to_sync(w, artist)  # inputs checked before Prefect starts or anything is written
            from flows.pipeline import pipeline  # Prefect: only once the inputs hold

            start_temporary_prefect_api()  # stopped with this process, even on kill -9
            with no_idle_heartbeats():
                result = pipeline(artist_ids=ids, reports=not no_reports)
        if session.display is not None:
            session.display.show(run_summary(result))
            return
    for line in run_lines(result):
        say(line)


def reports_index(result: PipelineResult) -> Path | None:
    """The page that lists every report of the run, when it rendered any."""
    return Path(result.reports[0]).parents[2] / "index.html" if result.reports else None


def run_lines(result: PipelineResult) -> list[str]:
    """What ``encore run`` prints: the outcome, the evidence, what was skipped or set aside, the reports."""
    lines = [f"run {result.run_id}: {result.outcome} — {result.message}", f"evidence: {result.run_dir}"]
    lines += [f"skipped {job}: {why}" for job, why in result.skipped.items()]
    lines += [f"set aside {item}" for item in result.set_aside]  # rejected alone; the rest completed
    lines += [f"report: {page}" for page in result.reports]
    index = reports_index(result)
    if index is not None:
        lines.append(f"all reports: {index}")
    return lines


def run_summary(result: PipelineResult) -> Group:
    """The end of ``encore run`` at a terminal: the outcome, rows written per dataset, the open
    alerts, what was set aside, the reports and the evidence folder."""
    from analytics.config import Settings

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.add_column("dataset", no_wrap=True)
    table.add_column("rows written", justify="right")
    grouped: dict[str, int] = {}
    for name, count in result.rows.items():
        key = name.split(".", 1)[0]
        grouped[key] = grouped.get(key, 0) + count
    for name, count in sorted(grouped.items(), key=lambda item: (-item[1], item[0]))[:8]:
        table.add_row(printable(name), f"{count:,}")
    open_alerts = _status.open_alerts(Settings())
    lines: list[Any] = [
        Text(printable(f"run {result.run_id}: {result.outcome} — {result.message}"), style="bold"),
        table,
        Text(f"alerts: {open_alerts} open" + (" (encore status lists them)" if open_alerts else "")),
    ]
    lines.extend(Text(printable(f"skipped {job}: {why}")) for job, why in result.skipped.items())
    lines.extend(Text(printable(f"set aside {item}")) for item in result.set_aside)
    index = reports_index(result)
    if index is not None:
        lines.append(Text(printable(f"reports: {len(result.reports)} pages, all at {index}")))
    lines.append(Text(printable(f"evidence and log: {result.run_dir}")))
    return Group(*lines)


@app.command()
def sync(
    artist: Annotated[
        list[str] | None,
        typer.Argument(
            help="Spotify artist ids, spotify:artist: URIs or open.spotify.com URLs; default: configured "
            "or followed.",
            callback=artist_ids_given,
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-read everything (still writes only differences).")
    ] = False,
) -> None:
    """Sync the catalog from Spotify incrementally (the `sync_artist_data` flow)."""
    from analytics.config import Settings
    from flows._lifetime import no_idle_heartbeats, start_temporary_prefect_api
    from flows.world import artists_to_sync, world

    with progress_shown(), world(Settings()) as w:
        ids = artists_to_sync(w, artist)
        from flows.data_sync import sync_artist_data  # Prefect: only once the inputs hold

        start_temporary_prefect_api()
        with no_idle_heartbeats():
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
    from analytics import curation
    from analytics.config import Settings
    from flows._lifetime import no_idle_heartbeats, start_temporary_prefect_api
    from flows.world import check_playlist_inputs, world

    curation.load_definition(curation.definition_path(definition))  # a wrong name or file: exit 2 now
    with progress_shown(), world(Settings()) as w:
        check_playlist_inputs(w)
        from flows.playlist_update import update_playlist  # Prefect: only once the inputs hold

        start_temporary_prefect_api()
        with no_idle_heartbeats():
            summary = update_playlist(definition, apply=apply)
    say(str(summary))


@app.command("report")
def report(
    artist: Annotated[
        list[str] | None,
        typer.Option(
            "--artist",
            "-a",
            help="Spotify artist id, spotify:artist:<id> or open.spotify.com/artist/<id> URL (repeatable); "
            "default: the configured artists the run has.",
            callback=artist_ids_given,
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: 28 days before --to).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: the latest day with data).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Instead of --from/--to: YYYY-MM, YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or last-<N>d.",
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            help="en, fr or de: headings, notes, numbers and dates (default: ENCORE_REPORT_LANGUAGE, en).",
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print each report to PDF (Chromium).")] = False,
    run_dir: Annotated[
        str | None,
        typer.Option("--run-dir", help="A main-job run folder (default: data/runs/latest, the last one)."),
    ] = None,
) -> None:
    """Render artist reports for any period from the latest run (default: the latest 28 days with
    data) and print where they are; reports/index.html lists them."""
    from analytics.config import Settings
    from flows._report import render_planned, report_plan

    settings = Settings()
    with progress_shown():
        plan = report_plan(
            settings,
            artists=artist,
            start=start,
            end=end,
            period=period,
            language=language or settings.report_language,
            pdf=pdf,
            run_dir=run_dir,
        )  # every input checked before anything is written
        written = render_planned(plan, settings=settings)
    say(
        f"run {plan.run_id}: {len(written)} {'report' if len(written) == 1 else 'reports'} in {plan.language}"
    )
    for item in written:
        say(f"report: {item.page}  ({item.period.start} to {item.period.end})")
        if item.pdf is not None:
            say(f"pdf: {item.pdf}")
    say(f"all reports: {settings.reports_dir / 'index.html'}")


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

    settings = Settings()
    _status.require_warehouse(
        settings, then="run `encore run` first (or set ENCORE_DATA_DIR / ENCORE_DATABASE_URL to yours)"
    )
    warehouse = Warehouse.from_settings(settings)
    try:
        warehouse.migrate()
        entries = read_entries(warehouse, run_id=run_id)
    finally:
        warehouse.dispose()
    if run_id and not entries:
        raise MissingInput(
            f"no run {run_id!r} in the audit log: `encore status` lists the last runs, "
            "`encore audit show` the newest records",
            setting="--run-id",
        )
    for entry in entries[-last:]:
        say(json.dumps(entry, ensure_ascii=False))


@app.command("status")
def status(
    runs: Annotated[int, typer.Option(help="How many of the last runs to list.")] = 8,
) -> None:
    """The last runs and their outcome, open alerts, the warehouse's size and, when a Prefect
    server is configured (PREFECT_API_URL), the next scheduled runs. Reads only."""
    from analytics.config import Settings

    found = _status.gather(Settings())
    say(f"warehouse: {found.warehouse}" + (f" ({_size(found.size_bytes)})" if found.size_bytes else ""))
    if not found.exists:
        say("  no warehouse yet: `encore run` creates it")
    if found.latest:
        say(f"latest main-job run: {found.latest} (data/runs/latest)")
    say(f"last runs ({min(runs, len(found.runs))}):" if found.runs else "last runs: none yet")
    for line in found.runs[:runs]:
        say(
            f"  {line.at}  {line.flow:<26} {line.outcome:<9} {line.run_id[:12]}  {printable(line.message)[:70]}"
        )
    say(f"open alerts: {found.open_alerts}")
    for alert in found.alerts:
        say(
            f"  {alert.fired_at}  {alert.severity:<8} {printable(alert.artist_id)}  {printable(alert.summary)[:80]}"
        )
    if found.schedule_error:
        say(f"next scheduled runs: the Prefect server did not answer ({printable(found.schedule_error)})")
    elif found.schedule is None:
        say("next scheduled runs: no Prefect server configured (set PREFECT_API_URL; see docs/operations.md)")
    else:
        say("next scheduled runs:" if found.schedule else "next scheduled runs: none on the server")
        for when, deployment, name in found.schedule:
            say(f"  {when}  {printable(deployment)}  ({printable(name)})")


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def main() -> None:  # pragma: no cover
    app(sys.argv[1:])
