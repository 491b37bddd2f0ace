"""The local child safeguarding practice review: commission, panel, declarations, agency
requests, practitioner events and monitoring."""

from django.conf import settings
from django.db import models

from .rapid import AgencyContribution
from .review import Review

# Local child safeguarding practice review -----------------------------------------------------


class LocalReviewKind(models.TextChoices):
    LCSPR = "lcspr", "Local child safeguarding practice review"
    LEARNING_REVIEW = "learning_review", "Learning review"


class LocalReview(models.Model):
    """A local review the rapid review decided on: an LCSPR, or another learning review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="local_review")
    kind = models.CharField(max_length=20, choices=LocalReviewKind.choices)
    decided_on = models.DateField()
    terms_of_reference = models.TextField(blank=True)
    # Computed from the decision (services); for LCSPRs only.
    target_publication_on = models.DateField(null=True, blank=True)
    pre_publication_notice_due_on = models.DateField(null=True, blank=True)
    pre_publication_notice_sent_on = models.DateField(null=True, blank=True)
    panel_informed_on = models.DateField(null=True, blank=True)
    ofsted_informed_on = models.DateField(null=True, blank=True)
    dfe_informed_on = models.DateField(null=True, blank=True)
    reviewer_named = models.CharField(
        max_length=300,
        blank=True,
        help_text="The reviewer named when the Panel, Ofsted and the DfE were told.",
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.review}"

    @property
    def is_lcspr(self) -> bool:
        return self.kind == LocalReviewKind.LCSPR


class Commission(models.Model):
    """An external reviewer commissioned to carry out one review (and to see only that one)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="commissions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_commissions"
    )
    commissioned_on = models.DateField()
    role = models.CharField(max_length=100, default="Lead reviewer")

    class Meta:
        ordering = ["commissioned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer"], name="one_commission_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ({self.role})"


class PanelMember(models.Model):
    """A member of the review panel for one local review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_panels"
    )
    role = models.CharField("Role on the panel", max_length=100, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_panel_seat_per_person")
        ]

    def __str__(self) -> str:
        return str(self.user)


class ConflictRecommendation(models.TextChoices):
    NO_CONFLICT = "no_conflict", "No conflict: may take full part"
    TAKE_PART_DECLARED = "take_part_declared", "May take part, with the interest on record"
    NOT_IN_DECISIONS = "not_in_decisions", "May take part, but not in decisions"
    STAND_DOWN = "stand_down", "Should stand down from the panel"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Appeal upheld: the panel's recommendation is set aside"
    DISMISSED = "dismissed", "Appeal dismissed: the panel's recommendation stands"


class Declaration(models.Model):
    """A panel member's declaration of direct involvement in the case, the panel's
    recommendation on the conflict, and any appeal to the independent chair (Appendix B)."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="declarations"
    )
    interest = models.TextField("The interest declared")
    declared_on = models.DateField()
    recommendation = models.CharField(
        max_length=30, choices=ConflictRecommendation.choices, blank=True
    )
    recommendation_notes = models.TextField(blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appealed_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["declared_on", "pk"]

    def __str__(self) -> str:
        return f"Declaration by {self.panel_member}"

    @property
    def stage(self) -> tuple[str, str]:
        if self.appeal_outcome:
            return "Appeal decided", "green"
        if self.appealed_on:
            return "Appealed to the independent chair", "orange"
        if self.recommendation:
            return "Panel has recommended", "blue"
        return "Awaiting the panel's recommendation", "yellow"


class RequestKind(models.TextChoices):
    CHRONOLOGY = "chronology", "Chronology"
    LEARNING_SUMMARY = "learning_summary", "Learning summary"


class AgencyRequest(AgencyContribution):
    """A chronology or learning summary asked of an agency for a local review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_requests")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)

    class Meta:
        ordering = ["due_on", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.organisation}"

    @property
    def what(self) -> str:
        """What is asked, in a sentence: "chronology", "learning summary"."""
        return self.get_kind_display().lower()

    @property
    def is_open(self) -> bool:
        return True


class PractitionerEvent(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="practitioner_events")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    attendance = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Timeliness(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk of delay"
    DELAYED = "delayed", "Delayed"


class Quality(models.TextChoices):
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    CONCERNS = "concerns", "Concerns"


class MonitoringEntry(models.Model):
    """A check of the time a review is taking and of its quality (SI 2018/789 reg. 14)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="monitoring")
    recorded_on = models.DateField()
    timeliness = models.CharField(max_length=20, choices=Timeliness.choices)
    quality = models.CharField(max_length=20, choices=Quality.choices)
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name_plural = "monitoring entries"

    def __str__(self) -> str:
        return f"Monitoring on {self.recorded_on}"
