"""A streaming collection as the audit sees it: every source ingested alone and audited by name.

- :func:`ingest_folder` - every export of a folder: refused and ignored files named, each file
  rejected whole or stored, its rejected rows set aside;
- :func:`audit_ingest` - one ingest's record, and every rejected row set aside by file and row;
- :func:`drain_play_stream` - the Redis play stream for a while, exactly once into the warehouse;
- :data:`SUITES` - the suite of each table a collection writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analytics.audit import AuditRecord, AuditRun, SetAside
from analytics.streaming.exports import scan_exports
from analytics.streaming.ingest import ingest_export
from analytics.streaming.realtime import consume_events
from analytics.streaming.summary import IngestSummary, SourceFormatError

# The expectation suite of each table a collection writes (named for the dataset it checks).
SUITES = {
    "stream_play_events": "streams_raw",
    "s4a_playlists": "s4a_playlists",
    "stream_metrics_daily": "streams_daily",
    "stream_anomalies": "streaming_anomalies",
}
IGNORED_WHY = (
    "not named like a Spotify export (e.g. <artist id>-audience-timeline.csv, "
    "Streaming_History_Audio_2026_0.json); see docs/streaming.md"
)
IGNORED_SHOWN = 50


@dataclass(frozen=True)
class IgnoredFiles:
    """Files of an exports folder named like no export encore reads (the first :data:`IGNORED_SHOWN`)."""

    files: list[str]

    def audit_record(self) -> AuditRecord:
        return {"details": {"why": IGNORED_WHY, "files": self.files}}


def audit_ingest(run: AuditRun, task: str, summary: IngestSummary) -> set[date]:
    """Record one ingest as ``task``; every rejected row is set aside by file and row (the run
    then ends ``partial``). Returns the days the ingest touched."""
    run.record(task, summary)
    where = summary.file_name or summary.source
    rows = [SetAside("export row", f"{where} row {r.line}", r.reason) for r in summary.rejections]
    more = summary.rows_rejected - len(rows)
    if more > 0:  # the summary keeps the first examples; the count says how many in all
        rows.append(
            SetAside("export rows", f"{more} more in {where}", "counted by reason in the ingest record")
        )
    run.reject(f"{task}.rejected_rows", rows)
    return set(summary.days_touched)


def ingest_folder(run: AuditRun, source_dir: Path, *, artist_id: str | None = None) -> set[date]:
    """Every export under ``source_dir``: each file alone, rejected or stored, audited by name.

    A Spotify for Artists file belongs to the artist its name or folder says (``artist_id``
    otherwise); see :func:`analytics.streaming.exports.scan_exports` for what is read at all.
    Returns the days the stored files touched.
    """
    touched: set[date] = set()
    scan = scan_exports(source_dir)
    for path, why in scan.refused:
        run.reject(
            f"ingest.{path.name}", [SetAside("export file", path.name, why)], rejected_file=f"{path}: {why}"
        )
    if scan.ignored:
        files = [str(p.relative_to(source_dir)) for p in scan.ignored[:IGNORED_SHOWN]]
        run.record("ingest.ignored", IgnoredFiles(files))
    for export in scan.files:
        try:
            summary = ingest_export(run.warehouse, export, run_id=run.run_id, artist_id=artist_id)
        except SourceFormatError as error:  # an unreadable file is rejected whole; the others go on
            run.reject(
                f"ingest.{export.path.name}",
                [SetAside("export file", export.path.name, f"{error.problem}. {error.hint}"[:500])],
                rejected_file=str(error)[:2000],
            )
            continue
        touched |= audit_ingest(run, f"ingest.{export.path.name}", summary)
    return touched


def drain_play_stream(run: AuditRun, redis_url: str, *, seconds: float) -> set[date]:
    """Consume the Redis play stream at ``redis_url`` for up to ``seconds`` (exactly once into
    the warehouse), audited as ``ingest.realtime``. Returns the days it touched."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        summary = consume_events(run.warehouse, client, duration_s=seconds)
    finally:
        client.close()
    return audit_ingest(run, "ingest.realtime", summary)


def skipped_files(*, exports: bool) -> str:
    """Why a collection read no file: the caller asked for the play stream only, or there is no
    exports folder (a real world collecting the play stream)."""
    if not exports:
        return "exports=False: the Redis play stream only"
    return "no exports folder: the Redis play stream only"
