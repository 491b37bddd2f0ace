"""A case audit from programme to report, through the pages each person uses."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from partnership.audits.cases import services
from partnership.audits.cases.models import AuditCase, CaseAgency, CaseAuditStatus
from partnership.governance.models import Paper
from partnership.outbox.models import OutgoingEmail
from partnership.trail.models import AuditEntry

from .support import NWBH, POLICE, answers_for, make_audit, organisation, schedule_meeting

pytestmark = pytest.mark.django_db

# A Monday in term, away from bank holidays: 20 working days later is Monday 30 March.
DISTRIBUTED_ON = dt.datetime(2026, 3, 2, 10, 0)


def _part(audit, name):
    return CaseAgency.objects.get(case__audit=audit, organisation__name=name)


def _answer_data(audit, grade, narrative, submit=True):
    data = {}
    for question_id, _ in answers_for(audit).items():
        data[f"grade_{question_id}"] = grade
        data[f"narrative_{question_id}"] = narrative
    data["return" if submit else "save"] = "1"
    return data


@time_machine.travel(DISTRIBUTED_ON, tick=False)
def test_two_agencies_answer_apart_then_side_by_side_and_the_report_goes_to_the_group(
    personas, client_as
):
    audit = make_audit(personas)
    case = AuditCase.objects.get(audit=audit)
    business_unit, police, health = (
        client_as("business_unit"),
        client_as("partner_lead"),
        client_as("group_member"),
    )

    # The business unit sends the forms out: the returns are due 20 working days later.
    response = business_unit.post(reverse("audits:case_audit_distribute", args=[audit.pk]))
    assert response.status_code == 302
    page = business_unit.get(audit.get_absolute_url()).content.decode()
    assert "2 distributed, 0 returned" in page
    assert "30 March 2026" in page
    to = set(
        OutgoingEmail.objects.filter(kind="audits.case_audit.distributed").values_list(
            "to", flat=True
        )
    )
    assert {"priya.lewis@police.example.org", "gareth.morris@nwbh.example.org"} <= to

    # Each agency answers its own part.
    police_part, health_part = _part(audit, POLICE), _part(audit, NWBH)
    response = police.post(
        police_part.get_absolute_url(),
        _answer_data(audit, "Good", "Police shared the intelligence quickly."),
    )
    assert response.status_code == 302, response.content.decode()
    response = health.post(
        health_part.get_absolute_url(),
        _answer_data(audit, "Requires improvement", "The health visitor missed two contacts."),
    )
    assert response.status_code == 302

    # Neither sees the other's answers before the discussion.
    police_view = police.get(case.get_absolute_url()).content.decode()
    assert "Police shared the intelligence quickly." in police_view
    assert "The health visitor missed two contacts." not in police_view
    assert "The answers of 1 other agency involved in this case are shown once" in police_view
    health_view = health.get(case.get_absolute_url()).content.decode()
    assert "The health visitor missed two contacts." in health_view
    assert "Police shared the intelligence quickly." not in health_view
    assert (
        "2 distributed, 2 returned" in business_unit.get(audit.get_absolute_url()).content.decode()
    )

    # The discussion opens at a meeting of the owning group: now side by side.
    discussion = schedule_meeting(personas, days_ahead=7)
    response = business_unit.post(
        reverse("audits:case_audit_discussion", args=[audit.pk]), {"meeting": discussion.pk}
    )
    assert response.status_code == 302
    police_view = police.get(case.get_absolute_url()).content.decode()
    assert "The health visitor missed two contacts." in police_view
    assert "The agencies&#39; answers side by side" in police_view

    # The joint grade, a recommendation with its action.
    response = business_unit.post(
        case.get_absolute_url(),
        {"grade": "Requires improvement", "judgement": "Health contacts were missed."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.joint_grade == "Requires improvement"
    business_unit.post(
        reverse("audits:case_audit_recommendation_add", args=[audit.pk]),
        {"text": "Health visitors follow up every missed contact within 5 working days."},
    )
    response = business_unit.post(
        reverse("audits:case_audit_action_add", args=[audit.pk, 1]),
        {
            "description": "Brief health visitors on missed contacts",
            "owner": personas["group_member"].pk,
            "due_on_day": "30",
            "due_on_month": "6",
            "due_on_year": "2026",
        },
    )
    assert response.status_code == 302, response.content.decode()

    # The report PDF goes to the group's next meeting as a paper, in one step.
    later = schedule_meeting(personas, days_ahead=35)
    response = business_unit.get(reverse("audits:case_audit_report_pdf", args=[audit.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    report = business_unit.get(
        reverse("audits:case_audit_report", args=[audit.pk])
    ).content.decode()
    assert "2 audit forms were distributed on 2 March 2026 and 2 were returned (100%)" in report
    assert "Health visitors follow up every missed contact" in report
    response = business_unit.post(reverse("audits:case_audit_report_send", args=[audit.pk]))
    assert response.status_code == 302
    paper = Paper.objects.get(title=f"Case audit report: {audit.title}")
    # The next meeting from now is the discussion meeting (in 7 days), not the later one.
    assert paper.meeting == discussion
    assert paper.item.title == f"Multi-agency case audit: {audit.title}"
    assert paper.file.read().startswith(b"%PDF-")
    audit.refresh_from_db()
    assert audit.status == CaseAuditStatus.REPORTED
    assert later.pk != discussion.pk

    # Every read of a case's answers is on the trail, with who read it.
    reads = AuditEntry.objects.filter(
        action="view", summary__contains="audit answers for case CSE-001"
    )
    assert reads.filter(actor=personas["partner_lead"]).count() == 3  # own part twice, health once


@time_machine.travel(DISTRIBUTED_ON, tick=False)
def test_an_agency_not_involved_cannot_answer_and_nothing_is_saved(personas):
    from django.core.exceptions import ValidationError

    from partnership.trail.actors import Actor

    audit = make_audit(personas)
    services.case_audit_distribute(
        audit=audit, on=dt.date(2026, 3, 2), actor=Actor.for_user(personas["business_unit"])
    )
    case = AuditCase.objects.get(audit=audit)
    with pytest.raises(ValidationError) as refused:
        services.case_part_save(
            case=case,
            organisation=organisation("Knowsley Housing Trust"),
            answers=answers_for(audit),
            submit=True,
            actor=Actor.for_user(personas["data_submitter"]),
        )
    assert "Knowsley Housing Trust is not involved in case CSE-001" in refused.value.messages[0]
    assert not case.agencies.filter(answers__isnull=False).exists()
