"""Plan pages cost the same number of queries on a small plan and on scale data."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.governance.models import Group, Meeting
from partnership.plans.models import Action, Plan, ProgressUpdate
from partnership.plans.scale import scale_plans
from partnership.plans.tests.matrix import a_themed_meeting

pytestmark = pytest.mark.django_db


def _pages(plan, meeting):
    return [
        plan.get_absolute_url(),
        f"/plans/review/?plan={plan.slug}",
        f"/plans/meetings/{meeting.pk}/thematic-report/",
        plan.priorities.first().get_absolute_url(),
        f"/plans/plan/{plan.slug}/on-a-page/",
    ]


def _counts(client, urls):
    client.get("/plans/")  # the session and the user's roles are loaded once, not measured
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


def test_plan_pages_cost_the_same_queries_at_two_sizes(client_as, personas):
    client = client_as("business_unit")
    rng = random.Random(7)
    made = scale_plans(0.01, rng)
    assert made["plan actions"] == 20
    plan = Plan.objects.current().first()
    meeting = Meeting.objects.get(pk=a_themed_meeting(personas)["pk"])
    Meeting.objects.filter(pk=meeting.pk).update(priority=plan.priorities.first().priority)
    meeting.refresh_from_db()
    small = _counts(client, _pages(plan, meeting))

    # Ten times more actions and updates in the same plan.
    more = Action.objects.filter(outcome__priority__plan=plan)
    template = list(more.all())
    Action.objects.bulk_create(
        Action(
            outcome_id=action.outcome_id,
            title=f"{action.title} copy {n}",
            owner_id=action.owner_id,
            owner_organisation_id=action.owner_organisation_id,
            due_on=action.due_on,
            measure_of_success="More",
        )
        for n in range(10)
        for action in template
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, rag="red", note="x") for action in more
    )
    assert more.count() > 200
    large = _counts(client, _pages(plan, meeting))
    assert small == large, f"{small} != {large}"
    assert max(large) < 40
    assert Group.objects.exists()
