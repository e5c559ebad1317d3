"""Hostile exports and audio files: a clear error or a quarantine each, no crash, no injection."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from analytics.audio.analyze import analyze_file
from analytics.streaming.ingest import ingest_history_json, ingest_s4a_csv
from analytics.streaming.summary import IngestSummary, SourceFormatError
from analytics.warehouse import Warehouse
from reliability.hostile import CORPUS, MARKER, write_big_files, write_deep_files
from reliability.result import ScenarioResult

ARTIST = "HostileArtist00000000A"
# file -> what must happen: ("error", words the message must contain) or ("rows", stored+updated, rejected)
EXPECTED: dict[str, tuple[str, object, object]] = {
    "audience_bad_utf16.csv": ("error", "invalid UTF-16", None),
    "audience_bad_values.csv": ("rows", 1, 8),
    "audience_bom_extra_columns.csv": ("rows", 2, 0),
    "audience_empty.csv": ("error", "empty file", None),
    "audience_header_only.csv": ("rows", 0, 0),
    "audience_latin1.csv": ("error", "not UTF-8", None),
    "audience_missing_columns.csv": ("error", "missing columns listeners, streams", None),
    "audience_utf16.csv": ("rows", 1, 0),
    "songs_hostile_names.csv": ("rows", 0, 10),
    "history_empty.json": ("error", "malformed or truncated JSON", None),
    "history_hostile.json": ("rows", 1, 10),
    "history_not_array.json": ("error", "expected a JSON array", None),
    "history_nul_bytes.json": ("error", "malformed or truncated JSON", None),
    "history_truncated.json": ("error", "malformed or truncated JSON", None),
    "songs_10mb_field.csv": ("error", "unreadable CSV at line 2", None),
    "history_10mb_field.json": ("rows", 2, 1),
    "audience_excel_dates_huge_counts.csv": ("rows", 2, 3),
    "history_nested_deep.json": ("error", "nested too deeply", None),
    "history_huge_integer.json": ("error", "unreadable JSON", None),
}
AUDIO = ("audio_random.ogg", "audio_empty.ogg", "audio_text.mp3", "audio_truncated.wav")
CONTROL = "date,listeners,streams\n2025-06-01,7,9\n2025-06-02,8,10\n"


def ingest(warehouse: Warehouse, path: Path) -> IngestSummary:
    """One export through the streaming ingest, as the streaming flow does it."""
    if path.suffix == ".csv":
        return ingest_s4a_csv(warehouse, path, run_id="hostile", artist_id=ARTIST)
    return ingest_history_json(warehouse, path, run_id="hostile")


def _structure(warehouse: Warehouse) -> dict[str, int]:
    with warehouse.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
            for t in warehouse.table_names()
        }


def _check_file(result: ScenarioResult, warehouse: Warehouse, path: Path) -> None:
    kind, want, rejected = EXPECTED[path.name]
    try:
        summary = ingest(warehouse, path)
    except SourceFormatError as exc:
        message = str(exc)
        result.check(kind == "error", f"{path.name}: unexpected error {message[:200]}")
        result.check(
            str(want) in message and path.name in message and "Nothing was stored" in message,
            f"{path.name}: the error does not say where and what ({message[:200]})",
        )
        return
    except Exception as exc:  # the point of the scenario: anything else is a crash
        result.problems.append(f"{path.name}: crashed with {exc.__class__.__name__}: {str(exc)[:200]}")
        return
    result.check(kind == "rows", f"{path.name}: accepted, but it must be refused as a whole")
    written = summary.rows_stored + summary.rows_updated
    if kind == "rows":
        result.check(written == want, f"{path.name}: {written} rows written, expected {want}")
        result.check(
            summary.rows_rejected == rejected,
            f"{path.name}: {summary.rows_rejected} rejected, expected {rejected}",
        )
        result.check(
            all(r.reason and r.line > 0 for r in summary.rejections),
            f"{path.name}: a rejection has no reason",
        )


def _check_audio(result: ScenarioResult, folder: Path) -> None:
    for name in AUDIO:
        try:
            outcome = analyze_file(folder / name)
        except Exception as exc:
            result.problems.append(f"{name}: audio analysis crashed ({exc.__class__.__name__}: {exc})")
            continue
        result.check(outcome.status == "quarantined", f"{name}: corrupt audio was not quarantined")
        result.check(bool(outcome.reason and outcome.detail), f"{name}: quarantined without a reason")


def run_hostile_exports(*, trials: int = 1, seed: int = 0, workdir: Path) -> ScenarioResult:
    """Every hostile export and audio file, then a well-formed export: errors are clear, rows right.

    A trial is one pass over the corpus into a fresh SQLite warehouse (``seed`` is unused: the
    corpus is fixed). Checked after each pass: the expected outcome of every file, the schema
    and row counts not touched by SQL in the data, the control export still stored, no file
    created by the shell strings.
    """
    result = ScenarioResult("hostile exports and audio (CSV, JSON, 10 MB fields, corrupt audio)")
    marker = MARKER
    marker.unlink(missing_ok=True)
    for trial in range(trials):
        folder = workdir / f"hostile-{trial}"
        shutil.copytree(CORPUS, folder, dirs_exist_ok=True)
        files = sorted(p for p in folder.iterdir() if p.name in EXPECTED) + write_big_files(folder / "big")
        files += write_deep_files(folder / "deep")
        warehouse = Warehouse(f"sqlite:///{folder / 'warehouse.sqlite'}")
        warehouse.migrate()
        tables_before = set(warehouse.table_names())
        for path in files:
            before = _structure(warehouse)
            _check_file(result, warehouse, path)
            after = _structure(warehouse)
            result.check(set(after) == tables_before, f"{path.name}: the set of tables changed")
            shrunk = [t for t in before if after.get(t, 0) < before[t]]
            result.lost += sum(before[t] - after.get(t, 0) for t in shrunk)
        control = folder / "control.csv"
        control.write_text(CONTROL)
        summary = ingest(warehouse, control)
        result.check(summary.rows_stored == 2, "the well-formed export after the hostile ones was not stored")
        again = ingest(warehouse, control)
        result.duplicated += again.rows_stored
        _check_audio(result, folder)
        result.faults += len(files) + len(AUDIO)
        result.trials += 1
        warehouse.dispose()
    result.injected += int(marker.exists())
    result.notes = (
        f"{len(EXPECTED)} exports + {len(AUDIO)} audio files a pass; clear error or rows as expected"
    )
    return result
