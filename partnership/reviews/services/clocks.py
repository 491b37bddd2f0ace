"""The review's clocks: each statutory due date computed from the event that starts it and the
`ReviewRules` row, computed again (with the `Deadline` rows) after each change; the rules page."""

import datetime as dt

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from partnership.directory.models import Organisation
from partnership.lib.clocks import add_months, working_days_before
from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from ..deadlines import deadlines_sync, related
from ..models import (
    Incident,
    LocalReview,
    Notification,
    RapidReview,
    Recipient,
    Review,
    ReviewRules,
    ReviewStatus,
    StartingEvent,
    SubmissionStatus,
)

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
