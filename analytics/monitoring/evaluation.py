"""Rule evaluation (pure): facts and the snapshot series in, findings out.

A finding is one subject of one rule in one state:

- ``firing``: the condition holds (an incident opens unless one is open or cooling down);
- ``hold``: not firing, but not cleared either (hysteresis, or not enough history yet);
- ``clear``: the condition does not hold (an open incident resolves);
- ``unavailable``: the quota mode or the data cannot tell (reported once, never as firing).

Per-item rules (anomaly, new_release, playlist_removal) report only their firing items; an
open incident whose item is no longer reported has cleared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from analytics.monitoring.facts import ArtistFacts
from analytics.monitoring.findings import Finding, jsonable
from analytics.monitoring.rules import REALTIME_KINDS
from analytics.monitoring.snapshot import MetricValue
from analytics.monitoring.timeseries import trends

_OPS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def evaluate(
    rules: Sequence[Any],
    facts: ArtistFacts,
    *,
    values: Sequence[MetricValue],
    series: pd.DataFrame,
) -> list[Finding]:
    """Every enabled batch rule against one artist's facts (real-time rules are skipped)."""
    current = {v.metric: v for v in values}
    findings: list[Finding] = []
    for rule in rules:
        if not rule.enabled or rule.kind in REALTIME_KINDS:
            continue
        findings.extend(_EVALUATORS[rule.kind](rule, facts, current, series))
    return findings


def _finding(rule: Any, facts: ArtistFacts, subject: str, state: str, summary: str, **info: Any) -> Finding:
    metric = str(getattr(rule, "metric", ""))
    return Finding(rule, facts.artist_id, subject, state, summary, jsonable(info), metric)


def _threshold(rule: Any, facts: ArtistFacts, current: Mapping[str, MetricValue], _s: Any) -> list[Finding]:
    value = current.get(rule.metric)
    name = facts.artist_id
    if value is None or value.value is None:
        reason = value.reason if value else f"metric {rule.metric!r} is not in the snapshot"
        return [
            _finding(
                rule, facts, rule.metric, "unavailable", f"{rule.metric} of {name}: {reason}", reason=reason
            )
        ]
    observed = value.value
    fired = _OPS[rule.op](observed, rule.value)
    state = "firing" if fired else "clear"
    if not fired and rule.resolve.value is not None and _OPS[rule.op](observed, rule.resolve.value):
        state = "hold"
    summary = f"{rule.metric} of {name} is {observed:g} ({rule.op} {rule.value:g} fires)"
    return [
        _finding(
            rule, facts, rule.metric, state, summary, observed=observed, source=value.source, day=facts.day
        )
    ]


def _pct_change(
    rule: Any, facts: ArtistFacts, current: Mapping[str, MetricValue], series: pd.DataFrame
) -> list[Finding]:
    value = current.get(rule.metric)
    if value is None or value.value is None:
        reason = value.reason if value else f"metric {rule.metric!r} is not in the snapshot"
        return [_finding(rule, facts, rule.metric, "unavailable", f"{rule.metric}: {reason}", reason=reason)]
    w = rule.window_days
    rows = series[series["metric"] == rule.metric] if not series.empty else series
    table = trends(rows, as_of=facts.day, windows=[w])
    growth = float(table.loc[rule.metric, f"growth_{w}d"]) if rule.metric in table.index else math.nan
    delta = float(table.loc[rule.metric, f"delta_{w}d"]) if rule.metric in table.index else math.nan
    if math.isnan(growth):
        return [
            _finding(rule, facts, rule.metric, "hold", f"{rule.metric}: no value {w} days earlier to compare")
        ]
    pct = growth * 100
    fired = {
        "up": pct >= rule.percent,
        "down": -pct >= rule.percent,
        "either": abs(pct) >= rule.percent,
    }[rule.direction]
    state = "firing" if fired else "clear"
    if not fired and rule.resolve.value is not None and abs(pct) >= rule.resolve.value:
        state = "hold"
    summary = (
        f"{rule.metric} of {facts.artist_id} changed {pct:+.1f}% over {w} days (threshold {rule.percent:g}%)"
    )
    return [
        _finding(
            rule,
            facts,
            rule.metric,
            state,
            summary,
            observed=value.value,
            earlier=value.value - delta,
            delta=delta,
            percent=round(pct, 3),
            window_days=w,
        )
    ]


def _anomaly(rule: Any, facts: ArtistFacts, _c: Any, _s: Any) -> list[Finding]:
    out = []
    for a in facts.anomalies:
        if (facts.day - a["day"]).days >= rule.within_days or a["score"] < rule.min_score:
            continue
        if rule.level and a["level"] != rule.level:
            continue
        what = facts.track_names.get(a["entity_id"], a["entity_id"])
        summary = (
            f"streaming anomaly on {a['day']}: {a['kind']} of {a['metric']} for {a['level']} {what} "
            f"(observed {a['observed']:g}, expected {a['expected'] if a['expected'] is not None else 'n/a'})"
        )
        out.append(_finding(rule, facts, str(a["anomaly_id"]), "firing", summary, **a))
    return out


def _new_release(rule: Any, facts: ArtistFacts, _c: Any, _s: Any) -> list[Finding]:
    since = facts.now - timedelta(days=rule.within_days)
    earliest = (facts.day - timedelta(days=rule.within_days)).isoformat()
    return [
        _finding(
            rule,
            facts,
            r["album_id"],
            "firing",
            f"new {r['album_type']} {r['name']!r} released {r['release_date']}",
            **r,
        )
        for r in facts.new_releases
        if r["first_seen"] >= since and r["release_end"] >= earliest
    ]


def _playlist_removal(rule: Any, facts: ArtistFacts, _c: Any, _s: Any) -> list[Finding]:
    since = facts.now - timedelta(days=rule.within_days)
    return [
        _finding(
            rule,
            facts,
            f"{r['playlist_id']}/{r['track_id']}",
            "firing",
            f"track {r['track']!r} was removed from playlist {r['playlist']!r}",
            **r,
        )
        for r in facts.playlist_removals
        if r["removed_at"] >= since
    ]


def _sync_status(rule: Any, facts: ArtistFacts, _c: Any, _s: Any) -> list[Finding]:
    last = facts.sync_runs.get(rule.flow) or {}
    if not last:
        return [_finding(rule, facts, rule.flow, "hold", f"no run of {rule.flow} recorded yet")]
    fired = last.get("outcome") in rule.outcomes
    summary = f"last run of {rule.flow} ended {last.get('outcome')}: {last.get('message') or 'no message'}"
    return [_finding(rule, facts, rule.flow, "firing" if fired else "clear", summary, **last)]


def _quota(rule: Any, facts: ArtistFacts, _c: Any, _s: Any) -> list[Finding]:
    last = facts.sync_runs.get(rule.flow) or {}
    resume = facts.checkpoints_resume_at
    if last.get("resume_at"):
        stamp = datetime.fromisoformat(str(last["resume_at"]))
        if stamp > facts.now and (resume is None or stamp > resume):
            resume = stamp
    if resume is None:
        return [_finding(rule, facts, "spotify", "clear", "Spotify quota available")]
    summary = f"Spotify quota exhausted; the sync resumes after {resume.isoformat(timespec='seconds')}"
    return [_finding(rule, facts, "spotify", "firing", summary, resume_at=resume, run_id=last.get("run_id"))]


_EVALUATORS = {
    "threshold": _threshold,
    "pct_change": _pct_change,
    "anomaly": _anomaly,
    "new_release": _new_release,
    "playlist_removal": _playlist_removal,
    "sync_status": _sync_status,
    "quota_exhausted": _quota,
}
