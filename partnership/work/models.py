"""A person's choice of how they are told about new work, and what they have been told."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailChoice(models.TextChoices):
    EACH = "each", "An email each time something new is asked of me"
    DAILY = "daily", "One email a day, listing what is new"
    NONE = "none", "No email: I will look at Your work"


class WorkPreference(models.Model):
    """How one person wants to hear about new work. No row: an email each time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_preference"
    )
    email = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.EACH)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the notices sweep first looked at the person's work: what was waiting then was
    # not new, so it is never emailed.
    notices_since = models.DateTimeField(null=True, blank=True)
    digest_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"


class WorkNotice(models.Model):
    """An item of work a person has been told about (or was shown when notices began for
    them), so that each is told once. `emailed_at` is empty while it waits for a digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_notices"
    )
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    due_on = models.DateField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)
    # The item was there before notices began for the person: never emailed.
    baseline = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seen_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_work_notice_per_item")
        ]
        indexes = [models.Index(fields=["user", "emailed_at"])]

    def __str__(self) -> str:
        return f"{self.title} for {self.user}"
