"""The cycle's summary goes to the board as a paper on its standing item on section 11 and
section 175, in one step (seed 002: the Strategic Forum's and the Core Business Group's
"Section 11, section 175 reviews")."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from partnership.governance.models import Group, Paper
from partnership.governance.services import meeting_schedule
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_summary_is_refused_with_no_meeting_then_lands_on_the_section_11_item(
    client_as, cycle, personas
):
    client = client_as("business_unit")
    url = f"/audits/self-assessments/cycles/{cycle.pk}/summary/send/"
    page = client.post(url, follow=True).content.decode()
    assert "No meeting coming up has a standing item on section 11 and section 175" in page
    assert not Paper.objects.exists()

    group = Group.objects.get(slug="core-business-group")
    starts = timezone.make_aware(dt.datetime(2026, 6, 10, 10))
    meeting = meeting_schedule(
        group=group,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
        actor=Actor.for_user(personas["business_unit"]),
    )
    assert client.post(url).status_code == 302
    [paper] = Paper.objects.all()
    assert (paper.meeting, paper.item.title) == (meeting, "Section 11, section 175 reviews")
    assert paper.restricted  # a members' paper: it names each agency's scores
    with paper.file.open("rb") as stored:
        text = _text(stored.read())
    # 3 safeguarding partners and 16 relevant agencies, none submitted on the cycle's first day.
    assert "Returns in: 0 of 19 (0%)" in text
    assert "Section 11 audit 2026" in text
    assert AuditEntry.objects.filter(
        object_id=str(cycle.pk), summary__startswith="Sent the cycle's summary to"
    ).exists()


def test_the_summary_pdf_is_for_the_business_unit_only(client_as, cycle):
    url = f"/audits/self-assessments/cycles/{cycle.pk}/summary.pdf"
    response = client_as("business_unit").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Returns in: 0 of 19 (0%)" in _text(response.content)
    assert client_as("data_submitter").get(url).status_code == 403
