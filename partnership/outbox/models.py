"""One row per email: what was queued (already rendered), to whom, about what, and how its
delivery went. The row is the record: a page can always show exactly what a person was sent."""

import base64

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from partnership.trail.actors import ActorKind


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Will try again"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


# What a worker may pick up: waiting for its first go, or for another after a failure.
DELIVERABLE = (EmailStatus.QUEUED, EmailStatus.RETRYING)


class OutgoingEmailQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> "OutgoingEmailQuerySet":
        """The emails queued with `related=obj` ("the emails about this meeting")."""
        return self.filter(
            related_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            related_id=obj.pk,
        )

    def in_batch(self, batch: str) -> "OutgoingEmailQuerySet":
        return self.filter(batch=batch)


class OutgoingEmail(models.Model):
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField(help_text="The plain-text body, as rendered when it was queued.")
    html = models.TextField(blank=True, help_text="An HTML alternative, if the sender gave one.")
    # [{"filename", "mimetype", "content" (base64)}]: small files (a PDF pack, a calendar entry).
    attachments = models.JSONField(default=list, blank=True)
    kind = models.CharField(
        max_length=80, help_text='What the email is, e.g. "governance.agenda_pack".'
    )
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    batch = models.CharField(
        max_length=120, blank=True, help_text='One send to many, e.g. "agenda-pack:12:1".'
    )
    # A credential in the body (a password-reset link): the pages do not show the body, and
    # it is cleared once delivered, so the table never holds a working link.
    secret = models.BooleanField(default=False)

    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_by_label = models.CharField(max_length=300)
    queued_by_kind = models.CharField(max_length=10, choices=ActorKind.choices)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "outgoing email"
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["-queued_at", "-id"], name="outbox_newest"),
            models.Index(fields=["status", "-queued_at"], name="outbox_status"),
            models.Index(fields=["kind", "-queued_at"], name="outbox_kind"),
            models.Index(fields=["to", "-queued_at"], name="outbox_to"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related"),
            models.Index(fields=["batch"], name="outbox_batch"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outbox:email", kwargs={"pk": self.pk})

    @property
    def attachment_files(self) -> list[tuple[str, bytes, str]]:
        """The attachments as (filename, content, mimetype), ready for EmailMessage.attach."""
        return [
            (item["filename"], base64.b64decode(item["content"]), item["mimetype"])
            for item in self.attachments
        ]

    @property
    def attachment_summary(self) -> list[tuple[str, int, str]]:
        """(filename, size in bytes, mimetype) of each attachment, for the pages."""
        return [
            (item["filename"], len(base64.b64decode(item["content"])), item["mimetype"])
            for item in self.attachments
        ]


class DeliveryAttempt(models.Model):
    """One try at handing the email to the mail server, or the business unit's "retry now"."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        RETRY_ASKED = "retry_asked", "Retry asked for"
        INTERRUPTED = "interrupted", "Interrupted while sending"

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    error = models.TextField(blank=True)
    by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M}"
