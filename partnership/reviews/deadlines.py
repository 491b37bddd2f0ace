"""Every open clock of every review, gathered into the `Deadline` table.

`deadlines_sync` rebuilds the rows of some reviews from the records themselves (a
notification's due and sent dates, an action's due date and sign-off, ...). Services call it
inside their transaction after each change, so the table is never out of step; it reads a
fixed number of queries however many reviews it is given, so the scale data uses it too.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max
from django.urls import reverse

from partnership.directory.models import Organisation

from .models import (
    ActionItem,
    AgencyRequest,
    AgencySummary,
    Deadline,
    DeadlineKind,
    Notification,
    PublicationStatus,
    RapidReviewStatus,
    Review,
    SignOff,
    SubmissionStatus,
)


def related(obj, name: str):
    """A reverse one-to-one (`review.rapid_review`), or None where there is none yet.

    (Django's "RelatedObjectDoesNotExist" is an AttributeError, so getattr's default works.)
    """
    return getattr(obj, name, None)


def desired_deadlines(review_ids: Iterable[int]) -> list[Deadline]:
    """The deadline rows the given reviews should have, unsaved."""
    review_ids = list(review_ids)
    if not review_ids:
        return []
    reviews = list(
        Review.objects.filter(pk__in=review_ids).select_related(
            "rapid_review", "local_review", "publication"
        )
    )
    partner_count = Organisation.objects.partners().active().count()
    notifications = Notification.objects.filter(incident__review__in=review_ids).select_related(
        "incident"
    )
    summaries = AgencySummary.objects.filter(rapid_review__review__in=review_ids).select_related(
        "organisation", "rapid_review"
    )
    sign_offs = {
        row["rapid_review_id"]: row
        for row in SignOff.objects.filter(rapid_review__review__in=review_ids)
        .values("rapid_review_id")
        .annotate(count=Count("pk"), last=Max("signed_on"))
    }
    requests = AgencyRequest.objects.filter(review__in=review_ids).select_related("organisation")
    actions = ActionItem.objects.filter(review__in=review_ids).only(
        "pk", "review_id", "description", "organisation_id", "owner_id", "due_on", "signed_off_on"
    )

    by_review: dict[int, Review] = {review.pk: review for review in reviews}
    rows: list[Deadline] = []

    def add(review, key, kind, title, due_on, done_on, path, owner_id=None, organisation_id=None):
        if due_on is None:
            return
        rows.append(
            Deadline(
                key=key,
                review_id=review.pk,
                kind=kind,
                title=title[:300],
                due_on=due_on,
                done_on=done_on,
                owner_id=owner_id if owner_id is not None else review.case_manager_id,
                organisation_id=organisation_id,
                path=path,
            )
        )

    review_paths = {pk: reverse("reviews:review", kwargs={"pk": pk}) for pk in by_review}
    rapid_paths = {pk: reverse("reviews:rapid-review", kwargs={"pk": pk}) for pk in by_review}
    local_paths = {pk: reverse("reviews:local-review", kwargs={"pk": pk}) for pk in by_review}

    for notification in notifications:
        review = by_review[notification.incident.review_id]
        add(
            review,
            f"notification:{notification.pk}",
            DeadlineKind.NOTIFICATION,
            f"Notify {notification.get_recipient_display()}"
            + (" of a care leaver's death" if notification.incident.care_leaver else "")
            + f" ({notification.incident.child_pseudonym})",
            notification.due_on,
            notification.sent_on,
            review_paths[review.pk],
        )

    summaries_by_review: dict[int, list[AgencySummary]] = defaultdict(list)
    for summary in summaries:
        summaries_by_review[summary.rapid_review.review_id].append(summary)

    for review in reviews:
        rapid = related(review, "rapid_review")
        if rapid is not None:
            completed = (
                rapid.sent_to_panel_on if rapid.status == RapidReviewStatus.COMPLETED else None
            )
            path = rapid_paths[review.pk]
            own = summaries_by_review.get(review.pk, [])
            all_received = bool(own) and all(s.status == SubmissionStatus.RECEIVED for s in own)
            signed = sign_offs.get(rapid.pk)
            all_signed = bool(signed) and partner_count and signed["count"] >= partner_count
            add(
                review,
                f"letters:{rapid.pk}",
                DeadlineKind.LETTERS,
                "Send agency letters and ask for summaries",
                rapid.letters_due_on,
                rapid.letters_sent_on or completed,
                path,
            )
            add(
                review,
                f"summaries:{rapid.pk}",
                DeadlineKind.SUMMARIES,
                "Agency summaries due",
                rapid.summaries_due_on,
                (max(s.received_on for s in own) if all_received else None) or completed,
                path,
            )
            add(
                review,
                f"meeting:{rapid.pk}",
                DeadlineKind.MEETING,
                "Hold the rapid review meeting",
                rapid.meeting_due_on,
                rapid.meeting_held_on or completed,
                path,
            )
            add(
                review,
                f"sign-off:{rapid.pk}",
                DeadlineKind.SIGN_OFF,
                "The safeguarding partners sign off the decision",
                rapid.sign_off_due_on,
                (signed["last"] if all_signed else None) or completed,
                path,
            )
            add(
                review,
                f"decision:{rapid.pk}",
                DeadlineKind.DECISION,
                "Send the rapid review decision to the Panel",
                rapid.due_on,
                completed,
                path,
            )
            for summary in own:
                add(
                    review,
                    f"agency-summary:{summary.pk}",
                    DeadlineKind.AGENCY_SUMMARY,
                    f"Summary from {summary.organisation.name}",
                    summary.due_on,
                    summary.received_on or completed,
                    path,
                    organisation_id=summary.organisation_id,
                )
        local = related(review, "local_review")
        publication = related(review, "publication")
        published_on = (
            publication.published_on
            if publication is not None and publication.status == PublicationStatus.PUBLISHED
            else None
        )
        if local is not None and local.is_lcspr:
            path = local_paths[review.pk]
            add(
                review,
                f"pre-publication:{local.pk}",
                DeadlineKind.PRE_PUBLICATION,
                "Send the final report to the Panel and the Secretary of State",
                local.pre_publication_notice_due_on,
                local.pre_publication_notice_sent_on or published_on,
                path,
            )
            add(
                review,
                f"publication:{local.pk}",
                DeadlineKind.PUBLICATION,
                "Publish the final report",
                local.target_publication_on,
                published_on,
                path,
            )

    for request in requests:
        review = by_review[request.review_id]
        add(
            review,
            f"agency-request:{request.pk}",
            DeadlineKind.AGENCY_REQUEST,
            f"{request.get_kind_display()} from {request.organisation.name}",
            request.due_on,
            request.received_on,
            local_paths[review.pk],
            organisation_id=request.organisation_id,
        )

    for action in actions:
        review = by_review[action.review_id]
        add(
            review,
            f"action:{action.pk}",
            DeadlineKind.ACTION,
            action.description.splitlines()[0][:200] if action.description else "Action",
            action.due_on,
            action.signed_off_on,
            reverse("reviews:action", kwargs={"pk": review.pk, "action": action.pk}),
            owner_id=action.owner_id,
            organisation_id=action.organisation_id,
        )
    return rows


SYNCED_FIELDS = ["kind", "title", "due_on", "done_on", "owner", "organisation", "path"]


def deadlines_sync(review_ids: Iterable[int], *, batch_size: int = 1000) -> None:
    """Make the given reviews' `Deadline` rows match their records (call inside the write's
    transaction)."""
    review_ids = list(review_ids)
    desired = {row.key: row for row in desired_deadlines(review_ids)}
    existing = {row.key: row for row in Deadline.objects.filter(review__in=review_ids)}
    stale = [row.pk for key, row in existing.items() if key not in desired]
    if stale:
        Deadline.objects.filter(pk__in=stale).delete()
    changed = []
    for key, row in desired.items():
        current = existing.get(key)
        if current is None:
            continue
        if any(
            getattr(current, f"{name}_id" if name in {"owner", "organisation"} else name)
            != getattr(row, f"{name}_id" if name in {"owner", "organisation"} else name)
            for name in SYNCED_FIELDS
        ):
            row.pk = current.pk
            changed.append(row)
    if changed:
        Deadline.objects.bulk_update(changed, SYNCED_FIELDS, batch_size=batch_size)
    new = [row for key, row in desired.items() if key not in existing]
    if new:
        Deadline.objects.bulk_create(new, batch_size=batch_size)
