"""The demo plans from seeds 002 and 003, and the thematic lead's report built on them."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from partnership.governance.models import Group, ItemKind, Meeting, Paper
from partnership.plans import demo as plans_demo
from partnership.plans.demo import current_plan_period
from partnership.plans.models import Action, Plan, PlanPriority, ProgressUpdate


def _current():
    """The demo's current plan: slug, title and dates, made from today."""
    return current_plan_period(timezone.localdate())


pytestmark = pytest.mark.django_db


def _ce_meeting():
    forum = Group.objects.get(slug="strategic-forum")
    return Meeting.objects.filter(group=forum, priority__slug="child-exploitation").first()


def test_demo_has_the_seed_plans_closed_and_an_invented_current_plan(demo, personas):
    old, mid = Plan.objects.get(slug="2019-2020"), Plan.objects.get(slug="2020-2022")
    current = Plan.objects.get(slug=_current()[0])
    assert old.vision == "Working together to safeguard and protect children from harm in Knowsley."
    assert [p.priority.slug for p in old.priorities.all()] == [
        "domestic-abuse", "neglect", "child-exploitation",
    ]  # fmt: skip
    assert "childrens-mental-wellbeing" in [p.priority.slug for p in mid.priorities.all()]
    assert (old.status, mid.status, current.status) == ("closed", "closed", "current")
    assert list(Plan.objects.current()) == [current]
    ce = PlanPriority.objects.get(plan=current, priority__slug="child-exploitation")
    assert ce.lead.user == personas["partner_lead"]
    # Unfinished 2019-2020 actions were carried over to 2020-2022, keeping their history...
    into_mid = Action.objects.filter(outcome__priority__plan=mid, carried_from__isnull=False)
    assert into_mid.count() == 2
    # ...and every action still open in 2020-2022 was carried over again to the current plan.
    assert not Action.objects.filter(outcome__priority__plan=mid, status="open").exists()
    left_mid = Action.objects.filter(outcome__priority__plan=mid, status="carried_over")
    into_current = Action.objects.filter(
        outcome__priority__plan=current, carried_from__outcome__priority__plan=mid
    )
    assert left_mid.count() == into_current.count() > 2
    assert Action.objects.filter(
        outcome__priority__plan=mid, title__startswith="Thrive briefing", status="complete"
    ).exists()  # complete, so not carried over
    # The current plan has new actions too, with recent updates.
    new_actions = Action.objects.filter(outcome__priority__plan=current, carried_from=None)
    assert new_actions.count() >= 3
    recent = timezone.now() - dt.timedelta(days=31)
    assert ProgressUpdate.objects.filter(
        action__outcome__priority__plan=current, created_at__gte=recent
    ).exists()
    # Every RAG rating appears, and some actions are linked to indicators and recommendations.
    assert set(ProgressUpdate.objects.values_list("rag", flat=True)) == {
        "red", "amber", "green", "complete",
    }  # fmt: skip
    assert Action.objects.filter(indicators__isnull=False).exists()
    assert Action.objects.filter(recommendations__isnull=False).exists()


def test_carried_action_in_the_current_plan_shows_its_whole_history(demo, client_as):
    shield = Action.objects.get(
        outcome__priority__plan__slug=_current()[0], title__startswith="Shield team"
    )
    assert shield.carried_from.outcome.priority.plan.slug == "2020-2022"
    page = client_as("group_member").get(shield.get_absolute_url()).content.decode()
    assert "Carried over from" in page and "Business plan 2020-2022" in page
    assert "Plans are taking 18 working days on average." in page  # in 2020-2022
    assert "a recruitment drive" in page  # in the current plan


def test_current_reports_read_the_current_plan(demo, client_as, client):
    review = client_as("business_unit").get("/plans/review/").content.decode()
    assert _current()[1] in review
    assert "Shield team" in review  # rated red in the current plan
    assert "Online exploitation" in review  # a new action, rated red
    on_a_page = client.get("/plans/plan-on-a-page/").content.decode()
    assert _current()[1] in on_a_page
    assert "Children at risk of exploitation online are identified early" in on_a_page
    # The next Strategic Forum's thematic report opens with its lead's own account.
    from partnership.plans.models import ThematicNarrative

    narrative = ThematicNarrative.objects.select_related("meeting").get()
    report = client_as("business_unit").get(
        f"/plans/meetings/{narrative.meeting_id}/thematic-report/"
    )
    assert "I ask the Forum to note the progress" in report.content.decode()


def test_demo_is_idempotent(demo, personas):
    before = Action.objects.count()
    plans_demo.build(demo, personas)
    assert Action.objects.count() == before


def test_child_exploitation_report_has_its_actions_indicators_and_recommendations(demo, client_as):
    meeting = _ce_meeting()
    assert meeting is not None
    # The report reads the plan whose period covers the meeting: the current one.
    current = Plan.objects.get(slug=_current()[0])
    assert current.starts_on <= meeting.local_date <= current.ends_on
    actions = Action.objects.filter(
        outcome__priority__plan=current, outcome__priority__priority__slug="child-exploitation"
    )
    assert actions.filter(carried_from__isnull=False).exists()
    assert actions.filter(carried_from__isnull=True).exists()
    neglect_action = Action.objects.filter(
        outcome__priority__plan=current, outcome__priority__priority__slug="neglect"
    ).first()
    ce_indicator = actions.filter(indicators__isnull=False).first().indicators.first()
    recommendation = actions.filter(recommendations__isnull=False).first().recommendations.first()

    client = client_as("business_unit")
    page = client.get(f"/plans/meetings/{meeting.pk}/thematic-report/").content.decode()
    for action in actions:
        assert action.title.replace("'", "&#39;") in page
    assert neglect_action.title not in page
    assert ce_indicator.name in page
    assert recommendation.text[:60] in page
    assert "No multi-agency case audit you may see informs this priority." in page

    response = client.get(f"/plans/meetings/{meeting.pk}/thematic-report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    ).replace("\n", " ")
    assert "Thematic lead's report: Child exploitation" in text
    assert "Shield team" in text
    assert ce_indicator.code in text
    assert ce_indicator.name[:30] in text
    assert recommendation.text[:40] in text


def test_report_is_attached_to_the_agenda_and_replaced_not_duplicated(demo, client_as):
    meeting = _ce_meeting()
    client = client_as("business_unit")
    for _ in range(2):
        response = client.post(f"/plans/meetings/{meeting.pk}/thematic-report/attach/")
        assert response.status_code == 302
    papers = Paper.objects.filter(meeting=meeting, file_name=f"thematic-report-{meeting.pk}.pdf")
    assert papers.count() == 1
    assert papers.get().item.kind == ItemKind.THEMATIC_REPORT
    agenda = client.get(meeting.get_absolute_url()).content.decode()
    assert "Thematic lead&#39;s report: Child exploitation" in agenda


def test_the_thematic_report_shows_the_priority_s_case_audit_with_its_findings(
    demo, personas, client_as
):
    from partnership.audits.cases import demo as case_audits_demo

    case_audits_demo.build(demo, personas)
    meeting = _ce_meeting()
    page = client_as("business_unit").get(f"/plans/meetings/{meeting.pk}/thematic-report/")
    text = page.content.decode()
    # Kirklees' shape: 30 cases, 4 agencies each, 63 of the 120 forms came back.
    assert "63 of 120 audit forms returned" in text
    assert "Plans rarely had timescales, measurable outcomes or contingencies." in text
    assert "Risk of exploitation was identified and referred promptly in most cases." in text
    # The neglect audit informs another priority, not this one.
    assert "Neglect" not in text.split("Multi-agency audits")[1]

    # A practitioner-level reader with no part in the audit sees it counted, not shown.
    from partnership.plans.reports import thematic_report

    report = thematic_report(meeting, personas["data_submitter"])
    assert (report.audits, report.hidden_audits) == ([], 1)
    # The agenda's open copy shows only reported audits: the CSE audit is still in discussion.
    agenda_copy = thematic_report(meeting, None)
    assert (agenda_copy.audits, agenda_copy.hidden_audits) == ([], 1)
