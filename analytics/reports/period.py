"""Report periods: a month, an explicit date range, or the last N days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class Period:
    """An inclusive date range and the label used in folder names (``reports/<artist>/<label>``)."""

    start: date
    end: date
    label: str


def parse_period(text: str | None, *, today: date | None = None) -> Period:
    """Read a report period.

    Accepted: ``None`` or ``""`` (the last 28 full days), ``last-<N>d``, ``YYYY-MM`` (a month),
    ``YYYY-MM-DD`` (one day) and ``YYYY-MM-DD..YYYY-MM-DD``.

    Raises
    ------
    ValueError : any other text, or an end before the start; says which forms are accepted.
    """
    today = today or datetime.now(UTC).date()
    raw = (text or "last-28d").strip()
    if m := re.fullmatch(r"last-(\d{1,3})d", raw):
        days = int(m.group(1))
        if days < 1:
            raise ValueError(f"period {raw!r}: needs at least one day")
        end = today - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        return Period(start, end, f"{start.isoformat()}_{end.isoformat()}")
    try:
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            start = date.fromisoformat(f"{raw}-01")
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return Period(start, end, raw)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
            return Period(day, day, raw)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", raw):
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
            if end < start:
                raise ValueError(f"period {raw!r}: the end is before the start")
            return Period(start, end, f"{start.isoformat()}_{end.isoformat()}")
    except ValueError as error:
        if "period" in str(error):
            raise
        raise ValueError(f"period {raw!r}: not a real date ({error})") from error
    raise ValueError(
        f"period {raw!r} not understood: use YYYY-MM, YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or last-<N>d"
    )
