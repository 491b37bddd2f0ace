"""The records pages: each renders for the business unit, forms work without JavaScript, and
list pages cost the same number of queries however long the list."""

import datetime as dt

import pytest

from partnership.records.models import (
    DisposalItem,
    DisposalRun,
    Erasure,
    ItemStatus,
    LegalHold,
    RunStatus,
    SubjectAccessRequest,
)

from .factories import booking_on, session_on

pytestmark = pytest.mark.django_db

PAGES = [
    "/records/",
    "/records/schedule/",
    "/records/schedule/training.booking/",
    "/records/holds/",
    "/records/holds/new/",
    "/records/disposal/",
    "/records/disposal/new/",
    "/records/subject-access/",
    "/records/erasure/",
]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_one_heading_and_a_way_back(client_as, path):
    page = client_as("business_unit").get(path).content.decode()
    assert page.count("<h1") == 1
    assert "govuk-breadcrumbs" in page or "govuk-back-link" in page


def test_the_records_area_is_on_the_more_page_for_the_business_unit_only(client_as):
    # A business-unit tool, so it is on the "More" page rather than in the bar.
    assert 'href="/records/"' in client_as("business_unit").get("/work/menu/").content.decode()
    assert 'href="/records/"' not in client_as("business_unit").get("/").content.decode()
    chair_menu = client_as("independent_chair").get("/work/menu/").content.decode()
    assert 'href="/records/"' not in chair_menu


def test_placing_and_releasing_a_hold_through_the_pages(client_as, bu):
    booking = booking_on(session_on(2020, 3, 10))
    client = client_as("business_unit")
    response = client.post(
        "/records/holds/new/",
        {"kind": "training.booking", "object_id": str(booking.pk), "reason": "A claim"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.placed_by_label.startswith("Bea Marsh")
    assert f"Booking {booking.pk} on session" in client.get("/records/holds/").content.decode()
    response = client.post(f"/records/holds/{hold.pk}/release/", {"reason": "Settled"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.is_active and hold.release_reason == "Settled"


def test_a_hold_on_a_record_that_does_not_exist_is_refused_on_the_form(client_as):
    response = client_as("business_unit").post(
        "/records/holds/new/", {"kind": "training.booking", "object_id": "999999", "reason": "X"}
    )
    assert response.status_code == 200
    assert "There is no training booking" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_run_through_the_pages(client_as):
    booking = booking_on(session_on(2000, 3, 10))
    client = client_as("business_unit")
    response = client.post("/records/disposal/new/")
    run = DisposalRun.objects.get()
    assert response["Location"] == f"/records/disposal/{run.pk}/"
    page = client.get(f"/records/disposal/{run.pk}/").content.decode()
    assert f"Booking {booking.pk} on session" in page
    # Approving needs the box ticked.
    response = client.post(f"/records/disposal/{run.pk}/approve/", {})
    assert "Confirm that you have checked the list" in response.content.decode()
    client.post(f"/records/disposal/{run.pk}/approve/", {"confirm": "on"})
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    client.post(f"/records/disposal/{run.pk}/destroy/")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    page = client.get(f"/records/disposal/{run.pk}/?status=destroyed").content.decode()
    assert "Destroyed: 2" in page  # the booking and its session


def test_keeping_a_record_from_the_run_page(client_as):
    booking_on(session_on(2000, 3, 10))
    client = client_as("business_unit")
    client.post("/records/disposal/new/")
    item = DisposalItem.objects.get(kind="training.booking")
    response = client.post(f"/records/disposal/items/{item.pk}/remove/", {"reason": "Needed"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.REMOVED


def _runs(count):
    DisposalRun.objects.bulk_create(
        DisposalRun(as_of=dt.date(2020, 1, 1), status=RunStatus.DONE, proposed_by_label="x")
        for _ in range(count)
    )


def _holds(count):
    start = LegalHold.objects.count()
    LegalHold.objects.bulk_create(
        LegalHold(
            kind="reviews.review",
            object_id=1000 + start + n,
            description=f"Review {n}",
            reason="Claim",
            placed_by_label="x",
        )
        for n in range(count)
    )


def _items(count):
    run = DisposalRun.objects.create(as_of=dt.date(2020, 1, 1), proposed_by_label="x")
    DisposalItem.objects.bulk_create(
        DisposalItem(
            run=run,
            kind="training.booking",
            object_id=n,
            description=f"Booking {n}",
            trigger_on=dt.date(2014, 1, 1),
            due_on=dt.date(2020, 1, 1),
        )
        for n in range(1, count + 1)
    )
    return f"/records/disposal/{run.pk}/"


def _requests(count):
    SubjectAccessRequest.objects.bulk_create(
        SubjectAccessRequest(email=f"p{n}@example.org", made_by_label="x", sha256="0" * 64)
        for n in range(count)
    )


def _erasures(count):
    Erasure.objects.bulk_create(
        Erasure(
            subject_reference=f"account {n}",
            ground="objection",
            made_by_label="x",
            lines=[{"kind": "training.booking", "erased": 1, "refused": 0}],
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    "path, grow",
    [
        ("/records/disposal/", _runs),
        ("/records/holds/", _holds),
        ("/records/subject-access/", _requests),
        ("/records/erasure/", _erasures),
        (None, _items),
    ],
)
def test_list_pages_cost_the_same_queries_however_long_the_list(
    client_as, django_assert_max_num_queries, path, grow
):
    client = client_as("business_unit")
    if path is None:
        path = grow(3)
        with django_assert_max_num_queries(40) as few:
            client.get(path)
        run = DisposalRun.objects.get()
        DisposalItem.objects.bulk_create(
            DisposalItem(
                run=run,
                kind="training.booking",
                object_id=n,
                description=f"B {n}",
                trigger_on=dt.date(2014, 1, 1),
                due_on=dt.date(2020, 1, 1),
            )
            for n in range(100, 220)
        )
    else:
        grow(3)
        with django_assert_max_num_queries(40) as few:
            client.get(path)
        grow(120)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path + ("&" if "?" in path else "?") + "page=2")
    assert response.status_code == 200
