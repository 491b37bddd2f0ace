"""Subject access: everything held about one person, in one ZIP, by the business unit, on the
trail."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from partnership.directory.models import Person
from partnership.governance.models import InterestDeclaration, InterestKind
from partnership.governance.tests.factories import ActionFactory, AttendanceFactory
from partnership.records import services
from partnership.records.models import SubjectAccessRequest
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry
from partnership.trail.services import audit_record

from .factories import booking_on, evaluate, session_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(personas):
    """Gareth Morris, a police member of the Core Business Group, with records in every
    module: an interest, attendance, an action, a booking, an evaluation, a trail."""
    user = personas["group_member"]
    person = Person.objects.get(user=user)
    InterestDeclaration.objects.create(
        person=person,
        kind=InterestKind.values[0],
        interest="Trustee of <script>alert(1)</script> Youth Club",
        declared_on=dt.date(2025, 4, 1),
    )
    AttendanceFactory(person=person, organisation=person.organisation, status="present")
    ActionFactory(owner=person, description="Review the missing-from-home protocol")
    booking = booking_on(session_on(2025, 5, 20), name=user.full_name, email=user.email.upper())
    evaluate(booking, words="Hearing the case studies")
    audit_record(actor=Actor.for_user(user), action=Action.VIEW, object_label="The action log")
    return user


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def test_the_export_holds_everything_about_the_member(member, bu):
    export = services.subject_access_export(email=member.email, reference="SAR/2026/7", actor=bu)
    files = unzip(export.content)
    assert set(files) == {"data.json", "summary.html"}
    data = json.loads(files["data.json"])
    sections = {section["title"]: section["rows"] for section in data["sections"]}
    assert sections["Account"][0]["Email"] == member.email
    assert [row["Group"] for row in sections["Group memberships"]] != []
    assert sections["Register of interests"][0]["Interest"].startswith("Trustee of")
    assert sections["Meeting attendance"][0]["Attendance"] == "Present"
    assert sections["Actions they own (action log)"][0]["Action"] == (
        "Review the missing-from-home protocol"
    )
    # The booking was made in the address in capitals: found all the same.
    assert sections["Training bookings"][0]["Name given"] == "Gareth Morris"
    assert sections["Course evaluations"][0]["Most useful"] == "Hearing the case studies"
    assert sections["Certificates (drawn from attended bookings)"] != []
    assert any(
        row["Record"] == "The action log"
        for row in sections["What they did (from the audit trail)"]
    )
    assert data["reference"] == "SAR/2026/7"


def test_the_summary_page_escapes_what_people_typed(member, bu):
    summary = unzip(services.subject_access_export(email=member.email, actor=bu).content)[
        "summary.html"
    ]
    assert "<script>alert(1)</script>" not in summary
    assert "Trustee of &lt;script&gt;alert(1)&lt;/script&gt; Youth Club" in summary
    assert "<h1>What is held about you</h1>" in summary


def test_the_export_is_recorded_and_on_the_trail_without_the_content(member, bu):
    export = services.subject_access_export(email=member.email, actor=bu)
    request = SubjectAccessRequest.objects.get()
    assert request.email == member.email
    assert request.made_by_label.startswith("Bea Marsh")
    assert len(request.sha256) == 64
    entry = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert entry.object_type == "records.subjectaccessrequest"
    assert entry.changes["sha256"] == request.sha256
    assert "Trustee" not in json.dumps(entry.changes) + entry.summary
    assert export.filename == f"subject-access-{request.pk}.zip"


def test_an_address_nobody_has_is_refused_clearly(bu):
    with pytest.raises(ValidationError) as error:
        services.subject_access_export(email="nobody@example.org", actor=bu)
    assert "Nothing is held about anyone with this email address" in str(error.value)
    assert not SubjectAccessRequest.objects.exists()


def test_the_business_unit_downloads_the_export_in_one_step(member, client_as):
    response = client_as("business_unit").post(
        "/records/subject-access/", {"email": member.email, "reference": ""}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    assert "Register of interests" in unzip(response.content)["summary.html"]


def test_an_unknown_address_shows_the_error_on_the_form(client_as):
    response = client_as("business_unit").post(
        "/records/subject-access/", {"email": "nobody@example.org"}
    )
    assert response.status_code == 200
    assert "Nothing is held about anyone with this email address" in response.content.decode()
