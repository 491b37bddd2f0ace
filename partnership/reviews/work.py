"""What the reviews module has waiting for one person, for "Your work" (docs/adr/0011).

- sign-offs asked of them: a rapid review's decision their safeguarding partner has not
  signed off yet (its delegated representative, or its lead where none is designated), and agency actions whose evidence waits for sign-off
  (the review's case manager, who takes them to the group);
- the agency actions answering a recommendation that they own and have not yet evidenced;
- the review deadlines they own (the case manager's clocks, from the `Deadline` table);
- the rapid review summaries asked of their agency (its contacts: `for_contact`), linked to
  the request page; likewise the local reviews' chronologies and learning summaries asked of
  their agency; and the others asked of their organisation (its representatives).

Every read is scoped by `Review.objects.visible_to(user)`, in a fixed number of queries.
"""

import datetime as dt

from django.db.models import F
from django.urls import reverse

from partnership.accounts.models import Role
from partnership.lib.work_items import ActionSource, WorkItem, WorkKind

from .models import (
    ActionItem,
    ActionStatus,
    AgencyRequest,
    AgencySummary,
    Deadline,
    DeadlineKind,
    RapidReview,
    RapidReviewStatus,
    Review,
    SubmissionStatus,
)
from .services.participation import partner_signed_for_by

MODULE = "Reviews"


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.has_perm("reviews.access"):
        return []
    reviews = Review.objects.visible_to(user)
    items = _sign_offs(user, reviews)
    items += [
        WorkItem(
            kind=WorkKind.SIGN_OFF,
            module=MODULE,
            title=f"{action.review.reference}: sign off the evidence for "
            f"{action.description.splitlines()[0][:100]}",
            url=action.get_absolute_url(),
            due_on=action.due_on,
            detail=f"Evidence from {action.organisation.name}",
            key=f"reviews.action-sign-off:{action.pk}",
        )
        for action in ActionItem.objects.filter(
            review__in=reviews,
            review__case_manager=user,
            status=ActionStatus.EVIDENCE_SUBMITTED,
        ).select_related("review", "organisation")
    ]
    items += [
        WorkItem(
            kind=WorkKind.ACTION,
            module=MODULE,
            title=f"{action.review.reference}: {action.description.splitlines()[0][:120]}",
            url=action.get_absolute_url(),
            due_on=action.due_on,
            detail=f"Recommendation {action.recommendation.number}",
            key=f"reviews.action:{action.pk}",
        )
        for action in ActionItem.objects.filter(
            review__in=reviews, owner=user, status=ActionStatus.OPEN
        ).select_related("review", "recommendation")
    ]
    # Agency actions appear above, from the records themselves, so not again as deadlines.
    deadlines = Deadline.objects.filter(review__in=reviews).open().exclude(kind=DeadlineKind.ACTION)
    items += [
        WorkItem(
            kind=WorkKind.DEADLINE,
            module=MODULE,
            title=f"{deadline.review.reference}: {deadline.title}",
            url=deadline.path,
            due_on=deadline.due_on,
            detail=deadline.get_kind_display(),
            key=f"reviews.deadline:{deadline.key}",
        )
        for deadline in deadlines.filter(owner=user).select_related("review")
    ]
    items += [
        WorkItem(
            kind=WorkKind.SUMMARY,
            module=MODULE,
            title=f"{summary.rapid_review.review.reference}: send the summary from "
            f"{summary.organisation.name} for the rapid review of {summary.rapid_review.review.title}",
            url=reverse("reviews:agency-request", kwargs={"summary": summary.pk}),
            due_on=summary.due_on,
            detail="Rapid review: summary asked of your agency",
            key=f"reviews.agency-summary:{summary.pk}",
        )
        for summary in AgencySummary.objects.for_contact(user)
        .filter(
            status=SubmissionStatus.REQUESTED,
            rapid_review__status=RapidReviewStatus.IN_PROGRESS,
        )
        .select_related("rapid_review__review", "organisation")
    ]
    asked = list(
        AgencyRequest.objects.for_contact(user)
        .filter(status=SubmissionStatus.REQUESTED)
        .select_related("review", "organisation")
    )
    items += [
        WorkItem(
            kind=WorkKind.SUMMARY,
            module=MODULE,
            title=f"{ask.review.reference}: {ask.get_kind_display()} from "
            f"{ask.organisation.name}, asked of your agency for the review of {ask.review.title}",
            url=reverse("reviews:agency-local-request", kwargs={"agency_request": ask.pk}),
            due_on=ask.due_on,
            detail=f"Local review: {ask.what} asked of your agency",
            key=f"reviews.agency-request:{ask.pk}",
        )
        for ask in asked
    ]
    if user.organisation_id and user.has_role(Role.PARTNER_LEAD, Role.GROUP_MEMBER):
        items += [
            WorkItem(
                kind=WorkKind.SUMMARY,
                module=MODULE,
                title=f"{deadline.review.reference}: {deadline.title}",
                url=deadline.path,
                due_on=deadline.due_on,
                detail=deadline.get_kind_display(),
                key=f"reviews.agency:{deadline.key}",
            )
            for deadline in deadlines.filter(
                kind=DeadlineKind.AGENCY_REQUEST, organisation_id=user.organisation_id
            )
            .exclude(owner=user)
            # Those the user sends themselves, as a contact, are listed above.
            .exclude(key__in=[f"agency-request:{ask.pk}" for ask in asked])
            .select_related("review")
        ]
    return items


def _sign_offs(user, reviews) -> list[WorkItem]:
    """The decisions waiting for the user's partner's sign-off (the service's own test of
    who may sign: the partner's delegated representative, or its lead if none)."""
    organisation = partner_signed_for_by(user)
    if organisation is None:
        return []
    waiting = (
        RapidReview.objects.filter(review__in=reviews, status=RapidReviewStatus.IN_PROGRESS)
        .exclude(decision="")
        .exclude(sign_offs__partner_id=organisation.pk)
        .select_related("review")
        .order_by(F("sign_off_due_on").asc(nulls_last=True), "pk")
    )
    return [
        WorkItem(
            kind=WorkKind.SIGN_OFF,
            module=MODULE,
            title=f"{rapid.review.reference}: sign off the rapid review decision "
            f"({rapid.get_decision_display()}) for {organisation.name}",
            url=reverse("reviews:sign-off", kwargs={"pk": rapid.review_id}),
            due_on=rapid.sign_off_due_on,
            detail="Rapid review",
            key=f"reviews.sign-off:{rapid.pk}:{organisation.pk}",
        )
        for rapid in waiting
    ]


def action_url(row) -> str:
    return reverse("reviews:action", kwargs={"pk": row["w_parent"], "action": row["w_pk"]})


MY_ACTIONS = ActionSource(
    module="reviews",
    label="Review recommendations",
    rows=lambda user: ActionItem.objects.filter(
        review__in=Review.objects.visible_to(user), owner=user
    ),
    title="description",
    parent="review_id",
    done_statuses=(ActionStatus.SIGNED_OFF,),
    status_labels=dict(ActionStatus.choices),
    url=action_url,
)
