"""A reviewer with no account yet is invited and commissioned in the same form."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from partnership.accounts.models import Role
from partnership.directory.models import Organisation, OrganisationKind, Person
from partnership.reviews.models import Commission

from .factories import complete_rapid_review, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_review(personas):
    with time_machine.travel(dt.datetime(2026, 9, 20, 12, tzinfo=dt.UTC), tick=False):
        review = make_review(aware_on=dt.date(2026, 9, 7))
        complete_rapid_review(review, on=dt.date(2026, 9, 18))
    return review


def test_a_reviewer_not_listed_is_invited_and_commissioned_in_one_step(
    client_as, local_review, django_capture_on_commit_callbacks
):
    firm = Organisation.objects.create(
        name="Northern Review Associates", slug="nra", kind=OrganisationKind.OTHER
    )
    with (
        time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_as("business_unit").post(
            f"/reviews/{local_review.pk}/local-review/reviewers/new/",
            {
                "reviewer": "",
                "invite_full_name": "Morgan Hale",
                "invite_email": "morgan.hale@nra.example.org",
                "invite_organisation": firm.pk,
                "invite_job_title": "Independent Reviewer",
                "role": "Lead reviewer",
                "commissioned_on_day": "1",
                "commissioned_on_month": "10",
                "commissioned_on_year": "2026",
            },
        )
    assert response.status_code == 302
    morgan = Person.objects.get(full_name="Morgan Hale")
    assert morgan.user.roles == {Role.REVIEWER}
    commission = Commission.objects.get(review=local_review)
    assert commission.reviewer == morgan.user
    assert [message.to for message in mail.outbox] == [["morgan.hale@nra.example.org"]]


def test_neither_a_reviewer_nor_an_invitation_is_refused(client_as, local_review):
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        response = client_as("business_unit").post(
            f"/reviews/{local_review.pk}/local-review/reviewers/new/",
            {
                "reviewer": "",
                "role": "Lead reviewer",
                "commissioned_on_day": "1",
                "commissioned_on_month": "10",
                "commissioned_on_year": "2026",
            },
        )
    assert "Select the reviewer" in response.content.decode()
    assert not Commission.objects.filter(review=local_review).exists()
