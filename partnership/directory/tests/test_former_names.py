"""An organisation's former names: today's directory shows today's name and what it was
called before; records from before a renaming print the name of their day."""

import datetime as dt
import html
import re

import pytest
import time_machine

from partnership.directory.models import FormerName, Organisation
from partnership.directory.tests.test_forms import error_summary, inline_error
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

ICB = "NHS Cheshire and Merseyside Integrated Care Board"
CCG = "Knowsley Clinical Commissioning Group"
ST_AIDANS = "/directory/st-aidans-primary-school/"


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# The demo's health partner --------------------------------------------------------------


def test_name_on_is_the_ccg_to_30_june_2022_and_the_icb_from_1_july(personas):
    icb = Organisation.objects.get(slug="knowsley-ccg")
    assert icb.name_on(dt.date(2019, 10, 8)) == CCG
    assert icb.name_on(dt.date(2022, 6, 30)) == CCG  # the CCG's last day
    assert icb.name_on(dt.date(2022, 7, 1)) == ICB  # the ICB's first
    assert icb.name_on(None) == ICB
    # A meeting at 23:30 on 30 June 2022 in England (22:30 UTC) was still the CCG's.
    late = dt.datetime(2022, 6, 30, 22, 30, tzinfo=dt.UTC)
    assert icb.name_on(late) == CCG
    assert icb.name_on(late + dt.timedelta(hours=1)) == ICB
    assert (icb.display_name_on(dt.date(2022, 6, 30)), icb.display_name_on(None)) == (
        "CCG",
        "ICB",
    )


def test_name_on_asks_the_database_only_for_a_day_before_the_renaming(
    personas, django_assert_num_queries
):
    icb = Organisation.objects.get(slug="knowsley-ccg")
    police = Organisation.objects.get(slug="merseyside-police")
    with django_assert_num_queries(0):
        assert icb.name_on(dt.date(2023, 1, 1)) == ICB
        assert police.name_on(dt.date(2019, 1, 1)) == "Merseyside Police"  # never renamed
    with django_assert_num_queries(1):
        assert icb.name_on(dt.date(2020, 1, 1)) == CCG
        assert icb.name_on(dt.date(2021, 1, 1)) == CCG


def test_the_directory_shows_the_icb_and_what_it_was_formerly_called(client_as):
    text = page_text(client_as("group_member").get("/directory/knowsley-ccg/"))
    assert f'<h1 class="govuk-heading-l">{ICB}</h1>' in text
    assert (
        '<dt class="govuk-summary-list__key"> Formerly </dt> '
        f'<dd class="govuk-summary-list__value"> {CCG} (until 30 June 2022) </dd>'
    ) in text
    listing = page_text(client_as("group_member").get("/directory/"))
    assert f'href="/directory/knowsley-ccg/">{ICB}</a>' in listing
    assert CCG not in listing


def test_searching_for_the_former_name_finds_the_organisation(client_as):
    text = page_text(client_as("business_unit").get("/directory/", {"q": "Clinical Commissioning"}))
    assert f'href="/directory/knowsley-ccg/">{ICB}</a>' in text
    assert "Merseyside Police" not in text


def test_an_organisation_never_renamed_shows_no_former_name(client_as):
    text = page_text(client_as("group_member").get("/directory/merseyside-police/"))
    assert "Formerly" not in text


# Recording a renaming ---------------------------------------------------------------------


@pytest.fixture
def on_1_september_2026():
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def renaming(day: dt.date, **overrides) -> dict:
    return {
        "name": "St Aidan's Catholic Academy",
        "short_name": "St Aidan's Academy",
        "renamed_on_day": day.day,
        "renamed_on_month": day.month,
        "renamed_on_year": day.year,
        **overrides,
    }


def test_the_business_unit_records_a_school_becoming_an_academy(on_1_september_2026, client_as):
    client = client_as("business_unit")
    response = client.post(ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 1)), follow=True)
    text = page_text(response)
    assert "St Aidan's Primary School is now St Aidan's Catholic Academy" in text
    assert '<h1 class="govuk-heading-l">St Aidan\'s Catholic Academy</h1>' in text
    # Renamed on 1 September 2026: the old name's last day was 31 August 2026.
    assert "St Aidan's Primary School (until 31 August 2026)" in text
    school = Organisation.objects.get(slug="st-aidans-primary-school")  # links keep working
    assert school.name_on(dt.date(2026, 8, 31)) == "St Aidan's Primary School"
    assert school.name_on(dt.date(2026, 9, 1)) == "St Aidan's Catholic Academy"
    entry = AuditEntry.objects.filter(object_id=str(school.pk)).latest("at")
    assert entry.summary == "Renamed from St Aidan's Primary School on 1 September 2026"
    assert entry.changes == {
        "name": ["St Aidan's Primary School", "St Aidan's Catholic Academy"],
        "short_name": ["St Aidan's", "St Aidan's Academy"],
    }
    assert entry.actor.email == "business.manager@kscp.example.org"


def test_a_second_renaming_keeps_both_former_names(on_1_september_2026, client_as):
    client = client_as("business_unit")
    client.post(ST_AIDANS + "rename/", renaming(dt.date(2024, 9, 1), name="St Aidan's Academy"))
    client.post(ST_AIDANS + "rename/", renaming(dt.date(2026, 1, 5)))
    school = Organisation.objects.get(slug="st-aidans-primary-school")
    assert school.name_on(dt.date(2024, 8, 31)) == "St Aidan's Primary School"
    assert school.name_on(dt.date(2024, 9, 1)) == "St Aidan's Academy"
    assert school.name_on(dt.date(2026, 1, 4)) == "St Aidan's Academy"
    assert school.name_on(dt.date(2026, 1, 5)) == "St Aidan's Catholic Academy"
    text = page_text(client.get(ST_AIDANS))
    # Latest first.
    assert (
        "St Aidan's Academy (until 4 January 2026)<br>"
        "St Aidan's Primary School (until 31 August 2024)"
    ) in text


def assert_refused(response, anchor, field_id, message):
    assert error_summary(response) == {anchor: message}
    assert inline_error(response, field_id) == message
    assert not FormerName.objects.filter(organisation__slug="st-aidans-primary-school").exists()
    assert Organisation.objects.get(slug="st-aidans-primary-school").name == (
        "St Aidan's Primary School"
    )


@pytest.mark.parametrize("name", ["", "   "], ids=["empty", "spaces"])
def test_a_new_name_is_required(on_1_september_2026, client_as, name):
    response = client_as("business_unit").post(
        ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 1), name=name)
    )
    assert_refused(response, "#id_name", "id_name", "Enter the new name")


def test_a_name_of_only_punctuation_is_refused(on_1_september_2026, client_as):
    response = client_as("business_unit").post(
        ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 1), name="- - -")
    )
    assert_refused(response, "#id_name", "id_name", "Enter the new name")


def test_a_date_in_the_future_is_refused(on_1_september_2026, client_as):
    # Today is 1 September 2026: tomorrow is in the future.
    response = client_as("business_unit").post(ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 2)))
    assert_refused(
        response,
        "#id_renamed_on_day",
        "id_renamed_on",
        "The date of the change must be today or in the past",
    )


def test_the_date_is_required(on_1_september_2026, client_as):
    data = {**renaming(dt.date(2026, 9, 1)), "renamed_on_day": "", "renamed_on_month": ""}
    data["renamed_on_year"] = ""
    response = client_as("business_unit").post(ST_AIDANS + "rename/", data)
    assert_refused(response, "#id_renamed_on_day", "id_renamed_on", "Enter the date of the change")


def test_the_current_name_again_is_refused(on_1_september_2026, client_as):
    response = client_as("business_unit").post(
        ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 1), name="St Aidan's  Primary School")
    )
    assert_refused(response, "#id_name", "id_name", "The new name is the same as the current name")


def test_another_organisation_s_name_is_refused(on_1_september_2026, client_as):
    response = client_as("business_unit").post(
        ST_AIDANS + "rename/", renaming(dt.date(2026, 9, 1), name="halewood academy")
    )
    assert_refused(response, "#id_name", "id_name", "An organisation with this name already exists")


def test_a_renaming_must_come_after_the_last_one(on_1_september_2026, client_as):
    # The ICB's name came into use on 1 July 2022: a change on that day or before is refused.
    response = client_as("business_unit").post(
        "/directory/knowsley-ccg/rename/",
        renaming(dt.date(2022, 7, 1), name="NHS Cheshire and Merseyside"),
    )
    assert error_summary(response) == {
        "#id_renamed_on_day": "The date of the change must be after 1 July 2022, when the "
        "current name came into use"
    }
    assert Organisation.objects.get(slug="knowsley-ccg").name == ICB
    assert FormerName.objects.filter(organisation__slug="knowsley-ccg").count() == 1


def test_only_the_business_unit_sees_the_rename_button(client_as):
    button = 'href="/directory/st-aidans-primary-school/rename/">Record a new name</a>'
    assert button in client_as("business_unit").get(ST_AIDANS).content.decode()
    assert button not in client_as("partner_lead").get(ST_AIDANS).content.decode()
