"""Reporting periods: the one before, and all of them by key."""

import datetime as dt

from ..models import (
    ReportingPeriod,
)


def shift_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def previous_start(period_or_frequency, start: dt.date | None = None) -> dt.date:
    from ..models import MONTHS_IN

    if isinstance(period_or_frequency, ReportingPeriod):
        frequency, start = period_or_frequency.frequency, period_or_frequency.start
    else:
        frequency = period_or_frequency
    return shift_months(start, -MONTHS_IN[frequency])


def periods_by_key() -> dict[tuple[str, dt.date], ReportingPeriod]:
    """Every period, keyed by (frequency, start): one query, a few hundred rows at most."""
    return {(p.frequency, p.start): p for p in ReportingPeriod.objects.all()}
