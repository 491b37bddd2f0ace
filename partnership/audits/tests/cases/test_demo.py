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


def test_scale_data_makes_case_audits_and_the_lists_still_load(personas, client_as):
    from io import StringIO

    call_command("generate_scale_data", "--scale", "0.05", "--force", stdout=StringIO())
    audits = CaseAudit.objects.filter(title__startswith="Scale case audit")
    assert audits.count() == 2
    assert CaseAgency.objects.filter(case__audit__in=audits).count() == 2 * 15 * 4
    client = client_as("business_unit")
    for url in (
        "/audits/cases/",
        "/audits/cases/across-audits/",
        audits.first().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
