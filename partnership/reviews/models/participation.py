"""Who takes part in a review from outside the business unit: each safeguarding partner's
delegated representative, who signs rapid review decisions off; and the rapid review report
drafted from the record, edited, then sent to the Panel."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .common import today
from .rapid import RapidReview


class DelegatedPartner(models.Model):
    """The person a safeguarding partner has delegated to sign off rapid reviews for it."""

    partner = models.OneToOneField(
        "directory.Organisation", on_delete=models.PROTECT, related_name="delegated_partner"
    )
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="+")
    designated_on = models.DateField(default=today)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["partner__name"]

    def __str__(self) -> str:
        return f"{self.person} for {self.partner}"


# The sections of the rapid review report, in the Panel's order: (field, heading).
REPORT_SECTIONS = [
    ("facts", "The facts as far as they are known"),
    ("agency_involvement", "Each agency's involvement"),
    ("practice_episodes", "Analysis of key practice episodes"),
    ("immediate_actions", "Immediate actions taken to keep children safe"),
    (
        "inequalities",
        "How racism and other inequalities may have shaped what happened and the practice",
    ),
    ("criteria", "The criteria"),
    ("decision", "The decision and its rationale"),
]


class RapidReviewReport(models.Model):
    """The editable draft of the rapid review report: generated from the record, changed by
    the business unit, then rendered (PDF, Word) as it stands."""

    rapid_review = models.OneToOneField(
        RapidReview, on_delete=models.CASCADE, related_name="report"
    )
    facts = models.TextField(blank=True)
    agency_involvement = models.TextField(blank=True)
    practice_episodes = models.TextField(blank=True)
    immediate_actions = models.TextField(blank=True)
    inequalities = models.TextField(blank=True)
    criteria = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    generated_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Rapid review report: {self.rapid_review.review}"

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        return [(field, heading, getattr(self, field)) for field, heading in REPORT_SECTIONS]
