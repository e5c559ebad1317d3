"""The main job with both the Spotify and the social sandboxes faulty, then rerun.

The pipeline runs in a child process (its own Prefect home and data folder) configured as if
for the real services, pointed at two loopback sandboxes this process serves: the Spotify
sandbox (demo catalog) and the social sandbox (YouTube, Instagram, X, TikTok, MusicBrainz).
Two fault-free runs give the reference warehouse. Each trial then runs the job with about 20% of
the requests to either sandbox failing (5xx, 429 with a short wait, timeouts, resets, truncated
JSON, seeded), plus a 1-hour rate limit on X: as documented in ``analytics.social``, that
platform's sync ends ``failed`` for this run (audited, the job ``partial``) while everything
else completes. A rerun without faults completes it, and the warehouse must hash like the
reference's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analytics.audit import verify
from analytics.sandbox.social import SocialSandbox
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.warehouse import Warehouse
from analytics.warehouse.db import content_hash_of_rows
from reliability.faults import fault_rules, social_fault_rules
from reliability.result import ScenarioResult

ROOT = Path(__file__).resolve().parents[1]
# One child process runs every pipeline of the scenario, one per line it reads (the run's
# folder): Python, Prefect and its temporary server start once, not once a run.
CHILD = """
import json, os, sys
from flows._lifetime import no_idle_heartbeats
from flows.pipeline import pipeline
for line in sys.stdin:
    home = line.strip()
    os.environ.update({
        "ENCORE_DATA_DIR": home + "/data",
        "ENCORE_REPORTS_DIR": home + "/reports",
        "ENCORE_SPOTIFY_TOKEN_CACHE": home + "/cache/spotify-token.json",
        "ENCORE_SOCIAL_TOKEN_CACHE": home + "/cache/social-tokens.json",
    })
    try:
        with no_idle_heartbeats():  # as the encore command runs it
            result = pipeline(reports=False)
        out = {"outcome": result.outcome, "message": result.message}
    except Exception as exc:
        out = {"outcome": "crashed", "message": repr(exc)[:800]}
    print("PIPELINE-RESULT " + json.dumps(out), flush=True)
"""
# run bookkeeping: which run wrote a row and when (and ids drawn at random per row); compared
# without them, with run ids dropped from JSON provenance too
RUN_COLUMNS = (
    "first_seen_run",
    "last_changed_run",
    "removed_run",
    "removed_at",
    "run_id",
    "fetched_at",
    "created_at",
    "updated_at",
    "observed_at",
    "captured_at",
    "fired_at",
    "alert_id",
)
# hashes of content that cites its source runs (a fact sheet names the runs its facts come from)
RUN_DERIVED_IDS = {
    "content_fact_sheets": ("fact_sheet_id", "content_hash"),
    "content_drafts": ("fact_sheet_id", "draft_id", "content_hash"),
}
BOOKKEEPING = ("audit_records", "alembic_version", "entity_versions", "sync_checkpoints")
LONG_WAIT_PLATFORM = "x"
SPOTIFY_ATTEMPTS = 5  # RetryPolicy().max_attempts, the pipeline's client
SOCIAL_ATTEMPTS = 3  # PlatformHttp(server_retries=2): the first try and two retries


def _env(workdir: Path, spotify: SpotifySandbox, social: SocialSandbox) -> dict[str, str]:
    """The child's environment: real-service settings whose URLs and credentials are the sandboxes'."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_") or k.startswith("ENCORE_TEST_")}
    env.update(
        {
            **social.env(),
            "ENCORE_WORLD": "real",
            "ENCORE_SPOTIFY_API_URL": spotify.api_url,
            "ENCORE_SPOTIFY_ACCOUNTS_URL": spotify.accounts_url,
            "ENCORE_SPOTIFY_CLIENT_ID": spotify.client_id,
            "ENCORE_SPOTIFY_CLIENT_SECRET": spotify.client_secret,
            "ENCORE_SPOTIFY_REFRESH_TOKEN": spotify.user_refresh_token,
            "PREFECT_HOME": str(workdir / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "GX_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600",
            # What is checked is that every fault is retried and survived, not how long the
            # backoff lasts: short delays, and no 1 request/s pacing for the loopback MusicBrainz.
            "ENCORE_SPOTIFY_RETRY_BASE_DELAY_S": "0.01",
            "ENCORE_SOCIAL_RETRY_BASE_DELAY_S": "0.01",
            "ENCORE_MUSICBRAINZ_MIN_INTERVAL_S": "0",
        }
    )
    return env


class PipelineChild:
    """The child process that runs a pipeline each time :meth:`run` names a folder."""

    def __init__(self, workdir: Path, spotify: SpotifySandbox, social: SocialSandbox) -> None:
        self.log = (workdir / "child.log").open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            cwd=ROOT,
            env=_env(workdir, spotify, social),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def run(self, home: Path) -> dict:
        """One pipeline run with its data in ``home``; its outcome and message."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{home}\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("PIPELINE-RESULT "):
                result: dict = json.loads(line.removeprefix("PIPELINE-RESULT "))
                return result
        return {"outcome": "crashed", "message": f"the child exited with {self.process.wait()}"}

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def warehouse_of(home: Path) -> Warehouse:
    return Warehouse(f"sqlite:///{home / 'data' / 'encore.sqlite'}")


def _without_run_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_run_ids(v) for k, v in value.items() if k != "run_id"}
    if isinstance(value, list):
        return [_without_run_ids(v) for v in value]
    return value


def current_rows(warehouse: Warehouse, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` still current (not marked removed), without run bookkeeping."""
    drop = set(RUN_COLUMNS) | set(RUN_DERIVED_IDS.get(table, ()))
    return [
        {k: _without_run_ids(v) for k, v in row.items() if k not in drop}
        for row in warehouse.rows(table)
        if row.get("removed_run") is None
    ]


def table_states(warehouse: Warehouse) -> dict[str, tuple[str, int]]:
    """Per table, the content hash and count of its current rows without the run bookkeeping.

    Rows that a later run superseded (marked removed, kept as history) are left out: the
    warehouse's state is compared, and its history differs by design after a faulty run.
    """
    names = [t for t in warehouse.table_names() if t not in BOOKKEEPING]
    states = {}
    for table in sorted(names):
        rows = current_rows(warehouse, table)
        states[table] = (content_hash_of_rows(rows), len(rows))
    return states


def _platform_outcomes(warehouse: Warehouse) -> dict[str, set[str]]:
    """Per social platform, the statuses the audit records of the last social runs give it."""
    out: dict[str, set[str]] = {}
    for record in warehouse.rows("audit_records"):
        body = json.loads(record["body"]) if isinstance(record["body"], str) else record["body"]
        if not str(body.get("task", "")).startswith("social."):
            continue
        for platform, status in (body.get("outputs", {}).get("platforms") or {}).items():
            out.setdefault(platform, set()).add(status)
    return out


def _requests(spotify: SpotifySandbox, social: SocialSandbox) -> tuple[int, int]:
    """Requests served and faults injected by both sandboxes since their last reset."""
    records = spotify.requests + social.served
    return len(records), sum(1 for r in records if r.fault)


def _reset(spotify: SpotifySandbox, social: SocialSandbox) -> None:
    spotify.reset_stats()
    social.reset_stats()


def run_pipeline_faults(
    *, trials: int = 1, seed: int = 0, workdir: Path, rate: float = 0.2
) -> ScenarioResult:
    """``trials`` faulty pipeline runs, each rerun once without faults, against one fault-free run.

    Checked per trial: the faulty run does not crash and ends ``ok`` or ``partial``; the
    platform under the long rate limit is audited as ``failed`` and the job as ``partial``; the
    rerun ends ``ok`` or ``unchanged``; the warehouse, without run bookkeeping, hashes like the
    reference; the audit chain verifies; the extra requests of the faulty run stay within the
    faults injected times the attempts per request.
    """
    result = ScenarioResult("the full pipeline under Spotify and social HTTP faults, then rerun")
    today = datetime.now(UTC).date()
    spotify = SpotifySandbox(SandboxOptions(quota_mode="development", seed=seed))
    social = SocialSandbox(today=today)
    extra_total = 0
    with spotify.running(), social.running():
        child = PipelineChild(workdir, spotify, social)
        reference_home = workdir / "reference"
        ref = child.run(reference_home)
        reference_requests, _ = _requests(spotify, social)
        result.check(ref.get("outcome") in {"ok", "unchanged"}, f"the fault-free run: {ref}")
        # The trials run twice (faulty, then clean): so does the reference, so that what every
        # run adds by design (a monitoring snapshot, a content draft) is the same on both sides.
        again = child.run(reference_home)
        result.check(again.get("outcome") in {"ok", "unchanged"}, f"the fault-free rerun: {again}")
        reference_wh = warehouse_of(reference_home)
        expected = table_states(reference_wh)
        reference_wh.dispose()
        for trial in range(trials):
            home = workdir / f"faults{trial}"
            _reset(spotify, social)
            spotify.set_faults(fault_rules(rate), seed=seed * 1000 + trial)
            spotify.force_rate_limit(retry_after_s=1, count=3)  # a short storm: waited for
            social.set_faults(social_fault_rules(rate), seed=seed * 1000 + trial, retry_after_s=1)
            social.force_rate_limit(LONG_WAIT_PLATFORM, times=1, reset_s=3600)  # longer than we wait
            first = child.run(home)
            made, faults = _requests(spotify, social)
            spotify.set_faults([])
            social.set_faults([])
            social.force_rate_limit(LONG_WAIT_PLATFORM, times=0)
            result.check(first.get("outcome") == "partial", f"trial {trial}: faulty run {first}")
            warehouse = warehouse_of(home)
            outcomes = _platform_outcomes(warehouse)
            result.check(
                "failed" in outcomes.get(LONG_WAIT_PLATFORM, set()),
                f"trial {trial}: the 1-hour rate limit on {LONG_WAIT_PLATFORM} was not audited ({outcomes})",
            )
            rerun = child.run(home)
            result.check(rerun.get("outcome") in {"ok", "unchanged"}, f"trial {trial}: rerun {rerun}")
            got = table_states(warehouse)
            differ = sorted(t for t in set(expected) | set(got) if expected.get(t) != got.get(t))
            result.check(not differ, f"trial {trial}: tables differ from the fault-free run: {differ}")
            for table, (_, want) in expected.items():
                result.tally(expected=want, found=got.get(table, ("", 0))[1])
            result.check(verify(warehouse).ok, f"trial {trial}: the audit chain does not verify")
            warehouse.dispose()
            extra = made - reference_requests
            extra_total += extra
            bound = faults * max(SPOTIFY_ATTEMPTS, SOCIAL_ATTEMPTS) + 4
            result.check(extra <= bound, f"trial {trial}: {extra} extra requests for {faults} faults")
            result.faults += faults + 4
            result.trials += 1
        child.close()
    result.notes = (
        f"reference {reference_requests} requests; {extra_total} extra requests in all for "
        f"{result.faults} faults (bound: faults x {SPOTIFY_ATTEMPTS} attempts); "
        f"{LONG_WAIT_PLATFORM} audited as failed under a 1-hour rate limit, completed by the rerun"
    )
    return result
