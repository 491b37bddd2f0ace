"""The cadence flag kept on each group: does it meet as often as it should?"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..cadence import count_meetings
from ..models import (
    Group,
    Meeting,
)

# Cadence ------------------------------------------------------------------------------


def cadence_problem(group: Group, meetings: list[Meeting], today: dt.date) -> str:
    """What, if anything, breaks the group's cadence (see docs/guide/governance.md).

    `meetings` are the group's meetings that are not cancelled, in date order. The chain is
    the last meeting on or before today followed by every meeting scheduled after it; each
    meeting in the chain must be on or before the day the group's gap allows after the one
    before it (`Group.next_meeting_due`: weeks, or calendar months), and so must the next
    one after the chain's end. A group with a number of meetings a year is also flagged when
    its last finished financial year, or the last 12 months, had fewer (`cadence`).
    """
    problems = []
    if group.next_meeting_due(today) is not None:
        problems += _gap_problems(group, meetings, today)
    days = [meeting.local_date for meeting in meetings]
    problems += count_meetings(group, days, today).problems
    return " ".join(problems)


def _gap_problems(group: Group, meetings: list[Meeting], today: dt.date) -> list[str]:
    past = [m for m in meetings if m.local_date <= today]
    future = [m for m in meetings if m.local_date > today]
    if not past and not future:
        return ["No meetings are recorded or scheduled."]
    chain = past[-1:] + future
    allowed = group.allowed_gap
    in_days = group.allowed_gap_days is not None
    for earlier, later in zip(chain, chain[1:], strict=False):
        due = group.next_meeting_due(earlier.local_date)
        if later.local_date > due:
            if in_days:
                gap = _weeks((later.local_date - earlier.local_date).days)
                after = f"{_day(earlier.local_date)}"
            else:
                gap = f"more than {allowed}"
                after = f"{_day(earlier.local_date)} (the next was due by {_day(due)})"
            return [
                f"The meeting on {_day(later.local_date)} is {gap} after the one on "
                f"{after}: the group meets at least every {allowed}."
            ]
    last = chain[-1]
    due = group.next_meeting_due(last.local_date)
    if due < today:
        return [
            f"No meeting since {_day(last.local_date)}: one was due by {_day(due)} "
            f"(at least every {allowed})."
        ]
    if not future or last.local_date <= today:
        return [
            f"No meeting is scheduled after {_day(last.local_date)}: the next must be by "
            f"{_day(due)} (at least every {allowed})."
        ]
    return []


def _weeks(days: int) -> str:
    weeks, rest = divmod(days, 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    return text + (f" and {rest} day{'s' if rest != 1 else ''}" if rest else "")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def group_check_cadence(*, group: Group, actor: Actor, today: dt.date | None = None) -> str:
    """Check a group's cadence and keep the flag on the group (the daily sweep calls this;
    so does every change to the group's meetings). A change of flag goes on the record,
    naming whoever's change (or which job) moved it."""
    today = today or timezone.localdate()
    meetings = list(Meeting.objects.not_cancelled().filter(group=group).order_by("starts_at"))
    problem = cadence_problem(group, meetings, today)
    changed = problem != group.cadence_problem
    Group.objects.filter(pk=group.pk).update(cadence_problem=problem, cadence_checked_on=today)
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=group,
            summary=("Cadence flagged: " + problem) if problem else "Cadence flag cleared",
        )
    group.cadence_problem, group.cadence_checked_on = problem, today
    return problem
