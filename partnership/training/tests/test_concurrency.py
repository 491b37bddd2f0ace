"""No overbooking, ever: many people booking one session at once, against a live server.

The requests are real HTTP POSTs to the API from many threads, served by pytest-django's
threaded live server, each request on its own database connection: the same interleavings
production sees. Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

import json
import os
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest
from django.db import connection, connections

from partnership.tests_support import issue_token, make_organisation
from partnership.trail.services import audit_verify_chain
from partnership.training import services
from partnership.training.models import Booking, BookingStatus, Session

from .factories import TEST_ACTOR, SessionFactory, book

CAPACITY = 30
PEOPLE = 210  # distinct people, each booking once
REPEATS = 14  # of those, sent a second time with the same idempotency key (a client retry)


def _post(url: str, body: dict, headers: dict) -> tuple[int, dict, int]:
    """POST as a careful client does: a connection that fails is retried with the same
    idempotency key (the test server's listen queue holds only 10 waiting connections, so
    a burst of 200 overflows it). Returns (status, body, attempts)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    for attempt in range(1, 11):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read()), attempt
        except urllib.error.HTTPError as error:
            return error.code, {"detail": error.read()[:500].decode(errors="replace")}, attempt
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05 * attempt)
    raise AssertionError(f"{url} could not be reached in 10 attempts")


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_api_bookings_fill_thirty_places_exactly(live_server, mailoutbox):
    session = SessionFactory(capacity=CAPACITY)
    _, raw = issue_token(make_organisation("Knowsley Youth Service"))
    url = f"{live_server.url}/api/v1/training/sessions/{session.pk}/bookings"

    attempts = [(number, False) for number in range(PEOPLE)]
    attempts += [(number, True) for number in random.Random(7).sample(range(PEOPLE), REPEATS)]
    random.Random(11).shuffle(attempts)
    # One thread per attempt, all released together. On PostgreSQL a semaphore caps how
    # many are in flight at once: each request holds a database connection and the server's
    # 100 are shared with other test runs. SQLite takes every request at the same moment.
    in_flight = int(os.environ.get("TRAINING_IN_FLIGHT", "0")) or (
        24 if connection.vendor == "postgresql" else len(attempts)
    )
    gate = threading.Semaphore(in_flight)
    go = threading.Barrier(len(attempts) + 1)
    results = []

    def attempt(item):
        number, _ = item
        headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": f"person-{number}"}
        body = {"full_name": f"Person {number}", "email": f"person{number}@example.org"}
        go.wait(timeout=60)
        with gate:
            results.append((item, *_post(url, body, headers)))

    threads = [threading.Thread(target=attempt, args=(item,)) for item in attempts]
    for thread in threads:
        thread.start()
    go.wait(timeout=60)
    started = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    connections.close_all()
    assert len(results) == len(attempts)

    codes = Counter(code for _, code, _, _ in results)
    # 201 for each new booking, 200 for a repeat that found it made; nothing else.
    assert set(codes) <= {200, 201}, [r for r in results if r[1] not in (200, 201)][:3]
    assert codes[201] == PEOPLE
    ids = {}
    for (number, _), _, body, _ in results:
        assert ids.setdefault(number, body["id"]) == body["id"], "a repeat made a second booking"
    retried = sum(1 for *_, attempts in results if attempts > 1)

    bookings = Booking.objects.filter(session=session)
    assert bookings.count() == PEOPLE
    assert bookings.values("email").distinct().count() == PEOPLE
    statuses = Counter(bookings.values_list("status", flat=True))
    assert statuses == {BookingStatus.CONFIRMED: CAPACITY, BookingStatus.WAITING: PEOPLE - CAPACITY}
    session.refresh_from_db()
    assert session.places_taken == CAPACITY
    # The queue is in the order the bookings were made, with no gaps or ties.
    queue = list(bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk"))
    assert [services.waiting_position(b) for b in queue] == list(range(1, len(queue) + 1))
    # One email per person: a place or the waiting list, never both, never twice.
    assert len(mailoutbox) == PEOPLE
    assert len({message.to[0] for message in mailoutbox}) == PEOPLE
    assert audit_verify_chain() == []
    rate = len(attempts) / elapsed
    print(
        f"\n{connection.vendor}: {len(attempts)} booking requests from {len(attempts)} threads "
        f"({in_flight} in flight at most) in "
        f"{elapsed:.1f} s: {rate:.0f} bookings/s ({retried} reconnected after a refused connection)"
    )


@pytest.mark.django_db(transaction=True)
def test_cancellations_and_bookings_at_once_keep_the_places_and_the_queue_exact():
    """Half the booked people cancel while newcomers book: every place freed goes to the
    queue, and the count of places held always matches the bookings holding them."""
    session = SessionFactory(capacity=10)
    booked = [book(session, f"Booked {n}") for n in range(10)]
    waiting = [book(session, f"Waiting {n}") for n in range(5)]
    errors = []
    go = threading.Barrier(15)

    def cancel(booking):
        try:
            go.wait()
            services.booking_cancel(booking=booking, actor=TEST_ACTOR)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def newcomer(number):
        try:
            go.wait()
            book(Session.objects.get(pk=session.pk), f"Newcomer {number}")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(b,)) for b in booked[:5]]
    threads += [threading.Thread(target=newcomer, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    session.refresh_from_db()
    holding = Booking.objects.filter(
        session=session, status__in=[BookingStatus.CONFIRMED, BookingStatus.OFFERED]
    )
    assert session.places_taken == holding.count() == 10
    # The five already waiting were first in the queue, so the five freed places are theirs.
    for booking in waiting:
        booking.refresh_from_db()
        assert booking.status == BookingStatus.OFFERED
    assert Booking.objects.filter(session=session, status=BookingStatus.WAITING).count() == 10
    assert audit_verify_chain() == []
