"""What the reviews module has waiting for one person, for "Your work" (docs/adr/0011).

- sign-offs asked of them: a rapid review's decision their safeguarding partner has not
  signed off yet (partners' leads), and agency actions whose evidence waits for sign-off
  (the review's case manager, who takes them to the group);
- the agency actions answering a recommendation that they own and have not yet evidenced;
- the review deadlines they own (the case manager's clocks, from the `Deadline` table);
- the agency summaries and chronologies asked of their organisation (its representatives).

Every read is scoped by `Review.objects.visible_to(user)`, in a fixed number of queries.
"""

import datetime as dt

from django.db.models import F
from django.urls import reverse

from partnership.accounts.models import Role
from partnership.directory.models import OrganisationKind
from partnership.lib.work_items import ActionSource, WorkItem, WorkKind

from .models import (
    ActionItem,
    ActionStatus,
    Deadline,
    DeadlineKind,
    RapidReview,
    RapidReviewStatus,
    Review,
)

MODULE = "Reviews"
AGENCY_KINDS = (DeadlineKind.AGENCY_SUMMARY, DeadlineKind.AGENCY_REQUEST)


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
                kind__in=AGENCY_KINDS, organisation_id=user.organisation_id
            )
            .exclude(owner=user)
            .select_related("review")
        ]
    return items


def _sign_offs(user, reviews) -> list[WorkItem]:
    """The decisions waiting for the user's partner's sign-off (the service's own test of
    who may sign: a partner lead of a safeguarding partner)."""
    organisation = user.organisation
    if not (
        user.has_role(Role.PARTNER_LEAD)
        and organisation is not None
        and organisation.kind == OrganisationKind.SAFEGUARDING_PARTNER
    ):
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
