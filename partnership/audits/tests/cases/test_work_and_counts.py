"""Your work shows the audit forms and actions waiting; the lists cost the same number of
queries whatever the data."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.audits.cases import services
from partnership.audits.cases.work import items_waiting_for
from partnership.trail.actors import Actor

from .support import NWBH, POLICE, answers_for, make_audit, organisation, schedule_meeting

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_the_police_see_their_form_on_your_work_until_it_is_returned(personas, client_as):
    audit = make_audit(personas)
    services.case_audit_distribute(
        audit=audit, on=TODAY, actor=Actor.for_user(personas["business_unit"])
    )
    lead = personas["partner_lead"]
    lead.is_verified = lambda: True  # signed in with the second factor, as on the page
    items = items_waiting_for(lead, today=TODAY)
    assert [(i.title, i.due_on) for i in items] == [
        ("Audit form for case CSE-001: CSE case audit", dt.date(2026, 3, 30))
    ]
    page = client_as("partner_lead").get(reverse("work:home")).content.decode()
    assert "Audit form for case CSE-001: CSE case audit" in page
    services.case_part_save(
        case=audit.cases.get(),
        organisation=organisation(POLICE),
        answers=answers_for(audit),
        submit=True,
        actor=Actor.for_user(lead),
    )
    assert items_waiting_for(lead, today=TODAY) == []
    # Nothing of the case audits waits for someone with no part in them.
    assert items_waiting_for(personas["data_submitter"], today=TODAY) == []


def _build(personas, audits: int, cases: int):
    actor = Actor.for_user(personas["business_unit"])
    made = []
    for number in range(audits):
        audit = make_audit(
            personas,
            title=f"Audit {number}",
            cases=[(f"C{number}-{n:03}", (POLICE, NWBH)) for n in range(cases)],
        )
        services.case_audit_distribute(audit=audit, on=TODAY, actor=actor)
        for case in audit.cases.all():
            for name in (POLICE, NWBH):
                services.case_part_save(
                    case=case,
                    organisation=organisation(name),
                    answers=answers_for(audit),
                    submit=True,
                    actor=actor,
                )
        meeting = schedule_meeting(personas, days_ahead=3 + number)
        services.discussion_open(audit=audit, meeting=meeting, on=TODAY, actor=actor)
        for case in audit.cases.all():
            services.case_judgement_record(
                case=case, grade="Good", judgement="Agreed.", on=TODAY, actor=actor
            )
        for n in range(cases):
            recommendation = services.recommendation_add(
                audit=audit, text=f"Recommendation {n}", actor=actor
            )
            services.action_add(
                recommendation=recommendation,
                description=f"Action {n}",
                owner=personas["group_member"],
                due_on=dt.date(2026, 9, 1),
                actor=actor,
            )
            services.finding_add(audit=audit, kind="strength", text=f"Strength {n}", actor=actor)
        made.append(audit)
    return made


def _pages(audit) -> list[str]:
    case = audit.cases.order_by("reference").first()
    action = audit.recommendations.first().actions.first()
    return [
        reverse("audits:case_audits"),
        reverse("audits:case_audit_summary"),
        audit.get_absolute_url(),
        case.get_absolute_url(),
        reverse("audits:case_audit_report", args=[audit.pk]),
        action.get_absolute_url(),
        reverse("work:home"),
    ]


def _count(client, url) -> int:
    client.get(url)  # once first: a session refresh or a first-use default is not the page's cost
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
@pytest.mark.parametrize("persona", ["business_unit", "partner_lead", "independent_chair"])
def test_pages_cost_the_same_queries_with_four_times_the_data(personas, client_as, persona):
    client = client_as(persona)
    small = _build(personas, audits=1, cases=2)[0]
    pages = _pages(small)
    if persona == "partner_lead":
        pages.remove(reverse("audits:case_audit_summary"))
    before = {url: _count(client, url) for url in pages}
    _build(personas, audits=4, cases=8)
    after = {url: _count(client, url) for url in pages}
    assert after == before


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_across_audits_shows_grades_by_area_and_agency_and_the_theme_by_year(personas, client_as):
    _build(personas, audits=1, cases=2)
    page = client_as("business_unit").get(reverse("audits:case_audit_summary")).content.decode()
    # Two cases, each agency answering the one question of "Outcomes" with Good.
    assert "Grades by area and agency" in page
    assert "Cases judged good or better: Child exploitation (CSE and CCE) 2026: 100%." in page
    assert "<svg" in page
