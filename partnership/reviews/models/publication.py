"""The publication of a review's report."""

from django.db import models
from django.urls import reverse

from partnership.lib.clocks import add_months

from .common import today
from .config import ReviewRules
from .documents import ReviewDocument
from .review import Review

# Publication --------------------------------------------------------------------------------


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """Published material, which is public."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_on__lte=today())


class Publication(models.Model):
    """What the public site shows of a review: the report, its executive summary and the
    partnership's response ("What we have done"); or, where the report is not published by
    decision, information about the improvements made."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="publication")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(
        help_text="A precis of the case and its key learning, for the public page."
    )
    response = models.TextField(
        "The partnership's response", help_text="What we have done in response to the review."
    )
    report_published = models.BooleanField(default=True)
    not_published_reason = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    report = models.ForeignKey(
        ReviewDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executive_summary = models.ForeignKey(
        ReviewDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Where the pre-publication notice to the Panel and the Secretary of State is not needed
    # (a review that is not an LCSPR, say), why: recorded instead of the notice.
    notice_not_needed_reason = models.TextField(blank=True)
    # What the public site shows, fixed when the review is published (see `public_content`):
    # a change made later shows only once it is published again.
    published_content = models.JSONField(default=dict, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "-published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("published:review", kwargs={"slug": self.slug})

    def online_until(self, rules: ReviewRules):
        return (
            add_months(self.published_on, rules.published_for_months) if self.published_on else None
        )

    def is_online(self, rules: ReviewRules, on=None) -> bool:
        """Whether the documents are still on the website (after that: available on request)."""
        until = self.online_until(rules)
        return until is not None and (on or today()) < until


def _document(document) -> dict | None:
    if document is None:
        return None
    kind = "PDF" if document.original_name.lower().endswith(".pdf") else "Word document"
    return {"id": document.pk, "title": document.title, "format": kind}


def public_content(publication, recommendations, published_on) -> dict:
    """Everything the public page of a review shows, as it will show it: made for the "check
    your answers" page and stored when the review is published, so the two cannot differ.
    `recommendations` are (number, text) pairs. Plain values only (the migrations use it)."""
    return {
        "title": publication.title,
        "published_on": published_on.isoformat() if published_on else None,
        "summary": publication.summary,
        "report_published": publication.report_published,
        "report": _document(publication.report) if publication.report_published else None,
        "executive_summary": (
            _document(publication.executive_summary) if publication.report_published else None
        ),
        "not_published_reason": (
            "" if publication.report_published else publication.not_published_reason
        ),
        "improvements": "" if publication.report_published else publication.improvements,
        "recommendations": [{"number": number, "text": text} for number, text in recommendations],
        "response": publication.response,
    }
