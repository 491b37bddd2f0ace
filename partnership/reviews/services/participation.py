"""The people outside the business unit taking part in a review: an agency contact sending
their agency's summary; each safeguarding partner's delegated representative; and the rapid
review report drafted from the record, edited, then rendered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, OrganisationKind, Person
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from ..deadlines import deadlines_sync
from ..models import (
    REPORT_SECTIONS,
    AgencyContribution,
    AgencyRequest,
    AgencySummary,
    DelegatedPartner,
    DocumentKind,
    RapidReview,
    RapidReviewReport,
    SubmissionStatus,
    today,
)
from .common import _audit, _not_before, _not_in_future

CONTRIBUTION_LIMIT = 20_000


def _contribution_viewed(ask: AgencyContribution, *, what: str, actor: Actor) -> None:
    """An agency contact's look at their request is on the review's record."""
    with transaction.atomic():
        _audit(
            ask.review,
            actor=actor,
            action=Action.VIEW,
            summary=f"Viewed the request for the {what} from {ask.organisation}",
        )


def _contribution_submit(
    ask: AgencyContribution, *, what: str, contribution: str, actor: Actor, upload, on
) -> AgencyContribution:
    """The agency's contact sends what was asked (`what`: "summary", "chronology", ...):
    received today, its deadline closes. Call inside the caller's transaction."""
    if ask.status == SubmissionStatus.RECEIVED:
        raise ValidationError(
            f"The {what} from {ask.organisation} was received on {ask.received_on:%-d %B %Y}"
        )
    text = (contribution or "").strip()
    if not text:
        raise ValidationError({"contribution": f"Enter your agency's {what}"})
    if len(text) > CONTRIBUTION_LIMIT:
        raise ValidationError(
            {"contribution": f"The {what} must be {CONTRIBUTION_LIMIT:,} characters or fewer"}
        )
    received_on = on or today()
    _not_before(
        received_on,
        ask.requested_on,
        "contribution",
        f"The {what} cannot be received before it was requested",
    )
    _not_in_future(received_on, "contribution", "date received")
    ask.contribution = text
    ask.status = SubmissionStatus.RECEIVED
    ask.received_on = received_on
    ask.submitted_by = actor.user
    ask.submitted_at = timezone.now()
    if upload is not None:
        from .documents import document_upload

        ask.contribution_file = document_upload(
            review=ask.review,
            kind=DocumentKind.OTHER,
            title=f"{what.capitalize()} from {ask.organisation}",
            upload=upload,
            actor=actor,
        )
    ask.save(
        update_fields=[
            "contribution",
            "status",
            "received_on",
            "submitted_by",
            "submitted_at",
            "contribution_file",
        ]
    )
    deadlines_sync([ask.review.pk])
    _audit(
        ask.review,
        actor=actor,
        summary=f"{actor.user} sent the {what} from {ask.organisation}",
        changes={"received_on": [None, ask.received_on]},
    )
    return ask


def agency_summary_viewed(*, summary: AgencySummary, actor: Actor) -> None:
    _contribution_viewed(summary, what="summary", actor=actor)


@transaction.atomic
def agency_summary_submit(
    *, summary: AgencySummary, contribution: str, actor: Actor, upload=None, on=None
) -> AgencySummary:
    """The agency's contact sends its summary: received today, the timetable follows.
    (`on` dates it back, for the demo; the page never passes it.)"""
    if not summary.rapid_review.is_open:
        raise ValidationError("The rapid review is complete: it takes no more summaries")
    return _contribution_submit(
        summary, what="summary", contribution=contribution, actor=actor, upload=upload, on=on
    )


def agency_request_viewed(*, agency_request: AgencyRequest, actor: Actor) -> None:
    _contribution_viewed(agency_request, what=agency_request.what, actor=actor)


@transaction.atomic
def agency_request_submit(
    *, agency_request: AgencyRequest, contribution: str, actor: Actor, upload=None, on=None
) -> AgencyRequest:
    """The agency's contact sends the chronology or learning summary asked of it for a
    local review: received today, its deadline closes, the chasers stop."""
    return _contribution_submit(
        agency_request,
        what=agency_request.what,
        contribution=contribution,
        actor=actor,
        upload=upload,
        on=on,
    )


# Delegated safeguarding partners ------------------------------------------------------------


def signers_for(partner: Organisation) -> list[User]:
    """Who signs off for a partner: its delegated representative's account, or, where the
    business unit has designated none, the partner's leads."""
    delegate = DelegatedPartner.objects.filter(partner=partner).select_related("person").first()
    if delegate is not None:
        user = delegate.person.user
        return [user] if user is not None and user.is_active else []
    return list(
        User.objects.filter(
            organisation=partner, is_active=True, role_grants__role=Role.PARTNER_LEAD
        ).order_by("full_name")
    )


def may_sign_for(user, partner: Organisation) -> bool:
    return user is not None and any(signer.pk == user.pk for signer in signers_for(partner))


def partner_signed_for_by(user) -> Organisation | None:
    """The safeguarding partner `user` signs off for, if any."""
    if user is None or not user.is_authenticated:
        return None
    delegated = (
        DelegatedPartner.objects.filter(person__user_id=user.pk).select_related("partner").first()
    )
    if delegated is not None:
        return delegated.partner
    organisation = user.organisation
    if (
        user.has_role(Role.PARTNER_LEAD)
        and organisation is not None
        and organisation.kind == OrganisationKind.SAFEGUARDING_PARTNER
        and not DelegatedPartner.objects.filter(partner=organisation).exists()
    ):
        return organisation
    return None


@transaction.atomic
def delegated_partner_set(*, partner: Organisation, person: Person, actor: Actor):
    """Designate (or change) the person who signs rapid reviews off for a partner."""
    if partner.kind != OrganisationKind.SAFEGUARDING_PARTNER:
        raise ValidationError({"partner": f"{partner} is not a safeguarding partner"})
    if person.user_id is None or not person.user.is_active:
        raise ValidationError(
            {"person": f"{person} has no account: invite them before designating them"}
        )
    if not person.user.is_staff:
        raise ValidationError(
            {"person": f"{person}'s account has no partnership role: give it one first"}
        )
    if person.has_ended:
        raise ValidationError({"person": f"{person} has left {person.organisation}"})
    if person.organisation_id != partner.pk:
        raise ValidationError({"person": f"{person} is not recorded at {partner}"})
    taken = DelegatedPartner.objects.filter(person=person).exclude(partner=partner).first()
    if taken is not None:
        raise ValidationError({"person": f"{person} is already the delegate for {taken.partner}"})
    existing = DelegatedPartner.objects.filter(partner=partner).select_related("person").first()
    before = existing.person.full_name if existing else None
    delegate, _ = DelegatedPartner.objects.update_or_create(
        partner=partner,
        defaults={"person": person, "designated_on": today(), "designated_by": actor.user},
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=partner,
        summary=f"Designated {person} the delegated safeguarding partner for {partner}",
        changes={"delegated safeguarding partner": [before, person.full_name]},
    )
    return delegate


# The rapid review report --------------------------------------------------------------------


def report_from_record(rapid: RapidReview) -> dict[str, str]:
    """The report's sections as the record gives them, for the business unit to edit."""
    review = rapid.review
    facts = []
    for incident in review.incidents.all():
        line = (
            f"{incident.child_pseudonym}: {incident.get_outcome_display().lower()} on "
            f"{incident.occurred_on:%-d %B %Y}; the local authority became aware on "
            f"{incident.aware_on:%-d %B %Y}."
        )
        facts.append(line + (f"\n{incident.summary}" if incident.summary else ""))
    involvement = []
    for summary in rapid.summaries.select_related("organisation", "contribution_file"):
        name = summary.organisation.name_on(summary.requested_on)
        if summary.contribution_file_id:
            attached = f"\n(With the document {summary.contribution_file.original_name!r}.)"
        else:
            attached = ""
        if summary.contribution:
            involvement.append(
                f"{name} (summary received {summary.received_on:%-d %B %Y}):\n"
                f"{summary.contribution}{attached}"
            )
        elif summary.received_on:
            involvement.append(f"{name}: summary received {summary.received_on:%-d %B %Y}.")
        else:
            involvement.append(f"{name}: summary requested, due {summary.due_on:%-d %B %Y}.")
    criteria = [
        f"{assessment.get_criterion_display()}: {'met' if assessment.met else 'not met'}."
        + (f" {assessment.notes}" if assessment.notes else "")
        for assessment in rapid.assessments.all()
    ]
    decision = ""
    if rapid.decision:
        decision = f"{rapid.get_decision_display()}.\n{rapid.rationale}"
    return {
        "facts": "\n\n".join(facts),
        "agency_involvement": "\n\n".join(involvement),
        "practice_episodes": "",
        "immediate_actions": rapid.immediate_actions,
        "inequalities": "",
        "criteria": "\n".join(criteria),
        "decision": decision,
    }


@transaction.atomic
def rapid_review_report_generate(*, rapid: RapidReview, actor: Actor) -> RapidReviewReport:
    """Draft the report afresh from the record. Sections the record does not hold (the
    practice episodes, the inequalities) keep what was written in them."""
    report = RapidReviewReport.objects.filter(rapid_review=rapid).first()
    drafted = report_from_record(rapid)
    if report is None:
        report = RapidReviewReport(rapid_review=rapid)
    for field, value in drafted.items():
        if value or field not in ("practice_episodes", "inequalities"):
            setattr(report, field, value)
    report.generated_at = report.updated_at = timezone.now()
    report.updated_by = actor.user
    report.save()
    _audit(rapid.review, actor=actor, summary="Drafted the rapid review report from the record")
    return report


@transaction.atomic
def rapid_review_report_save(
    *, report: RapidReviewReport, sections: dict[str, str], actor: Actor
) -> RapidReviewReport:
    fields = [field for field, _ in REPORT_SECTIONS]
    before = {field: getattr(report, field) for field in fields}
    for field in fields:
        setattr(report, field, (sections.get(field) or "").strip())
    report.updated_at = timezone.now()
    report.updated_by = actor.user
    report.save()
    _audit(
        report.rapid_review.review,
        actor=actor,
        summary="Edited the rapid review report",
        changes=diff(before, {field: getattr(report, field) for field in fields}),
    )
    return report
