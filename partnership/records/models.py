"""Records management: what the business unit changed in the retention schedule, the legal
holds, the disposal runs and what each destroyed, and the subject access and erasure requests
carried out.

Nothing here keeps the content of a destroyed or erased record: a disposal item names the
record by kind, id and dates (`RecordKind.describe`), an erasure by the kinds and numbers of
rows it changed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.lib.retention import period_text


class RetentionSetting(models.Model):
    """The business unit's retention period for one kind of record, replacing the default in
    code (its `retention.py`). No row: the default applies."""

    kind = models.CharField(max_length=100, unique=True)
    months = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: permanently.")
    note = models.TextField(blank=True, help_text="Why the partnership chose this period.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Retention of {self.kind}: {period_text(self.months)}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    """A record that must not be destroyed (litigation, an inquiry, a coroner, a complaint),
    whatever its retention period says, until the hold is released."""

    kind = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300, help_text="The record, without its content.")
    reason = models.TextField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_by_label = models.CharField(max_length=300)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_by_label = models.CharField(max_length=300, blank=True)
    release_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(released_at__isnull=True),
                name="one_active_hold_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.description}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    APPROVED = "approved", "Approved: to be destroyed"
    DONE = "done", "Destroyed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_RUN_STATUSES = (RunStatus.PROPOSED, RunStatus.APPROVED)


class DisposalRun(models.Model):
    """One month's list of records past their retention period and not held: proposed by the
    monthly task (or the business unit), reviewed and approved by the business unit, then
    destroyed. What it destroyed stays listed here, without the content."""

    as_of = models.DateField(help_text="The day the list was drawn up for.")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by_label = models.CharField(max_length=300)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by_label = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # No two runs waiting for approval at once (the service also refuses a new run
            # while one is open, so no record is listed twice).
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=["proposed", "approved"]),
                name="one_open_disposal_run",
            )
        ]

    def __str__(self) -> str:
        return f"Disposal run {self.pk} ({self.as_of:%B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("records:run", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RUN_STATUSES


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", "Due for destruction"
    REMOVED = "removed", "Removed from the run"
    DESTROYED = "destroyed", "Destroyed"
    ANONYMISED = "anonymised", "Anonymised"
    BLOCKED = "blocked", "Could not be destroyed yet"
    HELD = "held", "Kept: under a legal hold"
    NOT_DUE = "not_due", "Kept: no longer due"
    GONE = "gone", "Already gone"


class DisposalItem(models.Model):
    """One record in a run: which kind and id, its dates and what became of it."""

    run = models.ForeignKey(DisposalRun, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300)
    trigger_on = models.DateField(help_text="The day the retention clock started.")
    due_on = models.DateField(help_text="The day its retention period ended.")
    # Where the kind comes in the order of destruction (the most dependent modules first).
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    outcome = models.TextField(blank=True, help_text="Why it was kept, or what went with it.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "trigger_on", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "object_id"], name="a_record_once_a_run")
        ]
        indexes = [models.Index(fields=["run", "status", "position"])]

    def __str__(self) -> str:
        return self.description


class SubjectAccessRequest(models.Model):
    """A subject access export made for someone (UK GDPR Article 15). The file itself is not
    kept: it is handed over and made again if needed."""

    email = models.EmailField(help_text="The subject, as the request named them.")
    reference = models.CharField(
        max_length=100, blank=True, help_text="The request's own reference."
    )
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_by_label = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, help_text="The hash of the file handed over.")

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"


class ErasureGround(models.TextChoices):
    """UK GDPR Article 17(1), the grounds that apply to the partnership's records."""

    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed for the purpose it was collected for"
    OBJECTION = "objection", "The person objected and no overriding reason applies"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn, and no other basis applies"
    UNLAWFUL = "unlawful", "Processed unlawfully"
    RETENTION_ENDED = "retention_ended", "Past its retention period"


class Erasure(models.Model):
    """An erasure carried out for someone: what was erased and what was refused, and why, by
    kind and number of rows. The person is named by account and directory ids only."""

    subject_reference = models.CharField(max_length=300)
    ground = models.CharField(max_length=30, choices=ErasureGround.choices)
    notes = models.TextField(blank=True)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_by_label = models.CharField(max_length=300)
    # [{"kind": ..., "label": ..., "erased": n, "how": "anonymised", "refused": n, "reason": ...}]
    lines = models.JSONField(default=list)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure {self.pk}"

    @property
    def erased_count(self) -> int:
        return sum(line.get("erased", 0) for line in self.lines)

    @property
    def refused_count(self) -> int:
        return sum(line.get("refused", 0) for line in self.lines)
