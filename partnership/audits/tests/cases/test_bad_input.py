"""Bad input is refused with a clear message and nothing is saved."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from partnership.audits.cases import services
from partnership.audits.cases.models import AuditCase, CaseAgency, CaseAnswer, CasePartStatus
from partnership.trail.actors import Actor

from .support import POLICE, make_audit, organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Jane Smith", "JaneSmith", "Child A"])
def test_a_child_s_name_is_refused_as_a_case_reference(personas, client_as, typed):
    audit = make_audit(personas, cases=())
    response = client_as("business_unit").post(
        reverse("audits:case_audit_case_add", args=[audit.pk]),
        {"reference": typed, "organisations": [organisation(POLICE).pk]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Never enter a child&#39;s name" in page
    assert not AuditCase.objects.filter(audit=audit).exists()


def test_a_reference_is_accepted(personas, client_as):
    audit = make_audit(personas, cases=())
    response = client_as("business_unit").post(
        reverse("audits:case_audit_case_add", args=[audit.pk]),
        {"reference": "KS/2026/014", "organisations": [organisation(POLICE).pk]},
    )
    assert response.status_code == 302
    assert AuditCase.objects.get(audit=audit).reference == "KS/2026/014"


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_a_grade_not_on_the_scale_is_refused_and_nothing_is_saved(personas, client_as):
    audit = make_audit(personas)
    services.case_audit_distribute(
        audit=audit, on=dt.date(2026, 3, 2), actor=Actor.for_user(personas["business_unit"])
    )
    part = CaseAgency.objects.get(case__audit=audit, organisation__name=POLICE)
    questions = list(
        part.case.audit.sections.values_list("questions__pk", flat=True).order_by("pk")
    )
    data = {f"grade_{pk}": "Good" for pk in questions}
    data[f"grade_{questions[0]}"] = "Excellent"
    data["return"] = "1"
    response = client_as("partner_lead").post(part.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        "Choose a grade on the audit&#39;s scale: Outstanding, Good, Requires improvement, "
        "Inadequate" in page
    )
    assert not CaseAnswer.objects.filter(part=part).exists()
    part.refresh_from_db()
    assert part.status == CasePartStatus.AWAITED


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_a_form_with_a_question_unanswered_is_not_returned(personas):
    audit = make_audit(personas)
    actor = Actor.for_user(personas["business_unit"])
    services.case_audit_distribute(audit=audit, on=dt.date(2026, 3, 2), actor=actor)
    case = AuditCase.objects.get(audit=audit)
    from django.core.exceptions import ValidationError

    first = audit.sections.first().questions.first()
    with pytest.raises(ValidationError):
        services.case_part_save(
            case=case,
            organisation=organisation(POLICE),
            answers={first.pk: ("Good", "")},
            submit=True,
            actor=Actor.for_user(personas["partner_lead"]),
        )
    assert not CaseAnswer.objects.filter(part__case=case).exists()


def test_the_returns_are_due_twenty_working_days_on_skipping_easter(personas):
    audit = make_audit(personas)
    # Thursday 26 March 2026; Good Friday 3 April and Easter Monday 6 April are skipped.
    services.case_audit_distribute(
        audit=audit, on=dt.date(2026, 3, 26), actor=Actor.for_user(personas["business_unit"])
    )
    audit.refresh_from_db()
    assert audit.returns_due_on == dt.date(2026, 4, 27)


def test_the_grade_scale_cannot_change_once_the_forms_are_out(personas, client_as):
    audit = make_audit(personas)
    services.case_audit_distribute(
        audit=audit, on=dt.date(2026, 3, 2), actor=Actor.for_user(personas["business_unit"])
    )
    response = client_as("business_unit").post(
        reverse("audits:case_audit_edit", args=[audit.pk]),
        {
            "title": audit.title,
            "theme": audit.theme,
            "group": audit.group_id,
            "lead": audit.lead_id,
            "starts_on_day": "2",
            "starts_on_month": "3",
            "starts_on_year": "2026",
            "report_due_on_day": "30",
            "report_due_on_month": "6",
            "report_due_on_year": "2026",
            "grades_text": "Met\nNot met",
        },
    )
    assert response.status_code == 200
    assert "the grade scale can no longer change" in response.content.decode()
    audit.refresh_from_db()
    assert audit.grade_scale == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
