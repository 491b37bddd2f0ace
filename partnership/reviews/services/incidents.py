"""Serious incidents, their notifications, and the review's own details."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.text import slugify

from partnership.governance.models import Group
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import diff

from ..deadlines import deadlines_sync, related
from ..models import (
    Incident,
    IncidentOutcome,
    Notification,
    RapidReview,
    Review,
    ReviewRules,
    ReviewStatus,
)
from .clocks import _after_change, _sync_notifications, rapid_review_set_clock, rapid_review_start
from .common import _audit, _not_in_future, sentence_case

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
