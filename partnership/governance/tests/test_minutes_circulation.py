"""Draft minutes go to members for comment on the platform; approved minutes are exported as
PDF and Word and, where the group chooses, published (issue 15, section 4)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from partnership.governance import services
from partnership.governance.models import Group, Meeting, MinutesComment, MinutesStatus
from partnership.outbox.models import OutgoingEmail
from partnership.trail.models import AuditEntry

from .factories import SETUP

pytestmark = pytest.mark.django_db

NOTE = "The group reviewed the rapid review of Child T and agreed the learning brief."
COMMENT = "Item 4: it was the health visitor, not the school nurse, who made the referral."


@pytest.fixture
def held(personas):
    """The Review and Learning Group's meeting a week ago, its draft minutes written."""
    group = Group.objects.get(slug="review-and-learning-group")
    starts_at = timezone.now() - dt.timedelta(days=7)
    meeting = services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )
    item = meeting.items.get(position=4)
    services.minutes_save(meeting=meeting, notes={item.pk: NOTE}, decisions={}, actor=SETUP)
    return meeting


def test_members_comment_on_circulated_minutes_and_the_minute_taker_sees_it(client_as, held):
    business_unit = client_as("business_unit")
    minutes_url = f"/groups/meetings/{held.pk}/minutes/"
    # Before circulation a member has nothing to comment on.
    member = client_as("group_member")
    assert member.get(minutes_url + "comment/").status_code == 404
    response = business_unit.post(minutes_url + "circulate/")
    assert response.status_code == 302
    emails = OutgoingEmail.objects.filter(kind="governance.minutes_for_comment")
    recipients = {person.email for person in services.pack_recipients(held)}
    assert {email.to for email in emails} == recipients
    assert minutes_url in emails.first().text
    # A member comments; an empty comment is refused and nothing saved.
    assert (
        "Enter your comment on the draft minutes"
        in member.post(minutes_url + "comment/", {"text": ""}).content.decode()
    )
    assert not MinutesComment.objects.exists()
    assert member.post(minutes_url + "comment/", {"text": COMMENT}).status_code == 302
    own = member.get(minutes_url).content.decode()
    assert "Your comments" in own and "health visitor" in own
    # The minute-taker sees it, with who wrote it.
    page = business_unit.get(minutes_url).content.decode()
    assert "Members&#39; comments" in page
    assert "health visitor" in page
    comment = MinutesComment.objects.get()
    assert comment.author_label in page
    assert AuditEntry.objects.filter(summary__startswith="Commented on the draft minutes").exists()


def test_a_non_member_cannot_comment(client_as, held):
    services.minutes_circulate(meeting=held, actor=SETUP)
    url = f"/groups/meetings/{held.pk}/minutes/comment/"
    assert client_as("independent_chair").get(url).status_code == 403


def approve(meeting):
    next_meeting = Meeting.objects.create(
        group=meeting.group,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        location="Huyton",
    )
    services.minutes_approve(meeting=meeting, at_meeting=next_meeting, actor=SETUP)


def test_approved_minutes_download_as_pdf_and_word(client_as, held):
    client = client_as("group_member")
    url = f"/groups/meetings/{held.pk}/minutes"
    assert client.get(url + ".pdf").status_code == 404  # a draft is not exported
    approve(held)
    pdf = client.get(url + ".pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert NOTE in text.replace("\n", " ")
    assert "Approved as a true record on" in text
    docx = client.get(url + ".docx")
    words = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert NOTE in words
    assert "Review and Learning Group: minutes of the meeting" in words


def test_minutes_are_public_only_once_approved_and_only_if_the_group_publishes(client, held):
    listing = "/groups/published-minutes/"
    file = f"/groups/published-minutes/{held.pk}.pdf"
    Group.objects.filter(pk=held.group_id).update(publish_minutes=True)
    assert client.get(file).status_code == 404  # draft: not public
    approve(held)
    Group.objects.filter(pk=held.group_id).update(publish_minutes=False)
    assert client.get(file).status_code == 404  # the group does not publish
    Group.objects.filter(pk=held.group_id).update(publish_minutes=True)
    assert "Review and Learning Group" in client.get(listing).content.decode()
    assert client.get(file).status_code == 200
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.APPROVED


def test_circulating_with_no_draft_is_refused(client_as, personas):
    group = Group.objects.get(slug="review-and-learning-group")
    starts_at = timezone.now() + dt.timedelta(days=7)
    meeting = services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="Huyton",
        actor=SETUP,
    )
    page = (
        client_as("business_unit")
        .post(f"/groups/meetings/{meeting.pk}/minutes/circulate/", follow=True)
        .content.decode()
    )
    assert "Only draft minutes are circulated for comment" in page
    assert not OutgoingEmail.objects.exists()
