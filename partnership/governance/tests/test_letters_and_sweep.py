"""The 75% rule on the pages, the letter to the chief officer, the yearly report, the sweep."""

import datetime as dt
import html
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from partnership.directory.models import Person
from partnership.governance import services
from partnership.governance.models import AttendanceLetter, AttendanceStatus, Group, LetterStatus
from partnership.governance.tasks import daily_sweep
from partnership.governance.tests.factories import SETUP
from partnership.outbox.models import OutgoingEmail
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

# The demo's members took their seats on 1 September 2019.
DAYS = [
    dt.date(2019, 9, 9),
    dt.date(2019, 11, 4),
    dt.date(2020, 1, 6),
    dt.date(2020, 3, 2),
    dt.date(2020, 5, 4),
    dt.date(2020, 6, 29),
]
LISA = ["present", "present", "apologies", "absent", "apologies", "present"]


@pytest.fixture(autouse=True)
def _first_of_july_2020():
    with time_machine.travel(dt.datetime(2020, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def rlg(personas):
    """A year of the Review and Learning Group: Lisa Moran attends 3 of 6, missing 3 in a row."""
    group = Group.objects.get(slug="review-and-learning-group")
    for index, day in enumerate(DAYS):
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        meeting = services.meeting_schedule(
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Huyton",
            actor=SETUP,
        )
        entries = []
        for seat in services.meeting_register(meeting):
            status = AttendanceStatus.PRESENT
            if seat.person.full_name == "Lisa Moran":
                status = LISA[index]
            entries.append((seat, status, ""))
        services.attendance_record(meeting=meeting, entries=entries, actor=SETUP)
    return group


def lisa():
    return Person.objects.get(full_name="Lisa Moran")


def test_the_member_below_75_percent_is_flagged_on_the_group_and_member_pages(client_as, rlg):
    client = client_as("data_submitter")
    group_page = client.get("/groups/review-and-learning-group/").content.decode()
    assert "1 member is below the expected 75% attendance" in group_page
    row = group_page.split("Lisa Moran</a>")[1].split("</tr>")[0]
    assert "50% (3 of 6)" in row and "Below 75%" in row and "Persistent absence" in row
    gareth = group_page.split("Gareth Morris</a>")[1].split("</tr>")[0]
    assert "100% (6 of 6)" in gareth and "Below 75%" not in gareth
    member_page = client.get(f"/groups/members/{lisa().pk}/").content.decode()
    rlg_row = member_page.split("Safeguarding Review and Learning Group</a>")[1].split("</tr>")[0]
    assert "50% (3 of 6)" in rlg_row and "Below 75%" in rlg_row
    attendance_page = client.get("/groups/review-and-learning-group/attendance/").content.decode()
    assert "Persistent absence" in attendance_page
    # Only the business unit may draft a letter.
    assert "Draft letter" not in attendance_page
    assert (
        "Draft letter"
        in client_as("business_unit")
        .get("/groups/review-and-learning-group/attendance/")
        .content.decode()
    )


def test_a_letter_to_the_chief_officer_names_the_member_organisation_and_chief(client_as, rlg):
    client = client_as("business_unit")
    response = client.post("/groups/review-and-learning-group/letters/new/", {"person": lisa().pk})
    letter = AttendanceLetter.objects.get()
    assert response["Location"] == letter.get_absolute_url()
    assert (letter.chief_officer.full_name, letter.organisation.name) == (
        "Colin Baines",
        "Youth Offending Service",
    )
    assert (letter.meetings_attended, letter.meetings_expected, letter.longest_absence_run) == (
        3,
        6,
        3,
    )
    pdf = client.get(f"/groups/letters/{letter.pk}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    docx = client.get(f"/groups/letters/{letter.pk}/letter.docx")
    words = " ".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    for content in (text, words):
        assert "Dear Colin Baines," in content
        assert "Lisa Moran, who represents Youth Offending Service" in content
        assert "attended 3 of the 6 meetings held between 2 July 2019 and 1 July 2020 (50%)" in (
            content
        )
        assert "missed 3 meetings in a row" in content
        assert "Ian Chambers" in content and "Independent Chair" in content
    assert (
        AuditEntry.objects.filter(
            action="download", object_type="governance.attendanceletter"
        ).count()
        == 2
    )
    # Drafting again gives the same draft, not a second one.
    client.post("/groups/review-and-learning-group/letters/new/", {"person": lisa().pk})
    assert AttendanceLetter.objects.count() == 1


def test_the_chair_edits_and_approves_the_letter_and_it_goes_through_the_outbox(
    client_as, rlg, personas
):
    letter = services.attendance_letter_draft(group=rlg, person=lisa(), actor=SETUP)
    # Not sent before the chair approves it.
    assert client_as("business_unit").get(f"/groups/letters/{letter.pk}/sent/").status_code == 404
    assert client_as("business_unit").get(f"/groups/letters/{letter.pk}/change/").status_code == 403
    chair = client_as("independent_chair")
    form = chair.get(f"/groups/letters/{letter.pk}/change/").content.decode()
    assert "Lisa Moran, who represents Youth Offending Service" in form  # the drafted words
    words = "I am writing about Lisa Moran's attendance.\n\nPlease call me to discuss it."
    assert chair.post(f"/groups/letters/{letter.pk}/change/", {"body": words}).status_code == 302
    assert chair.post(f"/groups/letters/{letter.pk}/approve/").status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    assert letter.approved_by == personas["independent_chair"]
    assert chair.post(f"/groups/letters/{letter.pk}/change/", {"body": "x"}).status_code == 404
    response = client_as("business_unit").post(f"/groups/letters/{letter.pk}/sent/")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.sent_by, letter.sent_at) == (
        LetterStatus.SENT,
        personas["business_unit"],
        timezone.now(),
    )
    entry = AuditEntry.objects.get(
        object_type="governance.attendanceletter", summary__startswith="Sent to"
    )
    assert entry.summary == "Sent to Colin Baines (Youth Offending Service)"
    email = OutgoingEmail.objects.get(kind="governance.attendance_letter")
    assert email.to == letter.chief_officer.email
    name, content, _mimetype = email.attachment_files[0]
    assert name == f"attendance-letter-{letter.pk}.pdf"
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Please call me to discuss it." in " ".join(text.split())
    assert entry.actor == personas["business_unit"]
    assert client_as("business_unit").get(f"/groups/letters/{letter.pk}/sent/").status_code == 404
    listing = client_as("independent_chair").get("/groups/letters/").content.decode()
    assert "Lisa Moran" in listing and "Sent 1 July 2020" in listing


def test_no_letter_without_persistent_failure_or_a_chief_officer(client_as, rlg):
    client = client_as("business_unit")
    gareth = Person.objects.get(full_name="Gareth Morris")
    client.post("/groups/review-and-learning-group/letters/new/", {"person": gareth.pk})
    assert not AttendanceLetter.objects.exists()
    # A persistent absentee whose organisation has no chief officer in the directory.
    mark = Person.objects.get(full_name="Mark Fenwick")
    for index, meeting in enumerate(rlg.meetings.order_by("starts_at")):
        meeting.attendance.filter(person=mark).update(status=LISA[index])
    response = client.post(
        "/groups/review-and-learning-group/letters/new/", {"person": mark.pk}, follow=True
    )
    assert (
        "Knowsley Council Education Services has no chief officer in the directory: add one "
        "first" in response.content.decode()
    )
    assert not AttendanceLetter.objects.exists()


def test_the_yearly_report_shows_each_meeting_of_the_financial_year(client_as, rlg):
    page = client_as("group_member").get(
        "/groups/review-and-learning-group/attendance/report/", {"year": "2019/20"}
    )
    text = page.content.decode()
    assert "Attendance report 2019/20" in text
    assert "4 meetings held between 1 April 2019 and 31 March 2020" in text
    row = text.split("Lisa Moran, Youth Offending Service")[1].split("</tr>")[0]
    marks = [cell.strip() for cell in row.split('govuk-table__cell--numeric">')[1:]]
    assert [mark[:1] for mark in marks] == ["P", "P", "A", "X"]
    assert "50% (2 of 4)" in row
    assert (
        "Attendance report 2020/21"
        in client_as("group_member")
        .get("/groups/review-and-learning-group/attendance/report/")
        .content.decode()
    )


def test_the_daily_sweep_flags_cadence_and_drafts_each_letter_once(rlg):
    counts = daily_sweep.call()
    letter = AttendanceLetter.objects.get()
    assert letter.person == lisa() and letter.created_by is None
    assert counts["letters_drafted"] == 1
    # The Review and Learning Group met on 29 June with nothing after: flagged.
    rlg.refresh_from_db()
    assert rlg.cadence_problem.startswith("No meeting is scheduled after 29 June 2020")
    assert rlg.cadence_checked_on == dt.date(2020, 7, 1)
    # The next morning, and after the letter is sent, no second letter.
    assert daily_sweep.call()["letters_drafted"] == 0
    services.attendance_letter_approve(letter=letter, actor=SETUP)
    services.attendance_letter_mark_sent(letter=letter, actor=SETUP)
    assert daily_sweep.call()["letters_drafted"] == 0
    assert AttendanceLetter.objects.count() == 1


def test_the_daily_sweep_is_named_on_the_trail_for_the_flag_and_the_letter(rlg, personas):
    sweep = (None, "system", "governance daily sweep", "System: governance daily sweep")
    # 1 July 2020: the sweep drafts Lisa Moran's letter (3 of 6 meetings).
    daily_sweep.call()
    letter = AuditEntry.objects.get(object_type="governance.attendanceletter", action="create")
    assert letter.summary.startswith("Drafted a letter to Colin Baines (Youth Offending Service)")
    assert (letter.actor, letter.actor_kind, letter.actor_job, letter.actor_label) == sweep
    # The business unit schedules 24 August: that clears the flag, and the entry names them.
    services.meeting_schedule(
        group=rlg,
        starts_at=timezone.make_aware(dt.datetime(2020, 8, 24, 10)),
        ends_at=timezone.make_aware(dt.datetime(2020, 8, 24, 12)),
        location="Huyton",
        actor=Actor.for_user(personas["business_unit"]),
    )
    cleared = AuditEntry.objects.filter(object_type="governance.group").latest("id")
    assert cleared.summary == "Cadence flag cleared"
    assert (cleared.actor, cleared.actor_kind) == (personas["business_unit"], "user")
    # 1 November, nothing since: 24 August + 2 months = 24 October, passed. The sweep flags it.
    with time_machine.travel(dt.datetime(2020, 11, 1, 9, tzinfo=dt.UTC), tick=False):
        daily_sweep.call()
    flag = AuditEntry.objects.filter(object_type="governance.group").latest("id")
    assert flag.summary == (
        "Cadence flagged: No meeting since 24 August 2020: one was due by 24 October 2020 "
        "(at least every 2 months)."
    )
    assert (flag.actor, flag.actor_kind, flag.actor_job, flag.actor_label) == sweep


def test_the_daily_sweep_command_runs_the_governance_sweep(rlg, capsys):
    call_command("daily_sweep", "--now")
    assert "Ran the governance sweep." in capsys.readouterr().out
    assert AttendanceLetter.objects.count() == 1


# Members who have left, and deputies who attend too often ---------------------------------


def test_no_letter_is_drafted_for_a_member_who_has_left_the_group(client_as, rlg):
    """Lisa Moran missed three in a row, then left the group on 30 June 2020 (after the
    meeting of 29 June): today, 1 July, she is no longer anyone's representative on it."""
    seat = rlg.memberships.get(person=lisa())
    services.membership_end(membership=seat, ended_on=dt.date(2020, 6, 30), actor=SETUP)
    assert daily_sweep.call()["letters_drafted"] == 0
    assert not AttendanceLetter.objects.exists()
    client = client_as("business_unit")
    page = client.get("/groups/review-and-learning-group/attendance/").content.decode()
    row = page.split("Lisa Moran</a>")[1].split("</tr>")[0]
    assert "(no longer a member)" in row and "Persistent absence" in row
    assert "Draft letter" not in row
    response = client.post(
        "/groups/review-and-learning-group/letters/new/", {"person": lisa().pk}, follow=True
    )
    assert (
        "Lisa Moran left the Safeguarding Review and Learning Group on 30 June 2020: no letter "
        "is drafted for a former member" in response.content.decode()
    )
    assert not AttendanceLetter.objects.exists()


# Lisa's register, oldest first: her deputy attends the first three meetings, then she misses
# three in a row. By hand: 0 of 6 in person, deputy 3 times (more than the default 2), longest
# run missed 3; in 2019/20 (9 September, 4 November, 6 January, 2 March) the deputy came 3 times.
DEPUTY_THEN_ABSENT = ["deputy", "deputy", "deputy", "apologies", "absent", "apologies"]


@pytest.fixture
def deputised(rlg):
    for index, meeting in enumerate(rlg.meetings.order_by("starts_at")):
        meeting.attendance.filter(person=lisa()).update(
            status=DEPUTY_THEN_ABSENT[index], deputy_name="Sam Reid"
        )
    return rlg


def test_a_deputy_attending_more_than_twice_is_flagged_on_the_pages(client_as, deputised):
    client = client_as("business_unit")
    attendance = client.get("/groups/review-and-learning-group/attendance/").content.decode()
    row = attendance.split("Lisa Moran</a>")[1].split("</tr>")[0]
    assert "Deputy attended 3 times, more than 2" in row
    assert (
        "A deputy attended more than 2 times in this period in the place of: Lisa Moran."
        in attendance
    )
    group_page = client.get("/groups/review-and-learning-group/").content.decode()
    assert "A deputy attended more than 2 times over the last 12 months in the place of" in (
        group_page
    )
    report = client.get(
        "/groups/review-and-learning-group/attendance/report/", {"year": "2019/20"}
    ).content.decode()
    assert "A deputy attended more than 2 times in 2019/20 in the place of: Lisa Moran." in report
    row = report.split("Lisa Moran, Youth Offending Service")[1].split("</tr>")[0]
    assert "Deputy attended 3 times, more than 2" in row
    # With a limit of 3, three times is within it: shown, not flagged.
    Group.objects.filter(pk=deputised.pk).update(deputy_limit=3)
    attendance = client.get("/groups/review-and-learning-group/attendance/").content.decode()
    row = attendance.split("Lisa Moran</a>")[1].split("</tr>")[0]
    assert "Deputy attended 3 times" in row and "more than" not in row
    assert "in the place of" not in attendance


def test_the_letter_says_the_deputy_attended_more_often_than_the_group_allows(client_as, deputised):
    client = client_as("business_unit")
    client.post("/groups/review-and-learning-group/letters/new/", {"person": lisa().pk})
    letter = AttendanceLetter.objects.get()
    assert (letter.meetings_attended, letter.deputy_attended, letter.deputy_limit) == (0, 3, 2)
    sentence = (
        "A deputy attended in their place 3 times in that period, more than the 2 the group "
        "allows. Deputies may attend in exceptional circumstances, but this should not be a "
        "regular occurrence."
    )
    page = client.get(letter.get_absolute_url()).content.decode()
    assert sentence in html.unescape(page)
    docx = client.get(f"/groups/letters/{letter.pk}/letter.docx")
    assert sentence in " ".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    # The letter keeps the limit of the day it was drafted.
    Group.objects.filter(pk=deputised.pk).update(deputy_limit=5)
    assert sentence in html.unescape(client.get(letter.get_absolute_url()).content.decode())
