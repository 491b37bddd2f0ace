"""Publishing a review's report."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.text import slugify

from partnership.trail.actors import Actor
from partnership.trail.services import diff

from ..deadlines import deadlines_sync
from ..models import (
    Publication,
    PublicationStatus,
    ReviewStatus,
)
from .common import _audit

# Publication --------------------------------------------------------------------------------


def _unique_publication_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:100] or "review"
    slug, counter = base, 2
    while Publication.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


PUBLICATION_FIELDS = [
    "title",
    "summary",
    "response",
    "report_published",
    "not_published_reason",
    "improvements",
    "report",
    "executive_summary",
]


@transaction.atomic
def publication_save(*, publication: Publication, actor: Actor) -> Publication:
    """Save the draft of what the public site will show."""
    for field in ("report", "executive_summary"):
        document = getattr(publication, field)
        if document is not None and document.review_id != publication.review_id:
            raise ValidationError({field: "Choose one of this review's documents"})
    creating = publication.pk is None
    before = (
        {}
        if creating
        else model_to_dict(Publication.objects.get(pk=publication.pk), fields=PUBLICATION_FIELDS)
    )
    if creating or not publication.slug:
        publication.slug = _unique_publication_slug(publication.title, publication.pk)
    publication.save()
    _audit(
        publication.review,
        actor=actor,
        summary="Saved the publication",
        changes=diff(before, model_to_dict(publication, fields=PUBLICATION_FIELDS)),
    )
    return publication


@transaction.atomic
def publication_publish(
    *, publication: Publication, published_on: dt.date, actor: Actor
) -> Publication:
    """Put the review on the public site. With the report, or (where not published by
    decision) with information about the improvements made."""
    problems = []
    if not publication.summary.strip():
        problems.append("Add the summary of the case and its learning")
    if not publication.response.strip():
        problems.append("Add the partnership's response: what we have done")
    if publication.report_published and publication.report_id is None:
        problems.append("Choose the final report to publish, or record that it is not published")
    if not publication.report_published and not publication.improvements.strip():
        problems.append(
            "Add the information about the improvements, as the report is not published"
        )
    if problems:
        raise ValidationError(problems)
    publication.status, publication.published_on = PublicationStatus.PUBLISHED, published_on
    publication.save(update_fields=["status", "published_on"])
    review = publication.review
    review.status = ReviewStatus.PUBLISHED
    review.save(update_fields=["status"])
    deadlines_sync([review.pk])
    _audit(
        review,
        actor=actor,
        summary=f"Published the review on the website from {published_on:%-d %B %Y}",
    )
    return publication
