"""Recommendations, their action plans and the learning products."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action

from ..deadlines import deadlines_sync
from ..models import (
    ActionItem,
    ActionStatus,
    EvidenceFile,
    LearningProduct,
    Recommendation,
    RecommendationStatus,
)
from .common import _audit, _not_before, _not_in_future

# Recommendations and action plans -----------------------------------------------------------


@transaction.atomic
def recommendation_save(*, recommendation: Recommendation, themes: Iterable, actor: Actor):
    creating = recommendation.pk is None
    if creating and not recommendation.number:
        last = (
            recommendation.review.recommendations.order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        recommendation.number = (last or 0) + 1
    recommendation.save()
    recommendation.themes.set(themes)
    _audit(
        recommendation.review,
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        summary=f"{'Added' if creating else 'Changed'} recommendation {recommendation.number}",
    )
    return recommendation


def _refresh_recommendation_status(recommendation: Recommendation) -> None:
    statuses = set(recommendation.actions.values_list("status", flat=True))
    status = (
        RecommendationStatus.COMPLETE
        if statuses and statuses == {ActionStatus.SIGNED_OFF}
        else RecommendationStatus.OPEN
    )
    if status != recommendation.status:
        recommendation.status = status
        recommendation.save(update_fields=["status"])


@transaction.atomic
def action_save(*, action: ActionItem, actor: Actor) -> ActionItem:
    """Add or change an action-plan item (an organisation, an owner, a due date)."""
    creating = action.pk is None
    action.review = action.recommendation.review
    action.save()
    _refresh_recommendation_status(action.recommendation)
    deadlines_sync([action.review_id])
    _audit(
        action.review,
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        summary=f"{'Added' if creating else 'Changed'} an action for recommendation "
        f"{action.recommendation.number}, owned by {action.owner} ({action.organisation})",
    )
    return action


@transaction.atomic
def action_submit_evidence(
    *,
    action: ActionItem,
    evidence: str,
    files: Iterable,
    submitted_on: dt.date,
    actor: Actor,
):
    """The owner's evidence of completion, in words and files, for the group to sign off."""
    if action.status == ActionStatus.SIGNED_OFF:
        raise ValidationError("The action has been signed off: its evidence cannot change")
    if not evidence.strip():
        raise ValidationError({"evidence": "Describe the evidence that the action is complete"})
    action.evidence, action.evidence_submitted_on = evidence.strip(), submitted_on
    action.status = ActionStatus.EVIDENCE_SUBMITTED
    action.save(update_fields=["evidence", "evidence_submitted_on", "status"])
    stored = []
    try:
        for upload in files:
            item = EvidenceFile(
                action=action,
                original_name=upload.name[:255],
                size=upload.size,
                uploaded_by=actor.user,
            )
            item.file.save(upload.name, upload, save=False)
            stored.append(item)
            item.save()
        _audit(
            action.review,
            actor=actor,
            summary=f"Submitted evidence for action {action.pk} ({len(stored)} files)",
        )
    except Exception:
        for item in stored:
            item.file.delete(save=False)
        raise
    return action


@transaction.atomic
def action_sign_off(*, action: ActionItem, signed_off_on: dt.date, notes: str, actor: Actor):
    """The group signs the action off as complete, on the evidence submitted."""
    if action.status != ActionStatus.EVIDENCE_SUBMITTED:
        raise ValidationError(
            "The action can be signed off only once its evidence has been submitted"
        )
    _not_before(
        signed_off_on,
        action.evidence_submitted_on,
        "signed_off_on",
        "The sign-off cannot be before the evidence was submitted",
    )
    _not_in_future(signed_off_on, "signed_off_on", "date of the sign-off")
    action.status, action.signed_off_on, action.signed_off_by = (
        ActionStatus.SIGNED_OFF,
        signed_off_on,
        actor.user,
    )
    action.sign_off_notes = notes.strip()
    action.save(update_fields=["status", "signed_off_on", "signed_off_by", "sign_off_notes"])
    _refresh_recommendation_status(action.recommendation)
    deadlines_sync([action.review_id])
    _audit(action.review, actor=actor, summary=f"Signed off action {action.pk}")
    return action


@transaction.atomic
def learning_product_save(*, product: LearningProduct, recommendations: Iterable, actor: Actor):
    creating = product.pk is None
    product.save()
    product.recommendations.set(recommendations)
    _audit(
        product.review,
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        summary=f"{'Added' if creating else 'Changed'} the {product.get_kind_display()} {product.title!r}",
    )
    return product
