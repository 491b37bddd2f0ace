"""The thematic lead's report rates its priority as the plan does, and shows each agency's
figures only to those the performance framework shows them to (issue 11, points 6 and 7)."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from partnership.directory.models import Organisation, Person
from partnership.governance.models import Group, ItemKind, Meeting, Paper, Priority
from partnership.performance.tests import factories as performance
from partnership.plans import services
from partnership.plans.models import Action, Plan, PlanPriority, PlanStatus
from partnership.trail.actors import Actor

pytestmark = pytest.mark.django_db

AMBER = "Amber: at risk"
POLICE_FIGURE = "4,321"  # child exploitation referrals, sent by the police
HOUSING_FIGURE = "2,468"  # households supported, sent by the housing trust (Dana Singh's)


@pytest.fixture
def forum_meeting(personas):
    """A Strategic Forum meeting themed on child exploitation, in 20 days, and the current plan's
    child exploitation priority: one outcome with one green action, one outcome with none."""
    today = timezone.localdate()
    police = Organisation.objects.get(name="Merseyside Police")
    priya = Person.objects.get(user=personas["partner_lead"])
    priority, _ = Priority.objects.get_or_create(
        slug="child-exploitation",
        defaults={"name": "Child exploitation", "thematic_lead": police},
    )
    plan = Plan.objects.create(
        title="Business plan under test",
        slug="plan-under-test",
        starts_on=today - dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=500),
        vision="Vision",
        mission="Mission",
        status=PlanStatus.CURRENT,
    )
    plan_priority = PlanPriority.objects.create(
        plan=plan, priority=priority, lead_organisation=police, lead=priya
    )
    rated = plan_priority.outcomes.create(text="Exploited children are found early", position=1)
    plan_priority.outcomes.create(text="Online exploitation is disrupted", position=2)
    action = Action.objects.create(
        outcome=rated,
        title="Run the MACE panel every month",
        owner=priya,
        owner_organisation=police,
        due_on=today + dt.timedelta(days=30),
        measure_of_success="Every referral discussed",
    )
    services.progress_update_add(
        action=action, rag="green", note="On track", actor=Actor.for_user(personas["business_unit"])
    )
    starts = timezone.now() + dt.timedelta(days=20)
    meeting = Meeting.objects.create(
        group=Group.objects.get(slug="strategic-forum"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
        priority=priority,
    )
    meeting.items.create(position=1, kind=ItemKind.THEMATIC_REPORT, title="Thematic report")
    return meeting, plan_priority, action


def _overall_rating(page: str) -> str:
    found = re.search(r"Overall rating\s*</dt>\s*<dd[^>]*>\s*<strong[^>]*>([^<]+)</strong>", page)
    return found.group(1).strip()


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")


def test_priority_with_an_outcome_without_actions_is_amber_on_the_plan_and_in_the_report(
    forum_meeting, client_as
):
    meeting, plan_priority, _action = forum_meeting
    # By hand, from the rule in docs/guide/plans.md:
    # - outcome 1 has one green action: r = 1, no red, nothing unrated, so green;
    # - outcome 2 has no actions: not yet rated;
    # - the priority rolls up [green, not yet rated]: r = 1, not all complete, 3 x 0 reds < 1,
    #   but a child is not yet rated, so amber (the report used to drop outcome 2: green).
    client = client_as("business_unit")
    plan_page = client.get(plan_priority.plan.get_absolute_url()).content.decode()
    heading = re.search(r"Child exploitation</a>\s*<strong[^>]*>([^<]+)</strong>", plan_page)
    assert heading.group(1) == AMBER
    priority_page = client.get(plan_priority.get_absolute_url()).content.decode()
    assert re.search(r"Rating\s*</dt>\s*<dd[^>]*>\s*<strong[^>]*>" + AMBER, priority_page)

    report = client.get(f"/plans/meetings/{meeting.pk}/thematic-report/").content.decode()
    assert _overall_rating(report) == AMBER
    assert "Online exploitation is disrupted" in report  # the outcome with no actions, listed
    pdf = client.get(f"/plans/meetings/{meeting.pk}/thematic-report.pdf")
    assert f"Overall rating: {AMBER}." in _pdf_text(pdf.content)


@pytest.fixture
def figures(forum_meeting):
    """Two child exploitation indicators with a submitted 2024/25 figure each: the police's
    (the priority's own) and the housing trust's (linked to the action)."""
    _meeting, _plan_priority, action = forum_meeting
    police = Organisation.objects.get(name="Merseyside Police")
    housing = Organisation.objects.get(name="Knowsley Housing Trust")
    priority = Priority.objects.get(slug="child-exploitation")
    referrals = performance.indicator(
        "CE01", police, priority=priority, name="Child exploitation referrals"
    )
    households = performance.indicator("KH01", housing, name="Households supported")
    action.indicators.add(households)
    year = performance.year(2024)
    performance.submit(police, year, {referrals: 4321})
    performance.submit(housing, year, {households: 2468})


def test_data_submitter_sees_only_her_own_agencys_figures_in_the_thematic_report(
    forum_meeting, figures, client_as
):
    meeting, _plan_priority, _action = forum_meeting
    url = f"/plans/meetings/{meeting.pk}/thematic-report/"
    # Dana Singh sends the housing trust's figures: she sees those, not the police's.
    dana = client_as("data_submitter")
    page = dana.get(url).content.decode()
    assert "Child exploitation referrals" in page  # the indicator is listed...
    assert POLICE_FIGURE not in page  # ...without the police's figure
    assert HOUSING_FIGURE in page
    assert "The figures of 1 indicator are not shown to you" in page
    pdf = _pdf_text(dana.get(url.rstrip("/") + ".pdf").content)
    assert POLICE_FIGURE not in pdf
    assert HOUSING_FIGURE in pdf
    # The business unit reads the key-points report, so it sees both.
    everything = client_as("business_unit").get(url).content.decode()
    assert POLICE_FIGURE in everything and HOUSING_FIGURE in everything
    assert "not shown to you" not in everything


def test_the_agendas_copy_is_an_open_paper_with_no_agencys_figures(
    forum_meeting, figures, client_as
):
    meeting, _plan_priority, _action = forum_meeting
    response = client_as("business_unit").post(
        f"/plans/meetings/{meeting.pk}/thematic-report/attach/"
    )
    assert response.status_code == 302
    paper = Paper.objects.get(meeting=meeting, file_name=f"thematic-report-{meeting.pk}.pdf")
    assert not paper.restricted  # every member of partnership staff may read it
    # Dana may open the paper, so it carries neither agency's figure.
    downloaded = client_as("data_submitter").get(paper.get_absolute_url())
    assert downloaded.status_code == 200
    text = _pdf_text(b"".join(downloaded.streaming_content))
    assert "Child exploitation referrals" in text
    assert POLICE_FIGURE not in text and HOUSING_FIGURE not in text
    assert "shows no agency's figures" in text
