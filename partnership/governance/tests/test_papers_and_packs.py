"""Papers (private, audited, restricted) and the agenda pack: one PDF, emailed with an ICS."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from partnership.governance import documents, services
from partnership.governance.models import Group, Paper
from partnership.governance.samples import simple_docx, simple_pdf, simple_xlsx
from partnership.governance.tests.factories import SETUP
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.models import AuditEntry

from .test_meetings import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    """A Review and Learning Group meeting next week."""
    group = Group.objects.get(slug="review-and-learning-group")
    starts_at = (timezone.now() + dt.timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=Actor.for_user(personas["business_unit"]),
    )


def upload(meeting, title, name, data, restricted=False, position=4):
    item = meeting.items.get(position=position)
    return services.paper_upload(
        item=item,
        title=title,
        upload=ContentFile(data, name=name),
        restricted=restricted,
        actor=SETUP,
    )


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# Uploading --------------------------------------------------------------------------------


def post_paper(client, meeting, name, data, title="Performance report", **extra):
    item = meeting.items.get(position=4)
    return client.post(
        f"/groups/meetings/{meeting.pk}/items/{item.pk}/papers/new/",
        {"title": title, "file": SimpleUploadedFile(name, data), **extra},
    )


def test_a_paper_is_uploaded_to_private_storage(client_as, meeting):
    data = simple_pdf([["Performance report"]])
    response = post_paper(client_as("business_unit"), meeting, "Report Q1.pdf", data)
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.file_name, paper.file_type, paper.size_bytes) == (
        "Report Q1.pdf",
        "pdf",
        len(data),
    )
    # Stored under a random name, never the uploader's, and not under any public URL.
    assert paper.file.name.startswith("governance/papers/") and "Report" not in paper.file.name
    assert default_storage.open(paper.file.name).read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("minutes.txt", b"plain text", "The paper must be a PDF or DOCX or XLSX"),
        ("report.pdf", b"MZ\x90\x00 not a pdf at all", "The paper must be a PDF or DOCX or XLSX"),
        ("report.docx", b"%PDF-1.4 pretending", "The paper must be a PDF or DOCX or XLSX"),
        ("empty.pdf", b"", "The paper is empty"),
        (
            "broken.pdf",
            b"%PDF-1.4\nthis is not really a PDF",
            "The paper must be a PDF that opens: it may be damaged or password-protected",
        ),
    ],
    ids=["wrong extension", "pdf name, other content", "docx name, pdf content", "empty", "broken"],
)
def test_a_paper_of_the_wrong_type_is_refused_and_nothing_stored(
    client_as, meeting, name, data, message
):
    response = post_paper(client_as("business_unit"), meeting, name, data)
    assert error_summary(response) == {"#id_file": message}
    assert not Paper.objects.exists()
    assert not default_storage.exists("governance/papers")


def test_a_paper_too_large_is_refused(client_as, meeting, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = simple_pdf([["x" * 80] * 40]) + b"%" + b"0" * (1024 * 1024)
    response = post_paper(client_as("business_unit"), meeting, "big.pdf", data)
    assert error_summary(response) == {"#id_file": "The paper must be smaller than 1MB"}
    assert not Paper.objects.exists()


def test_a_paper_with_no_title_keeps_nothing(client_as, meeting):
    response = post_paper(client_as("business_unit"), meeting, "a.pdf", simple_pdf([["A"]]), "")
    assert error_summary(response) == {"#id_title": "Enter the title of the paper"}
    assert not Paper.objects.exists()


# Downloading and restricted papers --------------------------------------------------------


def test_every_download_is_on_the_audit_trail(client_as, meeting, personas):
    data = simple_pdf([["Performance report"]])
    paper = upload(meeting, "Performance report", "report.pdf", data)
    response = client_as("data_submitter").get(paper.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        personas["data_submitter"],
        "governance.paper",
        str(paper.pk),
    )


def test_restricted_papers_are_for_members_only(client_as, meeting):
    restricted = upload(meeting, "Rapid review: Child K", "k.pdf", simple_pdf([["K"]]), True)
    upload(meeting, "Training report", "t.pdf", simple_pdf([["T"]]))
    page_for = {}
    for persona in [
        "business_unit",
        "group_member",
        "partner_lead",
        "independent_chair",
        "data_submitter",
    ]:
        client = client_as(persona)
        page_for[persona] = client.get(meeting.get_absolute_url()).content.decode()
        download = client.get(restricted.get_absolute_url()).status_code
        member = persona in ("business_unit", "group_member", "partner_lead")
        assert ("Rapid review: Child K" in page_for[persona]) is member, persona
        assert "Training report" in page_for[persona]
        assert download == (200 if member else 403), persona
    assert not AuditEntry.objects.filter(
        action=AuditAction.DOWNLOAD, object_type="governance.paper", actor__isnull=True
    ).exists()


# The agenda pack --------------------------------------------------------------------------


def test_the_pack_is_the_agenda_then_every_pdf_paper_page_for_page(meeting):
    upload(meeting, "Performance report", "p.pdf", simple_pdf([["PERF page 1"], ["PERF page 2"]]))
    upload(meeting, "Work plan", "w.docx", simple_docx("Work plan", ["Plan"]), position=5)
    upload(meeting, "Training data", "t.xlsx", simple_xlsx("T", [["a", 1]]), position=5)
    upload(
        meeting,
        "Audit findings",
        "a.pdf",
        simple_pdf([["AUDIT page 1"], ["AUDIT page 2"], ["AUDIT page 3"]]),
        position=6,
    )
    pack = documents.build_agenda_pack(meeting, include_restricted=True)
    pages = pdf_text(pack.pdf)
    assert pack.front_pages >= 2  # a cover, then the agenda
    assert len(pages) == pack.front_pages + 2 + 3 == pack.total_pages
    front = " ".join(" ".join(pages[: pack.front_pages]).split())
    assert "Safeguarding Review and Learning Group: agenda pack" in front
    assert "Matters arising" in front
    # The contents give each PDF paper's first page; Word and Excel papers are sent separately.
    assert f"Performance report 4 {pack.front_pages + 1}" in front
    assert "Work plan (sent separately)" in front
    assert "Training data (sent separately)" in front
    assert pages[pack.front_pages].strip() == "PERF page 1"
    assert pages[pack.front_pages + 1].strip() == "PERF page 2"
    assert pages[pack.front_pages + 2].strip() == "AUDIT page 1"
    assert [p.paper.title for p in pack.papers if not p.in_pack] == ["Work plan", "Training data"]


def test_a_non_members_pack_leaves_out_restricted_papers(client_as, meeting):
    upload(meeting, "Open paper", "o.pdf", simple_pdf([["OPEN"]]))
    upload(meeting, "Child K", "k.pdf", simple_pdf([["SECRET K"], ["SECRET K 2"]]), True)
    member_pack = client_as("group_member").get(f"/groups/meetings/{meeting.pk}/agenda-pack.pdf")
    other_pack = client_as("data_submitter").get(f"/groups/meetings/{meeting.pk}/agenda-pack.pdf")
    assert member_pack["Content-Type"] == other_pack["Content-Type"] == "application/pdf"
    member_text = "\n".join(pdf_text(member_pack.content))
    other_text = "\n".join(pdf_text(other_pack.content))
    assert "SECRET K" in member_text and "Child K" in member_text
    assert "SECRET K" not in other_text and "Child K" not in other_text
    assert "OPEN" in other_text
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.DOWNLOAD, object_type="governance.meeting"
        ).count()
        == 2
    )


def test_sending_the_pack_emails_each_member_the_pdf_papers_and_an_invitation(
    client_as, meeting, personas, django_capture_on_commit_callbacks
):
    upload(meeting, "Performance report", "p.pdf", simple_pdf([["PERF"]]))
    upload(meeting, "Work plan", "w.docx", simple_docx("Work plan", ["Plan"]), position=5)
    seats = services.meeting_register(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("business_unit").post(f"/groups/meetings/{meeting.pk}/send-pack/")
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        seat.person.email for seat in seats
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Agenda pack: Safeguarding Review and Learning Group")
    names = [attachment[0] for attachment in message.attachments]
    assert names[0].startswith("agenda-pack-") and names[0].endswith(".pdf")
    assert names[1:] == ["w.docx", "invitation.ics"]
    pack, docx, invitation = message.attachments
    assert "PERF" in "\n".join(pdf_text(pack[1]))
    assert Document(io.BytesIO(docx[1])).paragraphs[0].text == "Work plan"
    calendar = Calendar.from_ical(invitation[1])
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event["location"]) == "Huyton"
    attendees = {str(address).removeprefix("mailto:") for address in event.get("attendee")}
    assert attendees == {seat.person.email for seat in seats}
    meeting.refresh_from_db()
    assert meeting.pack_sent_at is not None
    # Queued and sent: both entries name the business unit's person who sent it (the email
    # goes from the background worker, which is given who asked).
    entries = AuditEntry.objects.filter(
        object_type="governance.meeting", summary__contains="the agenda pack"
    ).order_by("id")
    assert [(entry.summary.split(" the")[0], entry.actor) for entry in entries] == [
        ("Queued", personas["business_unit"]),
        ("Sent", personas["business_unit"]),
    ]


def test_a_meeting_can_be_added_to_a_calendar(client_as, meeting):
    response = client_as("data_submitter").get(f"/groups/meetings/{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]).startswith("Safeguarding Review and Learning Group")
    assert str(event["url"]).endswith(meeting.get_absolute_url())


def test_the_business_unit_removes_a_paper_and_its_file(
    client_as, meeting, django_capture_on_commit_callbacks
):
    paper = upload(meeting, "Wrong paper", "wrong.pdf", simple_pdf([["Oops"]]))
    name = paper.file.name
    assert client_as("group_member").post(f"/groups/papers/{paper.pk}/remove/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("business_unit").post(f"/groups/papers/{paper.pk}/remove/")
    assert response.status_code == 302
    assert not Paper.objects.exists()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="governance.paper")
    assert entry.summary == f"Removed the paper wrong.pdf from {meeting.title}"


def test_the_meeting_page_shows_who_the_pack_went_to_and_retries_a_failed_delivery(
    client_as, meeting, settings
):
    from partnership.outbox.tests.backends import FailsOnceBackend

    settings.OUTBOX_MAX_ATTEMPTS = 1  # one try, so the failure shows at once
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.FailsOnceBackend"
    FailsOnceBackend.failures_left = 1  # the mail server refuses the first member's email
    client = client_as("business_unit")
    members = len(services.pack_recipients(meeting))
    client.post(f"/groups/meetings/{meeting.pk}/send-pack/")
    assert len(mail.outbox) == members - 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"Sent to {members} members on " in page
    assert f": {members - 1} delivered, 0 waiting, 1 failed" in page
    assert "1 member has not received the agenda pack" in page
    assert page.count("Retry now") == 1
    assert '(<a class="govuk-link" href="#pack-delivery">who it went to</a>)' in page
    [failed] = [
        email for email in services.pack_delivery(meeting).emails if email.status == "failed"
    ]
    response = client.post(
        f"/email/{failed.pk}/retry/", {"next": meeting.get_absolute_url() + "#pack-delivery"}
    )
    assert response["Location"] == meeting.get_absolute_url() + "#pack-delivery"
    assert len(mail.outbox) == members
    assert mail.outbox[-1].to == [failed.to]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f": {members} delivered, 0 waiting, 0 failed" in page
    assert "Retry now" not in page


def test_members_do_not_see_who_the_pack_went_to(client_as, meeting):
    client_as("business_unit").post(f"/groups/meetings/{meeting.pk}/send-pack/")
    page = client_as("group_member").get(meeting.get_absolute_url()).content.decode()
    assert "Who the last agenda pack went to" not in page
    assert "Sent to members on " in page
