"""Background work for governance: sending agenda packs, and the daily sweep."""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User
from partnership.lib.working_days import working_days_between
from partnership.outputs.links import absolute_url

from . import ics, services
from .attendance import group_attendance
from .documents import build_agenda_pack
from .models import (
    Action,
    ActionReminder,
    ActionReminderKind,
    AttendanceLetter,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
)

logger = logging.getLogger(__name__)


@task()
def send_agenda_pack(meeting_id: int, actor_id: int | None = None) -> int:
    """Email the agenda pack (with restricted papers: it goes to members only) and a
    calendar invitation to each member of the group. Returns how many were sent."""
    meeting = (
        Meeting.objects.select_related("group", "priority", "priority__thematic_lead")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return 0
    recipients = services.pack_recipients(meeting)
    pack = build_agenda_pack(meeting, include_restricted=True)
    invitation = ics.invitation(
        meeting, attendees=[(person.full_name, person.email) for person in recipients]
    )
    link = absolute_url(meeting.get_absolute_url())
    sent = []
    for person in recipients:
        body = render_to_string(
            "governance/email/agenda_pack.txt",
            {"meeting": meeting, "person": person, "pack": pack, "link": link},
        )
        message = EmailMessage(
            subject=f"Agenda pack: {meeting.title}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )
        message.attach(
            f"agenda-pack-{meeting.local_date:%Y-%m-%d}.pdf", pack.pdf, "application/pdf"
        )
        for paper in pack.separate_papers:
            try:
                with paper.file.open("rb") as handle:
                    message.attach(paper.file_name, handle.read(), paper.content_type)
            except OSError:
                logger.warning("Paper %s is missing from storage: not attached", paper.pk)
        message.attach("invitation.ics", invitation, "text/calendar; method=REQUEST")
        message.send()
        sent.append(person.email)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    services.pack_mark_sent(meeting=meeting, recipients=sent, actor=actor)
    return len(sent)


@task()
def daily_sweep() -> dict[str, int]:
    """Flag groups whose cadence is broken, and draft letters for persistent non-attendance.

    A letter is drafted once: not while a draft is waiting, nor within the attendance window
    after one was drafted for the same member and group; and never for a member who has
    left the group.
    """
    today = timezone.localdate()
    flagged = drafted = 0
    for group in Group.objects.all():
        if services.group_check_cadence(group=group, today=today):
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
                    group=group, person=_person(tally.key), today=today
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
    """Record the reminders and send the email together: if sending fails, nothing is
    recorded, and the next sweep tries again."""
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
            send_mail(subject, "\n\n".join(sections), None, [email])
    except IntegrityError:
        return False  # another sweep sent these at the same moment
    except Exception:
        logger.exception("Could not send the action reminder to %s", email)
        return False
    return True


def _person(pk: int):
    from partnership.directory.models import Person

    return Person.objects.get(pk=pk)
