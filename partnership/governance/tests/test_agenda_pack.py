"""The agenda pack says what the web pages say: the action log's statuses, the previous
meeting's minutes and the attendance record (issue 15, section 4)."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from partnership.governance import documents, services
from partnership.governance.models import AttendanceStatus, Group

from .factories import SETUP

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 5, 15, 9, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _mid_may_2030():
    with time_machine.travel(NOW, tick=False):
        yield


def meet(group, day):
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def meetings(personas):
    """The Review and Learning Group met on 1 May 2030 (everyone present but one, who sent
    apologies) and meets next on 20 June. Two actions from 1 May: one due 10 May (past today,
    15 May: overdue), one due 1 June (after today, before the next meeting: open)."""
    group = Group.objects.get(slug="review-and-learning-group")
    held = meet(group, dt.date(2030, 5, 1))
    seats = services.meeting_register(held)
    entries = [(seat, AttendanceStatus.PRESENT, "") for seat in seats]
    entries[0] = (seats[0], AttendanceStatus.APOLOGIES, "")
    services.attendance_record(meeting=held, entries=entries, actor=SETUP)
    item = held.items.get(position=4)
    services.minutes_save(
        meeting=held, notes={item.pk: "The group noted the audit."}, decisions={}, actor=SETUP
    )
    late = services.action_create(
        meeting=held,
        item=item,
        description="Send the audit to the GPs",
        owner=seats[1].person,
        due_on=dt.date(2030, 5, 10),
        actor=SETUP,
    )
    open_one = services.action_create(
        meeting=held,
        item=item,
        description="Book the learning event",
        owner=seats[1].person,
        due_on=dt.date(2030, 6, 1),
        actor=SETUP,
    )
    upcoming = meet(group, dt.date(2030, 6, 20))
    return held, upcoming, late, open_one, seats


def _status_cell(page: str, reference: str) -> str:
    row = page.split(f">{reference}</a>")[1].split("</tr>")[0]
    return row.rsplit("govuk-tag", 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


def test_the_pack_and_the_meeting_page_give_each_action_the_same_status(client_as, meetings):
    _held, upcoming, late, open_one, _seats = meetings
    page = client_as("business_unit").get(upcoming.get_absolute_url()).content.decode()
    assert _status_cell(page, late.reference) == "Overdue"
    assert _status_cell(page, open_one.reference) == "Open"
    text = text_of(documents.build_agenda_pack(upcoming, include_restricted=True).pdf)
    # Due 1 June is before the meeting (20 June) but after today: open on the page, and in
    # the pack (which used to call it overdue, judging it on the meeting's day).
    log = text.split("Matters arising: the action log")[1]
    assert log.split("Book the learning event")[1].split("2030", 1)[1].strip().startswith("Open")
    assert "(overdue)" not in log  # the old pack's "Open (overdue)", judged on 20 June
    assert (
        log.split("Send the audit to the GPs")[1].split("2030", 1)[1].strip().startswith("Overdue")
    )
    assert "Status on 15 May 2030, as the action log on the platform shows it." in text


def test_the_pack_has_the_previous_minutes_and_the_attendance_record(meetings):
    held, upcoming, _late, _open, seats = meetings
    text = text_of(documents.build_agenda_pack(upcoming, include_restricted=True).pdf)
    assert "Minutes of the previous meeting" in text
    assert "The group noted the audit." in text
    assert "Attendance record" in text
    # The member who sent apologies attended 0 of 1 meetings; the others 1 of 1.
    assert f"{seats[0].person.full_name}" in text
    assert "0 of 1" in text and "1 of 1" in text
    assert "0% (below 75%)" in text
