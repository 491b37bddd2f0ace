"""Section 175: the designated safeguarding leads invited in bulk, each school seeing only
its own return; a file with any bad row saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.accounts.models import Invitation, User
from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.models import (
    AssessmentKind,
    Scale,
    SelfAssessment,
    SettingPhase,
    StandardSet,
)
from partnership.directory.models import Organisation, OrganisationKind
from partnership.outbox.models import OutgoingEmail
from partnership.trail.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools_cycle(personas, library, today):
    return services.cycle_open(
        kind=AssessmentKind.SECTION_175,
        name="Section 175 audit 2026",
        standard_set=StandardSet.objects.get(slug="keeping-children-safe-in-education"),
        scale=Scale.RAG,
        starts_on=today,
        organisations=Organisation.objects.filter(kind=OrganisationKind.SCHOOL),
        actor=Actor.for_user(personas["business_unit"]),
    )


def _csv(text: str):
    return SimpleUploadedFile("leads.csv", text.encode(), content_type="text/csv")


def test_a_file_with_a_bad_row_is_refused_whole_with_each_problem(client_as, schools_cycle):
    client = client_as("business_unit")
    url = f"/audits/self-assessments/cycles/{schools_cycle.pk}/invite/"
    text = (
        "Setting,Phase,Lead's name,Lead's email\n"
        "Halewood Park Primary School,Primary,Sam Lee,sam.lee@halewood.example.org\n"
        "Kirkby Brook Academy,Sixth form,Jo Khan,not-an-email\n"
    )
    response = client.post(url, {"file": _csv(text)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Row 3: the phase must be one of Early years, Primary" in page
    assert "Row 3: enter the lead&#39;s email address" in page
    assert not Organisation.objects.filter(name="Halewood Park Primary School").exists()


def test_each_lead_is_invited_and_sees_only_their_schools_return(
    client_as, schools_cycle, personas
):
    client = client_as("business_unit")
    url = f"/audits/self-assessments/cycles/{schools_cycle.pk}/invite/"
    text = (
        "Setting,Phase,Lead's name,Lead's email\n"
        "Halewood Park Primary School,Primary,Sam Lee,sam.lee@halewood.example.org\n"
        "Kirkby Brook Academy,Secondary,Jo Khan,jo.khan@kirkby.example.org\n"
    )
    response = client.post(url, {"file": _csv(text)})
    assert response.status_code == 302
    sam = User.objects.get(email="sam.lee@halewood.example.org")
    assert sam.organisation.name == "Halewood Park Primary School"
    assert sam.organisation.kind == OrganisationKind.SCHOOL
    assert SettingPhase.objects.get(organisation=sam.organisation).phase == "primary"
    assert Invitation.objects.filter(user=sam).count() == 1
    assert (
        OutgoingEmail.objects.filter(
            to="sam.lee@halewood.example.org", kind="audits.self_assessment_invitation"
        ).count()
        == 1
    )
    visible = SelfAssessment.objects.visible_to(sam)
    assert [r.organisation.name for r in visible] == ["Halewood Park Primary School"]
