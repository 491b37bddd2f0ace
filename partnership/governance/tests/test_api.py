"""The groups' part of the JSON API: listing groups and reading one by its slug."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.demo import knowsley
from partnership.governance.models import Group
from partnership.tests_support import bearer, issue_token

GROUPS = "/api/v1/groups"
GROUP_FIELDS = {
    "id",
    "name",
    "slug",
    "purpose",
    "cadence",
    "aims",
    "objectives",
    "effectiveness_areas",
    "accountable_to_id",
}


@pytest.fixture
def groups(db):
    organisations = knowsley.build_directory()
    return knowsley.build_groups(organisations)


@pytest.fixture
def api_get(client, groups):
    _, raw = issue_token()

    def get(path, **params):
        return client.get(path, params, headers=bearer(raw))

    return get


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str)
    return response.json()


def test_the_list_is_every_group_in_display_order(api_get, groups):
    response = api_get(GROUPS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    expected = list(Group.objects.order_by("display_order", "name").values_list("slug", flat=True))
    assert body["count"] == len(expected) == len(groups)
    assert [item["slug"] for item in body["items"]] == expected
    for item in body["items"]:
        assert set(item) == GROUP_FIELDS


def test_terms_of_reference_come_as_lists_of_points(api_get, groups):
    forum = groups["strategic-forum"]
    item = api_get(f"{GROUPS}/strategic-forum").json()
    assert item["id"] == forum.pk
    assert item["name"] == "Strategic Forum"
    assert item["cadence"] == "3 meetings a year"
    assert item["aims"] == forum.aims_list
    assert item["aims"][0].startswith("To provide strategic direction")
    assert all(isinstance(point, str) and point == point.strip() for point in item["objectives"])
    assert item["accountable_to_id"] is None


def test_a_group_names_who_it_is_accountable_to(api_get, groups):
    forum = groups["strategic-forum"]
    others = [slug for slug in groups if slug != "strategic-forum"]
    assert others
    for slug in others:
        assert api_get(f"{GROUPS}/{slug}").json()["accountable_to_id"] == forum.pk


def test_the_list_is_paginated(api_get, groups):
    everything = [item["slug"] for item in api_get(GROUPS).json()["items"]]
    page = api_get(GROUPS, limit=1, offset=1).json()
    assert page == {"items": page["items"], "count": len(everything)}
    assert [item["slug"] for item in page["items"]] == everything[1:2]
    assert api_get(GROUPS, offset=500).json() == {"items": [], "count": len(everything)}


@pytest.mark.parametrize("slug", ["no-such-group", "strategic-forum-", "x" * 80])
def test_an_unknown_group_gets_404_json(api_get, slug):
    body = assert_json_error(api_get(f"{GROUPS}/{slug}"), 404)
    assert body == {"detail": "Not found"}


@pytest.mark.parametrize(
    "slug",
    [
        "strategic%00forum",
        "%00",
        "gr%C3%BCppe",
        "%20",
        "a%0Ab",
        "%F0%9F%98%80",
        "STRATEGIC-FORUM",
        "x" * 5000,
    ],
    ids=["nul inside", "nul alone", "unicode", "space", "newline", "emoji", "capitals", "too long"],
)
def test_a_slug_that_cannot_exist_gets_a_4xx_json(api_get, slug):
    """PostgreSQL refuses NUL in text: the lookup must not turn that into a 500."""
    response = api_get(f"{GROUPS}/{slug}")
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "x"}, {"offset": "-5"}, {"offset": str(10**20)}],
    ids=["zero limit", "limit not a number", "negative offset", "offset beyond 64 bits"],
)
def test_bad_list_parameters_get_422_json(api_get, params):
    assert_json_error(api_get(GROUPS, **params), 422)


def test_listing_groups_takes_a_fixed_number_of_queries(api_get, groups):
    api_get(GROUPS)  # records the token's use
    with CaptureQueriesContext(connection) as few:
        assert api_get(GROUPS).json()["count"] == len(groups)
    forum = groups["strategic-forum"]
    for number in range(30):
        Group.objects.create(
            name=f"Task and finish group {number}",
            slug=f"task-{number}",
            purpose="A short piece of work.",
            aims="One\nTwo",
            accountable_to=forum,
        )
    with CaptureQueriesContext(connection) as many:
        assert api_get(GROUPS).json()["count"] == len(groups) + 30
    assert len(many) == len(few)
