"""Alert rules as data: a YAML file validated with pydantic, one clear error per bad rule.

::

    rules:
      - id: streams-drop-7d
        kind: pct_change
        metric: streams_7d
        window_days: 7
        direction: down
        percent: 30
        severity: warning
        cooldown: 6h
        dedup_key: "{rule_id}:{artist_id}"
        resolve: {when: clear}

Kinds: ``threshold``, ``pct_change``, ``anomaly``, ``new_release``, ``playlist_removal``,
``sync_status``, ``quota_exhausted`` (evaluated by :func:`analytics.monitoring.evaluate`)
and ``plays_spike`` (real time, :mod:`analytics.monitoring.live`).
"""

from __future__ import annotations

import re
import string
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from analytics.config import PROJECT_ROOT

CHANNELS = ("sentry", "pagerduty", "webhook")
TEMPLATE_FIELDS = frozenset({"rule_id", "artist_id", "subject", "metric", "kind"})
DEFAULT_RULES_FILE = PROJECT_ROOT / "config" / "alert_rules.yaml"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rules_path(settings: Any) -> Path:
    """The rules file in use: ``ENCORE_ALERT_RULES_FILE`` or ``config/alert_rules.yaml``."""
    return settings.alert_rules_file or DEFAULT_RULES_FILE


class RulesFileError(ValueError):
    """The rules file is unreadable or some rules are invalid; the message names each one."""


def parse_duration(value: Any) -> timedelta:
    """``"90s"``, ``"15m"``, ``"6h"``, ``"1d"`` or a number of seconds as a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration; write e.g. 90s, 15m, 6h or 1d")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


class Resolve(BaseModel):
    """When an incident resolves: when its condition clears (optionally past ``value``), or never."""

    model_config = ConfigDict(extra="forbid")
    when: Literal["clear", "manual"] = "clear"
    value: float | None = Field(default=None, description="hysteresis: the metric must pass this")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")
    description: str = ""
    severity: Literal["critical", "error", "warning", "info"] = "warning"
    cooldown: timedelta = timedelta(hours=1)
    dedup_key: str = "{rule_id}:{artist_id}:{subject}"
    resolve: Resolve = Resolve()
    channels: tuple[Literal["sentry", "pagerduty", "webhook"], ...] | None = None
    enabled: bool = True

    @field_validator("cooldown", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> timedelta:
        return parse_duration(value)

    @field_validator("dedup_key")
    @classmethod
    def _template(cls, value: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        unknown = names - TEMPLATE_FIELDS
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; use only {sorted(TEMPLATE_FIELDS)}")
        if "artist_id" not in names:
            raise ValueError("must contain {artist_id} so that artists do not share incidents")
        return value

    def key(self, *, artist_id: str, subject: str, metric: str = "") -> str:
        """The dedup key of one finding, from the rule's template."""
        return self.dedup_key.format(
            rule_id=self.id, artist_id=artist_id, subject=subject, metric=metric, kind=self.kind_name
        )[:255]

    @property
    def kind_name(self) -> str:
        return str(getattr(self, "kind", ""))

    def explain(self) -> dict[str, Any]:
        """The rule as stored with every alert it raises (JSON-ready)."""
        return self.model_dump(mode="json")


class ThresholdRule(_Rule):
    """``metric`` (latest snapshot) compared with ``value``."""

    kind: Literal["threshold"]
    metric: str
    op: Literal[">", ">=", "<", "<="]
    value: float


class PctChangeRule(_Rule):
    """Relative change of ``metric`` over ``window_days`` of at least ``percent`` in ``direction``."""

    kind: Literal["pct_change"]
    metric: str
    window_days: int = Field(ge=1, le=365)
    direction: Literal["up", "down", "either"] = "either"
    percent: float = Field(gt=0)


class AnomalyRule(_Rule):
    """A streaming anomaly of the artist in the last ``within_days`` (optionally of one level)."""

    kind: Literal["anomaly"]
    within_days: int = Field(default=2, ge=1, le=90)
    level: Literal["track", "artist"] | None = None
    min_score: float = 0.0


class NewReleaseRule(_Rule):
    """A release of the artist first seen within ``within_days``."""

    kind: Literal["new_release"]
    within_days: int = Field(default=7, ge=1, le=90)


class PlaylistRemovalRule(_Rule):
    """One of the artist's tracks left a tracked playlist within ``within_days``."""

    kind: Literal["playlist_removal"]
    within_days: int = Field(default=7, ge=1, le=90)


class SyncStatusRule(_Rule):
    """The last run of ``flow`` (audit log) ended with one of ``outcomes``."""

    kind: Literal["sync_status"]
    flow: str = "sync_artist_data"
    outcomes: tuple[Literal["partial", "failed"], ...] = ("partial", "failed")


class QuotaExhaustedRule(_Rule):
    """The last sync stopped on the Spotify quota and has not resumed yet."""

    kind: Literal["quota_exhausted"]
    flow: str = "sync_artist_data"


class PlaysSpikeRule(_Rule):
    """Real time: a track's plays in the current minute vs its rolling per-minute baseline."""

    kind: Literal["plays_spike"]
    baseline_minutes: int = Field(default=15, ge=1, le=24 * 60)
    factor: float = Field(default=5.0, gt=1)
    min_plays: int = Field(default=20, ge=1)


Rule = Annotated[
    ThresholdRule
    | PctChangeRule
    | AnomalyRule
    | NewReleaseRule
    | PlaylistRemovalRule
    | SyncStatusRule
    | QuotaExhaustedRule
    | PlaysSpikeRule,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Rule)
REALTIME_KINDS = frozenset({"plays_spike"})


def parse_rules(document: Any, *, source: str = "<rules>") -> list[Any]:
    """Validated rules from a parsed YAML document (``{"rules": [...]}`` or a list).

    Raises
    ------
    RulesFileError : listing every bad rule by id (or position) and field, with what to fix.
    """
    items = document.get("rules") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise RulesFileError(f"{source}: expected a mapping with a 'rules:' list of rules")
    rules: list[Any] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        name = item.get("id") if isinstance(item, dict) and item.get("id") else f"#{number}"
        try:
            rule = _ADAPTER.validate_python(item)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"]) or "(rule)"
                problems.append(f"rule {name!r}, field {where!r}: {error['msg']}")
            continue
        if rule.id in seen:
            problems.append(f"rule {name!r}, field 'id': duplicate id; ids must be unique")
            continue
        seen.add(rule.id)
        rules.append(rule)
    if problems:
        raise RulesFileError(
            f"{source}: {len(problems)} problem(s) in the alert rules:\n  "
            + "\n  ".join(problems)
            + "\nFix the rules file (see docs/monitoring.md for every kind and field)."
        )
    return rules


def load_rules(path: Path) -> list[Any]:
    """The enabled and disabled rules of a YAML file (see :func:`parse_rules`)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesFileError(f"cannot read the alert rules file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise RulesFileError(f"{path}: not valid YAML: {exc}") from exc
    return parse_rules(document, source=str(path))
