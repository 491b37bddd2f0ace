"""The agenda pack of a themed Strategic Forum carries the previous meeting's minutes and the
thematic lead's report as it was frozen on the agenda, with the lead's own account (issue 15,
sections 4 and 5)."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.governance import documents
from partnership.governance import services as governance
from partnership.governance.mail import pack_mark_sent
from partnership.governance.models import AttendanceStatus, ItemKind, Meeting, Paper
from partnership.plans.models import ThematicNarrative
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

from .test_thematic_report import _pdf_text, forum_meeting  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

FIRST_ACCOUNT = "The MACE panel now meets monthly and every referral has been discussed."
SECOND_ACCOUNT = "Written after the pack went out: the meeting never saw these words."
MINUTED = "The forum agreed to fund two more detached youth workers."


@pytest.fixture
def previous_meeting(forum_meeting, personas):  # noqa: F811
    """The Strategic Forum's meeting a month ago: held, its draft minutes written."""
    meeting, _plan_priority, _action = forum_meeting
    starts = timezone.now() - dt.timedelta(days=30)
    previous = Meeting.objects.create(
        group=meeting.group,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Kirkby",
        priority=meeting.priority,
    )
    item = previous.items.create(position=1, kind=ItemKind.OTHER, title="Youth offer")
    actor = Actor.for_user(personas["business_unit"])
    seats = governance.meeting_register(previous)
    governance.attendance_record(
        meeting=previous,
        entries=[(seat, AttendanceStatus.PRESENT, "") for seat in seats],
        actor=actor,
    )
    governance.minutes_save(
        meeting=previous, notes={item.pk: MINUTED}, decisions={item.pk: []}, actor=actor
    )
    return previous


def test_themed_forum_pack_has_the_previous_minutes_and_the_frozen_thematic_report(
    forum_meeting,  # noqa: F811
    previous_meeting,
    client_as,
    personas,
):
    meeting, _plan_priority, _action = forum_meeting
    report_url = f"/plans/meetings/{meeting.pk}/thematic-report/"
    # Priya Lewis, the priority's named thematic lead, writes her own account.
    priya = client_as("partner_lead")
    response = priya.post(report_url + "account/", {"text": FIRST_ACCOUNT})
    assert response.status_code == 302
    assert FIRST_ACCOUNT in priya.get(report_url).content.decode()
    # The business unit attaches the report to the agenda, then the pack goes to members.
    business_unit = client_as("business_unit")
    assert business_unit.post(report_url + "attach/").status_code == 302
    pack_mark_sent(meeting=meeting, recipients=["a@example.org"], actor=Actor.system("tests"))
    # The lead rewrites her account afterwards: the page shows it, the agenda's copy does not.
    priya.post(report_url + "account/", {"text": SECOND_ACCOUNT})
    assert ThematicNarrative.objects.get(meeting=meeting).text == SECOND_ACCOUNT
    page = business_unit.get(report_url).content.decode()
    assert SECOND_ACCOUNT in page
    assert "It is frozen" in page
    assert "Attach to the agenda" not in page
    # Attaching again is refused, with the reason.
    refused = business_unit.post(report_url + "attach/", follow=True).content.decode()
    assert "The report on the agenda is frozen" in refused
    assert Paper.objects.filter(meeting=meeting).count() == 1

    pack = business_unit.get(f"/groups/meetings/{meeting.pk}/agenda-pack.pdf")
    assert pack.status_code == 200
    text = _pdf_text(pack.content)
    assert "Minutes of the previous meeting" in text
    assert MINUTED in text
    assert "Kirkby" in text  # where the previous meeting was
    assert "Thematic lead's report: Child exploitation" in text
    assert FIRST_ACCOUNT in text
    assert SECOND_ACCOUNT not in text


def test_the_narrative_is_written_by_the_thematic_lead_and_not_by_another_member(
    forum_meeting,  # noqa: F811
    client_as,
):
    meeting, _plan_priority, _action = forum_meeting
    url = f"/plans/meetings/{meeting.pk}/thematic-report/account/"
    assert client_as("practitioner").get(url).status_code == 403
    assert client_as("partner_lead").get(url).status_code == 200
    empty = client_as("partner_lead").post(url, {"text": ""}).content.decode()
    assert "Enter your account as thematic lead" in empty
    assert not ThematicNarrative.objects.filter(meeting=meeting).exists()
    client_as("partner_lead").post(url, {"text": FIRST_ACCOUNT})
    entry = AuditEntry.objects.filter(summary__startswith="Wrote the thematic lead's account")
    assert entry.count() == 1


def test_without_restricted_papers_the_pack_says_draft_minutes_are_for_members(
    forum_meeting,  # noqa: F811
    previous_meeting,
):
    meeting, _plan_priority, _action = forum_meeting
    pack = documents.build_agenda_pack(meeting, include_restricted=False)
    text = _pdf_text(pack.pdf)
    assert MINUTED not in text
    assert "are for the group's members only" in text
