"""Background work for training: the daily sweep (the emails themselves are in `mail`).

The sweep sends the reminders (2 weeks and 2 days before, by default), closes offers whose
time ran out, asks attendees to evaluate the course once it has ended, and sends the impact
follow-up some weeks later to the attendee and their manager. Each email is a
`BookingMessage`, unique per booking, kind and key, so running the sweep twice, or two sweeps
at once, never sends anything twice.
"""

import datetime as dt
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from partnership.trail.actors import Actor

from . import services
from .mail import send_booking_message, send_registration_email  # noqa: F401 (queued by path)
from .models import (
    Attendance,
    Booking,
    BookingMessage,
    BookingStatus,
    Evaluation,
    ImpactResponse,
    MessageKind,
    Respondent,
    SessionStatus,
    TrainingRules,
)

logger = logging.getLogger(__name__)

# Emails for sessions further back than this are not started by a sweep: a partnership that
# loads its past years' records does not want thousands of late requests going out.
CATCH_UP_DAYS = 14
# How the audit trail names the sweep (an offer that ran out is recorded against it).
SWEEP_JOB = "daily training sweep"


def _without(kind: MessageKind, key: str = ""):
    """Bookings that have not yet had message `kind` (with `key`)."""
    return ~Exists(BookingMessage.objects.filter(booking=OuterRef("pk"), kind=kind, key=key))


def _queue(bookings, kind: MessageKind, key: str = "") -> int:
    count = 0
    for booking in bookings:
        if services.message_queue(
            booking=booking, kind=kind, key=key, actor=Actor.system(SWEEP_JOB)
        ):
            count += 1
    return count


def sweep_reminders(now: dt.datetime, rules: TrainingRules) -> int:
    """A reminder `d` days before for each offset `d`, only the latest one that is due.

    Someone who booked after a reminder fell due has had their confirmation instead.
    """
    today = timezone.localdate(now)
    offsets = rules.reminder_offsets
    sent = 0
    for index, days in enumerate(offsets):
        due_from = today + dt.timedelta(days=days)  # sessions on or before this date
        later = offsets[index + 1] if index + 1 < len(offsets) else None
        # Sessions for which a closer reminder is already due get that one instead.
        due_after = today + dt.timedelta(days=later) if later is not None else None
        bookings = Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__date__lte=due_from,
        ).filter(_without(MessageKind.REMINDER, str(days)))
        if due_after is not None:
            bookings = bookings.filter(session__starts_at__date__gt=due_after)
        # Booked after this reminder was due: the confirmation said it all.
        candidates = [
            booking
            for booking in bookings.select_related("session")
            if timezone.localdate(booking.created_at)
            < booking.session.local_date - dt.timedelta(days=days)
        ]
        sent += _queue(candidates, MessageKind.REMINDER, str(days))
    return sent


def sweep_evaluations(now: dt.datetime) -> int:
    """Ask each attendee to evaluate the course once it has ended."""
    bookings = (
        Booking.objects.filter(
            attendance=Attendance.ATTENDED,
            session__ends_at__lte=now,
            session__ends_at__gte=now - dt.timedelta(days=CATCH_UP_DAYS),
        )
        .filter(_without(MessageKind.EVALUATION))
        .exclude(Exists(Evaluation.objects.filter(booking=OuterRef("pk"))))
    )
    return _queue(bookings, MessageKind.EVALUATION)


def sweep_impact(now: dt.datetime, rules: TrainingRules) -> int:
    """The impact follow-up, `impact_weeks` after the session, to attendee and manager."""
    # Due on the same weekday N weeks after the session's (last) day, from the sweep's start.
    due = timezone.localdate(now) - dt.timedelta(weeks=rules.impact_weeks)
    attended = Booking.objects.filter(
        attendance=Attendance.ATTENDED,
        session__ends_at__date__lte=due,
        session__ends_at__date__gte=due - dt.timedelta(days=CATCH_UP_DAYS),
    )
    answered = ImpactResponse.objects.filter(booking=OuterRef("pk"))
    sent = _queue(
        attended.filter(_without(MessageKind.IMPACT_ATTENDEE)).exclude(
            Exists(answered.filter(respondent=Respondent.ATTENDEE))
        ),
        MessageKind.IMPACT_ATTENDEE,
    )
    if rules.impact_to_manager:
        sent += _queue(
            attended.exclude(manager_email="")
            .filter(_without(MessageKind.IMPACT_MANAGER))
            .exclude(Exists(answered.filter(respondent=Respondent.MANAGER))),
            MessageKind.IMPACT_MANAGER,
        )
    return sent


def sweep_unsent(now: dt.datetime) -> int:
    """Messages recorded but never queued in the outbox (recorded before emails went through
    it): queued now. Delivery itself, and its retries, are the outbox's."""
    unsent = BookingMessage.objects.filter(
        sent_at__isnull=True,
        created_at__lte=now - dt.timedelta(hours=1),
        created_at__gte=now - dt.timedelta(days=CATCH_UP_DAYS),
    ).values_list("pk", flat=True)
    count = 0
    for message_id in unsent:
        send_booking_message.enqueue(message_id)
        count += 1
    return count


@task()
def daily_sweep() -> dict[str, int]:
    """Reminders, expired offers, evaluation requests and impact follow-ups, each once."""
    now = timezone.now()
    rules = TrainingRules.current()
    return {
        "offers_expired": services.offers_expire(now=now, actor=Actor.system(SWEEP_JOB)),
        "reminders": sweep_reminders(now, rules),
        "evaluations": sweep_evaluations(now),
        "impact_follow_ups": sweep_impact(now, rules),
        "resent": sweep_unsent(now),
    }
