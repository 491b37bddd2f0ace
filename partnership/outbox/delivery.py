"""Delivering one queued email with Django's mail backend (SMTP in production, files under
var/mail in development), retrying with a backoff.

This sits below the services (which queue it) and imports nothing above the models.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import DELIVERABLE, DeliveryAttempt, EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: the base delay, doubled each time
    (5, 10, 20, 40 minutes with the default base)."""
    return timedelta(minutes=settings.OUTBOX_RETRY_MINUTES * 2 ** (attempts - 1))


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"X-Partnership-Email": str(email.pk)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for filename, content, mimetype in email.attachment_files:
        message.attach(filename, content, mimetype)
    return message


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email, at most once. Returns what became of it: "sent", "retrying",
    "failed", or "skipped" when it was not waiting (sent already, being sent by another
    worker, failed for good, or not due yet)."""
    now = timezone.now()
    # The conditional update claims the email: of two workers given it, one sends it.
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status__in=DELIVERABLE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=EmailStatus.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            next_attempt_at=None,
        )
    )
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        build_message(email).send()
    except Exception as error:  # any failure of the mail server is recorded, then retried
        return _record_failure(email, f"{type(error).__name__}: {error}"[:2000], now)
    with transaction.atomic():
        changes = {"status": EmailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
        if email.secret and not settings.DEBUG:
            changes.update(text="", html="", attachments=[])
        OutgoingEmail.objects.filter(pk=email.pk).update(**changes)
        DeliveryAttempt.objects.create(email=email, at=now, outcome=DeliveryAttempt.Outcome.SENT)
    return "sent"


def _record_failure(email: OutgoingEmail, error: str, now) -> str:
    logger.warning(
        "Email %s to %s not sent (try %s): %s", email.pk, email.to, email.attempts, error
    )
    gives_up = email.attempts >= max_attempts()
    next_attempt_at = None if gives_up else now + retry_delay(email.attempts)
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED if gives_up else EmailStatus.RETRYING,
            last_error=error,
            next_attempt_at=next_attempt_at,
        )
        DeliveryAttempt.objects.create(
            email=email, at=now, outcome=DeliveryAttempt.Outcome.FAILED, error=error
        )
        if next_attempt_at is not None and deliver_email.get_backend().supports_defer:
            # A backend that cannot defer (tests run tasks at once) leaves it to the sweep.
            transaction.on_commit(
                lambda: deliver_email.using(run_after=next_attempt_at).enqueue(email.pk)
            )
    return "failed" if gives_up else "retrying"
