"""The demo's case audits: Kirklees' CSE audit shape and the neglect group exercise."""

import pytest
from django.core.management import call_command

from partnership.audits.cases.demo import CSE_TITLE, NEGLECT_TITLE, PLANNED_TITLE
from partnership.audits.cases.models import (
    CaseAgency,
    CaseAudit,
    CaseAuditStatus,
    CasePartStatus,
    validate_case_reference,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_kirklees_cse_audit_the_neglect_exercise_and_one_planned(settings, client_as):
    settings.DEBUG = True
    call_command("load_demo")
    cse = CaseAudit.objects.get(title=CSE_TITLE)
    parts = CaseAgency.objects.filter(case__audit=cse)
    assert parts.count() == 120
    assert parts.filter(status=CasePartStatus.RETURNED).count() == 63
    assert list(cse.sections.values_list("title", flat=True)) == [
        "Referral and identification of risk",
        "Quality of assessments",
        "Quality and effectiveness of plans",
        "Outcomes",
    ]
    assert cse.recommendations.count() == 3
    for case in cse.cases.all():
        validate_case_reference(case.reference)  # references only, never names
    neglect = CaseAudit.objects.get(title=NEGLECT_TITLE)
    assert neglect.cases.count() == 4
    assert not neglect.cases.filter(joint_grade="").exists()
    assert CaseAudit.objects.get(title=PLANNED_TITLE).status == CaseAuditStatus.PLANNED
    page = client_as("business_unit").get(cse.get_absolute_url()).content.decode()
    assert "120 distributed, 63 returned" in page
    # Loading again changes nothing.
    call_command("load_demo")
    assert CaseAudit.objects.count() == 3
