"""Reviews made the way the software makes them: through the services, so that clocks,
deadlines and access lists are as a user would find them."""

import datetime as dt

import factory
import time_machine

from partnership.accounts.models import Role, RoleGrant, User
from partnership.directory.models import Organisation
from partnership.reviews import services
from partnership.reviews.models import (
    Decision,
    Incident,
    IncidentOutcome,
    LearningTheme,
    Review,
)
from partnership.trail.actors import Actor

PARTNER_LEAD_EMAILS = [
    "priya.lewis@police.example.org",
    "claire.doherty@council.example.org",
    "aisha.rahman@ccg.example.org",
]


class IncidentFactory(factory.django.DjangoModelFactory):
    """An unsaved incident for `services.incident_notify`."""

    class Meta:
        model = Incident

    child_pseudonym = factory.Sequence(lambda n: f"Child {chr(ord('A') + n % 26)}{n // 26 or ''}")
    aware_on = dt.date(2026, 12, 18)
    occurred_on = factory.LazyAttribute(lambda incident: incident.aware_on - dt.timedelta(days=2))
    outcome = IncidentOutcome.SERIOUSLY_HARMED


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningTheme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


def business_unit() -> User:
    return User.objects.get(email="business.manager@kscp.example.org")


def partner_leads() -> list[User]:
    return list(User.objects.filter(email__in=PARTNER_LEAD_EMAILS))


def make_review(
    *,
    aware_on=dt.date(2026, 12, 18),
    agencies=(),
    themes=(),
    title="",
    actor=None,
    case_manager=None,
    abuse_types=(),
    **incident_fields,
) -> Review:
    incident = IncidentFactory.build(aware_on=aware_on, **incident_fields)
    actor = actor or Actor.for_user(business_unit())
    return services.incident_notify(
        incident=incident,
        abuse_types=abuse_types,
        agencies=agencies,
        themes=themes,
        title=title,
        case_manager=case_manager if case_manager is not None else actor.user,
        actor=actor,
        check_dates=False,
    )


def decide(
    review: Review, *, decision=Decision.LCSPR, on: dt.date, rationale="Meets the criteria."
):
    actor = Actor.for_user(business_unit())
    with time_machine.travel(dt.datetime.combine(on, dt.time(12)), tick=False):
        services.rapid_review_decide(
            rapid=review.rapid_review,
            decision=decision,
            rationale=rationale,
            decided_on=on,
            actor=actor,
        )


def complete_rapid_review(review: Review, *, decision=Decision.LCSPR, on: dt.date) -> Review:
    """Decide, have the three partners sign off, and send the decision to the Panel on `on`."""
    decide(review, decision=decision, on=on)
    actor = Actor.for_user(business_unit())
    with time_machine.travel(dt.datetime.combine(on, dt.time(12)), tick=False):
        for lead in partner_leads():
            services.rapid_review_sign_off(
                rapid=review.rapid_review, signer=lead, signed_on=on, actor=Actor.for_user(lead)
            )
        services.rapid_review_send_to_panel(rapid=review.rapid_review, sent_on=on, actor=actor)
    review.refresh_from_db()
    return review


def commission(review: Review, reviewer: User, *, on: dt.date | None = None):
    if not reviewer.has_role(Role.REVIEWER):
        RoleGrant.objects.get_or_create(user=reviewer, role=Role.REVIEWER)
    return services.reviewer_commission(
        review=review,
        reviewer=reviewer,
        commissioned_on=on or review.aware_on,
        role="Lead reviewer",
        actor=Actor.for_user(business_unit()),
    )


def organisation(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)
