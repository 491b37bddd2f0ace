"""Case reviews on the retention schedule (see docs/guide/records.md).

A review is kept whole (its incident, rapid review, local review, documents, recommendations,
agency actions and evidence) and destroyed whole, 25 years after it closed, unless a legal
hold (litigation, an inquiry, a coroner) keeps it. Reviews are statutory records: never erased
on request.
"""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from partnership.lib.retention import RecordKind

from .models import (
    ActionItem,
    Commission,
    Deadline,
    PanelMember,
    Publication,
    ReviewAccess,
    ReviewStatus,
)

STATUTORY_REVIEW = (
    "A statutory case review record (Children Act 2004 s16C-16F, Working Together to "
    "Safeguard Children 2023 chapter 5): kept for the partnership's statutory functions and "
    "for any later inquiry or claim (UK GDPR Article 17(3)(b) and (e)). It is not erased on "
    "request; the disposal run destroys it when its retention period ends."
)
CLOSED = [ReviewStatus.NOTIFICATION_ONLY, ReviewStatus.NO_FURTHER_REVIEW, ReviewStatus.PUBLISHED]


def _closed_on():
    # No review records a closing date as such: the last decisive date is the publication for
    # a published review, the rapid review's decision for "no further review", else the day
    # the partnership learned of the incident (notified, no rapid review).
    return Coalesce(F("publication__published_on"), F("rapid_review__decided_on"), F("aware_on"))


RECORD_KINDS = [
    RecordKind(
        key="reviews.review",
        label="Case review (notification, rapid review, local review and all that goes with it)",
        model="reviews.Review",
        describe=lambda review: (
            f"Review {review.reference} (id {review.pk}), aware {review.aware_on:%d %B %Y}"
        ),
        trigger=_closed_on,
        trigger_label=(
            "the day the review closed: published, decided on no further review, or "
            "notified with no rapid review"
        ),
        default_months=300,
        source=(
            "Judgement: no statute fixes it. 25 years outlasts the NHS Records Management Code "
            "of Practice 2023 periods for serious incident records (20 years) and children's "
            "records (to the 25th birthday), and the 6 years of the Limitation Act 1980; "
            "Working Together 2023 asks that published reports stay on the website for at "
            "least 12 months, which the website's own rules keep."
        ),
        judgement=True,
        scope=lambda: Q(status__in=CLOSED),
        statutory=STATUTORY_REVIEW,
        # The published page points at the report (protecting it): it goes first, with the review.
        delete_first=lambda review: [Publication.objects.filter(review=review)],
    ),
    RecordKind(
        key="reviews.reviewdocument",
        label="Review document (and its file)",
        model="reviews.ReviewDocument",
        describe=lambda document: f"Review document {document.pk} of review {document.review_id}",
        part_of="reviews.review",
        statutory=STATUTORY_REVIEW,
    ),
    RecordKind(
        key="reviews.incident",
        label="Serious incident notification",
        model="reviews.Incident",
        describe=lambda incident: f"Incident {incident.pk} of review {incident.review_id}",
        part_of="reviews.review",
        statutory=STATUTORY_REVIEW,
    ),
    RecordKind(
        key="reviews.evidencefile",
        label="Evidence file for an agency action",
        model="reviews.EvidenceFile",
        describe=lambda evidence: f"Evidence file {evidence.pk} of action {evidence.action_id}",
        part_of="reviews.review",
        statutory=STATUTORY_REVIEW,
    ),
    RecordKind(
        key="reviews.actionitem",
        label="Agency action on a recommendation",
        model="reviews.ActionItem",
        describe=lambda action: f"Agency action {action.pk} of review {action.review_id}",
        part_of="reviews.review",
        statutory=STATUTORY_REVIEW,
        subject_rows=lambda subject: ActionItem.objects.filter(owner=subject.user),
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    user = subject.user
    if user is None:
        return []
    commissions = [
        {
            "Review": row.review.reference,
            "Role": row.role,
            "Commissioned": row.commissioned_on,
        }
        for row in Commission.objects.filter(reviewer=user).select_related("review")
    ]
    panels = [
        {
            "Review": member.review.reference,
            "Role on the panel": member.role,
            "Interests declared": "; ".join(
                declaration.interest for declaration in member.declarations.all()
            ),
        }
        for member in PanelMember.objects.filter(user=user)
        .select_related("review")
        .prefetch_related("declarations")
    ]
    access = [
        {
            "Review": grant.review.reference,
            "Why": grant.get_reason_display(),
            "Added": grant.added_on,
        }
        for grant in ReviewAccess.objects.filter(user=user).select_related("review")
    ]
    actions = [
        {
            "Review": action.review.reference,
            "Action": action.description,
            "Due": action.due_on,
            "Status": action.get_status_display(),
        }
        for action in ActionItem.objects.filter(owner=user).select_related("review")
    ]
    deadlines = [
        {
            "Review": row.review.reference if row.review_id else "",
            "Deadline": row.title,
            "Due": row.due_on,
            "Done": row.done_on,
        }
        for row in Deadline.objects.filter(owner=user).select_related("review")
    ]
    return [
        ("Reviews they were commissioned for", commissions),
        ("Review panels they sat on", panels),
        ("Reviews they were given access to", access),
        ("Agency actions they own", actions),
        ("Review deadlines they own", deadlines),
    ]
