"""Date arithmetic for the review clocks that `partnership.lib.working_days` does not cover.

Pure functions, no Django: counting backwards in working days (a notice due "7 working days
before" publication) and adding calendar months (publication "within 6 months").
"""

import calendar
from datetime import date, timedelta

from partnership.lib.working_days import is_working_day


def working_days_before(end: date, days: int) -> date:
    """The `days`-th working day before `end`, counting back from the day before `end`.

    `end` itself never counts, whether or not it is a working day: this is the mirror of
    `add_working_days`, which never counts its start. So "1 working day before" a Monday is
    the Friday, and "1 working day before" a Sunday, or a Christmas Day that falls on a
    Friday, is the working day just before it. When `end` is a working day,
    `add_working_days(working_days_before(end, n), n) == end`.

    Examples, counted by hand:
    - 7 before Friday 10 July 2026: 9, 8, 7, 6, 3, 2 and Wednesday 1 July.
    - 7 before Sunday 12 July 2026: 10, 9, 8, 7, 6, 3 and Thursday 2 July.
    - 3 before Tuesday 29 December 2026: Monday 28 (Boxing Day's substitute) and Friday 25
      (Christmas) are skipped, so 24, 23 and Tuesday 22 December.

    `days=0` returns `end` itself. Raises ValueError if `days` is negative.
    """
    if days < 0:
        raise ValueError(f"days must be zero or more, not {days}")
    day, counted = end, 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 = 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
