"""Every write to a review: keyword-only functions, one transaction each, the audit entry inside.

A function that refuses raises `django.core.exceptions.ValidationError`, keyed by the form
field it is about where there is one, before it has written anything (and the transaction
undoes anything it had), so the page shows a GOV.UK error and nothing is saved half-way.

Each function that changes a date a clock depends on ends with `_after_change(review)`, which
computes the review's open clocks again and brings its `Deadline` rows up to date.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import ROLES_NEEDING_TWO_FACTOR, Role

# Issued by accounts: one private address serves every module's feed (re-exported).
from partnership.accounts.services import (
    calendar_token_hash as calendar_token_hash,
)
from partnership.accounts.services import (
    calendar_token_issue as calendar_token_issue,
)
from partnership.directory.models import Organisation, OrganisationKind
from partnership.governance.models import Group
from partnership.lib.clocks import add_months, working_days_before
from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from .deadlines import deadlines_sync, related
from .models import (
    AccessReason,
    ActionItem,
    ActionStatus,
    AgencyRequest,
    AgencySummary,
    Commission,
    Criterion,
    CriterionAssessment,
    Decision,
    Declaration,
    EvidenceFile,
    Incident,
    IncidentOutcome,
    LearningProduct,
    LearningTheme,
    LocalReview,
    LocalReviewKind,
    MonitoringEntry,
    Notification,
    PanelMember,
    PractitionerEvent,
    Publication,
    PublicationStatus,
    RapidReview,
    RapidReviewStatus,
    Recipient,
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewAccess,
    ReviewDocument,
    ReviewRules,
    ReviewStatus,
    SignOff,
    StartingEvent,
    SubmissionStatus,
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


# Clocks -----------------------------------------------------------------------------------


def notification_due(aware_on: dt.date, rules: ReviewRules) -> dt.date:
    return add_working_days(aware_on, rules.notification_working_days)


def rapid_review_start(review: Review, rules: ReviewRules) -> dt.date | None:
    """The date the rapid review's clock starts from, or None while that event is to come."""
    incidents = list(review.incidents.all())
    if rules.rapid_review_starts_from == StartingEvent.NOTIFICATION:
        sent = [
            n.sent_on
            for n in Notification.objects.filter(
                incident__review=review, recipient=Recipient.PANEL, sent_on__isnull=False
            )
        ]
        return min(sent) if sent else None
    return min((incident.aware_on for incident in incidents), default=None)


RAPID_REVIEW_STEPS = (
    ("letters_due_on", "letters_day"),
    ("summaries_due_on", "summaries_day"),
    ("meeting_due_on", "meeting_day"),
    ("sign_off_due_on", "sign_off_day"),
    ("due_on", "rapid_review_working_days"),
)


def rapid_review_steps_done(rapid: RapidReview) -> set[str]:
    """The due-date fields of the rapid review's steps already done, which keep the dates they
    were held to when the rules change: the letters sent, every agency summary received, the
    meeting held, every safeguarding partner signed off; all of them once the decision has
    gone to the Panel. (The same tests as the deadlines' "done" in `deadlines.py`.)"""
    if rapid.pk is None:
        return set()
    if not rapid.is_open:
        return {field for field, _ in RAPID_REVIEW_STEPS}
    done = set()
    if rapid.letters_sent_on:
        done.add("letters_due_on")
    statuses = list(rapid.summaries.values_list("status", flat=True))
    if statuses and all(status == SubmissionStatus.RECEIVED for status in statuses):
        done.add("summaries_due_on")
    if rapid.meeting_held_on:
        done.add("meeting_due_on")
    partner_count = Organisation.objects.partners().active().count()
    if partner_count and rapid.sign_offs.count() >= partner_count:
        done.add("sign_off_due_on")
    return done


def rapid_review_set_clock(rapid: RapidReview, start: dt.date | None, rules: ReviewRules) -> None:
    """Fill in the due dates of the rapid review's open steps from its starting date (not
    saved). A step already done keeps the due date it was held to."""
    rapid.starts_on = start
    done = rapid_review_steps_done(rapid)
    for field, rule in RAPID_REVIEW_STEPS:
        if field not in done:
            days = getattr(rules, rule)
            setattr(rapid, field, add_working_days(start, days) if start else None)


def local_review_set_clock(local: LocalReview, rules: ReviewRules) -> None:
    """An LCSPR's publication target and pre-publication notice date (not saved). A notice
    already sent keeps the date it was held to."""
    if not local.is_lcspr:
        local.target_publication_on = local.pre_publication_notice_due_on = None
        return
    local.target_publication_on = add_months(local.decided_on, rules.publication_months)
    if local.pre_publication_notice_sent_on is None:
        local.pre_publication_notice_due_on = working_days_before(
            local.target_publication_on, rules.pre_publication_notice_working_days
        )


def _recompute_clocks(review: Review, rules: ReviewRules) -> None:
    """Compute the review's open clocks again; leave completed ones as they were held.

    The notices the rules now call for are made (or, unsent, dropped) first."""
    for incident in review.incidents.all():
        _sync_notifications(incident, rules)
    for notification in Notification.objects.filter(
        incident__review=review, sent_on__isnull=True
    ).select_related("incident"):
        due = notification_due(notification.incident.aware_on, rules)
        if due != notification.due_on:
            notification.due_on = due
            notification.save(update_fields=["due_on"])
    rapid = related(review, "rapid_review")
    if rapid is not None and rapid.is_open:
        rapid_review_set_clock(rapid, rapid_review_start(review, rules), rules)
        rapid.save()
        if rapid.summaries_due_on:
            rapid.summaries.filter(status=SubmissionStatus.REQUESTED).exclude(
                due_on=rapid.summaries_due_on
            ).update(due_on=rapid.summaries_due_on)
    local = related(review, "local_review")
    if local is not None and review.status != ReviewStatus.PUBLISHED:
        local_review_set_clock(local, rules)
        local.save(update_fields=["target_publication_on", "pre_publication_notice_due_on"])


def _after_change(review: Review, rules: ReviewRules | None = None) -> None:
    _recompute_clocks(review, rules or ReviewRules.current())
    deadlines_sync([review.pk])


RULES_FIELDS = [
    "notification_working_days",
    "rapid_review_working_days",
    "rapid_review_starts_from",
    "letters_day",
    "summaries_day",
    "meeting_day",
    "sign_off_day",
    "publication_months",
    "pre_publication_notice_working_days",
    "published_for_months",
    "reminder_working_days",
    "due_soon_working_days",
    "notify_partners",
    "notify_looked_after_deaths",
    "care_leaver_age_limit",
    "chair_sees_reviews",
]


@transaction.atomic
def rules_update(*, rules: ReviewRules, actor: Actor) -> int:
    """Save the review rules and move the due dates of every open review to them.

    A step already done keeps the date it was held to (a notice sent, the letters sent, every
    agency summary received, the meeting held, every partner's sign-off, the pre-publication
    notice sent); only open steps move. Notices the new rules call for are made, and unsent
    ones they no longer call for are dropped. Returns how many reviews were open.
    """
    before = model_to_dict(ReviewRules.current(), fields=RULES_FIELDS)
    rules.pk = 1
    rules.updated_by = actor.user
    rules.updated_at = timezone.now()
    rules.save()
    open_reviews = list(
        Review.objects.exclude(
            status__in=[
                ReviewStatus.NO_FURTHER_REVIEW,
                ReviewStatus.PUBLISHED,
                ReviewStatus.NOTIFICATION_ONLY,
            ]
        )
        .select_related("rapid_review", "local_review")
        .prefetch_related("incidents")
    )
    for review in open_reviews:
        _recompute_clocks(review, rules)
    # Reviews with no open clock of their own may still have notifications not yet sent.
    unsent = set(
        Notification.objects.filter(sent_on__isnull=True).values_list(
            "incident__review_id", flat=True
        )
    ) - {review.pk for review in open_reviews}
    for review in Review.objects.filter(pk__in=unsent).prefetch_related("incidents"):
        _recompute_clocks(review, rules)
    deadlines_sync([review.pk for review in open_reviews] + list(unsent))
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=rules,
        changes=diff(before, model_to_dict(rules, fields=RULES_FIELDS)),
        summary=f"Changed the review rules; the due dates of {len(open_reviews)} open reviews "
        "were computed again",
    )
    return len(open_reviews)


# Incidents and notifications ------------------------------------------------------------------


def _next_reference(aware_on: dt.date) -> str:
    from django.conf import settings

    prefix = f"{slugify(settings.PARTNERSHIP_SHORT_NAME).upper() or 'REVIEW'}/{aware_on.year}/"
    taken = set(
        Review.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def _sync_notifications(incident: Incident, rules: ReviewRules) -> None:
    """The notices this incident needs (`ReviewRules.recipients`): the Panel and the partners
    for a serious incident; the Secretary of State and Ofsted for the death of a looked-after
    child or of a care leaver. Unsent ones no longer needed go."""
    needed = rules.recipients(incident)
    existing = {n.recipient: n for n in incident.notifications.all()}
    # Made in the order a reader expects them (the Panel first), and listed in that order.
    for recipient in needed:
        if recipient in existing:
            continue
        Notification.objects.create(
            incident=incident,
            recipient=recipient,
            due_on=notification_due(incident.aware_on, rules),
        )
    for recipient in set(existing) - set(needed):
        if existing[recipient].sent_on is None:
            existing[recipient].delete()


def _check_care_leaver(incident: Incident, rules: ReviewRules) -> None:
    """A care leaver's death is notified up to and including the age limit (24)."""
    if not incident.care_leaver:
        return
    limit = rules.care_leaver_age_limit
    if incident.age is None:
        raise ValidationError({"age": "Enter the care leaver's age when they died"})
    if incident.age < CARE_LEAVER_MINIMUM_AGE:
        raise ValidationError(
            {
                "age": f"A care leaver is aged {CARE_LEAVER_MINIMUM_AGE} or over: for a younger "
                "child, record a serious incident"
            }
        )
    if incident.age > limit:
        raise ValidationError(
            {
                "age": "The Secretary of State and Ofsted are notified of the death of a care "
                f"leaver up to and including the age of {limit}: a care leaver aged "
                f"{incident.age} is not recorded here"
            }
        )
    if incident.outcome != IncidentOutcome.DIED:
        raise ValidationError("Only a care leaver's death is recorded here")


def _open_rapid_review_if_needed(review: Review, rules: ReviewRules) -> RapidReview | None:
    """A serious incident opens the review's rapid review, once; a review whose incidents are
    none of them serious (a care leaver's death, notified) has none. Returns one just opened."""
    if related(review, "rapid_review") is not None:
        return None
    if not any(incident.is_serious_incident for incident in review.incidents.all()):
        if review.status != ReviewStatus.NOTIFICATION_ONLY:
            review.status = ReviewStatus.NOTIFICATION_ONLY
            review.save(update_fields=["status"])
        return None
    rapid = RapidReview(review=review)
    rapid_review_set_clock(rapid, rapid_review_start(review, rules), rules)
    rapid.save()
    review.rapid_review = rapid
    if review.status == ReviewStatus.NOTIFICATION_ONLY:
        review.status = ReviewStatus.RAPID_REVIEW
        review.save(update_fields=["status"])
    return rapid


def _check_incident_dates(aware_on: dt.date, occurred_on: dt.date) -> None:
    _not_in_future(aware_on, "aware_on", "date the local authority became aware")
    _not_in_future(occurred_on, "occurred_on", "date of the incident")
    if occurred_on > aware_on:
        raise ValidationError(
            {
                "occurred_on": "The date of the incident must be on or before the date the local "
                "authority became aware of it"
            }
        )


# Care leavers are "relevant" or "former relevant" children: aged 16 or over (Children Act 1989).
CARE_LEAVER_MINIMUM_AGE = 16

INCIDENT_FIELDS = [
    "child_pseudonym",
    "aware_on",
    "occurred_on",
    "outcome",
    "looked_after",
    "child_protection_plan",
    "educated_otherwise",
    "institutional_setting",
    "setting_description",
    "summary",
    "abuse_or_neglect",
    "care_leaver",
    "age",
]


def _incident_snapshot(incident: Incident) -> dict:
    data = model_to_dict(incident, fields=INCIDENT_FIELDS)
    if incident.pk:
        data["abuse_types"] = sorted(str(a) for a in incident.abuse_types.all())
        data["agencies"] = sorted(str(a) for a in incident.agencies.all())
    return data


@transaction.atomic
def incident_notify(
    *,
    incident: Incident,
    abuse_types: Iterable,
    agencies: Iterable,
    actor: Actor,
    title: str = "",
    group: Group | None = None,
    case_manager=None,
    themes: Iterable = (),
    check_dates: bool = True,
) -> Review:
    """Open a review for a serious incident, or for the death of a care leaver: its
    notifications, and for a serious incident the rapid review, whose clock starts.

    A care leaver's death (up to and including the rules' age limit) is notified to the
    Secretary of State and Ofsted, and opens no rapid review unless it meets the serious
    incident criteria too (abuse or neglect known or suspected).

    `incident` is unsaved (from a validated form). `check_dates=False` lets the demo and the
    tests record an incident dated ahead of today.
    """
    if check_dates:
        _check_incident_dates(incident.aware_on, incident.occurred_on)
    elif incident.occurred_on > incident.aware_on:
        raise ValidationError({"occurred_on": "The incident cannot follow the awareness date"})
    rules = ReviewRules.current()
    _check_care_leaver(incident, rules)
    group = group or Group.objects.get(slug="review-and-learning-group")
    review = Review.objects.create(
        reference=_next_reference(incident.aware_on),
        title=title or incident.child_pseudonym,
        group=group,
        case_manager=case_manager,
        aware_on=incident.aware_on,
        created_by=actor.user,
    )
    review.themes.set(themes)
    incident.review = review
    incident.save()
    incident.abuse_types.set(abuse_types)
    incident.agencies.set(agencies)
    _sync_notifications(incident, rules)
    rapid = _open_rapid_review_if_needed(review, rules)
    deadlines_sync([review.pk])
    if incident.care_leaver:
        what = f"the death of a care leaver ({incident.child_pseudonym})"
    else:
        what = f"a serious incident ({incident.child_pseudonym})"
    _audit(
        review,
        actor=actor,
        action=Action.CREATE,
        summary=f"Recorded {what} and opened the "
        + ("review" if rapid else "record: no rapid review, the notices only"),
        changes=diff({}, _incident_snapshot(incident)),
    )
    return review


@transaction.atomic
def incident_save(
    *, incident: Incident, abuse_types: Iterable, agencies: Iterable, actor: Actor
) -> Incident:
    """Add another incident to a review (a combined review) or change one.

    An incident that now meets the serious incident criteria opens the review's rapid review
    if it has none; a death recorded as meeting them cannot stop meeting them once its rapid
    review is under way (the rapid review's decision says what follows)."""
    _check_incident_dates(incident.aware_on, incident.occurred_on)
    rules = ReviewRules.current()
    _check_care_leaver(incident, rules)
    creating = incident.pk is None
    before = {} if creating else _incident_snapshot(Incident.objects.get(pk=incident.pk))
    review = incident.review
    if (
        not creating
        and before["abuse_or_neglect"]
        and not incident.abuse_or_neglect
        and related(review, "rapid_review") is not None
    ):
        raise ValidationError(
            {
                "abuse_or_neglect": "A rapid review is under way for this death: record its "
                "decision rather than change whether abuse or neglect is suspected"
            }
        )
    sent_before = (
        incident.notifications.filter(sent_on__lt=incident.aware_on).first()
        if not creating
        else None
    )
    if sent_before:
        raise ValidationError(
            {
                "aware_on": f"{sentence_case(sent_before.get_recipient_display())} was notified on "
                f"{sent_before.sent_on:%-d %B %Y}, before this date: check the date the local "
                "authority became aware"
            }
        )
    incident.save()
    incident.abuse_types.set(abuse_types)
    incident.agencies.set(agencies)
    _sync_notifications(incident, rules)
    review.aware_on = min(review.incidents.values_list("aware_on", flat=True))
    review.save(update_fields=["aware_on"])
    opened = _open_rapid_review_if_needed(review, rules)
    _after_change(review, rules)
    summary = f"{'Added' if creating else 'Changed'} the incident of {incident.child_pseudonym}"
    if opened:
        summary += "; it meets the serious incident criteria, so the rapid review has opened"
    _audit(
        review,
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        summary=summary,
        changes=diff(before, _incident_snapshot(incident)),
    )
    return incident


@transaction.atomic
def notification_record_sent(
    *, notification: Notification, sent_on: dt.date, actor: Actor
) -> Notification:
    """Record the date a notice was sent. It cannot predate the local authority's awareness."""
    incident = notification.incident
    if sent_on < incident.aware_on:
        raise ValidationError(
            {
                "sent_on": "The date the notification was sent must be on or after the date the "
                f"local authority became aware of the incident ({incident.aware_on:%-d %B %Y})"
            }
        )
    _not_in_future(sent_on, "sent_on", "date the notification was sent")
    before = notification.sent_on
    notification.sent_on = sent_on
    notification.save(update_fields=["sent_on"])
    _after_change(incident.review)
    _audit(
        incident.review,
        actor=actor,
        summary=f"Recorded that {notification.get_recipient_display()} was notified "
        f"({incident.child_pseudonym})",
        changes={"sent_on": [before, sent_on]},
    )
    return notification


@transaction.atomic
def review_update(*, review: Review, title: str, case_manager, themes: Iterable, actor: Actor):
    before = {
        "title": review.title,
        "case_manager": str(review.case_manager or ""),
        "themes": sorted(str(t) for t in review.themes.all()),
    }
    review.title = title
    review.case_manager = case_manager
    review.save(update_fields=["title", "case_manager"])
    review.themes.set(themes)
    deadlines_sync([review.pk])  # the case manager owns the review's clocks
    after = {
        "title": title,
        "case_manager": str(case_manager or ""),
        "themes": sorted(str(t) for t in themes),
    }
    _audit(
        review,
        actor=actor,
        summary="Changed the review's details",
        changes=diff(before, after),
    )
    return review


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
    """A safeguarding partner's lead signs off the decision for their partner.

    Refused for anyone who is not a partner lead (role) of a safeguarding partner
    (organisation), and for a partner that has signed already.
    """
    _open_rapid_review(rapid)
    if not rapid.decision:
        raise ValidationError("Record the decision before the partners sign it off")
    organisation = signer.organisation if signer is not None else None
    if (
        signer is None
        or not signer.is_active
        or not signer.has_role(Role.PARTNER_LEAD)
        or organisation is None
        or organisation.kind != OrganisationKind.SAFEGUARDING_PARTNER
    ):
        raise ValidationError(
            {
                "signer": f"{signer or 'This person'} cannot sign off: only the lead of one of the "
                "three safeguarding partners (the local authority, the health commissioner and "
                "the police) can"
            }
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


# Documents --------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *, review: Review, kind: str, title: str, upload, actor: Actor
) -> ReviewDocument:
    """Store a report in default storage under a random name, never at a public address."""
    document = ReviewDocument(
        review=review,
        kind=kind,
        title=title.strip() or upload.name,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=actor.user,
    )
    document.file.save(upload.name, upload, save=False)
    try:
        document.save()
        _audit(
            review,
            actor=actor,
            action=Action.CREATE,
            summary=f"Uploaded the {document.get_kind_display().lower()} {document.original_name!r}",
        )
    except Exception:
        document.file.delete(save=False)  # the transaction is undone: leave no orphan file
        raise
    return document


def document_opened(*, review: Review, document, actor: Actor) -> None:
    """Write the audit entry for a download, once the view has opened the file to serve it
    (a file that cannot be opened is not downloaded, and is not recorded as such)."""
    _audit(
        review,
        actor=actor,
        action=Action.DOWNLOAD,
        summary=f"Downloaded {document.original_name!r}",
    )


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


# Access, views and themes ------------------------------------------------------------------


@transaction.atomic
def access_grant(*, review: Review, user, actor: Actor) -> ReviewAccess:
    if not user.has_role(*ROLES_NEEDING_TWO_FACTOR):
        raise ValidationError(
            {
                "email": f"{user} has no role that may see confidential records: ask for them to "
                "be given one (for example group member) first"
            }
        )
    if ReviewAccess.objects.filter(review=review, user=user).exists():
        raise ValidationError({"email": f"{user} is already on the access list"})
    grant = _grant(review, user, AccessReason.ADDED, actor)
    _audit(
        review,
        actor=actor,
        action=Action.GRANT,
        summary=f"Added {user} to the access list",
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: ReviewAccess, actor: Actor) -> None:
    review, user = grant.review, grant.user
    grant.delete()
    _audit(
        review,
        actor=actor,
        action=Action.REVOKE,
        summary=f"Removed {user} from the access list",
    )


def review_viewed(*, review: Review, actor: Actor, page: str) -> None:
    """Every view of a review is on the record: who, when and which page."""
    with transaction.atomic():
        _audit(review, actor=actor, action=Action.VIEW, summary=f"Viewed {page}")


@transaction.atomic
def theme_save(*, theme: LearningTheme, actor: Actor) -> LearningTheme:
    creating = theme.pk is None
    if creating:
        base = slugify(theme.name)[:90] or "theme"
        slug, counter = base, 2
        while LearningTheme.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        theme.slug = slug
    theme.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=theme,
        summary=f"{'Added' if creating else 'Changed'} the learning theme {theme.name!r}",
    )
    return theme


# The daily sweep ----------------------------------------------------------------------------


def deadline_reminder_record(
    *, review: Review, recipient: str, titles: Iterable[str], escalation: bool, actor: Actor
) -> None:
    """On the review's record: the sweep emailed `recipient` about these of its deadlines (a
    reminder to their owner, or an escalation to the chair of the group). Written in the
    transaction that sends the email, so a failed email leaves no entry."""
    listed = "; ".join(titles)
    if escalation:
        summary = f"Escalated the overdue deadlines to {recipient}, the group's chair: {listed}"
    else:
        summary = f"Reminded {recipient} of the deadlines: {listed}"
    with transaction.atomic():
        _audit(review, actor=actor, action=Action.CREATE, summary=summary)


# Calendar feed ----------------------------------------------------------------------------
