"""Training's emails: each one rendered from the booking as it is *now* and queued in the
outbox (`partnership.outbox`), inside the service's transaction.

A booking email is recorded once as a `BookingMessage` (unique per booking, kind and key) and
rendered when it is recorded, so a "booked" email carries the calendar entry as it was
booked even if the place is cancelled before the worker sends it; the cancellation is its own
email. The outbox delivers, retries and shows them. This module knows the models and the
links, never the services or the sweeps (`tasks.py` runs the sweeps, which call the services).
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User
from partnership.outbox.models import OutgoingEmail
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from .ics import booking_calendar
from .models import (
    BookingMessage,
    BookingStatus,
    MessageKind,
    Respondent,
    TrainingRules,
    waiting_position,
)
from .tokens import REGISTRATION_DAYS, feedback_token

# Who the outbox names for an email recorded before the outbox, queued by the sweep.
LEGACY_JOB = "training emails"

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


def message_email_queue(message: BookingMessage, *, actor: Actor) -> OutgoingEmail:
    """Render booking email `message` from the booking as it stands and queue it."""
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
        "booking_link": absolute_url(booking.get_absolute_url()),
        "session_link": absolute_url(session.get_absolute_url()),
        "portal_link": absolute_url(reverse("training:portal")),
        "cancel_deadline": session.self_cancel_deadline(rules),
        "position": waiting_position(booking),
    }
    if kind == MessageKind.EVALUATION or kind == MessageKind.IMPACT_ATTENDEE:
        name = "training:evaluation" if kind == MessageKind.EVALUATION else "training:impact"
        token = feedback_token(booking, Respondent.ATTENDEE)
        context["feedback_link"] = absolute_url(reverse(name, kwargs={"token": token}))
    if kind == MessageKind.IMPACT_MANAGER:
        token = feedback_token(booking, Respondent.MANAGER)
        context["feedback_link"] = absolute_url(reverse("training:impact", kwargs={"token": token}))
    subject = SUBJECTS[kind].format(
        course=session.course.title,
        name=booking.full_name,
        date=f"{timezone.localtime(session.starts_at):%-d %B}",
    )
    attachments = []
    if kind in WITH_CALENDAR:
        cancelled = booking.status != BookingStatus.CONFIRMED or session.is_cancelled
        attachments.append(
            (
                "training.ics",
                booking_calendar(booking),
                f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
            )
        )
    with transaction.atomic():
        email = email_queue(
            to=booking.manager_email if kind in TO_MANAGER else booking.email,
            subject=subject,
            text=render_to_string(f"training/email/{kind.value}.txt", context),
            attachments=attachments,
            kind=f"training.{kind.value}",
            related=booking,
            actor=actor,
        )
        BookingMessage.objects.filter(pk=message.pk).update(sent_at=email.queued_at)
    return email


@task()
def send_booking_message(message_id: int) -> bool:
    """Queue a booking email recorded before emails were rendered when recorded (or left
    unqueued): rendered now. Returns whether it was queued (never twice)."""
    with transaction.atomic():
        message = (
            BookingMessage.objects.select_for_update(of=("self",))
            .select_related("booking__session__course", "booking__organisation")
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message_email_queue(message, actor=Actor.system(LEGACY_JOB))
    return True


def registration_email_queue(*, user: User, kind: str, token: str, actor: Actor) -> OutgoingEmail:
    """The email after registering: a link to confirm, or a note that an account exists."""
    context = {
        "user": user,
        "sign_in_link": absolute_url(reverse("accounts:sign-in")),
        "reset_link": absolute_url(reverse("accounts:password-reset")),
        "confirm_link": absolute_url(reverse("training:register-confirm", kwargs={"token": token}))
        if token
        else "",
        "days": REGISTRATION_DAYS,
    }
    subject = (
        "Confirm your email address to book training"
        if kind == "confirm"
        else "You already have an account for booking training"
    )
    return email_queue(
        to=user.email,
        subject=subject,
        text=render_to_string(f"training/email/registration_{kind}.txt", context),
        kind=f"training.registration_{kind}",
        related=user,
        secret=kind == "confirm",  # the link confirms the address and opens the account
        actor=actor,
    )


@task()
def send_registration_email(user_id: int, kind: str, token: str) -> None:
    """Kept for tasks queued before registration emails went through the outbox."""
    registration_email_queue(
        user=User.objects.get(pk=user_id), kind=kind, token=token, actor=Actor.system(LEGACY_JOB)
    )
