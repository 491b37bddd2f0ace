"""The local review (LCSPR or other learning review): terms, reviewer, panel, declarations,
agency requests, practitioner events, monitoring."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from partnership.accounts.models import Role
from partnership.directory.services import person_invite
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import diff

from ..deadlines import deadlines_sync
from ..models import (
    AccessReason,
    AgencyRequest,
    Commission,
    Declaration,
    LocalReview,
    MonitoringEntry,
    PanelMember,
    PractitionerEvent,
    Review,
    ReviewAccess,
    SubmissionStatus,
)
from .common import _audit, _not_before, _not_in_future

# Local review -----------------------------------------------------------------------------


@transaction.atomic
def local_review_update_terms(*, local: LocalReview, terms_of_reference: str, actor: Actor):
    before = local.terms_of_reference
    local.terms_of_reference = terms_of_reference
    local.save(update_fields=["terms_of_reference"])
    _audit(
        local.review,
        actor=actor,
        summary="Changed the terms of reference",
        changes=diff({"terms_of_reference": before}, {"terms_of_reference": terms_of_reference}),
    )
    return local


def _grant(review: Review, user, reason: str, actor: Actor) -> ReviewAccess:
    grant, _ = ReviewAccess.objects.get_or_create(
        review=review, user=user, defaults={"reason": reason, "added_by": actor.user}
    )
    return grant


@transaction.atomic
def reviewer_commission(
    *, review: Review, reviewer, commissioned_on: dt.date, role: str, actor: Actor
) -> Commission:
    """Commission an external reviewer, who may then see this review (and only this one)."""
    if not reviewer.has_role(Role.REVIEWER):
        raise ValidationError(
            {"reviewer": f"{reviewer} is not a reviewer: give them the reviewer role first"}
        )
    if review.commissions.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": f"{reviewer} is already commissioned for this review"})
    commission = Commission.objects.create(
        review=review, reviewer=reviewer, commissioned_on=commissioned_on, role=role
    )
    grant = _grant(review, reviewer, AccessReason.REVIEWER, actor)
    if grant.reason != AccessReason.REVIEWER:
        grant.reason = AccessReason.REVIEWER
        grant.save(update_fields=["reason"])
    _audit(
        review,
        actor=actor,
        action=Action.GRANT,
        summary=f"Commissioned {reviewer} as {role}; they may now see this review",
    )
    return commission


@transaction.atomic
def reviewer_commission_inviting(
    *, review: Review, new_reviewer: dict, commissioned_on: dt.date, role: str, actor: Actor
) -> Commission:
    """Commission a reviewer who has no account yet: add them to the directory, invite them
    to an account with the reviewer role, and commission them, all or nothing.
    `new_reviewer` holds full_name, email, organisation and job_title."""
    person = person_invite(**new_reviewer, roles=[(Role.REVIEWER, None)], actor=actor)
    return reviewer_commission(
        review=review,
        reviewer=person.user,
        commissioned_on=commissioned_on,
        role=role,
        actor=actor,
    )


@transaction.atomic
def local_review_record_informed(
    *, local: LocalReview, panel_on, ofsted_on, dfe_on, actor: Actor
) -> LocalReview:
    """Record the dates the Panel, Ofsted and the DfE were told of the local review, which
    must name the reviewer: so a reviewer must be commissioned first."""
    reviewers = [str(c.reviewer) for c in local.review.commissions.select_related("reviewer")]
    if not reviewers:
        raise ValidationError(
            "Commission a reviewer first: the Panel, Ofsted and the DfE are told the reviewer's name"
        )
    for field, value in (("panel_on", panel_on), ("ofsted_on", ofsted_on), ("dfe_on", dfe_on)):
        _not_before(
            value,
            local.decided_on,
            field,
            f"The date cannot be before the decision ({local.decided_on:%-d %B %Y})",
        )
        _not_in_future(value, field, "date")
    before = model_to_dict(
        local, fields=["panel_informed_on", "ofsted_informed_on", "dfe_informed_on"]
    )
    local.panel_informed_on, local.ofsted_informed_on, local.dfe_informed_on = (
        panel_on,
        ofsted_on,
        dfe_on,
    )
    local.reviewer_named = ", ".join(reviewers)
    local.save(
        update_fields=[
            "panel_informed_on",
            "ofsted_informed_on",
            "dfe_informed_on",
            "reviewer_named",
        ]
    )
    _audit(
        local.review,
        actor=actor,
        summary=f"Recorded who was told of the local review, naming {local.reviewer_named}",
        changes=diff(before, model_to_dict(local, fields=list(before))),
    )
    return local


@transaction.atomic
def local_review_record_pre_publication_notice(
    *, local: LocalReview, sent_on: dt.date, actor: Actor
):
    _not_before(sent_on, local.decided_on, "sent_on", "The notice cannot be before the decision")
    _not_in_future(sent_on, "sent_on", "date sent")
    local.pre_publication_notice_sent_on = sent_on
    local.save(update_fields=["pre_publication_notice_sent_on"])
    deadlines_sync([local.review_id])
    _audit(
        local.review,
        actor=actor,
        summary="Recorded the final report sent to the Panel and the Secretary of State before publication",
    )
    return local


@transaction.atomic
def panel_member_add(*, review: Review, user, role: str, actor: Actor) -> PanelMember:
    if review.panel_members.filter(user=user).exists():
        raise ValidationError({"email": f"{user} is already on the review panel"})
    member = PanelMember.objects.create(review=review, user=user, role=role)
    _grant(review, user, AccessReason.PANEL, actor)
    _audit(
        review,
        actor=actor,
        action=Action.GRANT,
        summary=f"Added {user} to the review panel; they may now see this review",
    )
    return member


@transaction.atomic
def declaration_record(
    *, panel_member: PanelMember, interest: str, declared_on: dt.date, actor: Actor
):
    _not_in_future(declared_on, "declared_on", "date of the declaration")
    declaration = Declaration.objects.create(
        panel_member=panel_member, interest=interest.strip(), declared_on=declared_on
    )
    _audit(
        panel_member.review,
        actor=actor,
        action=Action.CREATE,
        summary=f"{panel_member.user} declared an interest",
    )
    return declaration


@transaction.atomic
def declaration_recommend(
    *,
    declaration: Declaration,
    recommendation: str,
    notes: str,
    recommended_on: dt.date,
    actor: Actor,
):
    """The panel's recommendation on a declared conflict of interest."""
    if declaration.appealed_on:
        raise ValidationError("The recommendation has been appealed: it cannot change now")
    _not_before(
        recommended_on,
        declaration.declared_on,
        "recommended_on",
        "The recommendation cannot be before the declaration",
    )
    _not_in_future(recommended_on, "recommended_on", "date of the recommendation")
    declaration.recommendation, declaration.recommendation_notes = recommendation, notes.strip()
    declaration.recommended_on = recommended_on
    declaration.save(update_fields=["recommendation", "recommendation_notes", "recommended_on"])
    _audit(
        declaration.panel_member.review,
        actor=actor,
        summary=f"The panel recommended on {declaration.panel_member.user}'s interest: "
        f"{declaration.get_recommendation_display()}",
    )
    return declaration


@transaction.atomic
def declaration_appeal(
    *, declaration: Declaration, grounds: str, appealed_on: dt.date, actor: Actor
):
    """An appeal to the independent chair against the panel's recommendation."""
    if not declaration.recommendation:
        raise ValidationError(
            "There is nothing to appeal yet: the panel has not made its recommendation"
        )
    if declaration.appealed_on:
        raise ValidationError("This recommendation has already been appealed")
    _not_before(
        appealed_on,
        declaration.recommended_on,
        "appealed_on",
        "The appeal cannot be before the recommendation",
    )
    _not_in_future(appealed_on, "appealed_on", "date of the appeal")
    declaration.appeal_grounds, declaration.appealed_on = grounds.strip(), appealed_on
    declaration.save(update_fields=["appeal_grounds", "appealed_on"])
    _audit(
        declaration.panel_member.review,
        actor=actor,
        summary=f"{declaration.panel_member.user} appealed the panel's recommendation to the independent chair",
    )
    return declaration


@transaction.atomic
def declaration_decide_appeal(
    *, declaration: Declaration, outcome: str, notes: str, decided_on: dt.date, actor: Actor
):
    """The independent chair's decision on an appeal (recorded by the business unit)."""
    if not declaration.appealed_on:
        raise ValidationError("There is no appeal to decide")
    _not_before(
        decided_on,
        declaration.appealed_on,
        "decided_on",
        "The appeal cannot be decided before it was made",
    )
    _not_in_future(decided_on, "decided_on", "date of the decision")
    declaration.appeal_outcome, declaration.appeal_notes = outcome, notes.strip()
    declaration.appeal_decided_on = decided_on
    declaration.save(update_fields=["appeal_outcome", "appeal_notes", "appeal_decided_on"])
    _audit(
        declaration.panel_member.review,
        actor=actor,
        summary=f"Recorded the independent chair's decision on the appeal: {declaration.get_appeal_outcome_display()}",
    )
    return declaration


@transaction.atomic
def agency_request_add(
    *,
    review: Review,
    organisation,
    kind: str,
    requested_on: dt.date,
    due_on: dt.date,
    actor: Actor,
) -> AgencyRequest:
    """Ask an agency for a chronology or a learning summary, by a date the panel sets."""
    if due_on <= requested_on:
        raise ValidationError({"due_on": "The due date must be after the date requested"})
    _not_in_future(requested_on, "requested_on", "date requested")
    agency_request = AgencyRequest.objects.create(
        review=review,
        organisation=organisation,
        kind=kind,
        requested_on=requested_on,
        due_on=due_on,
    )
    deadlines_sync([review.pk])
    _audit(
        review,
        actor=actor,
        action=Action.CREATE,
        summary=f"Asked {organisation} for a {agency_request.get_kind_display().lower()} by {due_on:%-d %B %Y}",
    )
    return agency_request


@transaction.atomic
def agency_request_receive(*, agency_request: AgencyRequest, received_on: dt.date, actor: Actor):
    _not_before(
        received_on,
        agency_request.requested_on,
        "received_on",
        "It cannot be received before it was requested",
    )
    _not_in_future(received_on, "received_on", "date received")
    agency_request.received_on, agency_request.status = received_on, SubmissionStatus.RECEIVED
    agency_request.save(update_fields=["received_on", "status"])
    deadlines_sync([agency_request.review_id])
    _audit(
        agency_request.review,
        actor=actor,
        summary=f"Recorded the {agency_request} as received",
    )
    return agency_request


@transaction.atomic
def practitioner_event_add(*, event: PractitionerEvent, actor: Actor) -> PractitionerEvent:
    event.save()
    _audit(
        event.review,
        actor=actor,
        action=Action.CREATE,
        summary=f"Recorded the practitioner event {event.title!r} on {event.held_on:%-d %B %Y}",
    )
    return event


@transaction.atomic
def monitoring_record(*, entry: MonitoringEntry, actor: Actor) -> MonitoringEntry:
    """A check on the review's timeliness and quality (regulation 14)."""
    _not_in_future(entry.recorded_on, "recorded_on", "date")
    entry.recorded_by = actor.user
    entry.save()
    _audit(
        entry.review,
        actor=actor,
        action=Action.CREATE,
        summary=f"Monitoring: {entry.get_timeliness_display()}, quality {entry.get_quality_display().lower()}",
    )
    return entry
