"""The demo's self-assessments, as `make demo` loads them, dated from today."""

import pytest
from django.utils import timezone

from partnership.audits.selfassessment import demo
from partnership.audits.selfassessment.models import (
    AssessmentKind,
    Cycle,
    ReturnStatus,
)
from partnership.demo import knowsley

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(personas):
    demo.build(knowsley.build_directory(), personas)
    demo.build(knowsley.build_directory(), personas)  # idempotent
    return Cycle.objects.filter(kind=AssessmentKind.SECTION_11).order_by("-starts_on").first()


def test_knowsleys_section_11_cycle_has_a_late_return_and_one_moderated_down(loaded, client_as):
    assert loaded.returns.count() == 19
    late = [r.organisation.name for r in loaded.returns.all() if r.is_late(timezone.localdate())]
    assert late == ["Faith Groups"]
    fire = loaded.returns.get(organisation__name="Merseyside Fire and Rescue Service")
    answer = fire.answers.get(standard__code="8")
    assert (answer.moderated_down, answer.moderated_score, answer.plan_item is not None) == (
        True,
        1,
        True,
    )
    housing = loaded.returns.get(organisation__name="Knowsley Housing Trust")
    assert housing.status == ReturnStatus.DRAFT and housing.carried_from is not None
    page = client_as("business_unit").get(f"/audits/self-assessments/cycles/{loaded.pk}/dashboard/")
    text = page.content.decode()
    assert "17 of 19 (89%)" in text  # every return but the housing trust's and Faith Groups'


def test_the_section_175_cycle_is_part_complete_with_findings_by_phase(loaded, client_as):
    schools = Cycle.objects.get(kind=AssessmentKind.SECTION_175)
    total = schools.returns.count()
    done = schools.returns.filter(status=ReturnStatus.SUBMITTED).count()
    assert total == 60 and done == 36  # three in five
    page = client_as("business_unit").get(
        f"/audits/self-assessments/cycles/{schools.pk}/dashboard/"
    )
    text = page.content.decode()
    assert "Settings meeting each standard, by phase" in text
    for phase in ("Early years", "Primary", "Secondary", "Special", "Alternative provision"):
        assert f"{phase}</th>" in text
    assert "Themes for training needs" in text
