"""The attendance rule: rolling attendance rates, the 75% flag and persistent failure.

This module is the definition written in docs/guide/governance.md ("How attendance is
counted"); change one and you must change the other. In short, for one group:

- Only meetings that were held count (not scheduled or cancelled ones), and only those whose
  local date falls in the period: by default the 12 months ending today, that is from the
  day after the same date a year earlier up to and including today.
- A member was *expected* at a meeting when the meeting's register has a row for them (the
  register lists everyone seated on the group on the day).
- Member rate = meetings the member attended in person / meetings they were expected at. A
  deputy attending in their place does not count as the member attending: it is counted
  separately and flagged.
- Organisation rate = rows where the organisation was represented (the member or their
  deputy attended) / all rows for members representing it.
- Below expected: rate < the group's expected percentage (75%), compared exactly.
- Persistent failure: below expected, and a run of at least `absence_run` (3) meetings in a
  row, within the period, at which the member sent apologies or was absent. A meeting their
  deputy attended breaks the run.
- Deputy too often: the member's deputy attended in their place more than `deputy_limit` (2)
  times in the period (deputies attend "in exceptional circumstances", not regularly).
"""

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils import timezone

from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    round_half_up_percent,
)

NOT_ATTENDED = (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT)


@dataclass(frozen=True)
class AttendanceRule:
    expected_percent: int = 75
    window_months: int = 12
    absence_run: int = 3
    deputy_limit: int = 2

    @classmethod
    def for_group(cls, group) -> "AttendanceRule":
        return cls(
            expected_percent=group.attendance_expected_percent,
            window_months=group.attendance_window_months,
            absence_run=group.persistent_absence_run,
            deputy_limit=group.deputy_limit,
        )


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, or the month's last day if it is shorter."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def rolling_window(end: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the `months` months ending on `end`, both included.

    12 months ending on 30 June 2020 run from 1 July 2019 to 30 June 2020.
    """
    return months_before(end, months) + dt.timedelta(days=1), end


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Tally:
    """The counts behind one member's (or one organisation's) attendance rate."""

    key: int
    name: str
    organisation_name: str = ""
    expected: int = 0
    present: int = 0
    deputy: int = 0
    apologies: int = 0
    absent: int = 0
    longest_absence_run: int = 0
    statuses: list[str] = field(default_factory=list)
    _run: int = 0

    def add(self, status: str) -> None:
        self.expected += 1
        self.statuses.append(status)
        if status == AttendanceStatus.PRESENT:
            self.present += 1
        elif status == AttendanceStatus.DEPUTY:
            self.deputy += 1
        elif status == AttendanceStatus.APOLOGIES:
            self.apologies += 1
        else:
            self.absent += 1
        self._run = self._run + 1 if status in NOT_ATTENDED else 0
        self.longest_absence_run = max(self.longest_absence_run, self._run)

    @property
    def attended(self) -> int:
        """For a member: in person. (Organisation tallies count deputies in `present`.)"""
        return self.present

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.present, self.expected) if self.expected else None

    @property
    def percent(self) -> int | None:
        return round_half_up_percent(self.present, self.expected) if self.expected else None

    def below_expected(self, rule: AttendanceRule) -> bool:
        # Exact comparison: 74.9% is below 75%, 3 of 4 is not.
        return bool(self.expected) and self.present * 100 < rule.expected_percent * self.expected

    def persistent_failure(self, rule: AttendanceRule) -> bool:
        return self.below_expected(rule) and self.longest_absence_run >= rule.absence_run

    def deputy_too_often(self, rule: AttendanceRule) -> bool:
        """The deputy attended in the member's place more often than the group allows."""
        return self.deputy > rule.deputy_limit


def register_rows(groups, start: dt.date, end: dt.date):
    """Register rows of held meetings of `groups` whose local date is in [start, end]."""
    return (
        Attendance.objects.filter(
            meeting__group__in=groups,
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__gte=local_midnight(start),
            meeting__starts_at__lt=local_midnight(end + dt.timedelta(days=1)),
        )
        .order_by("meeting__starts_at", "meeting_id")
        .values_list(
            "meeting__group_id",
            "person_id",
            "person__full_name",
            "organisation_id",
            "organisation__name",
            "status",
            "meeting__starts_at",
        )
    )


@dataclass
class GroupAttendance:
    """Every member's and organisation's tally for one group over one period."""

    rule: AttendanceRule
    start: dt.date
    end: dt.date
    members: dict[int, Tally]
    organisations: dict[int, Tally]

    def member(self, person_id: int) -> Tally | None:
        return self.members.get(person_id)

    @property
    def flagged_members(self) -> list[Tally]:
        return [tally for tally in self.members.values() if tally.below_expected(self.rule)]

    @property
    def persistent_failures(self) -> list[Tally]:
        return [tally for tally in self.members.values() if tally.persistent_failure(self.rule)]

    @property
    def frequent_deputies(self) -> list[Tally]:
        """Members whose deputy attended more often than the rule's limit."""
        return [tally for tally in self.members.values() if tally.deputy_too_often(self.rule)]


def group_attendance(
    group,
    *,
    end: dt.date | None = None,
    start: dt.date | None = None,
    rule: AttendanceRule | None = None,
) -> GroupAttendance:
    """The rolling attendance of a group's members and organisations (two queries at most).

    Without `start`, the period is the rule's window (12 months) ending on `end` (today).
    """
    rule = rule or AttendanceRule.for_group(group)
    end = end or timezone.localdate()
    if start is None:
        start, end = rolling_window(end, rule.window_months)
    members: dict[int, Tally] = {}
    organisations: dict[int, Tally] = {}
    rows = register_rows([group.pk], start, end)
    for _, person_id, person_name, organisation_id, organisation_name, status, _ in rows:
        member = members.setdefault(person_id, Tally(person_id, person_name))
        member.organisation_name = organisation_name
        member.add(status)
        organisation = organisations.setdefault(
            organisation_id, Tally(organisation_id, organisation_name, organisation_name)
        )
        # For an organisation a deputy's attendance counts: it was represented.
        organisation.add(AttendanceStatus.PRESENT if status == AttendanceStatus.DEPUTY else status)
        if status == AttendanceStatus.DEPUTY:
            organisation.deputy += 1
    return GroupAttendance(rule, start, end, members, organisations)


def person_attendance(person, groups, *, end: dt.date | None = None) -> dict[int, Tally]:
    """One person's tally in each of `groups` (each group with its own window), in one query."""
    end = end or timezone.localdate()
    rules = {group.pk: AttendanceRule.for_group(group) for group in groups}
    if not rules:
        return {}
    starts = {pk: rolling_window(end, rule.window_months)[0] for pk, rule in rules.items()}
    tallies: dict[int, Tally] = {}
    rows = register_rows(list(rules), min(starts.values()), end).filter(person=person)
    for group_id, person_id, person_name, _, organisation_name, status, starts_at in rows:
        if timezone.localtime(starts_at).date() < starts[group_id]:
            continue
        tally = tallies.setdefault(group_id, Tally(person_id, person_name))
        tally.organisation_name = organisation_name
        tally.add(status)
    return tallies


def meeting_register(meeting: Meeting) -> list[Membership]:
    """The seats expected at a meeting: everyone seated on the group on the day."""
    return list(
        Membership.objects.current(on=meeting.local_date)
        .filter(group_id=meeting.group_id)
        .select_related("person", "organisation", "deputy")
        .order_by("person__full_name")
    )
