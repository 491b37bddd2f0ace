"""What every section of the review services shares: the audit entry filed under the review,
the date checks, and the decision tables of a rapid review."""

import datetime as dt

from django.core.exceptions import ValidationError

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from ..models import (
    Decision,
    LocalReviewKind,
    Review,
    ReviewStatus,
    today,
)

DECISION_STATUS = {
    Decision.NO_FURTHER_REVIEW: ReviewStatus.NO_FURTHER_REVIEW,
    Decision.LCSPR: ReviewStatus.LOCAL_REVIEW,
    Decision.OTHER_LEARNING: ReviewStatus.LOCAL_REVIEW,
    Decision.NATIONAL: ReviewStatus.NATIONAL_REVIEW,
}
DECISION_LOCAL_KIND = {
    Decision.LCSPR: LocalReviewKind.LCSPR,
    Decision.OTHER_LEARNING: LocalReviewKind.LEARNING_REVIEW,
}


def _audit(review: Review, *, actor: Actor, summary: str, action=Action.UPDATE, changes=None):
    """Writes about any part of a review are filed under the review, so its history is one list."""
    return audit_record(actor=actor, action=action, obj=review, summary=summary, changes=changes)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _not_before(value: dt.date | None, earliest: dt.date | None, field: str, message: str):
    if value and earliest and value < earliest:
        raise ValidationError({field: message})


def _not_in_future(value: dt.date | None, field: str, what: str):
    if value and value > today():
        raise ValidationError({field: f"The {what} must be today or in the past"})
