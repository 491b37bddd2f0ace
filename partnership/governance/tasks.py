"""Background work for governance: the daily sweep, which calls services.

The agenda pack email is in mail.py (services queue it; tasks never sit under services).
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.lib.working_days import working_days_between
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from . import services
from .attendance import group_attendance

# Re-exported so that a pack queued before the email moved to mail.py still runs.
from .mail import send_agenda_pack as send_agenda_pack
from .models import (
    Action,
    ActionReminder,
    ActionReminderKind,
    AttendanceLetter,
    Group,
    Membership,
)

logger = logging.getLogger(__name__)

# How the trail names the sweep, for the cadence flags it moves and the letters it drafts.
SWEEP_JOB = "governance daily sweep"


@task()
def daily_sweep() -> dict[str, int]:
    """Flag groups whose cadence is broken, and draft letters for persistent non-attendance.

    A letter is drafted once: not while a draft is waiting, nor within the attendance window
    after one was drafted for the same member and group; and never for a member who has
    left the group.
    """
    today = timezone.localdate()
    actor = Actor.system(SWEEP_JOB)
    flagged = drafted = 0
    for group in Group.objects.all():
        if services.group_check_cadence(group=group, actor=actor, today=today):
            flagged += 1
        attendance = group_attendance(group, end=today)
        seated = set(
            Membership.objects.current(on=today)
            .filter(group=group)
            .values_list("person_id", flat=True)
        )
        for tally in attendance.persistent_failures:
            if tally.key not in seated:
                continue
            recent = AttendanceLetter.objects.filter(
                group=group, person_id=tally.key, created_at__date__gte=attendance.start
            )
            if recent.exists():
                continue
            try:
                services.attendance_letter_draft(
                    group=group, person=_person(tally.key), actor=actor, today=today
                )
            except ValidationError as error:
                # No chief officer in the directory: the group's page shows the flag anyway.
                logger.info("No letter drafted for person %s: %s", tally.key, error.messages)
                continue
            drafted += 1
    reminders = send_action_reminders(today)
    return {"groups_flagged": flagged, "letters_drafted": drafted, **reminders}


# Action reminders -------------------------------------------------------------------------

# An action is "just overdue" for this many days after its due date: a sweep missed for a
# day or two still sends the reminder, but actions long overdue when the reminders were
# turned on (or a group's setting raised) do not all arrive at once.
OVERDUE_REMINDER_DAYS = 7


def _owner_email(person) -> str:
    return person.email or (person.user.email if person.user_id and person.user else "")


def _reminder_line(action: Action, kind: str, day: dt.date) -> str:
    if kind == ActionReminderKind.OVERDUE:
        when = "overdue"
    else:
        remaining = working_days_between(day, action.due_on)
        when = (
            "due today"
            if remaining <= 0
            else f"due in {remaining} working day{'s' if remaining != 1 else ''}"
        )
    return (
        f"- {action.reference} ({action.group.name}): {action.description.strip()}\n"
        f"  Due {action.due_on:%-d %B %Y} ({when})\n"
        f"  {absolute_url(action.get_absolute_url())}"
    )


def send_action_reminders(day: dt.date | None = None) -> dict[str, int]:
    """Email each action owner their open actions coming due, and those just overdue.

    An action is due soon when it is due today or within the group's
    `action_reminder_days` working days (weekends and bank holidays skipped), and just
    overdue from the day after its due date for OVERDUE_REMINDER_DAYS days. A group set to
    0 sends neither. Each owner gets one email listing all of theirs; each reminder (an
    action, its kind and its due date) is sent once, ever (`ActionReminder`).
    """
    day = day or timezone.localdate()
    actions = list(
        Action.objects.open()
        .filter(
            group__action_reminder_days__gt=0,
            due_on__gte=day - dt.timedelta(days=OVERDUE_REMINDER_DAYS),
        )
        .select_related("group", "owner", "owner__user")
        .order_by("due_on", "group__display_order", "number")
    )
    already = set(
        ActionReminder.objects.filter(action__in=actions).values_list("action_id", "kind", "due_on")
    )
    batches: dict[str, list] = defaultdict(list)
    for action in actions:
        if action.due_on < day:
            kind = ActionReminderKind.OVERDUE
        elif working_days_between(day, action.due_on) <= action.group.action_reminder_days:
            kind = ActionReminderKind.DUE_SOON
        else:
            continue
        email = _owner_email(action.owner)
        if email and (action.pk, kind, action.due_on) not in already:
            batches[email.lower()].append((action, kind))
    counts = {"action_reminders": 0, "action_reminder_emails": 0}
    for email, items in batches.items():
        if _send_action_reminder(email, items, day):
            counts["action_reminders"] += len(items)
            counts["action_reminder_emails"] += 1
    return counts


def _send_action_reminder(email: str, items: list, day: dt.date) -> bool:
    """Record the reminders and queue the email together (the outbox delivers it, and tries
    again if the mail server is down): if either fails, nothing is recorded, and the next
    sweep tries again."""
    overdue = [(a, k) for a, k in items if k == ActionReminderKind.OVERDUE]
    soon = [(a, k) for a, k in items if k == ActionReminderKind.DUE_SOON]
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if soon:
        parts.append(f"{len(soon)} due soon")
    subject = f"{settings.PARTNERSHIP_SHORT_NAME} actions: {' and '.join(parts)}"
    owner = items[0][0].owner
    sections = [f"Dear {owner.full_name},"]
    if overdue:
        sections.append(
            "These actions have passed their due date. Please update each one with the "
            "progress made, or ask for a new due date:"
        )
        sections += [_reminder_line(action, kind, day) for action, kind in overdue]
    if soon:
        sections.append("These actions are due soon:")
        sections += [_reminder_line(action, kind, day) for action, kind in soon]
    mine = reverse("governance:actions") + "?mine=on&show=open"
    sections.append(f"All your open actions: {absolute_url(mine)}")
    sections.append(settings.PARTNERSHIP_NAME)
    try:
        with transaction.atomic():
            ActionReminder.objects.bulk_create(
                [
                    ActionReminder(action=action, kind=kind, due_on=action.due_on, recipient=email)
                    for action, kind in items
                ]
            )
            email_queue(
                to=email,
                subject=subject,
                text="\n\n".join(sections),
                kind="governance.action_reminder",
                related=owner,
                batch=f"action-reminders:{day.isoformat()}",
                actor=Actor.system(SWEEP_JOB),
            )
    except IntegrityError:
        return False  # another sweep sent these at the same moment
    except Exception:
        logger.exception("Could not send the action reminder to %s", email)
        return False
    return True


def _person(pk: int):
    from partnership.directory.models import Person

    return Person.objects.get(pk=pk)
