"""Scale data for business plans: at scale 1, 10 plans, 2,000 actions and 10,000 updates.

Each plan has the governance priorities (made here if the scale partnership has none), five
outcomes a priority, and actions owned by scale people, with progress updates in every RAG
rating over the past two years. Everything goes in with `bulk_create`; slugs start "scale-".
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from partnership.directory.models import Person
from partnership.governance.models import Priority

from .models import (
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
    RagRating,
    Statement,
    StatementKind,
)

PREFIX = "scale-"
BATCH = 2000
PER_SCALE = {"plans": 10, "actions": 2000, "updates": 10_000}
OUTCOMES_PER_PRIORITY = 5


def _count(key: str, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(PER_SCALE[key] * scale))


@transaction.atomic
def scale_plans(scale, rng: random.Random) -> dict[str, int]:
    """Make the plans scale data; returns what was made, by kind."""
    today = timezone.localdate()
    now = timezone.now()
    priorities = list(Priority.objects.all())
    if not priorities:
        priorities = [
            Priority.objects.create(name=name, slug=PREFIX + slug, rotation_order=n)
            for n, (name, slug) in enumerate(
                [("Scale neglect", "neglect"), ("Scale exploitation", "exploitation")], 1
            )
        ]
    people = list(
        Person.objects.filter(organisation__slug__startswith=PREFIX).only("pk", "organisation_id")[
            :500
        ]
    ) or list(Person.objects.only("pk", "organisation_id")[:500])
    if not people:
        return {}
    plan_count = _count("plans", scale)
    action_count = _count("actions", scale, minimum=plan_count)
    update_count = _count("updates", scale)
    start = today.replace(month=4, day=1) - dt.timedelta(days=730 * (plan_count - 1))
    plans = []
    for n in range(plan_count):
        starts_on = start + dt.timedelta(days=730 * n)
        plans.append(
            Plan(
                title=f"Scale business plan {n + 1}",
                slug=f"{PREFIX}plan-{n + 1}",
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=729),
                vision="Working together to safeguard and protect children from harm.",
                mission="We will work together to safeguard and protect children.",
                status=PlanStatus.CURRENT if n == plan_count - 1 else PlanStatus.CLOSED,
            )
        )
    plans = Plan.objects.bulk_create(plans)
    Statement.objects.bulk_create(
        Statement(plan=plan, kind=kind, text=f"{kind.label} {i}", position=i)
        for plan in plans
        for kind in StatementKind
        for i in range(1, 5)
    )
    plan_priorities = PlanPriority.objects.bulk_create(
        PlanPriority(
            plan=plan,
            priority=priority,
            lead_organisation_id=people[i % len(people)].organisation_id,
            lead=people[i % len(people)],
            position=i,
        )
        for plan in plans
        for i, priority in enumerate(priorities)
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(priority=pp, text=f"Scale outcome {i} for priority {pp.pk}", position=i)
        for pp in plan_priorities
        for i in range(1, OUTCOMES_PER_PRIORITY + 1)
    )
    actions = []
    for n in range(action_count):
        owner = rng.choice(people)
        actions.append(
            Action(
                outcome=outcomes[n % len(outcomes)],
                title=f"Scale action {n + 1}",
                owner_id=owner.pk,
                owner_organisation_id=owner.organisation_id,
                due_on=today + dt.timedelta(days=rng.randint(-200, 400)),
                measure_of_success="A measurable improvement.",
                status=ActionStatus.COMPLETE if rng.random() < 0.15 else ActionStatus.OPEN,
            )
        )
    actions = Action.objects.bulk_create(actions, batch_size=BATCH)
    ratings = [RagRating.RED, RagRating.AMBER, RagRating.GREEN, RagRating.GREEN]
    updates = [
        ProgressUpdate(
            action=rng.choice(actions),
            rag=rng.choice(ratings),
            note="Progress since the last meeting.",
            created_at=now - dt.timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1440)),
            author_label="Scale author",
        )
        for _ in range(update_count)
    ]
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
    return {
        "plans": len(plans),
        "plan priorities": len(plan_priorities),
        "plan outcomes": len(outcomes),
        "plan actions": len(actions),
        "progress updates": len(updates),
    }
