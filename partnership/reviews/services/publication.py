"""Publishing a review's report."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.text import slugify

from partnership.trail.actors import Actor
from partnership.trail.services import diff

from ..deadlines import deadlines_sync, related
from ..models import (
    Publication,
    PublicationStatus,
    Recommendation,
    ReviewStatus,
    public_content,
    today,
)
from .common import DECISION_STATUS, _audit

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
    "notice_not_needed_reason",
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


def publication_problems(publication: Publication) -> list[str]:
    """What stops the review being published, each said as what to do."""
    problems = []
    if not publication.summary.strip():
        problems.append("Add the summary of the case and its learning")
    if not publication.response.strip():
        problems.append("Add the partnership's response: what we have done")
    if publication.report_published:
        if publication.report_id is None:
            problems.append(
                "Upload the final report and choose it, or record that it is not published"
            )
        if publication.executive_summary_id is None:
            problems.append("Upload the executive summary and choose it")
    elif not publication.improvements.strip():
        problems.append(
            "Add the information about the improvements, as the report is not published"
        )
    local = related(publication.review, "local_review")
    notice_sent = local is not None and local.pre_publication_notice_sent_on is not None
    if not notice_sent and not publication.notice_not_needed_reason.strip():
        problems.append(
            "Record the pre-publication notice to the Panel and the Secretary of State (on the "
            "local review page), or the reason it is not needed"
        )
    return problems


def publication_preview(publication: Publication, published_on: dt.date | None) -> dict:
    """What the public page will show, exactly: the "check your answers" page shows it and
    publishing stores it."""
    recommendations = Recommendation.objects.filter(review_id=publication.review_id).order_by(
        "number"
    )
    return public_content(publication, recommendations.values_list("number", "text"), published_on)


@transaction.atomic
def publication_publish(
    *, publication: Publication, published_on: dt.date, actor: Actor
) -> Publication:
    """Put the review on the public site, as the "check your answers" page showed it: with
    the report and executive summary, or (where not published by decision) with information
    about the improvements made; after the pre-publication notice (or the reason for none)."""
    problems = publication_problems(publication)
    if problems:
        raise ValidationError(problems)
    publication.status, publication.published_on = PublicationStatus.PUBLISHED, published_on
    publication.published_content = publication_preview(publication, published_on)
    publication.withdrawn_on, publication.withdrawn_reason = None, ""
    publication.save(
        update_fields=[
            "status",
            "published_on",
            "published_content",
            "withdrawn_on",
            "withdrawn_reason",
        ]
    )
    review = publication.review
    review.status = ReviewStatus.PUBLISHED
    review.save(update_fields=["status"])
    deadlines_sync([review.pk])
    _audit(
        review,
        actor=actor,
        summary=f"Published the review on the website from {published_on:%-d %B %Y}",
        changes={
            "recommendations published": [
                None,
                len(publication.published_content["recommendations"]),
            ]
        },
    )
    return publication


def _status_before_publication(review) -> str:
    if related(review, "local_review") is not None:
        return ReviewStatus.LOCAL_REVIEW
    rapid = related(review, "rapid_review")
    if rapid is not None and rapid.decision:
        return DECISION_STATUS[rapid.decision]
    return ReviewStatus.RAPID_REVIEW


@transaction.atomic
def publication_withdraw(*, publication: Publication, reason: str, actor: Actor) -> Publication:
    """Take the review off the public site, with the reason, on the record."""
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError("Only a published review can be withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the publication is withdrawn"})
    publication.status = PublicationStatus.WITHDRAWN
    publication.withdrawn_on, publication.withdrawn_reason = today(), reason
    publication.save(update_fields=["status", "withdrawn_on", "withdrawn_reason"])
    review = publication.review
    before = review.status
    review.status = _status_before_publication(review)
    review.save(update_fields=["status"])
    deadlines_sync([review.pk])
    _audit(
        review,
        actor=actor,
        summary="Withdrew the review from the website",
        changes={"status": [before, review.status], "reason": [None, reason]},
    )
    return publication
