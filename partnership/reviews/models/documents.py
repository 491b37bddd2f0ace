"""Documents on a review, and where uploaded files are kept."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from .review import Review

# Documents --------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    DRAFT_REPORT = "draft_report", "Draft report"
    FINAL_REPORT = "final_report", "Final report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    OTHER = "other", "Other document"


def document_path(instance, filename: str) -> str:
    # A random name: the original (which may name a child) is kept in the database only.
    return f"reviews/{instance.review_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def evidence_path(instance, filename: str) -> str:
    return (
        f"reviews/evidence/{instance.action_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"
    )


class StoredFile(models.Model):
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def content_type(self) -> str:
        if self.original_name.lower().endswith(".pdf"):
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewDocument(StoredFile):
    """A report or other document of a review, served only through an authorised view."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
