"""Booking through the API, as a partner's learning system does it."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.directory.tests.test_api import assert_json_error
from partnership.tests_support import bearer, issue_token, make_organisation
from partnership.training.models import Booking, BookingStatus, Session, SessionStatus

from .factories import BookingFactory, SessionFactory, at

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/training/sessions"
BOOKINGS = "/api/v1/training/bookings"
PERSON = {"full_name": "Ann Lee", "email": "Ann.Lee@Example.org", "job_title": "Nurse"}


@pytest.fixture
def agency(db):
    return make_organisation("Knowsley Community Health")


@pytest.fixture
def api(client, agency):
    _, raw = issue_token(agency)

    def call(method, path, body=None, key=None, token=raw):
        headers = bearer(token)
        if key is not None:
            headers["Idempotency-Key"] = key
        if method == "get":
            return client.get(path, body or {}, headers=headers)
        return client.post(path, body or {}, content_type="application/json", headers=headers)

    return call


def test_the_sessions_open_for_booking_are_listed(api):
    open_session = SessionFactory(capacity=20, course__course_type="seminar")
    SessionFactory(status=SessionStatus.CANCELLED)
    with time_machine.travel(at(2020, 1, 1), tick=False):
        SessionFactory()
    body = api("get", SESSIONS).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == open_session.pk
    assert item["places_left"] == 20 and item["course_type"] == "seminar"
    assert item["url"].endswith(f"/training/sessions/{open_session.pk}/")
    assert api("get", SESSIONS, {"course_type": "conference"}).json()["count"] == 0
    assert api("get", f"{SESSIONS}/{open_session.pk}").json()["id"] == open_session.pk


def test_booking_makes_a_place_and_a_repeat_with_the_same_key_returns_it(api, agency, mailoutbox):
    session = SessionFactory(capacity=1)
    first = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="abc-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "confirmed" and body["email"] == "ann.lee@example.org"
    again = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="abc-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    # The same person without a key is still one booking.
    assert api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON).json()["id"] == body["id"]
    booking = Booking.objects.get()
    assert booking.organisation == agency and booking.agency == agency
    assert booking.source == "api"
    assert len(mailoutbox) == 1

    waiting = api(
        "post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": "bob@example.org"}
    )
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waiting" and waiting.json()["waiting_position"] == 1


def test_a_key_reused_for_a_different_booking_is_a_conflict(api):
    session, other = SessionFactory(), SessionFactory()
    api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="abc-1")
    response = api("post", f"{SESSIONS}/{other.pk}/bookings", PERSON, key="abc-1")
    body = assert_json_error(response, 409)
    assert body["code"] == "idempotency_key_reused"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": SessionStatus.CANCELLED}, "cancelled"),
        ({"starts_at": at(2021, 2, 11, 10), "ends_at": at(2021, 2, 11, 11)}, "session_started"),
    ],
    ids=["cancelled", "past"],
)
def test_booking_a_cancelled_or_past_session_is_a_409_and_nothing_is_saved(api, change, code):
    session = SessionFactory()
    Session.objects.filter(pk=session.pk).update(**change)
    body = assert_json_error(api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON), 409)
    assert body["code"] == code
    assert Booking.objects.count() == 0


BAD_BODIES = {
    "malformed email": {**PERSON, "email": "ann@"},
    "email with spaces": {**PERSON, "email": "ann lee@example.org"},
    "malformed manager email": {**PERSON, "manager_email": "boss"},
    "no name": {**PERSON, "full_name": "   "},
    "no email": {"full_name": "Ann"},
    "name too long": {**PERSON, "full_name": "x" * 151},
    "NUL in the role": {**PERSON, "job_title": "a\x00b"},
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_bad_booking_request_is_a_422_naming_the_field(api, body):
    session = SessionFactory()
    response = api("post", f"{SESSIONS}/{session.pk}/bookings", body)
    result = assert_json_error(response, 422)
    assert result["errors"]
    assert Booking.objects.count() == 0


def test_a_bad_idempotency_key_is_a_422(api):
    session = SessionFactory()
    assert_json_error(api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="x" * 101), 422)
    assert Booking.objects.count() == 0


def test_an_unknown_session_is_a_404(api):
    assert_json_error(api("post", f"{SESSIONS}/999999/bookings", PERSON), 404)
    assert_json_error(api("get", f"{SESSIONS}/999999"), 404)


@pytest.mark.parametrize("token", ["", "wrong-token-0123456789abcdefghijklmnop"])
def test_a_wrong_token_is_a_401_and_books_nothing(api, token):
    session = SessionFactory()
    response = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, token=token)
    assert_json_error(response, 401)
    assert Booking.objects.count() == 0


def test_an_agency_sees_and_cancels_only_its_own_bookings(api, agency):
    session = SessionFactory(capacity=1)
    mine = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON).json()
    waiting = api(
        "post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": "b@example.org"}
    ).json()
    theirs = BookingFactory(session=session, status=BookingStatus.WAITING)
    listed = api("get", BOOKINGS).json()
    assert {item["id"] for item in listed["items"]} == {mine["id"], waiting["id"]}
    assert_json_error(api("get", f"{BOOKINGS}/{theirs.pk}"), 404)
    assert_json_error(api("post", f"{BOOKINGS}/{theirs.pk}/cancel"), 404)

    cancelled = api("post", f"{BOOKINGS}/{mine['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api("post", f"{BOOKINGS}/{mine['id']}/cancel").json()["status"] == "cancelled"
    assert api("get", f"{BOOKINGS}/{waiting['id']}").json()["status"] == "offered"


def test_cancelling_after_the_cut_off_is_a_409(api):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        session = SessionFactory(starts_at=at(2026, 12, 29, 10), ends_at=at(2026, 12, 29, 12))
        booking = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON).json()
    with time_machine.travel(at(2026, 12, 23, 9), tick=False):
        body = assert_json_error(api("post", f"{BOOKINGS}/{booking['id']}/cancel"), 409)
    assert body["code"] == "cut_off_passed"
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_the_openapi_description_declares_the_training_operations_and_their_errors(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/training/sessions",
        "/api/v1/training/sessions/{session_id}",
        "/api/v1/training/sessions/{session_id}/bookings",
        "/api/v1/training/bookings",
        "/api/v1/training/bookings/{booking_id}",
        "/api/v1/training/bookings/{booking_id}/cancel",
    }
    booking = paths["/api/v1/training/sessions/{session_id}/bookings"]["post"]
    assert {"200", "201", "401", "404", "409", "422"} <= set(booking["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in booking["parameters"])
    cancel = paths["/api/v1/training/bookings/{booking_id}/cancel"]["post"]
    assert "409" in cancel["responses"]


@pytest.mark.parametrize("count", [3, 40])
def test_listing_sessions_takes_a_fixed_number_of_queries(api, count):
    for _ in range(count):
        SessionFactory()
    api("get", SESSIONS)  # records the token's use
    with CaptureQueriesContext(connection) as queries:
        response = api("get", SESSIONS)
    assert response.json()["count"] == count
    assert len(queries) == 3, [q["sql"] for q in queries]  # token, page, count


def test_listing_bookings_takes_a_fixed_number_of_queries_whatever_the_queue(api, agency):
    session = SessionFactory(capacity=2)
    url = f"{SESSIONS}/{session.pk}/bookings"
    for number in range(3):
        api("post", url, {**PERSON, "email": f"p{number}@example.org"})
    api("get", BOOKINGS)
    with CaptureQueriesContext(connection) as small:
        api("get", BOOKINGS)
    for number in range(3, 30):
        api("post", url, {**PERSON, "email": f"p{number}@example.org"})
    with CaptureQueriesContext(connection) as large:
        body = api("get", BOOKINGS).json()
    assert len(large) == len(small) == 3
    positions = sorted(
        item["waiting_position"] for item in body["items"] if item["waiting_position"]
    )
    assert positions == list(range(1, 29))


def test_an_api_booking_and_cancellation_are_recorded_against_the_agencys_token(client, agency):
    # Not "Anonymous": the trail names the token and the organisation it was issued to.
    from partnership.trail.models import AuditEntry

    token, raw = issue_token(agency, name="Learning system")
    session = SessionFactory(capacity=5)
    made = client.post(
        f"{SESSIONS}/{session.pk}/bookings",
        PERSON,
        content_type="application/json",
        headers=bearer(raw),
    )
    assert made.status_code == 201, made.content
    cancelled = client.post(f"{BOOKINGS}/{made.json()['id']}/cancel", headers=bearer(raw))
    assert cancelled.status_code == 200, cancelled.content
    booked, cancel = AuditEntry.objects.filter(object_type="training.booking").order_by("id")
    expected_label = f"API token Learning system ({token.prefix}…), Knowsley Community Health"
    for entry in (booked, cancel):
        assert entry.actor_kind == "token"
        assert entry.actor_token_id == token.pk
        assert entry.actor_organisation == agency
        assert entry.actor is None  # no person signed in
        assert entry.actor_label == expected_label
        assert entry.ip_address == "127.0.0.1"
    assert booked.summary.startswith("Booked Ann Lee on ")
    assert cancel.summary.startswith("Cancelled Ann Lee's booking (booked) on ")


# Scope: an agency sees only the bookings it made (issue 14 §3) --------------------------------

NOT_BOOKABLE = {
    "detail": "This person cannot be booked on this session through your system. They can "
    "book, or see the place they have, on the partnership's website",
    "code": "not_bookable",
}


@pytest.fixture
def other_api(client):
    """The API as a second agency's system, with a token of its own."""
    _, raw = issue_token(make_organisation("Merseyside Police"))

    def call(method, path, body=None, key=None):
        headers = bearer(raw)
        if key is not None:
            headers["Idempotency-Key"] = key
        if method == "get":
            return client.get(path, body or {}, headers=headers)
        return client.post(path, body or {}, content_type="application/json", headers=headers)

    return call


def test_booking_a_person_with_a_web_or_another_agencys_place_reveals_nothing(api, other_api):
    session = SessionFactory(capacity=5)
    # Ann booked herself on the website; Bob was booked by the police's system.
    BookingFactory(session=session, full_name="Ann Lee", email="ann.lee@example.org")
    bob = other_api("post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": "b@x.org"})
    assert bob.status_code == 201
    for email in ("ann.lee@example.org", "b@x.org"):
        response = api("post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": email})
        # The same words whoever made the place: no name, status or attendance comes back.
        assert response.status_code == 409
        assert response.json() == NOT_BOOKABLE
    assert Booking.objects.count() == 2
    assert api("get", BOOKINGS).json()["count"] == 0


def test_a_past_session_gives_the_same_refusal_whether_or_not_the_person_is_booked(api):
    session = SessionFactory()
    BookingFactory(session=session, full_name="Ann Lee", email="ann.lee@example.org")
    Session.objects.filter(pk=session.pk).update(
        starts_at=at(2021, 2, 11, 10), ends_at=at(2021, 2, 11, 11)
    )
    booked = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON)
    not_booked = api("post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": "z@x.org"})
    assert booked.status_code == not_booked.status_code == 409
    assert booked.json() == not_booked.json()
    assert booked.json()["code"] == "session_started"


def test_another_agencys_idempotency_key_does_not_return_its_booking(api, other_api):
    session = SessionFactory()
    theirs = other_api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="k-1")
    assert theirs.status_code == 201
    # Our system happens to send the same key for the same person.
    response = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="k-1")
    assert response.status_code == 409 and response.json() == NOT_BOOKABLE
    # A key of ours is ours alone: the same key for another person books them.
    other = api("post", f"{SESSIONS}/{session.pk}/bookings", {**PERSON, "email": "c@x.org"}, "k-1")
    assert other.status_code == 201 and other.json()["email"] == "c@x.org"


def test_a_key_reused_with_a_different_body_is_a_conflict(api):
    session = SessionFactory()
    first = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="abc-9")
    assert first.status_code == 201
    changed = {**PERSON, "job_title": "Health visitor"}
    body = assert_json_error(
        api("post", f"{SESSIONS}/{session.pk}/bookings", changed, "abc-9"), 409
    )
    assert body["code"] == "idempotency_key_reused"
    assert Booking.objects.get().job_title == "Nurse"
    # The same body again is still the first booking.
    again = api("post", f"{SESSIONS}/{session.pk}/bookings", PERSON, key="abc-9")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
