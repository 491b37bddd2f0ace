"""Groups, their terms of reference and settings, and their members' seats."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from partnership.directory.models import Person
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record, diff

from ..models import (
    Group,
    Membership,
    MembershipRole,
)
from .cadence_flags import group_check_cadence

# Groups and their members -------------------------------------------------------------

GROUP_FIELDS = [
    "name",
    "slug",
    "purpose",
    "aims",
    "objectives",
    "governance",
    "effectiveness_areas",
    "membership_composition",
    "accountable_to",
    "meetings_per_year",
    "max_weeks_between_meetings",
    "max_months_between_meetings",
    "attendance_expected_percent",
    "attendance_window_months",
    "persistent_absence_run",
    "deputy_limit",
    "themed_meetings",
    "publish_minutes",
    "action_reminder_days",
    "display_order",
]

# Paths under /groups/ that a group's slug would otherwise take (see urls.py).
RESERVED_GROUP_SLUGS = frozenset(
    {
        "new",
        "meetings",
        "published-minutes",
        "papers",
        "actions",
        "members",
        "interests",
        "cadence",
        "letters",
        "funding",
        "calendar",
    }
)


def accountability_problem(group: Group, accountable_to: Group | None) -> str:
    """Why `group` cannot be accountable to `accountable_to`, or "" if it can.

    A group cannot report to itself, nor to a group that (in any number of steps) reports
    to it: the chain of accountability must end at the safeguarding partners.
    """
    if accountable_to is None:
        return ""
    if group.pk is not None and accountable_to.pk == group.pk:
        return "A group cannot be accountable to itself"
    seen = set()
    above = accountable_to
    while above is not None and above.pk not in seen:
        seen.add(above.pk)
        if group.pk is not None and above.accountable_to_id == group.pk:
            return (
                f"The {accountable_to.name} is accountable to the {group.name}, so the "
                f"{group.name} cannot be accountable to it"
            )
        above = above.accountable_to
    return ""


@transaction.atomic
def group_save(*, group: Group, actor: Actor) -> Group:
    """Create a group or change its terms of reference and settings.

    The attendance flags and the reminders follow the new settings at once: they are
    worked out from them when needed, never stored. The cadence flag, which is stored, is
    checked again against the new cadence.
    """
    problem = accountability_problem(group, group.accountable_to)
    if problem:
        raise ValidationError({"accountable_to": problem})
    if group.max_weeks_between_meetings and group.max_months_between_meetings:
        raise ValidationError(
            {
                "max_months_between_meetings": "Give the longest gap between meetings in "
                "weeks or in months, not both"
            }
        )
    if group.slug in RESERVED_GROUP_SLUGS:
        raise ValidationError({"slug": f"“{group.slug}” is used by another page: choose another"})
    creating = group.pk is None
    before = {} if creating else model_to_dict(Group.objects.get(pk=group.pk), fields=GROUP_FIELDS)
    group.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=group,
        summary=f"Added the {group.name}" if creating else f"Changed the {group.name}",
        changes=diff(before, model_to_dict(group, fields=GROUP_FIELDS)),
    )
    if not creating:
        group_check_cadence(group=group, actor=actor)
    return group


def _day_label(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


@transaction.atomic
def membership_add(
    *,
    group: Group,
    person: Person,
    role: str = MembershipRole.MEMBER,
    organisation=None,
    deputy: Person | None = None,
    title: str = "",
    started_on: dt.date | None = None,
    actor: Actor,
) -> Membership:
    """Seat a person on a group, representing an organisation (by default their own)."""
    started_on = started_on or timezone.localdate()
    if deputy is not None and deputy.pk == person.pk:
        raise ValidationError(
            {"deputy": "The nominated deputy must be someone other than the member"}
        )
    # Lock the person's seats on the group, so that two requests cannot seat them twice.
    seats = list(
        Membership.objects.select_for_update().filter(group=group, person=person).order_by("pk")
    )
    for seat in seats:
        if seat.ended_on is None:
            raise ValidationError(
                {
                    "person": f"{person.full_name} is already a member of the {group.name}: "
                    "end their current seat first"
                }
            )
        if seat.ended_on >= started_on:
            raise ValidationError(
                {
                    "started_on": f"{person.full_name}'s last seat on the group ran until "
                    f"{_day_label(seat.ended_on)}: the new seat must start after that"
                }
            )
    membership = Membership.objects.create(
        group=group,
        person=person,
        role=role,
        organisation=organisation or person.organisation,
        deputy=deputy,
        title=title.strip(),
        started_on=started_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        summary=f"Seated {person.full_name} on the {group.name}",
        changes={
            "role": [None, membership.get_role_display()],
            "organisation": [None, str(membership.organisation)],
            "deputy": [None, str(deputy) if deputy else None],
            "title": [None, membership.title],
            "started_on": [None, started_on],
        },
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: dt.date, actor: Actor) -> Membership:
    """End a seat on a group. The membership stays on record (attendance refers to it)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(
            f"{membership.person.full_name}'s seat already ended on "
            f"{_day_label(membership.ended_on)}",
            code="ended",
        )
    if ended_on < membership.started_on:
        raise ValidationError(
            {
                "ended_on": "The end date must be on or after the day the seat started, "
                f"{_day_label(membership.started_on)}"
            }
        )
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=membership,
        summary=f"Ended {membership.person.full_name}'s seat on the {membership.group.name}",
        changes={"ended_on": [None, ended_on]},
    )
    return membership
