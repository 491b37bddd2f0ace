"""Every self-assessment list and page costs the same number of queries at two data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.accounts.models import RoleGrant
from partnership.audits.selfassessment.models import ActionPlanItem, SelfAssessment
from partnership.audits.selfassessment.scale import scale_self_assessments
from partnership.audits.selfassessment.work import items_waiting_for

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    lambda cycle, r: "/audits/",
    lambda cycle, r: "/audits/self-assessments/standards/",
    lambda cycle, r: cycle.get_absolute_url(),
    lambda cycle, r: cycle.get_absolute_url() + "dashboard/",
    lambda cycle, r: cycle.get_absolute_url() + "returns.xlsx",
    lambda cycle, r: r.get_absolute_url(),
    lambda cycle, r: r.get_absolute_url() + "return.json",
]


def test_the_pages_cost_the_same_queries_for_3_by_4_and_30_by_12(client_as):
    client = client_as("business_unit")
    small = scale_self_assessments(3, 4)
    small_return = small.returns.filter(status="submitted").first()
    # The first pass also starts the trail's chain and the session: count the second.
    [_count(client, page(small, small_return)) for page in PAGES]
    counts_small = [_count(client, page(small, small_return)) for page in PAGES]
    big = scale_self_assessments(30, 12)
    big_return = big.returns.filter(status="submitted").first()
    counts_big = [_count(client, page(big, big_return)) for page in PAGES]
    assert counts_small == counts_big


def test_a_schools_lead_sees_only_their_settings_return_and_actions_in_bounded_queries(
    personas, client_as
):
    lead = personas["data_submitter"]
    cycle = scale_self_assessments(5, 4, owner=lead)
    school = cycle.returns.first().organisation
    grant = RoleGrant.objects.get(user=lead, role="data_submitter")
    grant.organisation = school
    grant.save()
    lead.forget_roles()
    visible = SelfAssessment.objects.visible_to(lead).filter(cycle=cycle)
    assert [r.organisation for r in visible] == [school]
    own_actions = ActionPlanItem.objects.filter(answer__assessment__organisation=school).count()
    with CaptureQueriesContext(connection) as queries:
        items = items_waiting_for(lead, today=cycle.starts_on)
    assert len(items) == own_actions > 0
    small = len(queries)
    scale_self_assessments(20, 8, owner=lead)
    with CaptureQueriesContext(connection) as queries:
        items_waiting_for(lead, today=cycle.starts_on)
    assert len(queries) == small


def test_opening_a_cycle_costs_the_same_reads_for_3_or_30_settings(personas):
    """Reads are the same at both sizes; the rows are inserted in bulk (SQLite splits a bulk
    insert into batches of under 1,000 values, so the inserts grow by one a hundred answers)."""
    import datetime as dt

    from partnership.audits.selfassessment import services
    from partnership.audits.selfassessment.models import Answer, Evidence, TimetableSettings
    from partnership.trail.actors import Actor

    actor = Actor.for_user(personas["business_unit"])
    # The first write starts the trail's chain and the settings row: not counted.
    TimetableSettings.load()
    services.standard_sets_install_defaults(actor=actor)
    counts = []
    for size, starts in ((3, dt.date(2026, 1, 5)), (30, dt.date(2026, 3, 2))):
        last = scale_self_assessments(size, 4, starts=starts)
        answer = last.returns.first().answers.first()
        Evidence.objects.create(answer=answer, name="policy.pdf", size=10)
        organisations = [r.organisation for r in last.returns.all()]
        with CaptureQueriesContext(connection) as queries:
            cycle = services.cycle_open(
                kind=last.kind,
                name=f"Next {size}",
                standard_set=last.standard_set,
                scale=last.scale,
                starts_on=starts + dt.timedelta(days=7),
                organisations=organisations,
                actor=actor,
            )
        sqls = [query["sql"] for query in queries.captured_queries]
        inserts = [sql for sql in sqls if sql.startswith("INSERT")]
        counts.append(len(sqls) - len(inserts))
        assert len(inserts) <= 12
        assert cycle.previous == last
        assert cycle.returns.count() == size
        assert Answer.objects.filter(assessment__cycle=cycle, carried_forward=True).count() == (
            size * 4
        )
        assert (
            Evidence.objects.filter(
                answer__assessment__cycle=cycle, name="policy.pdf", carried_forward=True
            ).count()
            == 1
        )
    assert counts[0] == counts[1]
