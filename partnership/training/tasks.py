"""Background work for training: the emails about bookings, and the daily sweep.

The sweep sends the reminders (2 weeks and 2 days before, by default), closes offers whose
time ran out, asks attendees to evaluate the course once it has ended, and sends the impact
follow-up some weeks later to the attendee and their manager. Each email is a
`BookingMessage`, unique per booking, kind and key, so running the sweep twice, or two sweeps
at once, never sends anything twice.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User

from . import services
from .ics import booking_calendar, site_url
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

SUBJECTS = {
    MessageKind.CONFIRMED: "Your place is booked: {course}",
    MessageKind.WAITING: "You are on the waiting list: {course}",
    MessageKind.OFFERED: "A place is available for you: {course}",
    MessageKind.OFFER_EXPIRED: "The place offered to you has gone: {course}",
    MessageKind.CANCELLED: "Your booking is cancelled: {course}",
    MessageKind.SESSION_CHANGED: "Change to your training: {course}",
    MessageKind.SESSION_CANCELLED: "Training cancelled: {course}",
    MessageKind.REMINDER: "Reminder: {course} on {date}",
    MessageKind.EVALUATION: "How was it? Evaluate {course}",
    MessageKind.IMPACT_ATTENDEE: "What difference has it made? {course}",
    MessageKind.IMPACT_MANAGER: "What difference has the training made? {name}, {course}",
    MessageKind.NO_SHOW_MANAGER: "{name} did not attend {course}",
    MessageKind.LATE_CANCELLATION_MANAGER: "{name} cancelled their place late: {course}",
}
# Emails that carry the session as a calendar entry (an invitation or its cancellation).
WITH_CALENDAR = {
    MessageKind.CONFIRMED,
    MessageKind.CANCELLED,
    MessageKind.SESSION_CHANGED,
    MessageKind.SESSION_CANCELLED,
    MessageKind.REMINDER,
}
TO_MANAGER = {
    MessageKind.IMPACT_MANAGER,
    MessageKind.NO_SHOW_MANAGER,
    MessageKind.LATE_CANCELLATION_MANAGER,
}


def build_email(message: BookingMessage) -> EmailMessage:
    booking = message.booking
    session = booking.session
    kind = MessageKind(message.kind)
    rules = TrainingRules.current()
    context = {
        "booking": booking,
        "session": session,
        "course": session.course,
        "message": message,
        "rules": rules,
        "booking_link": site_url(booking.get_absolute_url()),
        "session_link": site_url(session.get_absolute_url()),
        "portal_link": site_url(reverse("training:portal")),
        "cancel_deadline": session.self_cancel_deadline(rules),
        "position": services.waiting_position(booking),
    }
    if kind == MessageKind.EVALUATION or kind == MessageKind.IMPACT_ATTENDEE:
        name = "training:evaluation" if kind == MessageKind.EVALUATION else "training:impact"
        token = services.feedback_token(booking, Respondent.ATTENDEE)
        context["feedback_link"] = site_url(reverse(name, kwargs={"token": token}))
    if kind == MessageKind.IMPACT_MANAGER:
        token = services.feedback_token(booking, Respondent.MANAGER)
        context["feedback_link"] = site_url(reverse("training:impact", kwargs={"token": token}))
    subject = SUBJECTS[kind].format(
        course=session.course.title,
        name=booking.full_name,
        date=f"{timezone.localtime(session.starts_at):%-d %B}",
    )
    email = EmailMessage(
        subject=subject,
        body=render_to_string(f"training/email/{kind.value}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.manager_email if kind in TO_MANAGER else booking.email],
    )
    if kind in WITH_CALENDAR:
        cancelled = booking.status != BookingStatus.CONFIRMED or session.is_cancelled
        email.attach(
            "training.ics",
            booking_calendar(booking),
            f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
        )
    return email


@task()
def send_booking_message(message_id: int) -> bool:
    """Send one booking email, unless it has been sent already. Returns whether it was sent."""
    # Claiming the message first means two workers given the same message send it once.
    now = timezone.now()
    claimed = BookingMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=now)
    if not claimed:
        return False
    message = BookingMessage.objects.select_related(
        "booking__session__course", "booking__organisation"
    ).get(pk=message_id)
    try:
        build_email(message).send()
    except Exception:
        # Not sent: release the claim so the next sweep tries again.
        BookingMessage.objects.filter(pk=message_id).update(sent_at=None)
        raise
    return True


@task()
def send_registration_email(user_id: int, kind: str, token: str) -> None:
    """The email after registering: a link to confirm, or a note that an account exists."""
    user = User.objects.get(pk=user_id)
    context = {
        "user": user,
        "sign_in_link": site_url(reverse("accounts:sign-in")),
        "reset_link": site_url(reverse("accounts:password-reset")),
        "confirm_link": site_url(reverse("training:register-confirm", kwargs={"token": token}))
        if token
        else "",
        "days": services.REGISTRATION_DAYS,
    }
    subject = (
        "Confirm your email address to book training"
        if kind == "confirm"
        else "You already have an account for booking training"
    )
    EmailMessage(
        subject=subject,
        body=render_to_string(f"training/email/registration_{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()


def _without(kind: MessageKind, key: str = ""):
    """Bookings that have not yet had message `kind` (with `key`)."""
    return ~Exists(BookingMessage.objects.filter(booking=OuterRef("pk"), kind=kind, key=key))


def _queue(bookings, kind: MessageKind, key: str = "") -> int:
    count = 0
    for booking in bookings:
        if services.message_queue(booking=booking, kind=kind, key=key):
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
    """Messages recorded but never sent (a worker stopped, the mail server was down)."""
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
        "offers_expired": services.offers_expire(now=now),
        "reminders": sweep_reminders(now, rules),
        "evaluations": sweep_evaluations(now),
        "impact_follow_ups": sweep_impact(now, rules),
        "resent": sweep_unsent(now),
    }
