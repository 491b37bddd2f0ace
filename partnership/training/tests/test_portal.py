"""The booking portal as people use it: registering, booking, cancelling, evaluating."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation
from partnership.trail.models import AuditEntry
from partnership.training import services
from partnership.training.models import (
    Attendance,
    Booking,
    BookingStatus,
    Evaluation,
    ImpactResponse,
    Learner,
    Respondent,
    Session,
    SessionStatus,
)

from .factories import TEST_ACTOR, BookingFactory, CourseFactory, SessionFactory, at, book

pytestmark = pytest.mark.django_db

PASSWORD = "a long and random passphrase"


def assert_error_summary(response, *messages):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "<title>Error:" in page
    for message in messages:
        assert message in page, message


# Finding training ----------------------------------------------------------------------------


def test_the_portal_lists_sessions_open_for_booking_to_anyone(client):
    open_session = SessionFactory(course__title="Domestic abuse awareness", capacity=12)
    SessionFactory(course__title="Cancelled course", status=SessionStatus.CANCELLED)
    SessionFactory(course__title="Hidden course", course__is_published=False)
    with time_machine.travel(at(2020, 1, 1), tick=False):
        SessionFactory(course__title="Old course")
    page = client.get("/training/").content.decode()
    assert "Domestic abuse awareness" in page
    assert "12 places left" in page
    assert "Cancelled course" not in page and "Hidden course" not in page
    assert "Old course" not in page
    detail = client.get(open_session.get_absolute_url()).content.decode()
    assert "Sign in to book" in detail and "Register to book training" in detail


def test_the_portal_filters_by_type_and_theme(client):
    from partnership.reviews.models import LearningTheme

    neglect = LearningTheme.objects.get(slug="neglect")
    briefing = SessionFactory(course__title="Neglect briefing", course__course_type="briefing_7")
    briefing.course.themes.add(neglect)
    SessionFactory(course__title="Conference day", course__course_type="conference")
    page = client.get("/training/", {"theme": "neglect"}).content.decode()
    assert "Neglect briefing" in page and "Conference day" not in page
    page = client.get("/training/", {"course_type": "conference"}).content.decode()
    assert "Conference day" in page and "Neglect briefing" not in page
    # Nonsense in the filters is ignored, never an error.
    assert client.get("/training/", {"theme": "x' OR 1=1", "level": "9"}).status_code == 200


def test_a_full_session_offers_the_waiting_list(client):
    session = SessionFactory(capacity=1)
    book(session, "Ann Lee")
    page = client.get("/training/").content.decode()
    assert "Full: join the waiting list" in page


# Registering -----------------------------------------------------------------------------------


def _register(client, **changes):
    school = Organisation.objects.get(slug="st-aidans-primary-school")
    data = {
        "full_name": "Sam Jones",
        "email": "Sam.Jones@Example.org",
        "organisation": school.pk,
        "organisation_other": "",
        "job_title": "Teaching assistant",
        "manager_email": "head@staidans.example.org",
        "password": PASSWORD,
        **changes,
    }
    return client.post("/training/register/", data)


def test_registering_sends_a_link_that_confirms_the_account_and_signs_in(
    client, personas, mailoutbox
):
    session = SessionFactory()
    next_url = f"/training/sessions/{session.pk}/book/"
    response = client.post(
        "/training/register/?next=" + next_url,
        {
            "full_name": "Sam Jones",
            "email": "Sam.Jones@Example.org",
            "organisation": "",
            "organisation_other": "Huyton Juniors Football Club",
            "job_title": "Volunteer coach",
            "manager_email": "",
            "password": PASSWORD,
            "next": next_url,
        },
    )
    assert (
        response.status_code == 302
        and response["Location"] == "/training/register/check-your-email/"
    )
    user = User.objects.get(email="sam.jones@example.org")
    assert not user.is_active  # not until the address is confirmed
    assert user.learner.organisation_other == "Huyton Juniors Football Club"
    [email] = mailoutbox
    assert email.subject == "Confirm your email address to book training"
    link = re.search(r"https?://\S+/training/register/confirm/\S+/", email.body).group(0)
    path = link.split("testserver", 1)[1]

    confirmed = client.get(path)
    assert confirmed.status_code == 302 and confirmed["Location"] == next_url
    user.refresh_from_db()
    assert user.is_active and user.has_role(Role.PRACTITIONER) and not user.needs_two_factor
    assert client.get(next_url).status_code == 200  # signed in, no second factor needed
    # Registering is a visitor's act; from confirming on, the trail names the person.
    registered, confirmed, signed_in = AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk)
    ).order_by("id")
    assert registered.actor_kind == "visitor" and registered.actor is None
    assert registered.actor_label == "Visitor (not signed in): registering to book training"
    assert (confirmed.actor, confirmed.action) == (user, "grant")
    assert (signed_in.actor, signed_in.action) == (user, "sign_in")
    assert confirmed.actor_label == signed_in.actor_label == "Sam Jones <sam.jones@example.org>"
    assert confirmed.ip_address == signed_in.ip_address == "127.0.0.1"
    # Following the link again is harmless.
    assert client.get(path).status_code == 302


def test_registering_never_reveals_whether_an_address_has_an_account(client, personas, mailoutbox):
    from django.test import Client

    pat = personas["practitioner"]
    before = pat.password
    pages = []
    for email in ["someone.new@example.org", pat.email.upper()]:
        visitor = Client()
        response = _register(visitor, email=email, password="another long passphrase")
        assert response.status_code == 302
        assert response["Location"] == "/training/register/check-your-email/"
        page = visitor.get(response["Location"]).content.decode()
        page = re.sub(r'nonce="[^"]+"', "", page)  # the CSP nonce is new on every page
        pages.append(re.sub(r"csrf[^>]*>", "", page.replace(email, "X")))
    assert pages[0] == pages[1]
    pat.refresh_from_db()
    assert pat.password == before and pat.is_active  # the existing account is untouched
    assert [m.subject for m in mailoutbox] == [
        "Confirm your email address to book training",
        "You already have an account for booking training",
    ]
    assert "/account/password/reset/" in mailoutbox[1].body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"email": "sam@"}, "Enter an email address in the correct format"),
        ({"manager_email": "boss at school"}, "Enter an email address in the correct format"),
        ({"full_name": "   "}, "Enter your full name"),
        ({"organisation": "", "organisation_other": ""}, "Choose your organisation"),
        ({"organisation": "999999"}, "Choose your organisation from the list"),
        ({"password": "short"}, "at least 12 characters"),
        ({"job_title": "\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_registration_details_get_a_clear_error_and_nothing_is_saved(
    client, personas, mailoutbox, changes, message
):
    users = User.objects.count()
    response = _register(client, **changes)
    assert_error_summary(response, message)
    assert User.objects.count() == users
    assert mailoutbox == []
    # What was typed is kept, so nothing has to be entered again.
    if "full_name" not in changes:
        assert 'value="Sam Jones"' in response.content.decode()


# Booking -----------------------------------------------------------------------------------


def test_a_practitioner_books_and_sending_the_form_again_makes_no_second_booking(
    client_as, personas, mailoutbox
):
    client = client_as("practitioner")
    session = SessionFactory(capacity=5)
    url = f"/training/sessions/{session.pk}/book/"
    page = client.get(url).content.decode()
    assert "Pat Quinn" in page and "St Aidan" in page
    data = {"manager_email": "head@staidans.example.org", "access_needs": "Step-free access"}
    first = client.post(url, data)
    again = client.post(url, data)  # a double click, or the back button and resend
    booking = Booking.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == booking.get_absolute_url()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.user == personas["practitioner"]
    assert booking.organisation.slug == "st-aidans-primary-school"
    assert booking.access_needs == "Step-free access"
    assert Learner.objects.get(user=personas["practitioner"]).manager_email == data["manager_email"]
    assert len(mailoutbox) == 1
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert "Booked" in detail and "Cancel your booking" in detail
    mine = client.get("/training/my-bookings/").content.decode()
    assert session.course.title in mine


@pytest.mark.parametrize("state", ["cancelled", "past"])
def test_booking_a_cancelled_or_past_session_on_the_web_is_refused_clearly(client_as, state):
    client = client_as("practitioner")
    session = SessionFactory()
    if state == "cancelled":
        Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
        message = "This session has been cancelled"
    else:
        Session.objects.filter(pk=session.pk).update(
            starts_at=at(2021, 2, 11, 10), ends_at=at(2021, 2, 11, 11)
        )
        message = "This session has already taken place"
    response = client.post(f"/training/sessions/{session.pk}/book/", {"manager_email": ""})
    assert_error_summary(response, message)
    assert Booking.objects.count() == 0
    assert "Book a place" not in client.get(session.get_absolute_url()).content.decode()


def test_a_malformed_manager_email_when_booking_is_an_error_and_nothing_is_booked(client_as):
    client = client_as("practitioner")
    session = SessionFactory()
    response = client.post(
        f"/training/sessions/{session.pk}/book/",
        {"manager_email": "head@", "access_needs": "Hearing loop"},
    )
    assert_error_summary(response, "Enter an email address in the correct format")
    assert "Hearing loop" in response.content.decode()
    assert Booking.objects.count() == 0


def test_an_account_with_no_role_cannot_book(client_as):
    session = SessionFactory()
    response = client_as("outsider").post(f"/training/sessions/{session.pk}/book/", {})
    assert response.status_code == 403
    assert Booking.objects.count() == 0


def test_people_cancel_online_until_the_cut_off_and_then_are_told_to_contact_the_team(
    client_as, personas, mailoutbox
):
    client = client_as("practitioner")
    pat = personas["practitioner"]
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        session = SessionFactory(starts_at=at(2026, 12, 29, 10), ends_at=at(2026, 12, 29, 12))
        booking = book(session, pat.full_name, email=pat.email, user=pat)
    with time_machine.travel(at(2026, 12, 23, 9), tick=False):
        client = client_as("practitioner")
        page = client.get(booking.get_absolute_url()).content.decode()
        assert "too late to cancel online" in page and "22 December 2026" in page
        response = client.post(f"/training/my-bookings/{booking.pk}/cancel/")
        assert_error_summary(response, "until 22 December 2026")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    with time_machine.travel(at(2026, 12, 22, 9), tick=False):
        client = client_as("practitioner")
        response = client.post(f"/training/my-bookings/{booking.pk}/cancel/")
        assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_person_offered_a_place_accepts_it_on_the_web(client_as, personas):
    pat = personas["practitioner"]
    session = SessionFactory(capacity=1)
    first = book(session, "Ann Lee")
    offered = book(session, pat.full_name, email=pat.email, user=pat)
    services.booking_cancel(booking=first, actor=TEST_ACTOR)
    client = client_as("practitioner")
    page = client.get(offered.get_absolute_url()).content.decode()
    assert "A place is available" in page
    response = client.post(f"/training/my-bookings/{offered.pk}/accept/")
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == BookingStatus.CONFIRMED


def test_people_see_only_their_own_bookings(client_as, personas):
    someone_else = BookingFactory()
    response = client_as("practitioner").get(someone_else.get_absolute_url())
    assert response.status_code == 403
    assert client_as("business_unit").get(someone_else.get_absolute_url()).status_code == 200


# Attendance and certificates -----------------------------------------------------------------


def test_the_register_records_attendance_and_attendees_download_a_certificate(
    client_as, personas, mailoutbox
):
    pat = personas["practitioner"]
    with time_machine.travel(at(2026, 11, 1), tick=False):
        session = SessionFactory(
            starts_at=at(2026, 11, 20, 10),
            ends_at=at(2026, 11, 20, 13),
            course__title="CSE for Practitioners",
        )
        attended = book(session, pat.full_name, email=pat.email, user=pat)
        missed = book(session, "Bob Day", manager_email="bob.boss@example.org")
    team = client_as("business_unit")
    response = team.post(
        f"/training/manage/sessions/{session.pk}/register/",
        {f"booking_{attended.pk}": "attended", f"booking_{missed.pk}": "no_show"},
    )
    assert response.status_code == 302
    attended.refresh_from_db()
    missed.refresh_from_db()
    assert attended.attendance == Attendance.ATTENDED
    assert missed.attendance == Attendance.NO_SHOW
    assert any(m.to == ["bob.boss@example.org"] for m in mailoutbox)

    certificate = client_as("practitioner").get(
        f"/training/my-bookings/{attended.pk}/certificate.pdf"
    )
    assert certificate.status_code == 200
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(certificate.content)).pages[0].extract_text()
    assert "Pat Quinn" in text and "CSE for Practitioners" in text and "20 November 2026" in text
    # No certificate for someone who did not attend.
    assert team.get(f"/training/my-bookings/{missed.pk}/certificate.pdf").status_code == 404


def test_the_register_must_be_complete(client_as):
    with time_machine.travel(at(2026, 11, 1), tick=False):
        session = SessionFactory(starts_at=at(2026, 11, 20, 10), ends_at=at(2026, 11, 20, 13))
        booking = book(session, "Ann Lee")
    response = client_as("business_unit").post(
        f"/training/manage/sessions/{session.pk}/register/", {f"booking_{booking.pk}": "maybe"}
    )
    assert_error_summary(response, "Select a valid choice")
    booking.refresh_from_db()
    assert booking.attendance == Attendance.NOT_RECORDED


# Changing a session on the web ---------------------------------------------------------------


def _session_form(session, **changes):
    start = session.starts_at.astimezone(dt.UTC).astimezone()
    from django.utils import timezone

    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return {
        "course": session.course_id,
        "date_day": start.day,
        "date_month": start.month,
        "date_year": start.year,
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "venue": session.venue,
        "online_link": "",
        "capacity": session.capacity,
        "price": "",
        "joining_instructions": "",
        **changes,
    }


def test_the_places_cannot_be_set_below_those_booked(client_as):
    session = SessionFactory(capacity=3)
    for name in ["Ann Lee", "Bob Day"]:
        book(session, name)
    response = client_as("business_unit").post(
        f"/training/manage/sessions/{session.pk}/edit/", _session_form(session, capacity="1")
    )
    assert_error_summary(response, "cannot be fewer than the 2 already booked")
    session.refresh_from_db()
    assert session.capacity == 3


def test_a_session_that_has_started_cannot_be_cancelled_and_the_form_says_why(client_as):
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        session = SessionFactory(starts_at=at(2026, 11, 20, 10), ends_at=at(2026, 11, 20, 13))
        book(session, "Ann Lee")
    # 11:00 on the day: an hour into the session.
    with time_machine.travel(at(2026, 11, 20, 11), tick=False):
        response = client_as("business_unit").post(
            f"/training/manage/sessions/{session.pk}/cancel/", {"reason": "Trainer ill"}
        )
    assert_error_summary(response, "This session has already started, so it cannot be cancelled")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00", "start_time": "10:00"}, "The end time must be after the start time"),
        ({"start_time": "25:00"}, "Enter a real start time"),
        ({"start_time": "ten"}, "Enter the start time in the correct format"),
        ({"capacity": "0"}, "There must be at least 1 place"),
        ({"capacity": "lots"}, "Enter the places as a whole number"),
        ({"venue": "", "online_link": ""}, "Enter the venue, or an online joining link"),
        ({"date_year": "2020"}, "The session must start in the future"),
        ({"price": "-5"}, "The price cannot be less than 0"),
    ],
)
def test_a_new_session_with_bad_details_gets_clear_errors(client_as, changes, message):
    course = CourseFactory()
    template = Session(
        course=course,
        starts_at=at(2027, 3, 2, 10),
        ends_at=at(2027, 3, 2, 12),
        venue="Kirkby Centre",
        capacity=20,
    )
    # Pinned before 2 March 2027, so only the change made here is wrong with the form.
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        response = client_as("business_unit").post(
            "/training/manage/sessions/new/", _session_form(template, **changes)
        )
    assert_error_summary(response, message)
    assert Session.objects.count() == 0


def test_the_training_team_adds_a_session(client_as):
    course = CourseFactory()
    template = Session(
        course=course,
        starts_at=at(2027, 3, 2, 10),
        ends_at=at(2027, 3, 2, 12),
        venue="Kirkby Centre",
        capacity=20,
    )
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        response = client_as("business_unit").post(
            "/training/manage/sessions/new/", _session_form(template, price="25.50")
        )
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.starts_at == at(2027, 3, 2, 10) and session.capacity == 20
    assert str(session.price) == "25.50"


# Evaluation and impact -----------------------------------------------------------------------

EVALUATION = {
    "overall": "5",
    "trainer": "4",
    "outcomes_met": "mostly",
    "confidence_before": "2",
    "confidence_after": "4",
    "most_useful": "The case studies",
    "will_do_differently": "Use the Graded Care Profile",
    "improvements": "",
}


def _attended_booking():
    with time_machine.travel(at(2026, 11, 1), tick=False):
        session = SessionFactory(starts_at=at(2026, 11, 20, 10), ends_at=at(2026, 11, 20, 13))
        booking = book(session, "Ann Lee", manager_email="boss@example.org")
    services.attendance_record(session=session, outcomes={booking.pk: "attended"}, actor=TEST_ACTOR)
    return booking


def test_an_attendee_evaluates_the_course_once(client):
    booking = _attended_booking()
    url = f"/training/evaluation/{services.feedback_token(booking, Respondent.ATTENDEE)}/"
    assert "Evaluate" in client.get(url).content.decode()
    incomplete = client.post(url, {**EVALUATION, "overall": ""})
    assert_error_summary(incomplete, "Rate the course overall")
    assert "The case studies" in incomplete.content.decode()  # kept
    assert Evaluation.objects.count() == 0
    assert client.post(url, EVALUATION).status_code == 302
    assert client.post(url, {**EVALUATION, "overall": "1"}).status_code == 200  # thank you
    evaluation = Evaluation.objects.get()
    assert evaluation.overall == 5 and evaluation.confidence_after == 4
    # Nobody signs in to answer: the trail names a visitor by emailed link, and the address.
    entry = AuditEntry.objects.get(object_type="training.evaluation")
    assert entry.actor_kind == "visitor" and entry.actor is None
    assert entry.actor_label == "Visitor (not signed in): course evaluation link"
    assert entry.ip_address == "127.0.0.1"
    assert "Thank you" in client.get(url).content.decode()


def test_a_link_that_is_not_ours_is_not_found(client):
    booking = _attended_booking()
    token = services.feedback_token(booking, Respondent.ATTENDEE)
    assert client.get(f"/training/evaluation/{token[:-2]}xx/").status_code == 404
    manager_token = services.feedback_token(booking, Respondent.MANAGER)
    assert client.get(f"/training/evaluation/{manager_token}/").status_code == 404


def test_the_manager_and_the_attendee_each_answer_the_impact_follow_up(client):
    booking = _attended_booking()
    answers = {
        "learning_applied": "often",
        "impact": "4",
        "example": "Earlier referrals",
        "barriers": "",
    }
    for respondent in (Respondent.ATTENDEE, Respondent.MANAGER):
        url = f"/training/impact/{services.feedback_token(booking, respondent)}/"
        assert_error_summary(
            client.post(url, {**answers, "impact": "7"}), "Say how much difference"
        )
        assert client.post(url, answers).status_code == 302
        assert client.post(url, answers).status_code == 200
    assert sorted(ImpactResponse.objects.values_list("respondent", flat=True)) == [
        "attendee",
        "manager",
    ]


# Queries -------------------------------------------------------------------------------------


def _make_sessions(count):
    course = CourseFactory()
    for number in range(count):
        session = SessionFactory(course=course, capacity=5)
        BookingFactory(session=session, email=f"p{number}@example.org")


@pytest.mark.parametrize(
    "path", ["/training/", "/training/courses/", "/training/my-bookings/", "/training/manage/"]
)
def test_portal_pages_cost_the_same_queries_with_more_data(client_as, personas, path):
    client = client_as("business_unit")
    pat = personas["business_unit"]
    _make_sessions(3)
    Booking.objects.update(user=pat)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _make_sessions(60)
    Booking.objects.update(user=pat)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
