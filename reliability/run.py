"""The full reliability suite: every scenario with its full trial count, then docs/RELIABILITY.md.

::

    uv run python -m reliability                 # everything (about 10-20 minutes)
    uv run python -m reliability --quick         # the CI trial counts
    uv run python -m reliability --only faults   # one scenario
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: reliability/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reliability.result import ScenarioResult, render_table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "RELIABILITY.md"


def _exports(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.exports import run_hostile_exports

    return [run_hostile_exports(trials=trials, seed=seed, workdir=workdir)]


def _faults(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.faults import run_sync_faults

    return [run_sync_faults(trials=trials, seed=seed, workdir=workdir)]


def _social_faults(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.faults import run_social_faults

    return [run_social_faults(trials=trials, seed=seed, workdir=workdir)]


def _pipeline_faults(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.pipeline_faults import run_pipeline_faults

    return [run_pipeline_faults(trials=trials, seed=seed, workdir=workdir)]


def _sync_kills(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.crash import run_sync_kills

    return [run_sync_kills(trials=trials, seed=seed + 20261123, workdir=workdir)]


def _ingest_kills(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.ingest_kill import run_ingest_kills

    return [run_ingest_kills(trials=trials, seed=seed + 11, workdir=workdir)]


def _alert_kills(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.alert_kill import run_alert_kills

    return [run_alert_kills(trials=trials, seed=seed + 17, workdir=workdir)]


def _playlist_kills(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.playlist_kill import run_playlist_kills

    return [run_playlist_kills(trials=trials, seed=seed + 23, workdir=workdir)]


def _pipeline(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.pipeline_run import check_injection, check_leaks, check_set_aside, run_pipeline_child

    injection: list[ScenarioResult] = []
    leak: list[ScenarioResult] = []
    aside: list[ScenarioResult] = []
    for trial in range(trials):
        run = run_pipeline_child(workdir / f"trial{trial}")
        injection.append(check_injection(run))
        leak.append(check_leaks(run))
        aside.append(check_set_aside(run))
    return [_merge(injection), _merge(leak), _merge(aside)]


def _merge(results: list[ScenarioResult]) -> ScenarioResult:
    out = ScenarioResult(results[0].scenario, notes=results[-1].notes)
    for r in results:
        out.trials += r.trials
        out.faults += r.faults
        out.lost += r.lost
        out.duplicated += r.duplicated
        out.leaked += r.leaked
        out.injected += r.injected
        out.problems += r.problems
    return out


def _careless(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.careless import run_careless

    return run_careless(trials=trials, seed=seed, workdir=workdir)


def _load(trials: int, seed: int, workdir: Path) -> list[ScenarioResult]:
    from reliability.load import run_realtime_soak

    return [run_realtime_soak(trials=trials, seed=seed, workdir=workdir, rate=2000, seconds=20)]


# name -> (run, full trials, CI trials)
SCENARIOS: dict[str, tuple[Callable[[int, int, Path], list[ScenarioResult]], int, int]] = {
    "exports": (_exports, 3, 1),
    "pipeline": (_pipeline, 1, 1),
    "faults": (_faults, 10, 2),
    "social-faults": (_social_faults, 5, 1),
    "pipeline-faults": (_pipeline_faults, 3, 1),
    "sync-kill": (_sync_kills, 20, 2),
    "ingest-kill": (_ingest_kills, 20, 3),
    "playlist-kill": (_playlist_kills, 20, 2),
    "alert-kill": (_alert_kills, 20, 3),
    "load": (_load, 3, 1),
    "careless": (_careless, 1, 1),
}


def run_all(*, quick: bool = False, only: list[str] | None = None, seed: int = 0) -> list[ScenarioResult]:
    """Run the scenarios (``only`` some of them), each in its own temporary folder."""
    results: list[ScenarioResult] = []
    for name, (fn, full, ci) in SCENARIOS.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"encore-reliability-{name}-") as folder:
            try:
                found = fn(ci if quick else full, seed, Path(folder))
            except Exception as exc:  # a scenario that crashes is a failed row, not a stopped suite
                found = [ScenarioResult(name, problems=[f"crashed: {exc.__class__.__name__}: {exc}"])]
        elapsed = time.perf_counter() - started
        for r in found:
            r.notes = f"{r.notes}; {elapsed:.0f} s".lstrip("; ")
            print(f"{'pass' if r.ok else 'FAIL'}  {r.scenario}: {r.summary()}", flush=True)
        results += found
    return results


def write_doc(results: list[ScenarioResult], *, path: Path = DOC, quick: bool = False) -> Path:
    """Write the table with how it was produced."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    verdict = "every scenario passed" if all(r.ok for r in results) else "SOME SCENARIOS FAILED"
    text = f"""# Reliability and security

Generated by `uv run python -m reliability{" --quick" if quick else ""}` on {now}
({platform.machine()}, Python {platform.python_version()}): {verdict}. Do not edit by hand.

{render_table(results)}
What each row checks:

- **hostile exports and audio**: the files of `tests/data/hostile/` plus two exports with a
  10 MB field (generated) through the streaming ingest; each file ends in a clear error that
  names it and says what to do, or in exactly the expected rows stored and rejected (with
  reasons); the tables and their rows survive SQL in the data; a well-formed export after them
  is stored once; corrupt audio is quarantined with a reason.
- **hostile names and exports through the pipeline**: the main job (sync, validate, store,
  streaming, social, content, reports) on a catalog file whose names carry HTML/JS, SQL, format
  strings, shell and Python code, RTL overrides, control characters and 10,000 characters; the
  names are stored verbatim, shown escaped in the report, no raw markup reaches the page, the
  audit chain verifies and no shell or notebook code ran (no marker file appeared).
- **one bad draft, export file and row set aside**: the same run's inputs also hold an artist
  genre that fails some drafts' fact check (`lo-fi [beats]` reads as a placeholder), a history
  file cut short and a Spotify for Artists row dated 1900-01-01 among good rows; the run
  completes `partial`, stores the good rows and only grounded drafts, renders every report, and
  its closing audit record and every report name each item set aside with its reason.
- **secret canaries**: a unique canary in every `SecretStr` setting (the alert channels pointing
  at loopback Sentry, PagerDuty and webhook receivers); the logs, every file written (warehouse,
  audit, run folders, executed notebooks, Data Docs, reports, Prefect's own database), every
  cell of every warehouse table and every payload the receivers got hold none of them.
- **catalog sync under HTTP faults**: ~20% of API requests fail (503, 500, 429, timeouts,
  resets, truncated JSON), plus a short 429 storm (waited for) and a 1-hour `Retry-After`
  (checkpoint, resumed by the next run); the warehouse's content hash equals the fault-free
  run's and the extra requests stay within faults x attempts.
- **social sync under HTTP faults**: every demo artist through `analytics.social.sync_artist`
  against the social sandbox (YouTube, Instagram, X, TikTok, MusicBrainz) failing ~20% of
  requests (5xx, 429 answered the platform's way with a short wait, timeouts, resets, truncated
  JSON), X rate-limited for an hour; X does not complete and the other platforms are not held up
  (a partial run, as `analytics.social` documents); the rerun completes every platform and the
  social tables, run bookkeeping aside, hash like a fault-free sync's.
- **the full pipeline under HTTP faults**: the main job (sync, monitoring, streaming, social,
  content) in one child process, its settings pointing at the Spotify and the social sandboxes
  as at the real services, with ~20% of the requests to either failing (as above), a short 429
  storm on Spotify and a 1-hour rate limit on X; the faulty run ends `partial` with X audited
  `failed`, the rerun completes it, and every table's current rows (run bookkeeping and the
  rows a later run superseded aside) hash like two fault-free runs'; the extra requests stay
  within faults x attempts.
- **SIGKILL of the sync / streaming ingest**: killed at seeded points, rerun; same content as an
  uninterrupted run, no row lost or inserted twice, audit chain verifies.
- **SIGKILL of the playlist apply**: the plan and apply of `update_playlist`
  (`analytics.curation`, audited) in a forked child against a Spotify sandbox that outlives it, killed at a seeded count of its requests, then run again;
  the playlist equals the target, no track twice, every track inserted or removed at most once
  and every kept track keeps its entry, the audit chain verifies.
- **SIGKILL of alert delivery**: four alerts (twelve outbox messages) decided and sent by a
  forked child that the receivers kill at a seeded request, before taking it (decided, not sent)
  or after storing it (sent, not marked); after the rerun every receiver holds each alert once,
  every outbox row is sent, at most one resend a kill (dropped by its idempotency key).
- **careless and hostile use** (one row each; `reliability/careless.py`): a run killed between
  ingest and aggregation followed by a run with other files (the backlog is recomputed); one
  play written three ways (stored once); NUL bytes and lone surrogates in names (stored alike
  on SQLite and PostgreSQL, nothing rewritten by a second run); names with a URL, brackets or
  60 characters (every draft grounded); Slack markup in a track name (no live mention or
  link); release dates the calendar does not have (refused by the albums suite); a secret as
  parsers rewrite it (never shown); audit tampering (a cut tail with its head file, a forged
  record, an edit re-chained: each named by `verify`); two runs at once (the second refused);
  links, a FIFO, a folder and a zip named like exports (each refused by name without being
  opened, the good export beside them stored, nothing outside the folder read); `kill -9` of
  `encore run` once Prefect's temporary API is up and the run has begun (no child process, the
  API server included, is left running 10 s later).
- **real-time consumer soak**: plays published to Redis at a fixed 2,000 events/s for 20 s (and
  the first tick published again, as a retrying producer would); every event stored exactly
  once; the notes give the events/s stored and the p99 lag from publish to store.
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the CI trial counts")
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS), help="run only these")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/RELIABILITY.md")
    args = parser.parse_args(argv)
    results = run_all(quick=args.quick, only=args.only, seed=args.seed)
    if not args.no_doc:
        print(f"wrote {write_doc(results, quick=args.quick)}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
