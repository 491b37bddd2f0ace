"""Declarations of interest (the standing register and per item) and partners' funding."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from partnership.directory.models import Organisation
from partnership.governance import services
from partnership.governance.models import (
    FundingContribution,
    Group,
    InterestDeclaration,
    ItemDeclaration,
)
from partnership.governance.tests.factories import SETUP
from partnership.trail.models import AuditEntry

from .test_meetings import error_summary

pytestmark = pytest.mark.django_db


# The register of interests ----------------------------------------------------------------


def test_a_member_declares_an_interest_in_their_own_register(client_as, personas):
    gareth = personas["group_member"].person
    client = client_as("group_member")
    response = client.post(
        f"/groups/members/{gareth.pk}/interests/new/",
        {"kind": "professional", "interest": "Trustee of Knowsley Foodbank", "details": ""},
    )
    assert response.status_code == 302
    declaration = InterestDeclaration.objects.get()
    assert (declaration.person, declaration.declared_on, declaration.recorded_by) == (
        gareth,
        timezone.localdate(),
        personas["group_member"],
    )
    assert AuditEntry.objects.filter(object_type="governance.interestdeclaration").exists()
    # It shows on the member's page and in the register for all partnership staff.
    assert (
        "Trustee of Knowsley Foodbank"
        in client_as("data_submitter").get(f"/groups/members/{gareth.pk}/").content.decode()
    )
    register = client_as("independent_chair").get(
        "/groups/interests/", {"group": "review-and-learning-group"}
    )
    assert "Trustee of Knowsley Foodbank" in register.content.decode()
    # Ending it keeps it on the record.
    client.post(f"/groups/interests/{declaration.pk}/end/")
    declaration.refresh_from_db()
    assert declaration.ended_on == timezone.localdate()
    assert "Trustee of Knowsley Foodbank" not in client.get("/groups/interests/").content.decode()


def test_nobody_declares_for_someone_else_except_the_business_unit(client_as, personas):
    priya = personas["partner_lead"].person
    data = {"kind": "financial", "interest": "Shares"}
    assert (
        client_as("group_member")
        .post(f"/groups/members/{priya.pk}/interests/new/", data)
        .status_code
        == 403
    )
    assert (
        client_as("business_unit")
        .post(f"/groups/members/{priya.pk}/interests/new/", data)
        .status_code
        == 302
    )
    assert InterestDeclaration.objects.get().person == priya


def test_an_incomplete_declaration_gets_clear_errors(client_as, personas):
    gareth = personas["group_member"].person
    response = client_as("group_member").post(
        f"/groups/members/{gareth.pk}/interests/new/",
        {
            "kind": "",
            "interest": "",
            "declared_on_day": "1",
            "declared_on_month": "1",
            "declared_on_year": "2999",
        },
    )
    assert error_summary(response) == {
        "#id_kind": "Select the kind of interest",
        "#id_interest": "Enter the interest",
        "#id_declared_on_day": "The date declared must be between 1900 and 2200",
    }
    assert not InterestDeclaration.objects.exists()


@pytest.fixture
def meeting(personas):
    group = Group.objects.get(slug="review-and-learning-group")
    starts_at = timezone.now() - dt.timedelta(hours=1)
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )


def test_a_member_declares_an_interest_in_an_agenda_item_once(client_as, meeting, personas):
    gareth = personas["group_member"].person
    item = meeting.items.get(position=5)
    client = client_as("group_member")
    page = client.get(f"/groups/meetings/{meeting.pk}/declarations/new/").content.decode()
    # A member declares only for themselves.
    assert "Gareth Morris" in page and "Priya Lewis" not in page
    data = {
        "item": item.pk,
        "person": gareth.pk,
        "interest": "I know the family",
        "outcome": "withdrew",
    }
    assert client.post(f"/groups/meetings/{meeting.pk}/declarations/new/", data).status_code == 302
    declaration = ItemDeclaration.objects.get()
    assert (declaration.item, declaration.person, declaration.outcome) == (item, gareth, "withdrew")
    response = client.post(f"/groups/meetings/{meeting.pk}/declarations/new/", data)
    assert error_summary(response) == {
        "#id_person": "Gareth Morris has already declared an interest on this item"
    }
    # Someone not on the group cannot declare on its items.
    assert (
        client_as("data_submitter")
        .get(f"/groups/meetings/{meeting.pk}/declarations/new/")
        .status_code
        == 403
    )
    assert ItemDeclaration.objects.count() == 1


# Funding ----------------------------------------------------------------------------------


def contribute(slug, year, agreed, received="0"):
    return FundingContribution.objects.create(
        organisation=Organisation.objects.get(slug=slug),
        financial_year=year,
        agreed_amount=Decimal(agreed),
        received_amount=Decimal(received),
    )


def test_the_budget_shows_agreed_against_received_for_a_year(client_as, personas):
    contribute("knowsley-council", "2018/19", "118000", "118000")
    # The health partner (the CCG in 2018/19, today the ICB), by its lasting web address.
    contribute("knowsley-ccg", "2018/19", "80000", "80000")
    contribute("merseyside-police", "2018/19", "70000", "35000")
    contribute("merseyside-police", "2019/20", "72000")
    page = client_as("partner_lead").get("/groups/funding/", {"year": "2018/19"})
    text = page.content.decode()
    assert "Funding 2018/19" in text
    summary = re.search(r'<dl class="govuk-summary-list">(.*?)</dl>', text, re.S).group(1)
    assert "£268,000.00" in summary and "£233,000.00" in summary and "£35,000.00" in summary
    assert "Every year" in text and "£72,000.00" in text
    # The latest year is shown by default.
    assert "Funding 2019/20" in client_as("partner_lead").get("/groups/funding/").content.decode()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"financial_year": "2018/20"},
            {"#id_financial_year": "Enter the financial year like 2018/19"},
        ),
        ({"agreed_amount": "-5"}, {"#id_agreed_amount": "The amount agreed must be £0 or more"}),
        (
            {"agreed_amount": "lots"},
            {"#id_agreed_amount": "Enter the amount agreed in pounds, like 12500 or 12500.50"},
        ),
        (
            {"agreed_amount": "10.505"},
            {"#id_agreed_amount": "Enter the amount agreed in pounds and pence, like 12500.50"},
        ),
        (
            {"received_amount": "60000"},
            {"#id_received_amount": "The amount received is more than was agreed"},
        ),
        ({"organisation": ""}, {"#id_organisation": "Select the organisation contributing"}),
    ],
)
def test_bad_funding_gets_clear_errors_and_saves_nothing(client_as, personas, changes, expected):
    police = Organisation.objects.get(slug="merseyside-police")
    valid = {
        "organisation": police.pk,
        "financial_year": "2018/19",
        "agreed_amount": "£50,000",
        "received_amount": "",
        "notes": "",
    }
    response = client_as("business_unit").post("/groups/funding/new/", {**valid, **changes})
    assert error_summary(response) == expected
    assert not FundingContribution.objects.exists()


def test_funding_is_saved_in_pounds_and_pence_once_per_year(client_as, personas):
    police = Organisation.objects.get(slug="merseyside-police")
    client = client_as("business_unit")
    data = {
        "organisation": police.pk,
        "financial_year": "2018/19",
        "agreed_amount": "£50,000",
        "received_amount": "12,500.50",
    }
    assert client.post("/groups/funding/new/", data).status_code == 302
    contribution = FundingContribution.objects.get()
    assert (contribution.agreed_amount, contribution.received_amount) == (
        Decimal("50000.00"),
        Decimal("12500.50"),
    )
    assert contribution.outstanding == Decimal("37499.50")
    response = client.post("/groups/funding/new/", data)
    assert error_summary(response) == {
        "#id_financial_year": (
            "This organisation already has a contribution for that year: change it instead"
        )
    }
    assert FundingContribution.objects.count() == 1
