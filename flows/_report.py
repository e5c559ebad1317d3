"""``encore report``: an artist report for any period, in a language, optionally as PDF, from the
main job's latest run (``data/runs/latest``) or a run folder given with ``--run-dir``.

Every input is checked first (:func:`report_plan`): a wrong language, date, period, artist or
run folder, no run yet, or ``--pdf`` without Chromium is one :class:`InvalidInput` or
:class:`MissingInput` and nothing is written. Then :func:`render_planned` renders each report with
:func:`flows.reporting.render_artist_report` and refreshes ``reports/index.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from analytics.config import InvalidInput, MissingInput, Settings
from analytics.observability import progress
from analytics.reports import Period, ReportPage, parse_period, write_index
from analytics.reports.explore import latest_period, latest_run_dir
from analytics.reports.pdf import find_chromium
from analytics.reports.texts import LANGUAGES
from analytics.warehouse import Warehouse
from flows import _status

DAYS = 28  # the default period: the latest 28 days the run has streaming numbers for
SHOWN_ARTISTS = 8  # artists named in a message, then "and N more"


@dataclass(frozen=True)
class ReportPlan:
    """What ``encore report`` renders: from which run, which artists, each one's period."""

    run_path: Path
    run_id: str
    periods: dict[str, Period]  # artist id -> period, in the order given
    language: str
    pdf: bool


@dataclass(frozen=True)
class Written:
    """One report written: its HTML page, its PDF (with ``--pdf``) and the period it shows."""

    artist_id: str
    page: Path
    pdf: Path | None
    period: Period


def given_date(value: str, *, option: str) -> date:
    """A ``YYYY-MM-DD`` date given as ``option``.

    Raises
    ------
    InvalidInput : any other text; names the option and the form.
    """
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{option} {value!r} is not a date: give YYYY-MM-DD, e.g. 2026-10-01") from None


def run_folder(settings: Settings, run_dir: str | None) -> Path:
    """The run folder the reports read: ``run_dir``, else the main job's latest run.

    Raises
    ------
    InvalidInput : ``run_dir`` is not a folder, or not a main-job run (no catalog in it).
    MissingInput : no ``run_dir`` and no main-job run yet.
    """
    if run_dir is None:
        latest = latest_run_dir(settings)
        if not latest.exists():
            raise MissingInput(
                f"no pipeline run yet in {latest.parent}: run `encore run` first (or give --run-dir)",
                setting="encore run",
            )
        path = latest.resolve()
    else:
        path = Path(run_dir).expanduser()
        if not path.is_dir():
            raise InvalidInput(
                f"--run-dir {run_dir}: no such folder; give a run folder `encore run` printed "
                f"(e.g. {settings.data_dir / 'runs' / '<run id>'})"
            )
        path = path.resolve()
    if not (path / "datasets" / "artists.parquet").is_file():
        raise InvalidInput(
            f"{path} holds no catalog (datasets/artists.parquet): give a folder of a main-job run "
            "(`encore run` prints it)"
        )
    return path


def run_artists(run_path: Path) -> dict[str, str]:
    """The artists of a run's catalog: id -> name, in the catalog's order."""
    import pandas as pd

    frame = pd.read_parquet(run_path / "datasets" / "artists.parquet", columns=["artist_id", "name"])
    return {str(row.artist_id): str(row.name) for row in frame.itertuples(index=False)}


def _named(artists: dict[str, str]) -> str:
    shown = [f"{artist_id} ({name})" for artist_id, name in list(artists.items())[:SHOWN_ARTISTS]]
    more = len(artists) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "") if shown else "none"


def chosen_artists(
    settings: Settings, *, given: list[str] | None, run_id: str, artists: dict[str, str]
) -> list[str]:
    """The artists to report on: those given (each must be in the run), else the configured
    artists the run has (every artist of the run when none is configured).

    Raises
    ------
    InvalidInput : a given artist is not in the run; names the run and the artists it has.
    MissingInput : none of the configured artists is in the run.
    """
    if given:
        for artist_id in given:
            if artist_id not in artists:
                raise InvalidInput(
                    f"artist {artist_id} is not in run {run_id}; it has: {_named(artists)}\n"
                    "give one of them with --artist, or --run-dir a run that has the artist"
                )
        return list(dict.fromkeys(given))
    if not settings.artist_ids:
        return list(artists)
    chosen = [artist_id for artist_id in settings.artist_ids if artist_id in artists]
    if not chosen:
        raise MissingInput(
            f"none of the configured artists (ENCORE_ARTIST_IDS) is in run {run_id}; it has: "
            f"{_named(artists)}\ngive one of them with --artist",
            setting="ENCORE_ARTIST_IDS",
        )
    return chosen


def report_period(
    warehouse: Warehouse | None,
    *,
    artist_id: str,
    start: date | None,
    end: date | None,
    period: str | None,
) -> Period:
    """The period of one artist's report: ``period`` (:func:`parse_period`'s forms), or
    ``start``..``end``; a missing end is the latest day with streaming numbers, a missing start
    the 28 days up to the end; neither: the latest 28 days with data (as the notebooks default).
    """
    if period is not None:
        return parse_period(period)
    if start is not None and end is not None:
        return parse_period(f"{start.isoformat()}..{end.isoformat()}")
    if end is not None:
        return parse_period(f"{(end - timedelta(days=DAYS - 1)).isoformat()}..{end.isoformat()}")
    latest = (
        latest_period(warehouse, days=DAYS, artist_id=artist_id)
        if warehouse is not None
        else parse_period(f"last-{DAYS}d")
    )
    if start is not None:
        return parse_period(f"{start.isoformat()}..{max(start, latest.end).isoformat()}")
    return latest


def report_periods(
    settings: Settings,
    *,
    artist_ids: list[str],
    start: date | None = None,
    end: date | None = None,
    period: str | None = None,
) -> dict[str, Period]:
    """Each artist's report period (:func:`report_period`), for ``encore report`` and the main
    job alike: without ``period``, ``start`` or ``end``, the latest 28 days the warehouse has
    streaming numbers for that artist (not the 28 days before today, which late exports would
    leave empty). The warehouse is read only when a period depends on it."""
    if not artist_ids or (period is not None and start is None and end is None):
        return {artist_id: parse_period(period) for artist_id in artist_ids}
    warehouse = Warehouse.from_settings(settings)
    try:
        return {
            artist_id: report_period(warehouse, artist_id=artist_id, start=start, end=end, period=period)
            for artist_id in artist_ids
        }
    finally:
        warehouse.dispose()


def report_plan(
    settings: Settings,
    *,
    artists: list[str] | None,
    start: str | None,
    end: str | None,
    period: str | None,
    language: str,
    pdf: bool,
    run_dir: str | None,
) -> ReportPlan:
    """Every input of ``encore report`` checked, nothing written.

    Raises
    ------
    InvalidInput, MissingInput : one message that names what is wrong and what to do.
    """
    if language not in LANGUAGES:
        raise InvalidInput(
            f"--language {language!r}: the reports speak {', '.join(LANGUAGES)}; give one of them"
        )
    if period is not None and (start is not None or end is not None):
        raise InvalidInput("give --period or --from/--to, not both")
    first = given_date(start, option="--from") if start is not None else None
    last = given_date(end, option="--to") if end is not None else None
    if first and last and last < first:
        raise InvalidInput(f"--from {first} is after --to {last}: the period must start before it ends")
    if period is not None:
        try:
            parse_period(period)
        except ValueError as error:
            raise InvalidInput(f"--{error}") from None
    if pdf and find_chromium() is None:
        raise MissingInput("--pdf needs Chromium: install it with `make browser`", setting="--pdf")
    run_path = run_folder(settings, run_dir)
    run_id = run_path.name
    ids = chosen_artists(settings, given=artists, run_id=run_id, artists=run_artists(run_path))
    _status.require_warehouse(
        settings,
        then="the report reads the warehouse the run wrote; set ENCORE_DATA_DIR (or "
        "ENCORE_DATABASE_URL) to its",
    )
    periods = report_periods(settings, artist_ids=ids, start=first, end=last, period=period)
    return ReportPlan(run_path=run_path, run_id=run_id, periods=periods, language=language, pdf=pdf)


def render_planned(plan: ReportPlan, *, settings: Settings) -> list[Written]:
    """Render each planned report (HTML, and PDF with ``plan.pdf``), then refresh the index."""
    from flows._notebooks import one_report_kernel, render_artist_report  # papermill: once every input holds

    written: list[Written] = []
    with one_report_kernel(), progress.stage("reports", total=len(plan.periods)) as step:
        for artist_id, period in plan.periods.items():
            page: ReportPage = render_artist_report(
                plan.run_path,
                artist_id=artist_id,
                period=period,
                settings=settings,
                language=plan.language,
                pdf=plan.pdf,
            )
            pdf = page.path.with_suffix(".pdf") if plan.pdf else None
            written.append(Written(artist_id=artist_id, page=page.path, pdf=pdf, period=period))
            step.advance()
        step.note(f"{len(written)} {'page' if len(written) == 1 else 'pages'}, {plan.language}")
    write_index(settings.reports_dir, language=settings.report_language)
    return written
