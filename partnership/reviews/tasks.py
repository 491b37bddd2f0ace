"""The daily deadline sweep: reminders before each review deadline, escalation when overdue.

`manage.py daily_sweep` finds `daily_sweep` here and queues it (or runs it with --now).
Reminders go to each deadline's owner at the configured offsets (by default 5 and 1 working
days before); an overdue deadline is escalated once to the chair of the group that oversees
the review (the Review and Learning Group). An agency's summary, chronology or learning summary is
chased, at the same offsets and once overdue, with the agency's contacts too, linked to their request page. Each person gets one email a day listing their
items. What was sent is recorded (`ReminderSent`), so running the sweep twice, or twice at
once, never sends the same reminder twice; the outbox delivers each email and tries again if
the mail server is down. Each
email is on the record of each review it lists, written by the job (`SWEEP_JOB`), not a person.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_tasks import task

from partnership.governance.models import Membership, MembershipRole
from partnership.lib.working_days import add_working_days, working_days_between
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from . import services
from .mail import agency_contacts
from .models import Deadline, DeadlineKind, ReminderSent, ReviewRules, today

logger = logging.getLogger(__name__)

SWEEP_JOB = "daily deadline sweep"


def _line(deadline: Deadline, day: dt.date) -> str:
    remaining = working_days_between(day, deadline.due_on)
    if remaining < 0:
        when = f"overdue by {-remaining} working day{'s' if remaining != -1 else ''}"
    elif remaining == 0:
        when = "due today"
    else:
        when = f"due in {remaining} working day{'s' if remaining != 1 else ''}"
    return (
        f"- {deadline.review.reference} {deadline.review.title}: {deadline.title}, "
        f"due {deadline.due_on:%-d %B %Y} ({when})\n  {absolute_url(deadline.path)}"
    )


def _chairs(group_ids) -> dict[int, list[str]]:
    """The email addresses of each group's current chair."""
    chairs: dict[int, list[str]] = defaultdict(list)
    for membership in (
        Membership.objects.current()
        .filter(group_id__in=group_ids, role=MembershipRole.CHAIR)
        .select_related("person__user")
    ):
        person = membership.person
        email = (person.user.email if person.user_id else "") or person.email
        if email:
            chairs[membership.group_id].append(email)
    return chairs


def sweep_deadlines(day: dt.date | None = None) -> dict[str, int]:
    """Send the day's reminders and escalations. Returns what was sent."""
    day = day or today()
    rules = ReviewRules.current()
    offsets = sorted(rules.reminder_offsets)
    horizon = add_working_days(day, offsets[-1]) if offsets else day
    deadlines = list(
        Deadline.objects.open()
        .filter(due_on__lte=horizon)
        .select_related("review", "owner")
        .order_by("due_on", "pk")
    )
    if not deadlines:
        return {"reminders": 0, "escalations": 0, "emails": 0}
    earliest = deadlines[0].due_on
    already = set(
        ReminderSent.objects.filter(due_on__gte=earliest, due_on__lte=horizon).values_list(
            "deadline_key", "due_on", "kind", "recipient"
        )
    )
    chairs = _chairs({d.review.group_id for d in deadlines if d.due_on < day})
    # An agency's summary is chased with its own contacts too, linked to their request page.
    contacts: dict[int, list[str]] = {}

    # recipient → [(deadline, kind)]
    reminders: dict[str, list] = defaultdict(list)
    escalations: dict[str, list] = defaultdict(list)
    chasers: dict[str, list] = defaultdict(list)
    for deadline in deadlines:
        owner_email = deadline.owner.email if deadline.owner_id and deadline.owner.is_active else ""
        if deadline.kind in CHASED and deadline.organisation_id:
            if deadline.organisation_id not in contacts:
                contacts[deadline.organisation_id] = [
                    user.email for user in agency_contacts(deadline.organisation_id)
                ]
            remaining = working_days_between(day, deadline.due_on)
            offset = next((o for o in offsets if remaining <= o), None)
            if remaining < 0:
                chase = "chase-overdue"
            else:
                chase = f"chase-{offset}" if offset is not None else None
            for email in contacts[deadline.organisation_id] if chase else []:
                chasers[email].append((deadline, chase))
        if deadline.due_on < day:
            if owner_email:
                reminders[owner_email].append((deadline, "overdue"))
            for email in chairs.get(deadline.review.group_id, []):
                escalations[email].append((deadline, "escalation"))
            continue
        remaining = working_days_between(day, deadline.due_on)
        # The smallest offset the deadline is now within: after a missed day, one reminder
        # (the nearest), never a burst of the earlier ones.
        offset = next((o for o in offsets if remaining <= o), None)
        if offset is not None and owner_email:
            reminders[owner_email].append((deadline, f"before-{offset}"))

    counts = {"reminders": 0, "escalations": 0, "chasers": 0, "emails": 0}
    for kind_of_mail, batches in (
        ("reminders", reminders),
        ("escalations", escalations),
        ("chasers", chasers),
    ):
        for email, items in batches.items():
            new = [
                (deadline, kind)
                for deadline, kind in items
                if (deadline.key, deadline.due_on, kind, email) not in already
            ]
            if not new:
                continue
            if _send(
                email,
                new,
                day,
                escalation=kind_of_mail == "escalations",
                chaser=kind_of_mail == "chasers",
            ):
                counts[kind_of_mail] += len(new)
                counts["emails"] += 1
    return counts


# What is chased with the asked agency's contacts, and the request page each links to.
CHASED = {
    DeadlineKind.AGENCY_SUMMARY: ("reviews:agency-request", "summary"),
    DeadlineKind.AGENCY_REQUEST: ("reviews:agency-local-request", "agency_request"),
}


def _chase_line(deadline: Deadline, day: dt.date) -> str:
    name, kwarg = CHASED[deadline.kind]
    link = absolute_url(reverse(name, kwargs={kwarg: deadline.key.split(":", 1)[1]}))
    return _line(deadline, day).rsplit("\n", 1)[0] + f"\n  {link}"


def _send(email: str, items: list, day: dt.date, *, escalation: bool, chaser: bool = False) -> bool:
    """Record the items as sent and queue one email, together (the outbox delivers it and
    retries a failed delivery): if either fails, nothing is recorded and tomorrow's sweep
    tries again."""
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(
                        deadline_key=deadline.key,
                        due_on=deadline.due_on,
                        kind=kind,
                        recipient=email,
                    )
                    for deadline, kind in items
                ]
            )
            overdue = [d for d, kind in items if d.due_on < day]
            soon = [d for d, kind in items if d.due_on >= day]
            name = settings.PARTNERSHIP_SHORT_NAME
            if escalation:
                subject = f"{name} reviews: {len(items)} overdue deadline{'s' if len(items) != 1 else ''} to escalate"
                intro = (
                    "As chair of the group that oversees these reviews, you are told of each "
                    "deadline that has passed without being met:"
                )
            elif chaser and all(d.kind == DeadlineKind.AGENCY_SUMMARY for d, _ in items):
                subject = f"{name} rapid review: your agency's summary is awaited"
                intro = (
                    "Your agency has been asked for a summary for a rapid review. Send it on "
                    "its request page:"
                )
            elif chaser:
                subject = f"{name} reviews: what your agency has been asked for is awaited"
                intro = (
                    "Your agency has been asked for a summary, chronology or learning summary "
                    "for a review. Send each on its request page:"
                )
            else:
                parts = []
                if overdue:
                    parts.append(f"{len(overdue)} overdue")
                if soon:
                    parts.append(f"{len(soon)} due soon")
                subject = f"{name} reviews: deadlines {' and '.join(parts)}"
                intro = "These review deadlines are yours:"
            body = "\n\n".join(
                [
                    intro,
                    *((_chase_line if chaser else _line)(deadline, day) for deadline, _ in items),
                ]
                + (
                    [f"All your agency's requests: {absolute_url('/reviews/requests/')}"]
                    if chaser
                    else [f"All deadlines: {absolute_url('/reviews/deadlines/')}"]
                )
            )
            by_review: dict[int, list[Deadline]] = defaultdict(list)
            for deadline, _ in items:
                by_review[deadline.review_id].append(deadline)
            actor = Actor.system(SWEEP_JOB)
            for deadlines in by_review.values():
                services.deadline_reminder_record(
                    review=deadlines[0].review,
                    recipient=email,
                    titles=[deadline.title for deadline in deadlines],
                    escalation=escalation,
                    actor=actor,
                )
            email_queue(
                to=email,
                subject=subject,
                text=body,
                kind="reviews.deadline_escalation"
                if escalation
                else "reviews.agency_chaser"
                if chaser
                else "reviews.deadline_reminder",
                related=items[0][0].review if len(by_review) == 1 else None,
                batch=f"review-deadlines:{day.isoformat()}",
                actor=actor,
            )
    except IntegrityError:
        return False  # another sweep sent these at the same moment
    except Exception:
        # Nothing is recorded for this person, so tomorrow's sweep tries again; the others
        # still get theirs today.
        logger.exception("Could not queue the review deadline email to %s", email)
        return False
    return True


@task()
def daily_sweep() -> dict[str, int]:
    """Reminders and escalations for the review deadlines (see the module docstring)."""
    return sweep_deadlines()
