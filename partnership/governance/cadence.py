"""How often a group meets: the count of its meetings a year and over the last 12 months.

This is the definition written in docs/guide/governance.md ("Cadence"); change one and you
must change the other. For a group that holds a number of meetings a year (the Strategic
Forum: 3, seed 002):

- The years are financial years, April to March, as in the attendance report and the funding.
  The rolling period is the 12 months ending today (the attendance window's rule: from the day
  after the same date a year earlier, to today).
- A meeting counts in a period when its local date is in it and it was not cancelled. One on or
  before today has *met* (its attendance need not be recorded yet: the gap check counts it the
  same way); one after today is *scheduled*.
- A period is *judged* only when it is over (the rolling period always is) and the group's
  records cover all of it: its first meeting that was not cancelled is on or before the
  period's first day. A year in which the group, or its records here, began part-way is shown
  but not flagged.
- A judged period with fewer meetings met than the group's meetings a year is *short*, and
  flagged.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .attendance import rolling_window
from .models import Group, Meeting, financial_year_bounds, financial_year_of


@dataclass(frozen=True)
class PeriodCount:
    """The meetings of one group in one period (a financial year, or the last 12 months)."""

    label: str
    start: dt.date
    end: dt.date
    met: int
    scheduled: int
    expected: int
    in_progress: bool
    judged: bool

    @property
    def short(self) -> bool:
        return self.judged and self.met < self.expected

    @property
    def sentence(self) -> str:
        """The flag in words, e.g. "In 2024/25 the group met twice: it meets 3 times a year."."""
        return (
            f"In {self.label} the group met {_times(self.met)}: "
            f"it meets {_times(self.expected)} a year."
        )


@dataclass(frozen=True)
class MeetingCounts:
    """A group's meetings counted by financial year (newest first) and over the last 12 months."""

    years: list[PeriodCount]
    rolling: PeriodCount | None

    @property
    def last_finished_year(self) -> PeriodCount | None:
        return next((year for year in self.years if not year.in_progress), None)

    @property
    def problems(self) -> list[str]:
        """The flags the cadence check raises: the latest finished year, and the last 12 months."""
        periods = [self.last_finished_year, self.rolling]
        return [period.sentence for period in periods if period is not None and period.short]


def _times(count: int) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _count(days: list[dt.date], start: dt.date, end: dt.date, today: dt.date) -> tuple[int, int]:
    inside = [day for day in days if start <= day <= end]
    return sum(day <= today for day in inside), sum(day > today for day in inside)


def count_meetings(group: Group, days: list[dt.date], today: dt.date) -> MeetingCounts:
    """Count a group's meetings; `days` are the local dates of its meetings not cancelled.

    Only a group with a number of meetings a year is counted (others: no years, no rolling).
    """
    expected = group.meetings_per_year
    if not expected or not days:
        return MeetingCounts(years=[], rolling=None)
    first = min(days)
    years = []
    this_year = int(financial_year_of(today)[:4])
    for start_year in range(this_year, int(financial_year_of(first)[:4]) - 1, -1):
        label = f"{start_year}/{(start_year + 1) % 100:02d}"
        start, end = financial_year_bounds(label)
        met, scheduled = _count(days, start, end, today)
        in_progress = end >= today
        years.append(
            PeriodCount(
                label=label,
                start=start,
                end=end,
                met=met,
                scheduled=scheduled,
                expected=expected,
                in_progress=in_progress,
                judged=not in_progress and first <= start,
            )
        )
    start, end = rolling_window(today, 12)
    met, _ = _count(days, start, end, today)
    rolling = PeriodCount(
        label=f"the 12 months to {_day(end)}",
        start=start,
        end=end,
        met=met,
        scheduled=0,
        expected=expected,
        in_progress=False,
        judged=first <= start,
    )
    return MeetingCounts(years=years, rolling=rolling)


def group_meeting_counts(group: Group, today: dt.date | None = None) -> MeetingCounts:
    """`count_meetings` for a group, from its meetings in the database (one query)."""
    today = today or timezone.localdate()
    if not group.meetings_per_year:
        return MeetingCounts(years=[], rolling=None)
    starts = Meeting.objects.not_cancelled().filter(group=group).values_list("starts_at", flat=True)
    return count_meetings(group, [timezone.localtime(at).date() for at in starts], today)
