"""Training's emails: building each one and the tasks that send them.

Services record an email as a `BookingMessage` (or, for registration, ask for one) and
enqueue the task here inside their transaction, so it is queued if and only if the change
is committed. This module knows the models and the links, never the services or the sweeps
(`tasks.py` runs the sweeps, which call the services).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User

from .ics import booking_calendar, site_url
from .models import (
    BookingMessage,
    BookingStatus,
    MessageKind,
    Respondent,
    TrainingRules,
    waiting_position,
)
from .tokens import REGISTRATION_DAYS, feedback_token

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
        "position": waiting_position(booking),
    }
    if kind == MessageKind.EVALUATION or kind == MessageKind.IMPACT_ATTENDEE:
        name = "training:evaluation" if kind == MessageKind.EVALUATION else "training:impact"
        token = feedback_token(booking, Respondent.ATTENDEE)
        context["feedback_link"] = site_url(reverse(name, kwargs={"token": token}))
    if kind == MessageKind.IMPACT_MANAGER:
        token = feedback_token(booking, Respondent.MANAGER)
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
        "days": REGISTRATION_DAYS,
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
