"""The outbox: how every module sends email.

A module renders its email itself (subject, text, maybe HTML and attachments) from the state
of things *now*, and queues it here inside the transaction that makes the change::

    from partnership.outbox.services import email_queue

    email_queue(
        to=person.email,
        subject=f"Agenda pack: {meeting.title}",
        text=render_to_string("governance/email/agenda_pack.txt", context),
        attachments=[("agenda-pack.pdf", pack.pdf, "application/pdf")],
        kind="governance.agenda_pack",
        related=meeting,
        batch=f"agenda-pack:{meeting.pk}:{number}",
        actor=actor,
    )

The row keeps exactly what was queued, so what a person receives never changes with later
edits (a booking cancelled after its confirmation was queued still gets the confirmation as
it was, and then the cancellation). Delivery waits for the transaction to commit, so nothing
is sent for a change that rolled back; the tasks worker sends it, retrying with a backoff
(`delivery.deliver_email`). `emails_about(meeting)` lists what was sent about a record; the
business unit sees every email on the "Sent email" pages.

Emails are a record of their own (who queued each one is on its row), so queueing one writes
no audit entry; the business unit's "retry now" and opening an email's page do.
"""

import base64
from collections.abc import Sequence

from django.db import models, transaction
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from .delivery import deliver_email, max_attempts
from .models import DeliveryAttempt, EmailStatus, OutgoingEmail


class EmailNotRetryable(Exception):
    """Only an email that failed, or is waiting to try again, can be retried now."""


def _one_line(value: str, what: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"An email's {what} must be one line, not {value!r}")
    return value.strip()


def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str,
    related: models.Model | None = None,
    batch: str = "",
    attachments: Sequence[tuple[str, bytes, str]] = (),
    secret: bool = False,
    actor: Actor,
) -> OutgoingEmail:
    """Store one rendered email and send it once the current transaction commits.

    `to` is one address. `kind` says what the email is ("training.booking.confirmed"): the
    business unit filters by it. `related` is the record it is about (any model instance),
    `batch` groups one send to many ("agenda-pack:<meeting>:<n>"). `attachments` are
    (filename, content, mimetype). `secret=True` for a body that carries a credential (a
    password-reset link): the pages do not show it (outside development) and it is wiped
    once delivered.
    """
    if not isinstance(actor, Actor):
        raise TypeError(f"email_queue needs an Actor, not {actor!r}")
    to = _one_line(to, "address")
    if not to or "," in to or "@" not in to:
        raise ValueError(f"An email goes to one address, not {to!r}")
    email = OutgoingEmail.objects.create(
        to=to,
        subject=_one_line(subject, "subject")[:300],
        text=text,
        html=html,
        attachments=[
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(
                    content.encode() if isinstance(content, str) else content
                ).decode("ascii"),
            }
            for filename, content, mimetype in attachments
        ],
        kind=kind,
        related=related,
        batch=batch,
        secret=secret,
        queued_at=timezone.now(),
        queued_by=actor.user,
        queued_by_label=actor.label[:300],
        queued_by_kind=str(actor.kind),
    )
    # The database task backend writes the task's row in this same transaction, so the
    # delivery is queued if and only if the change that asked for the email commits.
    deliver_email.enqueue(email.pk)
    return email


def emails_about(obj: models.Model):
    """The emails queued about `obj`, newest first. Not scoped: callers show them only to
    those who may see `obj`'s correspondence (the business unit)."""
    return OutgoingEmail.objects.about(obj)


@transaction.atomic
def email_retry(*, email: OutgoingEmail, actor: Actor) -> OutgoingEmail:
    """The business unit's "retry now": one more try straight away, for an email that failed
    (or is waiting for its next try)."""
    now = timezone.now()
    updated = OutgoingEmail.objects.filter(
        pk=email.pk, status__in=(EmailStatus.FAILED, EmailStatus.RETRYING)
    ).update(status=EmailStatus.RETRYING, next_attempt_at=None)
    if not updated:
        raise EmailNotRetryable("This email is not waiting to be retried.")
    DeliveryAttempt.objects.create(
        email=email, at=now, outcome=DeliveryAttempt.Outcome.RETRY_ASKED, by_label=actor.label
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=email,
        summary=f"Asked for the email to {email.to} to be sent again",
        changes={"status": [email.status, EmailStatus.RETRYING]},
    )
    deliver_email.enqueue(email.pk)
    email.refresh_from_db()
    return email


@transaction.atomic
def email_open(*, email: OutgoingEmail, actor: Actor) -> OutgoingEmail:
    """Record that someone read an email (its body may be about children and families)."""
    audit_record(actor=actor, action=AuditAction.VIEW, obj=email, summary="Read the email")
    return email


# How long a worker may take to hand one email to the mail server before the sweep takes it
# for stopped (killed, or its machine lost) and lets it be tried again.
SENDING_LEASE = timezone.timedelta(minutes=15)
INTERRUPTED_ERROR = (
    "The worker stopped while sending this email, so it is not known whether the mail server "
    "took it. It is sent again: the recipient may get it twice."
)


def _interrupted_sends_release(now) -> None:
    """An email left "sending" past the lease was claimed by a worker that never finished:
    without this it would wait for ever and never be sent. It is tried again, or failed once it
    has had all its tries; either way the history says what happened. Sending twice is better
    than never for the notices the platform sends (a duplicate is seen; a lost one is not)."""
    stuck = OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, last_attempt_at__lte=now - SENDING_LEASE
    )
    for email in stuck:
        gives_up = email.attempts >= max_attempts()
        with transaction.atomic():
            # Conditional, so that a worker that does finish meanwhile wins.
            released = OutgoingEmail.objects.filter(
                pk=email.pk, status=EmailStatus.SENDING, last_attempt_at=email.last_attempt_at
            ).update(
                status=EmailStatus.FAILED if gives_up else EmailStatus.RETRYING,
                last_error=INTERRUPTED_ERROR,
                next_attempt_at=None,
            )
            if released:
                DeliveryAttempt.objects.create(
                    email=email,
                    at=now,
                    outcome=DeliveryAttempt.Outcome.INTERRUPTED,
                    error=INTERRUPTED_ERROR,
                    by_label="outbox sweep",
                )


def emails_stranded_requeue(*, actor: Actor) -> int:
    """Queue delivery again for emails whose task was lost (the process stopped between the
    commit and the queueing), whose worker stopped while sending (past `SENDING_LEASE`), or
    whose next try is due on a backend that cannot defer.
    Returns how many were queued."""
    now = timezone.now()
    _interrupted_sends_release(now)
    due = OutgoingEmail.objects.filter(
        models.Q(status=EmailStatus.QUEUED, queued_at__lte=now - timezone.timedelta(minutes=10))
        | models.Q(status=EmailStatus.RETRYING, next_attempt_at__lte=now)
        | models.Q(status=EmailStatus.RETRYING, next_attempt_at__isnull=True)
    ).values_list("pk", flat=True)
    count = 0
    for pk in due:
        deliver_email.enqueue(pk)
        count += 1
    return count
