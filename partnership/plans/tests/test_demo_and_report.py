"""The demo plans from seeds 002 and 003, and the thematic lead's report built on them."""

import io

import pytest
from pypdf import PdfReader

from partnership.governance.models import Group, ItemKind, Meeting, Paper
from partnership.plans import demo as plans_demo
from partnership.plans.models import Action, ActionStatus, Plan, PlanPriority, ProgressUpdate

pytestmark = pytest.mark.django_db


def _ce_meeting():
    forum = Group.objects.get(slug="strategic-forum")
    return Meeting.objects.filter(group=forum, priority__slug="child-exploitation").first()


def test_demo_has_both_plans_from_the_seeds(demo, personas):
    old, new = Plan.objects.get(slug="2019-2020"), Plan.objects.get(slug="2020-2022")
    assert old.vision == "Working together to safeguard and protect children from harm in Knowsley."
    assert [p.priority.slug for p in old.priorities.all()] == [
        "domestic-abuse", "neglect", "child-exploitation",
    ]  # fmt: skip
    assert "childrens-mental-wellbeing" in [p.priority.slug for p in new.priorities.all()]
    ce = PlanPriority.objects.get(plan=new, priority__slug="child-exploitation")
    assert ce.lead.user == personas["partner_lead"]
    # Unfinished 2019-2020 actions were carried over, keeping their history.
    carried = Action.objects.filter(outcome__priority__plan=new, carried_from__isnull=False)
    assert carried.count() == 2
    assert Action.objects.filter(status=ActionStatus.CARRIED_OVER).count() == 2
    # Every RAG rating appears, and some actions are linked to indicators and recommendations.
    assert set(ProgressUpdate.objects.values_list("rag", flat=True)) == {
        "red", "amber", "green", "complete",
    }  # fmt: skip
    assert Action.objects.filter(indicators__isnull=False).exists()
    assert Action.objects.filter(recommendations__isnull=False).exists()


def test_demo_is_idempotent(demo, personas):
    before = Action.objects.count()
    plans_demo.build(demo, personas)
    assert Action.objects.count() == before


def test_child_exploitation_report_has_its_actions_indicators_and_recommendations(demo, client_as):
    meeting = _ce_meeting()
    assert meeting is not None
    new = Plan.objects.get(slug="2020-2022")
    actions = Action.objects.filter(
        outcome__priority__plan=new, outcome__priority__priority__slug="child-exploitation"
    )
    neglect_action = Action.objects.filter(
        outcome__priority__plan=new, outcome__priority__priority__slug="neglect"
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
    assert "the audits module is not built" in page

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
