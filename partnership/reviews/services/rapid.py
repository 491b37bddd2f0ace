"""The rapid review: letters to agencies, their summaries, the meeting, the decision, the
sign-off and the panel."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnership.directory.models import Organisation
from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.services import diff

from ..deadlines import deadlines_sync, related
from ..mail import agency_request_send
from ..models import (
    AgencySummary,
    Criterion,
    CriterionAssessment,
    Decision,
    LocalReview,
    RapidReview,
    RapidReviewStatus,
    ReviewRules,
    ReviewStatus,
    SignOff,
    SubmissionStatus,
)
from .clocks import local_review_set_clock
from .common import DECISION_LOCAL_KIND, DECISION_STATUS, _audit, _not_before, _not_in_future

# Rapid review -------------------------------------------------------------------------------


def _open_rapid_review(rapid: RapidReview) -> None:
    if not rapid.is_open:
        raise ValidationError(
            "The rapid review is complete: its decision has been sent to the Panel"
        )


@transaction.atomic
def rapid_review_record_letters(
    *,
    rapid: RapidReview,
    sent_on: dt.date,
    organisations: Iterable[Organisation],
    actor: Actor,
) -> list[AgencySummary]:
    """Record the agency letters sent, each asking the agency for its summary."""
    _open_rapid_review(rapid)
    _not_before(
        sent_on,
        rapid.review.aware_on,
        "sent_on",
        "The letters cannot be sent before the local authority became aware of the incident",
    )
    _not_in_future(sent_on, "sent_on", "date the letters were sent")
    rules = ReviewRules.current()
    rapid.letters_sent_on = sent_on
    rapid.save(update_fields=["letters_sent_on"])
    due = rapid.summaries_due_on or add_working_days(
        sent_on, max(rules.summaries_day - rules.letters_day, 1)
    )
    made = []
    have = set(rapid.summaries.values_list("organisation_id", flat=True))
    for organisation in organisations:
        if organisation.pk in have:
            continue
        made.append(
            AgencySummary.objects.create(
                rapid_review=rapid, organisation=organisation, requested_on=sent_on, due_on=due
            )
        )
    deadlines_sync([rapid.review_id])
    for summary in made:
        agency_request_send(summary=summary, actor=actor)
    _audit(
        rapid.review,
        actor=actor,
        summary=f"Recorded agency letters sent on {sent_on:%-d %B %Y}, asking "
        f"{len(made)} agencies for summaries",
        changes={"agencies": [None, sorted(s.organisation.name for s in made)]},
    )
    return made


@transaction.atomic
def agency_summary_receive(*, summary: AgencySummary, received_on: dt.date, actor: Actor):
    _open_rapid_review(summary.rapid_review)
    _not_before(
        received_on,
        summary.requested_on,
        "received_on",
        "The summary cannot be received before it was requested "
        f"({summary.requested_on:%-d %B %Y})",
    )
    _not_in_future(received_on, "received_on", "date received")
    summary.received_on = received_on
    summary.status = SubmissionStatus.RECEIVED
    summary.save(update_fields=["received_on", "status"])
    deadlines_sync([summary.rapid_review.review_id])
    _audit(
        summary.rapid_review.review,
        actor=actor,
        summary=f"Recorded the summary from {summary.organisation} as received",
        changes={"received_on": [None, received_on]},
    )
    return summary


@transaction.atomic
def rapid_review_record_meeting(
    *,
    rapid: RapidReview,
    held_on: dt.date | None,
    immediate_actions: str,
    assessments: dict[str, tuple[bool, str]],
    actor: Actor,
) -> RapidReview:
    """Record the rapid review meeting: immediate safety actions and the criteria weighed."""
    _open_rapid_review(rapid)
    _not_before(
        held_on,
        rapid.review.aware_on,
        "held_on",
        "The meeting cannot be before the local authority became aware of the incident",
    )
    _not_in_future(held_on, "held_on", "date of the meeting")
    rapid.meeting_held_on = held_on
    rapid.immediate_actions = immediate_actions
    rapid.save(update_fields=["meeting_held_on", "immediate_actions"])
    existing = {a.criterion: a for a in rapid.assessments.all()}
    for criterion, (met, notes) in assessments.items():
        Criterion(criterion)  # refuses an unknown criterion
        assessment = existing.get(criterion) or CriterionAssessment(
            rapid_review=rapid, criterion=criterion
        )
        assessment.met, assessment.notes = met, notes
        assessment.save()
    deadlines_sync([rapid.review_id])
    _audit(
        rapid.review,
        actor=actor,
        summary="Recorded the rapid review meeting, immediate actions and criteria",
        changes={"criteria met": [None, sorted(c for c, (met, _) in assessments.items() if met)]},
    )
    return rapid


@transaction.atomic
def rapid_review_decide(
    *, rapid: RapidReview, decision: str, rationale: str, decided_on: dt.date, actor: Actor
) -> RapidReview:
    """Record the decision on further review. A rationale against the criteria is required."""
    _open_rapid_review(rapid)
    if not (rationale or "").strip():
        raise ValidationError(
            {"rationale": "Enter the rationale for the decision, against the criteria"}
        )
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select the decision"})
    _not_before(
        decided_on,
        rapid.review.aware_on,
        "decided_on",
        "The decision cannot be made before the local authority became aware of the incident",
    )
    _not_in_future(decided_on, "decided_on", "date of the decision")
    if rapid.sign_offs.exists() and (decision != rapid.decision or decided_on != rapid.decided_on):
        raise ValidationError(
            "The partners have begun to sign off this decision, so it cannot change. "
            "Ask the business unit to withdraw the sign-offs first"
        )
    before = {
        "decision": rapid.decision,
        "rationale": rapid.rationale,
        "decided_on": rapid.decided_on,
    }
    rapid.decision, rapid.rationale, rapid.decided_on = decision, rationale.strip(), decided_on
    rapid.decided_by = actor.user
    rapid.save(update_fields=["decision", "rationale", "decided_on", "decided_by"])
    _audit(
        rapid.review,
        actor=actor,
        summary=f"Recorded the rapid review decision: {rapid.get_decision_display()}",
        changes=diff(
            before, {"decision": decision, "rationale": rapid.rationale, "decided_on": decided_on}
        ),
    )
    return rapid


def partners() -> list[Organisation]:
    return list(Organisation.objects.partners().active().order_by("name"))


@transaction.atomic
def rapid_review_sign_off(
    *, rapid: RapidReview, signer, signed_on: dt.date, actor: Actor
) -> SignOff:
    """A safeguarding partner's delegated representative signs the decision off, themselves.

    Refused for anyone but the person who signs for a partner (its delegated safeguarding
    partner, or its lead where none is designated), for anyone signing on another's behalf,
    and for a partner that has signed already.
    """
    from .participation import partner_signed_for_by

    _open_rapid_review(rapid)
    if not rapid.decision:
        raise ValidationError("Record the decision before the partners sign it off")
    organisation = (
        partner_signed_for_by(signer) if signer is not None and signer.is_active else None
    )
    if organisation is None:
        raise ValidationError(
            {
                "signer": f"{signer or 'This person'} cannot sign off: only the delegated "
                "representative of one of the three safeguarding partners (the local "
                "authority, the health commissioner and the police) can"
            }
        )
    if actor.user is None or actor.user.pk != signer.pk:
        raise ValidationError(
            {"signer": f"Only {signer} can sign off for {organisation}, signed in themselves"}
        )
    if rapid.sign_offs.filter(partner=organisation).exists():
        raise ValidationError({"signer": f"{organisation} has already signed off this decision"})
    _not_before(
        signed_on,
        rapid.decided_on,
        "signed_on",
        f"The sign-off cannot be before the decision ({rapid.decided_on:%-d %B %Y})",
    )
    _not_in_future(signed_on, "signed_on", "date of the sign-off")
    try:
        with transaction.atomic():
            sign_off = SignOff.objects.create(
                rapid_review=rapid,
                partner=organisation,
                signed_by=signer,
                signed_on=signed_on,
                recorded_by=actor.user,
            )
    except IntegrityError as error:  # a second sign-off for the partner, at the same moment
        raise ValidationError(
            {"signer": f"{organisation} has already signed off this decision"}
        ) from error
    deadlines_sync([rapid.review_id])
    _audit(
        rapid.review,
        actor=actor,
        summary=f"{signer} signed off the decision for {organisation}",
        changes={"signed off": [None, organisation.name]},
    )
    return sign_off


@transaction.atomic
def rapid_review_send_to_panel(
    *, rapid: RapidReview, sent_on: dt.date, actor: Actor
) -> RapidReview:
    """Record the decision sent to the Panel: this completes the rapid review and, for a
    local review, starts it (and its publication clock)."""
    _open_rapid_review(rapid)
    if not rapid.decision:
        raise ValidationError("Record the decision before sending it to the Panel")
    signed = set(rapid.sign_offs.values_list("partner_id", flat=True))
    missing = [p.name for p in partners() if p.pk not in signed]
    if missing:
        raise ValidationError(
            f"Every safeguarding partner must sign off the decision first: waiting for {', '.join(missing)}"
        )
    _not_before(
        sent_on,
        rapid.decided_on,
        "sent_on",
        f"The decision cannot be sent before it was made ({rapid.decided_on:%-d %B %Y})",
    )
    _not_in_future(sent_on, "sent_on", "date sent")
    rapid.sent_to_panel_on = sent_on
    rapid.status = RapidReviewStatus.COMPLETED
    rapid.save(update_fields=["sent_to_panel_on", "status"])
    review = rapid.review
    review.status = DECISION_STATUS[rapid.decision]
    review.save(update_fields=["status"])
    if rapid.decision in DECISION_LOCAL_KIND and related(review, "local_review") is None:
        local = LocalReview(
            review=review, kind=DECISION_LOCAL_KIND[rapid.decision], decided_on=rapid.decided_on
        )
        local_review_set_clock(local, ReviewRules.current())
        local.save()
    deadlines_sync([review.pk])
    _audit(
        review,
        actor=actor,
        summary=f"Sent the rapid review decision ({rapid.get_decision_display()}) to the Panel; "
        "the rapid review is complete",
        changes={"status": [ReviewStatus.RAPID_REVIEW, review.status]},
    )
    return rapid


@transaction.atomic
def rapid_review_record_panel_response(
    *, rapid: RapidReview, response: str, response_on: dt.date, actor: Actor
) -> RapidReview:
    if not rapid.sent_to_panel_on:
        raise ValidationError("Send the decision to the Panel before recording its response")
    _not_before(
        response_on,
        rapid.sent_to_panel_on,
        "response_on",
        "The Panel cannot respond before the decision was sent to it",
    )
    _not_in_future(response_on, "response_on", "date of the Panel's response")
    rapid.panel_response, rapid.panel_response_on = response.strip(), response_on
    rapid.save(update_fields=["panel_response", "panel_response_on"])
    _audit(rapid.review, actor=actor, summary="Recorded the Panel's response")
    return rapid
