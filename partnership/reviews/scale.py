"""Scale data for the reviews module: about 500 reviews and 10,000 recommendations at scale 1.

Called by `partnership.demo.scale.generate` after the directory, accounts and groups exist
(it uses their "scale-" organisations, staff and groups). Everything is written with
`bulk_create` from one seeded `random.Random`; clocks are computed with the same functions the
services use, and the `Deadline` table is filled by `deadlines_sync`, so the pages see what
they would in real use. Every review's reference starts "SCALE/" (`reset_reviews`).
"""

import datetime as dt
import random
from importlib import import_module

from django.db import transaction

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, OrganisationKind
from partnership.governance.models import Group
from partnership.lib.clocks import add_months
from partnership.lib.working_days import add_working_days

from .deadlines import deadlines_sync
from .models import (
    AbuseType,
    ActionItem,
    ActionStatus,
    AgencySummary,
    Decision,
    Incident,
    IncidentOutcome,
    LearningTheme,
    LocalReview,
    LocalReviewKind,
    Notification,
    Publication,
    PublicationStatus,
    RapidReview,
    RapidReviewStatus,
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewRules,
    ReviewStatus,
    SignOff,
    SubmissionStatus,
    public_content,
)
from .models import today as today_
from .services import local_review_set_clock, notification_due, rapid_review_set_clock

REFERENCE_PREFIX = "SCALE/"
BATCH = 1000
PER_SCALE = {"reviews": 500, "recommendations": 10_000}
DECISIONS = [  # (decision, share)
    (Decision.NO_FURTHER_REVIEW, 45),
    (Decision.LCSPR, 25),
    (Decision.OTHER_LEARNING, 25),
    (Decision.NATIONAL, 5),
]
DECISION_STATUS = {
    Decision.NO_FURTHER_REVIEW: ReviewStatus.NO_FURTHER_REVIEW,
    Decision.LCSPR: ReviewStatus.LOCAL_REVIEW,
    Decision.OTHER_LEARNING: ReviewStatus.LOCAL_REVIEW,
    Decision.NATIONAL: ReviewStatus.NATIONAL_REVIEW,
}
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
RECOMMENDATION_STEMS = [
    "Make sure practitioners share information about {theme} with the agencies that need it.",
    "Review the multi-agency guidance on {theme} and brief every agency on the changes.",
    "Audit how well agencies record and act on concerns about {theme}.",
    "Give practitioners training on {theme}, and evaluate its impact on practice.",
    "Be assured that each agency has an improvement plan answering the learning on {theme}.",
]


def _count(key: str, scale: float) -> int:
    return max(1, round(PER_SCALE[key] * scale))


def exists() -> bool:
    return Review.objects.filter(reference__startswith=REFERENCE_PREFIX).exists()


def reset_reviews() -> dict[str, int]:
    """Delete the scale reviews (and everything that hangs off them)."""
    _, deleted = Review.objects.filter(reference__startswith=REFERENCE_PREFIX).delete()
    return {"reviews": deleted.get("reviews.Review", 0)}


def _weighted(rng: random.Random, options):
    return rng.choices([option for option, _ in options], [weight for _, weight in options])[0]


@transaction.atomic
def ensure_controlled_lists() -> None:
    """Seed the themes and types of abuse if they are missing.

    The data migration seeds them; a database emptied since (a test flush) gets them back.
    """
    if LearningTheme.objects.exists() and AbuseType.objects.exists():
        return
    from django.apps import apps

    import_module("partnership.reviews.migrations.0002_seed_controlled_lists").seed(apps, None)


def scale_reviews(scale: float, rng: random.Random) -> dict[str, int]:
    """Make about 500 × `scale` reviews with 10,000 × `scale` recommendations; returns counts."""
    today = today_()
    rules = ReviewRules.current()
    group = (
        Group.objects.filter(slug__startswith="scale-").order_by("pk").first()
        or Group.objects.filter(slug="review-and-learning-group").first()
        or Group.objects.order_by("pk").first()
    )
    if group is None:
        raise ValueError("Make the groups first: reviews belong to a group.")
    organisations = list(
        Organisation.objects.filter(slug__startswith="scale-").order_by("pk")
    ) or list(Organisation.objects.order_by("pk"))
    partners = [o for o in organisations if o.kind == OrganisationKind.SAFEGUARDING_PARTNER][:3]
    agencies = [o for o in organisations if o.kind != OrganisationKind.SCHOOL] or organisations
    staff = list(
        User.objects.filter(
            email__startswith="scale-",
            role_grants__role__in=[Role.GROUP_MEMBER, Role.PARTNER_LEAD, Role.BUSINESS_UNIT],
        )
        .distinct()
        .order_by("pk")[:300]
    ) or list(User.objects.order_by("pk")[:50])
    managers = (
        list(
            User.objects.filter(
                email__startswith="scale-", role_grants__role=Role.BUSINESS_UNIT
            ).order_by("pk")[:20]
        )
        or staff[:5]
    )
    leads_by_partner = {
        p.pk: next((u for u in staff if u.organisation_id == p.pk), staff[0]) for p in partners
    }
    ensure_controlled_lists()
    themes = list(LearningTheme.objects.filter(is_active=True))
    abuse_types = list(AbuseType.objects.filter(is_active=True))

    review_count = _count("reviews", scale)
    recommendation_count = _count("recommendations", scale)
    numbers: dict[int, int] = {}  # year → the last number used, so a second run follows on
    for reference in Review.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list(
        "reference", flat=True
    ):
        _, year, number = reference.split("/")
        numbers[int(year)] = max(numbers.get(int(year), 0), int(number))
    reviews, plans = [], []
    for index in range(review_count):
        aware_on = today - dt.timedelta(days=rng.randint(0, 5 * 365))
        numbers[aware_on.year] = numbers.get(aware_on.year, 0) + 1
        open_rapid = aware_on > today - dt.timedelta(days=30)
        decision = None if open_rapid else _weighted(rng, DECISIONS)
        pseudonym = f"Child {LETTERS[index % len(LETTERS)]}{index // len(LETTERS) + 1}"
        reviews.append(
            Review(
                reference=f"{REFERENCE_PREFIX}{aware_on.year}/{numbers[aware_on.year]:04d}",
                title=pseudonym,
                group=group,
                case_manager=rng.choice(managers),
                status=DECISION_STATUS[decision] if decision else ReviewStatus.RAPID_REVIEW,
                aware_on=aware_on,
            )
        )
        plans.append((pseudonym, aware_on, decision))
    Review.objects.bulk_create(reviews, batch_size=BATCH)

    incidents, rapids, local_reviews = [], [], []
    for review, (pseudonym, aware_on, decision) in zip(reviews, plans, strict=True):
        incidents.append(
            Incident(
                review=review,
                child_pseudonym=pseudonym,
                aware_on=aware_on,
                occurred_on=aware_on - dt.timedelta(days=rng.randint(0, 5)),
                outcome=IncidentOutcome.DIED
                if rng.random() < 0.3
                else IncidentOutcome.SERIOUSLY_HARMED,
                looked_after=rng.random() < 0.35,
                child_protection_plan=rng.random() < 0.4,
                educated_otherwise=rng.random() < 0.1,
            )
        )
        rapid = RapidReview(review=review)
        rapid_review_set_clock(rapid, aware_on, rules)
        if decision:
            rapid.status = RapidReviewStatus.COMPLETED
            rapid.letters_sent_on = rapid.letters_due_on
            rapid.meeting_held_on = rapid.meeting_due_on
            rapid.decision = decision
            rapid.rationale = "Weighed against the local and national criteria."
            rapid.decided_on = rapid.meeting_due_on
            rapid.sent_to_panel_on = (
                rapid.due_on
                if rng.random() < 0.85
                else add_working_days(rapid.due_on, rng.randint(1, 5))
            )
        rapids.append(rapid)
        if decision in (Decision.LCSPR, Decision.OTHER_LEARNING):
            local = LocalReview(
                review=review,
                kind=LocalReviewKind.LCSPR
                if decision == Decision.LCSPR
                else LocalReviewKind.LEARNING_REVIEW,
                decided_on=rapid.decided_on,
                terms_of_reference="The year before the incident; how agencies worked together.",
            )
            local_review_set_clock(local, rules)
            local_reviews.append(local)
    Incident.objects.bulk_create(incidents, batch_size=BATCH)
    RapidReview.objects.bulk_create(rapids, batch_size=BATCH)
    LocalReview.objects.bulk_create(local_reviews, batch_size=BATCH)

    notifications, summaries, sign_offs = [], [], []
    incident_agencies, incident_abuse = [], []
    review_themes = []
    for incident, rapid in zip(incidents, rapids, strict=True):
        due = notification_due(incident.aware_on, rules)
        for recipient in rules.recipients(incident):
            sent = None
            if rapid.status == RapidReviewStatus.COMPLETED or rng.random() < 0.5:
                sent = min(add_working_days(incident.aware_on, rng.randint(1, 6)), today)
            notifications.append(
                Notification(incident=incident, recipient=recipient, due_on=due, sent_on=sent)
            )
        chosen = rng.sample(agencies, k=min(len(agencies), rng.randint(2, 4)))
        for organisation in chosen:
            incident_agencies.append(
                Incident.agencies.through(incident_id=incident.pk, organisation_id=organisation.pk)
            )
            received = rapid.status == RapidReviewStatus.COMPLETED or rng.random() < 0.3
            summaries.append(
                AgencySummary(
                    rapid_review=rapid,
                    organisation=organisation,
                    requested_on=rapid.letters_due_on,
                    due_on=rapid.summaries_due_on,
                    received_on=rapid.summaries_due_on
                    if received and rapid.summaries_due_on <= today
                    else None,
                    status=SubmissionStatus.RECEIVED
                    if received and rapid.summaries_due_on <= today
                    else SubmissionStatus.REQUESTED,
                )
            )
        for abuse in rng.sample(abuse_types, k=min(len(abuse_types), rng.randint(1, 3))):
            incident_abuse.append(
                Incident.abuse_types.through(incident_id=incident.pk, abusetype_id=abuse.pk)
            )
        for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 3))):
            review_themes.append(
                Review.themes.through(review_id=incident.review_id, learningtheme_id=theme.pk)
            )
        if rapid.status == RapidReviewStatus.COMPLETED:
            for partner in partners:
                sign_offs.append(
                    SignOff(
                        rapid_review=rapid,
                        partner=partner,
                        signed_by=leads_by_partner[partner.pk],
                        signed_on=rapid.sign_off_due_on,
                    )
                )
    Notification.objects.bulk_create(notifications, batch_size=BATCH)
    AgencySummary.objects.bulk_create(summaries, batch_size=BATCH)
    SignOff.objects.bulk_create(sign_offs, batch_size=BATCH)
    Incident.agencies.through.objects.bulk_create(incident_agencies, batch_size=BATCH)
    Incident.abuse_types.through.objects.bulk_create(incident_abuse, batch_size=BATCH)
    Review.themes.through.objects.bulk_create(review_themes, batch_size=BATCH)

    # Local reviews decided long enough ago are published (about seven months on).
    publications, published_ids = [], set()
    for local in local_reviews:
        published_on = add_months(local.decided_on, rng.randint(5, 9))
        if published_on < today:
            publications.append(
                Publication(
                    review_id=local.review_id,
                    slug=f"scale-review-{local.review_id}",
                    title=f"{local.review.title} {local.get_kind_display().lower()}",
                    status=PublicationStatus.PUBLISHED,
                    published_on=published_on,
                    summary="A precis of the case and its key learning.",
                    response="What the partnership has done in response.",
                    report_published=False,
                    not_published_reason="Publication would identify the family.",
                    improvements="The improvements agencies have made.",
                )
            )
            published_ids.add(local.review_id)
    Publication.objects.bulk_create(publications, batch_size=BATCH)
    Review.objects.filter(pk__in=published_ids).update(status=ReviewStatus.PUBLISHED)

    # Recommendations (about 20 a review) with one action each.
    recommendations = []
    for n in range(recommendation_count):
        review = reviews[n % len(reviews)]
        theme = rng.choice(themes)
        recommendations.append(
            Recommendation(
                review=review,
                number=n // len(reviews) + 1,
                text=rng.choice(RECOMMENDATION_STEMS).format(theme=theme.name.lower()),
            )
        )
    Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)
    # What the public pages show, fixed as publishing fixes it (recommendations included).
    by_review = {}
    for recommendation in recommendations:
        by_review.setdefault(recommendation.review_id, []).append(
            (recommendation.number, recommendation.text)
        )
    for publication in publications:
        publication.published_content = public_content(
            publication, by_review.get(publication.review_id, []), publication.published_on
        )
    Publication.objects.bulk_update(publications, ["published_content"], batch_size=BATCH)
    recommendation_themes, actions = [], []
    for recommendation in recommendations:
        for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 2))):
            recommendation_themes.append(
                Recommendation.themes.through(
                    recommendation_id=recommendation.pk, learningtheme_id=theme.pk
                )
            )
        due_on = recommendation.review.aware_on + dt.timedelta(days=rng.randint(200, 500))
        owner = rng.choice(staff)
        done = due_on < today and rng.random() < 0.8
        actions.append(
            ActionItem(
                review_id=recommendation.review_id,
                recommendation=recommendation,
                description=f"Action on recommendation {recommendation.number}",
                organisation_id=owner.organisation_id or rng.choice(agencies).pk,
                owner=owner,
                due_on=due_on,
                status=ActionStatus.SIGNED_OFF if done else ActionStatus.OPEN,
                evidence="Evidence of completion." if done else "",
                evidence_submitted_on=due_on if done else None,
                signed_off_on=due_on if done else None,
            )
        )
    Recommendation.themes.through.objects.bulk_create(recommendation_themes, batch_size=BATCH)
    ActionItem.objects.bulk_create(actions, batch_size=BATCH)
    Recommendation.objects.filter(
        pk__in=[a.recommendation_id for a in actions if a.status == ActionStatus.SIGNED_OFF]
    ).update(status=RecommendationStatus.COMPLETE)

    review_ids = [review.pk for review in reviews]
    for start in range(0, len(review_ids), 100):
        deadlines_sync(review_ids[start : start + 100], batch_size=BATCH)
    return {
        "reviews": len(reviews),
        "review notifications": len(notifications),
        "agency summaries": len(summaries),
        "local reviews": len(local_reviews),
        "published reviews": len(publications),
        "recommendations": len(recommendations),
        "action-plan items": len(actions),
    }
