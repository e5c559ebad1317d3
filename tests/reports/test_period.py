"""Report periods as users type them."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.reports import parse_period

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        (None, date(2026, 10, 26), date(2026, 11, 22), "2026-10-26_2026-11-22"),
        ("last-7d", date(2026, 11, 16), date(2026, 11, 22), "2026-11-16_2026-11-22"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
        ("2026-11-05", date(2026, 11, 5), date(2026, 11, 5), "2026-11-05"),
        ("2026-10-01..2026-10-31", date(2026, 10, 1), date(2026, 10, 31), "2026-10-01_2026-10-31"),
    ],
)
def test_accepted_periods(text: str | None, start: date, end: date, label: str) -> None:
    period = parse_period(text, today=TODAY)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-10-31..2026-10-01", "before the start"),
        ("2026-13", "not a real date"),
        ("last month", "YYYY-MM"),
        ("last-0d", "at least one day"),
        ("../../etc", "YYYY-MM"),
    ],
)
def test_refused_periods_say_what_is_accepted(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_period(text, today=TODAY)
