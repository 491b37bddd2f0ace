"""Recommendations, their action plans and the learning products."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from .common import today
from .config import LearningTheme
from .documents import StoredFile, evidence_path
from .review import Review

# Recommendations, action plans, learning products ----------------------------------------------


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="recommendations")
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_recommendation_number")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.review.reference}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:recommendation", kwargs={"pk": self.review_id, "number": self.number}
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    SIGNED_OFF = "signed_off", "Signed off"


class ActionItem(models.Model):
    """An item of an agency's action plan answering a recommendation."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="review_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(blank=True)
    evidence_submitted_on = models.DateField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sign_off_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:action", kwargs={"pk": self.review_id, "action": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status != ActionStatus.SIGNED_OFF and today() > self.due_on

    @property
    def display_status(self) -> tuple[str, str]:
        if self.status == ActionStatus.SIGNED_OFF:
            return "Signed off", "green"
        if self.is_overdue:
            return "Overdue", "red"
        if self.status == ActionStatus.EVIDENCE_SUBMITTED:
            return "Evidence submitted", "blue"
        return "Open", "yellow"


class EvidenceFile(StoredFile):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=300)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProductKind(models.TextChoices):
    SEVEN_MINUTE = "seven_minute", "7-minute briefing"
    SIXTY_MINUTE = "sixty_minute", "60-minute briefing"
    NEWSLETTER = "newsletter", "Newsletter item"


class LearningProduct(models.Model):
    """A learning product disseminating a review's learning.

    Extension point: training courses (the `training` module, to come) link to reviews the
    same way, by a foreign key or many-to-many declared on the training side (for example
    `Course.recommendations`), as the architecture has the owning side declare it. The
    recommendation page lists `recommendation.learning_products` today; add the courses there.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="learning_products")
    kind = models.CharField(max_length=20, choices=ProductKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    link = models.URLField(blank=True, max_length=300)
    published_on = models.DateField(null=True, blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="learning_products"
    )

    class Meta:
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return self.title
