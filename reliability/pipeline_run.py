"""The whole main job on hostile input with a canary in every secret: no injection, no leak.

The pipeline runs in a child process (``python -c``) so that everything it prints is captured
and scanned, with its own Prefect home, data and reports folders under ``workdir``, and its own
temporary Prefect API unless it is given a running one (the test session's) together with the
folder of that API's database: Prefect's database is scanned too. Its alert channels (Sentry
DSN, PagerDuty, webhook) point at the loopback receivers, whose payloads are scanned too.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from analytics import demo
from analytics.audit import verify
from analytics.sandbox.alert_receivers import AlertReceivers
from analytics.warehouse import Warehouse
from reliability import leaks
from reliability.hostile import CORPUS, HOSTILE_STRINGS, MARKER, hostile_catalog
from reliability.result import ScenarioResult

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ("history_hostile.json",)
# One input of each kind the main job sets aside alone: a history file cut short, a Spotify for
# Artists row dated Excel's zero date among good rows, and a genre that fails drafts' fact check.
UNREADABLE = "Streaming_History_Audio_truncated.json"
AUDIENCE_DAYS = ("2026-01-05", "2026-01-06")
HOSTILE_GENRE = "lo-fi [beats]"
CHILD = """
import json, sys
from flows.pipeline import pipeline
from flows.artist_monitoring import monitor_artist
from flows.ai_content_generation import generate_content
from flows._lifetime import no_idle_heartbeats
with no_idle_heartbeats():  # as the encore command runs its flows
    result = pipeline()
    print("PIPELINE-RESULT " + json.dumps({"outcome": result.outcome, "run_dir": str(result.run_dir),
          "reports": [str(p) for p in result.reports], "message": result.message,
          "set_aside": [item.as_dict() for item in result.set_aside]}))
    alerts = monitor_artist(sys.argv[1])
    print("MONITOR-RESULT " + json.dumps({"outcome": alerts.outcome, "message": alerts.message}))
    try:
        generate_content("NoSuchArtist0000000000")  # a failing flow: reported to Sentry
    except Exception as exc:
        print("FAILED-AS-EXPECTED " + exc.__class__.__name__)
"""
# an alert rule that fires on any catalog: a critical page on every channel
RULES = {
    "rules": [
        {
            "id": "reliability-canary",
            "kind": "threshold",
            "metric": "albums",
            "op": "<",
            "value": 1000,
            "severity": "critical",
            "dedup_key": "{rule_id}:{artist_id}",
        }
    ]
}


@dataclass(frozen=True)
class PrefectServer:
    """A running Prefect API and the folder holding its database."""

    url: str
    home: Path


@dataclass
class PipelineRun:
    """What one child pipeline run left behind."""

    home: Path
    returncode: int
    stdout: str
    stderr: str
    result: dict
    canaries: list[str]
    receivers: dict
    prefect_server_home: Path | None = None  # the database folder of the Prefect API it was given

    @property
    def prefect_home(self) -> Path:
        """The folder of the database of the Prefect API the run reported to."""
        return self.prefect_server_home or self.home / "prefect"


def _receivers_canaries(rx: AlertReceivers) -> dict[str, str]:
    rx.state.sentry_key = f"{leaks.CANARY_TAG}sentrykey"
    rx.state.routing_key = f"{leaks.CANARY_TAG}-routing-key"
    rx.state.webhook_token = f"{leaks.CANARY_TAG}-webhook-token"
    return {
        "sentry_dsn": rx.sentry_dsn,
        "pagerduty_routing_key": rx.state.routing_key,
        "alert_webhook_url": rx.webhook_url,
    }


def run_pipeline_child(
    workdir: Path, *, timeout_s: float = 900, prefect: PrefectServer | None = None
) -> PipelineRun:
    """Run the main job once on the hostile catalog and exports, every secret a canary.

    ``prefect``: a running Prefect API to report to (its database is scanned, so its other runs
    must not carry these canaries); by default the run starts its own under ``workdir``.
    """
    home = workdir / "pipeline"
    exports = home / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    for name in EXPORTS:  # under the name Spotify's download gives a history file
        shutil.copy(CORPUS / name, exports / f"Streaming_History_Audio_{Path(name).stem}.json")
    shutil.copy(CORPUS / "history_truncated.json", exports / UNREADABLE)
    catalog = hostile_catalog(demo.load_catalog())
    catalog["artists"][1]["genres"] = [HOSTILE_GENRE, *catalog["artists"][1]["genres"]]
    (exports / f"{catalog['artists'][0]['id']}-audience-timeline.csv").write_text(
        "date,listeners,streams\n"
        + "".join(f"{day},{10 + i},{100 + i}\n" for i, day in enumerate(AUDIENCE_DAYS))
        + "1900-01-01,12,102\n"
    )
    catalog_file = home / "catalog.json"
    catalog_file.write_text(json.dumps(catalog), encoding="utf-8")
    rules_file = home / "rules.yaml"
    rules_file.write_text(yaml.safe_dump(RULES), encoding="utf-8")
    with AlertReceivers().running() as rx:
        secrets = leaks.canary_env(overrides=_receivers_canaries(rx))
        # The leak scan reads the database of the Prefect API the run reports to: the one given,
        # else the run's own under home/prefect, never a server the environment merely names.
        inherited = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        if prefect is not None:
            inherited["PREFECT_API_URL"] = prefect.url
        env = {
            **inherited,
            **secrets,
            "ENCORE_PAGERDUTY_URL": rx.pagerduty_url,
            "ENCORE_DATA_DIR": str(home / "data"),
            "ENCORE_REPORTS_DIR": str(home / "reports"),
            "ENCORE_CATALOG_FILE": str(catalog_file),
            "ENCORE_STREAMING_EXPORTS_DIR": str(exports),
            "ENCORE_ALERT_RULES_FILE": str(rules_file),
            "PREFECT_HOME": str(home / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "GX_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        }
        done = subprocess.run(
            [sys.executable, "-c", CHILD, catalog["artists"][0]["id"]],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
        received = {
            "sentry": rx.state.sentry_events,
            "pagerduty": rx.state.pd_events,
            "webhook": rx.state.webhooks,
        }
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("PIPELINE-RESULT ")]
    result = json.loads(lines[-1].removeprefix("PIPELINE-RESULT ")) if lines else {}
    canaries = list(secrets.values()) + [v for v in _receivers_canaries_values(secrets)]
    server_home = None if prefect is None else prefect.home
    return PipelineRun(
        home, done.returncode, done.stdout, done.stderr, result, canaries, received, server_home
    )


def _receivers_canaries_values(secrets: dict[str, str]) -> list[str]:
    # the key inside the DSN and the token inside the webhook URL are secrets on their own
    dsn = secrets["ENCORE_SENTRY_DSN"]
    url = secrets["ENCORE_ALERT_WEBHOOK_URL"]
    return [dsn.split("//", 1)[1].split("@", 1)[0], url.rstrip("/").rsplit("/", 1)[1]]


def check_leaks(run: PipelineRun) -> ScenarioResult:
    """Scan the logs, every file written (warehouse, audit, reports, notebooks, Data Docs, runs,
    Prefect's own database) and the alert receivers' payloads for the canaries."""
    result = ScenarioResult("secret canaries through a full pipeline run")
    found = leaks.find_in_text(run.stdout + run.stderr, run.canaries, where="logs")
    found += leaks.scan_tree(run.home / "data", run.canaries)
    found += leaks.scan_tree(run.home / "reports", run.canaries)
    found += leaks.scan_tree(run.home / "prefect", run.canaries)  # the client's own files
    if run.prefect_home != run.home / "prefect":
        found += leaks.scan_tree(run.prefect_home, run.canaries)  # the API's database
    warehouse = Warehouse(f"sqlite:///{run.home / 'data' / 'encore.sqlite'}")
    in_tables, cells = leaks.scan_warehouse(warehouse, run.canaries)
    warehouse.dispose()
    found += in_tables
    found += leaks.scan_payloads(run.receivers, run.canaries, where="alert receivers")
    alerts = len(run.receivers["pagerduty"]) + len(run.receivers["webhook"])
    result.check(alerts > 0, "no alert reached PagerDuty or the webhook: the alert path was not scanned")
    result.check(bool(run.receivers["sentry"]), "no event reached Sentry: the failure path was not scanned")
    result.check("FAILED-AS-EXPECTED" in run.stdout, "the failing flow did not fail")
    result.leaked = len(found)
    result.problems += found[:20]
    result.trials = 1
    result.faults = len(run.canaries)
    files = sum(1 for p in run.home.rglob("*") if p.is_file())
    result.notes = (
        f"{len(run.canaries)} canaries; scanned {files} files, {cells} warehouse cells, "
        f"{len(run.stdout) + len(run.stderr)} chars of logs, "
        f"{sum(len(v) for v in run.receivers.values())} alert payloads"
    )
    return result


def check_injection(run: PipelineRun) -> ScenarioResult:
    """The hostile catalog reached the warehouse verbatim and the report escaped; nothing ran."""
    result = ScenarioResult("hostile names and exports through the pipeline to the reports")
    result.trials, result.faults = 1, len(HOSTILE_STRINGS) + len(EXPORTS)
    result.check(run.returncode == 0, f"the pipeline crashed: {run.stderr[-600:]}")
    result.check(run.result.get("outcome") in {"ok", "partial"}, f"pipeline outcome {run.result}")
    result.check("MONITOR-RESULT " in run.stdout, f"the monitoring run crashed: {run.stderr[-400:]}")
    warehouse = Warehouse(f"sqlite:///{run.home / 'data' / 'encore.sqlite'}")
    names = {r["name"] for r in warehouse.rows("tracks")}
    stored = [s for s in HOSTILE_STRINGS if s in names]
    missing = [s[:40] for s in HOSTILE_STRINGS if s not in names]
    result.lost += len(missing)
    result.check(not missing, f"hostile names not stored verbatim: {missing}")
    result.check(verify(warehouse).ok, "the audit chain does not verify")
    warehouse.dispose()
    pages = [Path(p) for p in run.result.get("reports", [])]
    result.check(bool(pages), "no report was rendered")
    shown_per_page = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for raw in ("<script>document.title", "<img src=x", "</script><script>"):
            if raw in text:
                result.injected += 1
                result.problems.append(f"{page.name}: unescaped {raw!r}")
        shown_per_page.append(sum(1 for s in stored if _shown_escaped(s, text)))
    result.check(sum(shown_per_page) > 0, "no hostile track name is shown (escaped) in any report")
    browser_note = _check_in_browser(result, pages)
    marker = MARKER
    result.injected += int(marker.exists())
    result.notes = (
        f"{len(stored)} hostile names stored verbatim; {len(pages)} report(s) checked, showing "
        f"{'/'.join(map(str, shown_per_page))} of them escaped; {browser_note}"
    )
    return result


def check_set_aside(run: PipelineRun) -> ScenarioResult:
    """One bad draft, export file and export row were set aside alone: the run completed
    ``partial``, stored the good rows, rendered every report, and named each item in its
    closing audit record and in every report."""
    result = ScenarioResult("one bad draft, export file and 1900-01-01 row set aside; the run completes")
    result.trials, result.faults = 1, 3
    result.check(run.returncode == 0, f"the pipeline crashed: {run.stderr[-600:]}")
    result.check(run.result.get("outcome") == "partial", f"pipeline outcome {run.result.get('outcome')}")
    items = run.result.get("set_aside", [])
    expected = {
        "draft": lambda i: i["what"] == "draft" and "placeholder" in i["reason"],
        "export file": lambda i: i["what"] == "export file" and i["item"] == UNREADABLE,
        "export row": lambda i: i["what"] == "export row" and "1900-01-01" in i["reason"],
    }
    named = {kind: [i for i in items if test(i)] for kind, test in expected.items()}
    for kind, found in named.items():
        result.check(bool(found), f"no {kind} set aside: {items[:5]}")
    pages = [Path(p) for p in run.result.get("reports", [])]
    result.check(len(pages) >= 2, f"reports not rendered: {pages}")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for kind, found in named.items():
            if found and html.escape(found[0]["item"]) not in text:
                result.problems.append(f"{page.name} does not name the {kind} set aside")
    warehouse = Warehouse(f"sqlite:///{run.home / 'data' / 'encore.sqlite'}")
    try:
        days = {r["day"].isoformat() for r in warehouse.rows("s4a_audience_daily")}
        result.tally(expected=len(AUDIENCE_DAYS), found=len(days & set(AUDIENCE_DAYS)))
        result.injected += sum(1 for d in days if d.startswith("1900"))
        result.injected += sum(1 for d in warehouse.rows("content_drafts") if not d["grounded"])
        run_id = Path(str(run.result.get("run_dir", ""))).name
        entries = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
        closing = [e for e in entries if e["run_id"] == run_id and e["task"] == "run"]
        aside = closing[0]["details"].get("set_aside", []) if closing else []
        result.check(aside == items, "the run's closing audit record does not list what was set aside")
    finally:
        warehouse.dispose()
    result.notes = (
        f"{len(items)} items set aside ({', '.join(f'{len(v)} {k}' for k, v in named.items())}); "
        f"{len(pages)} reports rendered, each naming them"
    )
    return result


def _shown_escaped(name: str, page: str) -> bool:
    """The name in the page as HTML text, an HTML attribute or JSON in a script (figures)."""
    as_json = json.dumps(name)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return html.escape(name, quote=False) in page or html.escape(name) in page or as_json in page


def _check_in_browser(result: ScenarioResult, pages: list[Path]) -> str:
    """Open each report in headless Chromium: no script of the names ran, nothing was fetched."""
    from tests.e2e.browser import browser, chromium_path, visit

    if chromium_path() is None:
        return "no Chromium on this machine: the pages were checked as text only"
    with browser() as b:
        for page in pages:
            seen = visit(b, page, width=1280)
            title = str(seen.facts.get("title") or "")
            if title.startswith("xss-") or seen.dialogs:
                result.injected += 1
                result.problems.append(
                    f"{page.name}: a hostile name ran as script ({title!r}, {seen.dialogs})"
                )
            result.check(not seen.outside_requests, f"{page.name}: fetched {seen.outside_requests[:3]}")
    return "opened in headless Chromium: no script ran, nothing fetched"
