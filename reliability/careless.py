"""Careless and hostile use: one row per class of defect that cost correct numbers, a run or the audit.

Each check feeds the library the input that once broke it and counts what the table counts:
rows lost or duplicated, secrets leaked, markup or tampering that got through. They run in
seconds, in-process, on SQLite and (where the database matters) on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("ENCORE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ARTIST = "YQhOGXX8g2pM1yHEFVFAjK"
TRACK = "A" * 22
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@contextmanager
def _warehouses(workdir: Path) -> Iterator[list[Warehouse]]:
    """A fresh SQLite warehouse and, where the server answers, a fresh PostgreSQL schema."""
    made = [Warehouse(f"sqlite:///{workdir / f'{uuid.uuid4().hex}.sqlite'}")]
    schema = f"rel_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in POSTGRES_URL else "?"
        made.append(Warehouse(f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"))
    except sa.exc.OperationalError:
        schema = ""
    try:
        for warehouse in made:
            warehouse.migrate()
        yield made
    finally:
        for warehouse in made:
            warehouse.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _backlog(workdir: Path) -> ScenarioResult:
    """A run killed between ingest and aggregation; the next run ingests other days."""
    from analytics.streaming.aggregate import aggregate
    from analytics.streaming.ingest import ingest_s4a_csv

    result = ScenarioResult("a run killed between ingest and aggregation, then a run with other files")
    with _warehouses(workdir) as warehouses:
        for warehouse in warehouses:
            first, second = workdir / "first.csv", workdir / "second.csv"
            first.write_text("date,listeners,streams\n2026-11-01,10,77777\n")
            second.write_text("date,listeners,streams\n2026-11-05,10,12\n")
            ingest_s4a_csv(
                warehouse, first, run_id="killed", artist_id=ARTIST, now=NOW
            )  # no aggregate: killed
            touched = ingest_s4a_csv(warehouse, second, run_id="next", artist_id=ARTIST, now=NOW).days_touched
            aggregate(warehouse, days=touched)
            shown = {
                (r["day"], r["streams"])
                for r in warehouse.rows("stream_metrics_daily")
                if r["level"] == "artist" and r["day"] in (date(2026, 11, 1), date(2026, 11, 5))
            }
            result.trials += 1
            result.faults += 1
            result.tally(expected=2, found=len(shown & {(date(2026, 11, 1), 77777), (date(2026, 11, 5), 12)}))
            result.check(not warehouse.rows("stream_dirty_days"), "days left marked after aggregation")
    result.notes = "the backlog is recomputed by the next aggregation; SQLite and PostgreSQL"
    return result


def _formattings(workdir: Path) -> ScenarioResult:
    """The same play written three ways in three history files."""
    from analytics.streaming.ingest import ingest_history_json

    result = ScenarioResult(
        "one play written three ways (…Z / +00:00 / .000Z, 2e5 / 200000.0, Android / android)"
    )
    base = {
        "spotify_track_uri": f"spotify:track:{TRACK}",
        "reason_start": "clickrow",
        "reason_end": "trackdone",
    }
    variants = [
        {**base, "ts": "2026-11-01T10:00:00Z", "ms_played": 200000, "platform": "Android"},
        {**base, "ts": "2026-11-01T10:00:00+00:00", "ms_played": 200000.0, "platform": "android"},
        {**base, "ts": "2026-11-01T10:00:00.000Z", "ms_played": "200000", "platform": "ANDROID"},
    ]
    with _warehouses(workdir) as warehouses:
        for warehouse in warehouses:
            for number, play in enumerate(variants):
                path = workdir / f"Streaming_History_Audio_{number}.json"
                path.write_text(json.dumps([play]))
                ingest_history_json(warehouse, path, run_id=f"r{number}", now=NOW)
            result.trials += 1
            result.faults += len(variants)
            result.tally(expected=1, found=len(warehouse.rows("stream_play_events")))
    return result


def _storage_text(workdir: Path) -> ScenarioResult:
    """NUL bytes and lone surrogates in names, stored twice on both databases."""
    from analytics.warehouse import upsert_rows

    result = ScenarioResult("NUL bytes and lone surrogates in names, on SQLite and PostgreSQL")
    track = {
        "track_id": "t1",
        "album_id": "a1",
        "artist_id": ARTIST,
        "name": "By\x00-Product \ud800",
        "disc_number": 1,
        "track_number": 1,
        "duration_ms": 200_000,
        "explicit": False,
        "isrc": "QZ0000000001",
        "popularity": None,
    }
    with _warehouses(workdir) as warehouses:
        stored = set()
        for warehouse in warehouses:
            try:
                for run in ("r1", "r2"):
                    with warehouse.session() as session:
                        written = upsert_rows(session, "tracks", [track], key=["track_id"], run_id=run)
                    if run == "r2":
                        result.duplicated += written.rows_written
                rows = warehouse.rows("tracks")
                result.tally(expected=1, found=len(rows))
                stored |= {r["name"] for r in rows}
            except Exception as exc:
                result.lost += 1
                result.problems.append(f"{warehouse.engine.dialect.name}: {exc.__class__.__name__}")
            result.trials += 1
            result.faults += 2
        result.check(len(stored) == 1, f"the databases store different names: {sorted(stored)!r}")
    return result


def _ordinary_names(workdir: Path) -> ScenarioResult:
    """Names with a URL or a bracket and a long featured-artist list, through content generation."""
    from analytics.content import build_fact_sheet, generate_drafts, validate_draft

    result = ScenarioResult(
        "ordinary names (a URL in a title, [Official] and a 60-character artist) in drafts"
    )
    start, end = date(2026, 11, 16), date(2026, 11, 22)
    for artist, album in (
        ("Maxstack", "Songs for www.maxstack.net"),
        ("Maxstack [Official] feat. The Extraordinarily Long Ensemble Name Here", "Endgame"),
    ):
        sheet = build_fact_sheet(
            {"artist_id": "a1", "name": artist, "genres": ["rock"], "followers": 1200},
            period_start=start,
            period_end=end,
            albums=[
                {
                    "album_id": "al1",
                    "name": album,
                    "album_type": "album",
                    "release_date": "2026-11-18",
                    "release_date_precision": "day",
                    "total_tracks": 2,
                }
            ],
            tracks=[{"track_id": "t0", "name": "Awakening", "popularity": 40}],
            streams=[
                {"day": start + timedelta(days=i), "track_id": "t0", "streams": 1000 + i} for i in range(7)
            ],
        )
        drafts = generate_drafts(sheet)
        rejected = [d for d in drafts if validate_draft(d, sheet).issues]
        result.trials += 1
        result.faults += len(drafts)
        result.lost += len(rejected)
    result.notes = "every draft of every kind, language and platform grounded"
    return result


def _chat_markup(workdir: Path) -> ScenarioResult:
    from analytics.monitoring.channels import AlertMessage, webhook_message

    result = ScenarioResult("Slack markup in a track name (<!channel>, <url|label>, <@user>)")
    name = "<!channel> <https://ev.il|Pay> By-Product <@U123> <!here>"
    message = AlertMessage(
        alert_id="a",
        action="trigger",
        dedup_key="k",
        rule_id="r",
        kind="catalog_change",
        severity="warning",
        artist_id=ARTIST,
        subject="track",
        summary=name,
        facts={"track": name},
        rule={},
        at=NOW,
        trace_id="0" * 32,
        run_id="r",
    )
    payload = webhook_message(message)
    texts = [
        payload["text"],
        payload["blocks"][0]["text"]["text"],
        *(e["text"] for e in payload["blocks"][1]["elements"]),
    ]
    result.trials, result.faults = 1, 4
    result.injected = sum(text.count("<") for text in texts)
    return result


def _calendar(workdir: Path) -> ScenarioResult:
    import pandas as pd

    from analytics.validation import validate

    result = ScenarioResult("release dates the calendar does not have (2026-02-31, 2025-02-29)")
    for bad in ("2026-02-31", "2025-02-29", "2026-04-31"):
        frame = pd.DataFrame(
            [
                {
                    "album_id": "BNHkI8hBgDXl9S7kSoUooy",
                    "artist_id": ARTIST,
                    "name": "X",
                    "album_type": "album",
                    "album_group": None,
                    "release_date": bad,
                    "release_date_precision": "day",
                    "total_tracks": 1,
                    "label": None,
                    "upc": None,
                }
            ]
        )
        outcome = validate(
            frame, suite="albums", run_dir=workdir / "runs", run_id="r", raise_on_failure=False
        )
        result.trials += 1
        result.faults += 1
        result.injected += int(outcome.success)  # a date that passed the gate
    return result


def _secret_forms(workdir: Path) -> ScenarioResult:
    from analytics.observability import Redactor

    result = ScenarioResult("a secret as parsers rewrite it (lower-cased header, JSON-escaped, spaced)")
    secret = 'Sk_Live_"AbcDEF123456'  # noqa: S105 - a canary, not a credential
    redactor = Redactor([secret])
    shown = [
        secret.lower(),
        secret.upper(),
        json.dumps(secret)[1:-1],
        secret.replace("_", " "),
        f"missing columns: {secret.lower()}, streams",
    ]
    result.trials, result.faults = 1, len(shown)
    result.leaked = sum("abcdef123456" in redactor.redact(text).lower() for text in shown)
    return result


def _audit_tampering(workdir: Path) -> ScenarioResult:
    from analytics import audit
    from analytics.audit.chain import record_hash
    from analytics.config import Settings

    result = ScenarioResult(
        "audit tampering: a cut tail with its head file, a forged record, an edit re-chained"
    )
    tricks: dict[str, Callable[[Warehouse, Settings], None]] = {}

    def cut_tail(warehouse: Warehouse, settings: Settings) -> None:
        with warehouse.engine.begin() as conn:
            conn.execute(
                sa.text("DELETE FROM audit_records WHERE seq = (SELECT max(seq) FROM audit_records)")
            )
        (settings.data_dir / "audit-head.json").unlink()

    def forge(warehouse: Warehouse, settings: Settings) -> None:
        audit.append(warehouse, audit.AuditEntry("r1", "0" * 32, "f", "forged", "v", "p", "ok"))

    def rechain(warehouse: Warehouse, settings: Settings) -> None:
        with warehouse.engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT seq, body, prev_hash FROM audit_records ORDER BY seq")).all()
            prev = None
            for seq, body, prev_hash in rows:
                if seq < 5:  # the second run's step
                    continue
                body = body.replace('"rows":1', '"rows":9') if seq == 5 else body
                prev = prev_hash if prev is None else prev
                digest = record_hash(prev, body)
                conn.execute(
                    sa.text(
                        "UPDATE audit_records SET body = :b, prev_hash = :p, record_hash = :h WHERE seq = :s"
                    ),
                    {"b": body, "p": prev, "h": digest, "s": seq},
                )
                prev = digest

    tricks.update({"cut tail": cut_tail, "forged record": forge, "edit re-chained": rechain})
    for name, trick in tricks.items():
        folder = workdir / name.replace(" ", "-")
        settings = Settings(data_dir=folder / "data", reports_dir=folder / "reports")
        warehouse = Warehouse.from_settings(settings)
        try:
            for run_id in ("r0", "r1"):
                with audit.run("test", settings=settings, warehouse=warehouse, run_id=run_id) as run:
                    run.record("step", outputs={"rows": 1})
            trick(warehouse, settings)
            report = audit.verify(warehouse, head_dir=settings.data_dir, key=audit.audit_key(settings))
        finally:
            warehouse.dispose()
        result.trials += 1
        result.faults += 1
        result.injected += int(report.ok)  # tampering that verify did not name
    return result


def _two_runs(workdir: Path) -> ScenarioResult:
    """A second run started while the first holds the warehouse."""
    from analytics import audit
    from analytics.config import Settings

    result = ScenarioResult("two runs at once on one warehouse")
    settings = Settings(data_dir=workdir / "two" / "data", reports_dir=workdir / "two" / "reports")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from analytics import audit\nfrom analytics.config import Settings\n"
            "with audit.run('pipeline', settings=Settings(data_dir=sys.argv[1]), run_id='first'):\n"
            "    print('held', flush=True); time.sleep(60)\n",
            str(settings.data_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None
        holder.stdout.readline()
        try:
            with audit.run("pipeline", settings=settings, run_id="second"):
                result.duplicated += 1  # the second run got in
        except audit.RunLocked as refused:
            result.check("first" in str(refused), "the refusal does not name the run holding the lock")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    result.trials, result.faults = 1, 1
    result.notes = "the second is refused before writing, naming the first; the kill -9 releases the lock"
    return result


def _export_entries(workdir: Path) -> ScenarioResult:
    """Links, a FIFO, a folder and an archive named like exports beside one good export."""
    import threading

    from analytics.streaming.exports import scan_exports
    from analytics.streaming.ingest import ingest_export

    result = ScenarioResult("links, a FIFO, a folder and a zip named like exports (read as files only)")
    exports = workdir / "exports"
    exports.mkdir()
    secret = workdir / "outside.csv"  # a file outside the folder that a link points at
    secret.write_text("date,listeners,streams\n2026-11-03,1,4242\n")
    good = exports / f"{ARTIST}-audience-timeline.csv"
    good.write_text("date,listeners,streams\n2026-11-01,10,12\n")
    (exports / f"{ARTIST}-linked-audience-timeline.csv").symlink_to(secret)
    (exports / "linked-folder").symlink_to(workdir, target_is_directory=True)
    os.mkfifo(exports / f"{ARTIST}-fifo-audience-timeline.csv")
    (exports / f"{ARTIST}-dir-audience-timeline.csv").mkdir()
    (exports / "my_spotify_data.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    hostile = 5
    done = threading.Event()
    found: dict[str, int] = {}

    def scan_and_ingest() -> None:  # a FIFO that is opened would block here forever
        scan = scan_exports(exports)
        found["refused"] = len(scan.refused)
        with _warehouses(workdir) as warehouses:
            warehouse = warehouses[0]
            for export in scan.files:
                ingest_export(warehouse, export, run_id="r", artist_id=ARTIST)
            rows = warehouse.rows("s4a_audience_daily")
            found["good"] = sum(1 for r in rows if r["day"] == date(2026, 11, 1))
            found["outside"] = sum(1 for r in rows if r["day"] == date(2026, 11, 3))
        done.set()

    worker = threading.Thread(target=scan_and_ingest, daemon=True)
    worker.start()
    result.check(done.wait(120), "the scan or ingest hung (a FIFO was opened?)")
    result.trials, result.faults = 1, hostile
    result.tally(expected=1, found=found.get("good", 0))
    result.injected += found.get("outside", 0)  # a link followed out of the folder
    result.check(
        found.get("refused") == hostile, f"refused {found.get('refused')} of {hostile} entries by name"
    )
    result.notes = "each refused by name, the good export beside them stored once, nothing outside read"
    return result


def _lifetime(workdir: Path) -> ScenarioResult:
    """kill -9 of `encore run` mid-way: Prefect's temporary server must not outlive it."""
    import signal
    import time

    result = ScenarioResult("kill -9 of `encore run` mid-way: Prefect's temporary server not left running")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {
        "PREFECT_HOME": str(workdir / "prefect"),
        "ENCORE_DATA_DIR": str(workdir / "data"),
        "ENCORE_REPORTS_DIR": str(workdir / "reports"),
    }
    encore = Path(sys.executable).with_name("encore")
    process = subprocess.Popen(
        [str(encore), "run", "--no-reports"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    runs = workdir / "data" / "runs"
    children: dict[int, str] = {}
    deadline = time.monotonic() + 480
    while time.monotonic() < deadline and process.poll() is None:
        children = _descendants(process.pid)
        server = any("prefect.server.api.server:create_app" in c for c in children.values())
        if server and runs.is_dir() and any(p.name != "latest" for p in runs.iterdir()):
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.2)
    else:
        process.kill()
        result.problems.append("the run ended or never reached its first step before the kill")
    process.wait(timeout=30)
    time.sleep(10)  # the parent-death signal is immediate; give the server time to exit
    left = [pid for pid in children if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    result.trials, result.faults = 1, 1
    result.leaked = len(left)
    result.notes = f"{len(children)} child processes at the kill; {len(left)} left 10 s later"
    return result


def _descendants(root: int) -> dict[int, str]:
    """The living descendants of ``root`` (from /proc): pid -> command line."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            table[int(entry.name)] = (int(stat[stat.rindex(")") + 2 :].split()[1]), cmd)
    out: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, cmd) in table.items():
            if ppid == parent and pid not in out and _alive(pid):
                out[pid] = cmd
                frontier.append(pid)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


CHECKS: tuple[Callable[[Path], ScenarioResult], ...] = (
    _backlog,
    _formattings,
    _storage_text,
    _ordinary_names,
    _chat_markup,
    _calendar,
    _secret_forms,
    _audit_tampering,
    _two_runs,
    _export_entries,
    _lifetime,
)


def run_careless(
    *,
    trials: int = 1,
    seed: int = 0,
    workdir: Path,
    checks: tuple[Callable[[Path], ScenarioResult], ...] = CHECKS,
) -> list[ScenarioResult]:
    """Every check once (they are deterministic: ``trials`` and ``seed`` change nothing)."""
    results = []
    for check in checks:
        folder = workdir / check.__name__.strip("_")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            results.append(check(folder))
        except Exception as exc:  # a check that crashes is a failed row
            results.append(ScenarioResult(check.__name__.strip("_"), problems=[f"crashed: {exc!r}"[:300]]))
    return results
