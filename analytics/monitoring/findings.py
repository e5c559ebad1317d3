"""A finding: one subject of one rule in one state, with its facts (no heavy imports)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One subject of one rule: its state, the facts behind it and a one-line summary."""

    rule: Any
    artist_id: str
    subject: str
    state: str  # firing | hold | clear | unavailable
    summary: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    metric: str = ""

    @property
    def key(self) -> str:
        return str(self.rule.key(artist_id=self.artist_id, subject=self.subject, metric=self.metric))


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, NaN as None, containers walked (for facts stored with alerts)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):
        return jsonable(value.item())
    return value
