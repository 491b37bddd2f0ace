"""The review's deadlines (one row per clock) and the reminders sent about them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .review import Review

# Deadlines --------------------------------------------------------------------------------


class DeadlineKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    LETTERS = "letters", "Agency letters"
    SUMMARIES = "summaries", "Agency summaries due"
    MEETING = "meeting", "Rapid review meeting"
    SIGN_OFF = "sign_off", "Partners' sign-off"
    DECISION = "decision", "Rapid review decision to the Panel"
    AGENCY_SUMMARY = "agency_summary", "Agency summary"
    AGENCY_REQUEST = "agency_request", "Agency chronology or learning summary"
    PRE_PUBLICATION = "pre_publication", "Pre-publication notice"
    PUBLICATION = "publication", "Publication"
    ACTION = "action", "Action plan item"


STATUTORY_KINDS = {
    DeadlineKind.NOTIFICATION,
    DeadlineKind.DECISION,
    DeadlineKind.PRE_PUBLICATION,
    DeadlineKind.PUBLICATION,
}


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def visible_to(self, user):
        return self.filter(review__in=Review.objects.visible_to(user))


class Deadline(models.Model):
    """Every clock of every review in one indexed table, kept by `deadlines.deadlines_sync`.

    The dates are copies of those on the records themselves (a notification's due date, an
    action's due date), gathered so that the dashboard, the calendar feed and the daily sweep
    each read one paginated query however many reviews there are.
    """

    key = models.CharField(max_length=60, unique=True)  # "notification:12"
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=200)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["done_on", "due_on"]),
            models.Index(fields=["owner", "done_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} by {self.due_on}"

    @property
    def is_statutory(self) -> bool:
        return self.kind in STATUTORY_KINDS


class ReminderSent(models.Model):
    """A reminder or escalation already sent, so the daily sweep never sends it twice."""

    deadline_key = models.CharField(max_length=60)
    due_on = models.DateField()
    kind = models.CharField(max_length=20)  # "before-5", "overdue", "escalation"
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "due_on", "kind", "recipient"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.deadline_key} to {self.recipient}"
