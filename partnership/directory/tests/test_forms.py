"""Adding and changing an organisation: the GOV.UK errors a user sees, and what gets saved."""

import html
import re

import pytest

from partnership.directory.forms import OrganisationForm
from partnership.directory.models import Organisation, OrganisationKind
from partnership.tests_support import make_organisation
from partnership.trail.models import AuditEntry

NEW = "/directory/new/"


def error_summary(response) -> dict[str, str]:
    """The GOV.UK error summary's links, {"#id_name": "Enter the organisation's name", ...}."""
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert match, "no error summary on the page"
    return {
        anchor: html.unescape(text)
        for anchor, text in re.findall(r'<a href="(#[\w-]+)">(.*?)</a>', match.group(1), re.S)
    }


def inline_error(response, field_id) -> str:
    """The error message shown above the field itself."""
    page = response.content.decode()
    match = re.search(
        rf'id="{field_id}-error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</p>',
        page,
        re.S,
    )
    assert match, f"no error message for {field_id}"
    return html.unescape(match.group(1)).strip()


def assert_shows_error(response, field_id, message):
    assert error_summary(response) == {f"#{field_id}": message}
    assert inline_error(response, field_id) == message
    assert "<title>Error:" in response.content.decode()


@pytest.fixture
def business_unit(client_as):
    return client_as("business_unit")


@pytest.fixture
def valid():
    return {
        "name": "Knowsley Foodbank",
        "short_name": "Foodbank",
        "kind": OrganisationKind.OTHER,
        "parent": "",
        "description": "Emergency food for families.",
        "website": "https://foodbank.example.org",
    }


@pytest.fixture
def counts(personas):
    """Organisations and audit entries now; call again to compare after a request."""

    def count():
        return Organisation.objects.count(), AuditEntry.objects.count()

    return count


# Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\t\n"], ids=["empty", "spaces", "whitespace"])
def test_a_name_is_required(business_unit, valid, counts, name):
    before = counts()
    response = business_unit.post(NEW, {**valid, "name": name})
    assert_shows_error(response, "id_name", "Enter the organisation's name")
    assert counts() == before


@pytest.mark.parametrize(
    "name", ["Knowsley Council", "  Knowsley   Council  ", "Knowsley\tCouncil"]
)
def test_a_name_already_in_use_is_refused(business_unit, valid, counts, name):
    before = counts()
    response = business_unit.post(NEW, {**valid, "name": name})
    assert_shows_error(response, "id_name", "An organisation with this name already exists")
    assert counts() == before


@pytest.mark.parametrize("name", ["!!!", "---", "£ & @", "…", "😀😀"])
def test_a_name_needs_letters_or_numbers(business_unit, valid, counts, name):
    before = counts()
    response = business_unit.post(NEW, {**valid, "name": name})
    assert_shows_error(response, "id_name", "The name must include some letters or numbers")
    assert counts() == before


def test_a_name_over_200_characters_is_refused(business_unit, valid, counts):
    before = counts()
    response = business_unit.post(NEW, {**valid, "name": "A" * 201})
    assert_shows_error(response, "id_name", "The name must be 200 characters or fewer")
    assert counts() == before


@pytest.mark.parametrize(
    "website", ["not a web address", "https://", "http://exa mple.org", "javascript:alert(1)"]
)
def test_a_website_must_be_a_web_address(business_unit, valid, counts, website):
    before = counts()
    response = business_unit.post(NEW, {**valid, "website": website})
    assert_shows_error(
        response,
        "id_website",
        "Enter a web address in the correct format, like https://example.org",
    )
    assert counts() == before


def test_the_kind_is_required(business_unit, valid, counts):
    before = counts()
    response = business_unit.post(NEW, {**valid, "kind": ""})
    assert_shows_error(response, "id_kind", "Select the kind of organisation")
    assert counts() == before


def test_every_error_is_listed_at_once(business_unit, counts):
    before = counts()
    response = business_unit.post(NEW, {"name": "", "kind": "", "website": "nope"})
    assert error_summary(response) == {
        "#id_name": "Enter the organisation's name",
        "#id_kind": "Select the kind of organisation",
        "#id_website": "Enter a web address in the correct format, like https://example.org",
    }
    assert counts() == before


def test_what_was_typed_is_kept_after_an_error(business_unit, valid):
    response = business_unit.post(NEW, {**valid, "website": "nope"})
    page = html.unescape(response.content.decode())
    assert 'value="Knowsley Foodbank"' in page
    assert 'value="nope"' in page


# An organisation part of itself ----------------------------------------------------------


def test_an_organisation_cannot_be_made_part_of_its_own_part(business_unit, personas, counts):
    council = Organisation.objects.get(slug="knowsley-council")
    school = make_organisation("Council School", kind=OrganisationKind.SCHOOL, parent=council)
    before = counts()
    response = business_unit.post(
        f"/directory/{council.slug}/edit/",
        {"name": council.name, "kind": council.kind, "parent": school.pk},
    )
    assert_shows_error(response, "id_parent", "An organisation cannot be part of itself")
    council.refresh_from_db()
    assert council.parent is None
    assert counts() == before


def test_an_organisation_cannot_be_made_part_of_a_part_of_a_part(business_unit, personas, counts):
    top = make_organisation("Top Trust")
    middle = make_organisation("Middle Service", parent=top)
    bottom = make_organisation("Bottom Team", parent=middle)
    before = counts()
    response = business_unit.post(
        f"/directory/{top.slug}/edit/", {"name": top.name, "kind": top.kind, "parent": bottom.pk}
    )
    assert_shows_error(response, "id_parent", "An organisation cannot be part of itself")
    top.refresh_from_db()
    assert top.parent is None
    assert counts() == before


def test_an_organisation_is_not_offered_as_part_of_itself(business_unit, personas, counts):
    council = Organisation.objects.get(slug="knowsley-council")
    form = OrganisationForm(instance=council)
    assert council not in form.fields["parent"].queryset
    page = business_unit.get(f"/directory/{council.slug}/edit/").content.decode()
    assert f'<option value="{council.pk}"' not in page

    # A hand-made request naming itself is refused too.
    before = counts()
    response = business_unit.post(
        f"/directory/{council.slug}/edit/",
        {"name": council.name, "kind": council.kind, "parent": council.pk},
    )
    summary = error_summary(response)
    assert list(summary) == ["#id_parent"]
    council.refresh_from_db()
    assert council.parent is None
    assert counts() == before


# Saving --------------------------------------------------------------------------------------


def test_a_valid_organisation_is_saved_and_audited(business_unit, personas, valid, counts):
    parent = Organisation.objects.get(slug="knowsley-council")
    organisations, entries = counts()
    response = business_unit.post(
        NEW, {**valid, "name": "  Knowsley   Foodbank ", "parent": parent.pk}
    )

    created = Organisation.objects.get(name="Knowsley Foodbank")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url() == "/directory/knowsley-foodbank/"
    assert counts() == (organisations + 1, entries + 1)
    assert created.slug == "knowsley-foodbank"
    assert created.kind == "other"
    assert created.parent == parent
    assert created.website == "https://foodbank.example.org"
    assert created.is_active

    entry = AuditEntry.objects.latest("id")
    assert entry.action == "create"
    assert entry.object_type == "directory.organisation"
    assert entry.object_id == str(created.pk)
    assert entry.object_label == "Knowsley Foodbank"
    assert entry.actor == personas["business_unit"]
    assert entry.changes["name"] == [None, "Knowsley Foodbank"]
    assert entry.changes["parent"] == [None, parent.pk]

    page = business_unit.get(response["Location"]).content.decode()
    assert "Knowsley Foodbank has been added" in page


def test_a_name_that_slugifies_like_another_gets_its_own_address(business_unit, valid, personas):
    make_organisation("Knowsley Foodbank!")  # slug "knowsley-foodbank"
    response = business_unit.post(NEW, valid)
    assert response.status_code == 302
    created = Organisation.objects.get(name="Knowsley Foodbank")
    assert created.slug == "knowsley-foodbank-2"
    assert response["Location"] == "/directory/knowsley-foodbank-2/"


def test_a_change_is_saved_and_audited(business_unit, personas, counts):
    police = Organisation.objects.get(slug="merseyside-police")
    organisations, entries = counts()
    response = business_unit.post(
        f"/directory/{police.slug}/edit/",
        {
            "name": police.name,
            "short_name": "MerPol",
            "kind": police.kind,
            "website": "https://police.example",
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.short_name == "MerPol"
    assert police.slug == "merseyside-police"
    assert counts() == (organisations, entries + 1)
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.object_type, entry.object_id) == (
        "update",
        "directory.organisation",
        str(police.pk),
    )
    assert "short_name" in entry.changes
    assert "name" not in entry.changes


def test_only_people_who_may_change_the_directory_can_add(client_as, valid, counts):
    before = counts()
    response = client_as("practitioner").post(NEW, valid)
    assert response.status_code == 403
    organisations, entries = counts()
    assert organisations == before[0]
    # Only the refusal itself is on the trail.
    assert entries == before[1] + 1
    assert AuditEntry.objects.latest("id").summary == f"Was refused access (403): POST {NEW}"
