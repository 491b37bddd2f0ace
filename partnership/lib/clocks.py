"""Date arithmetic for the review clocks that `partnership.lib.working_days` does not cover.

Pure functions, no Django: counting backwards in working days (a notice due "7 working days
before" publication) and adding calendar months (publication "within 6 months").
"""

import calendar
from datetime import date, timedelta

from partnership.lib.working_days import is_working_day


def working_days_before(end: date, days: int) -> date:
    """The working day that leaves exactly `days` working days after it, up to `end`.

    The mirror of `add_working_days`: a notice "7 working days before" a publication on
    Friday 10 July 2026 is due on Wednesday 1 July (2, 3, 6, 7, 8, 9 and 10 July follow it).
    """
    if days < 0:
        raise ValueError(f"days must be zero or more, not {days}")
    counted = 0
    day = end
    while counted < days:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    # Land on a working day, so the notice is never due on a bank holiday or a weekend.
    while days and not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 = 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
