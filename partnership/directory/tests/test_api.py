"""The JSON API, as an agency's system sees it: tokens, organisations, errors, the schema."""

import re
from datetime import timedelta

import pytest
import schemathesis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.directory.models import AgencyToken, Organisation, OrganisationKind
from partnership.tests_support import bearer, issue_token, make_organisation
from partnership.web.api import api

ORGANISATIONS = "/api/v1/organisations"
OPENAPI = "/api/v1/openapi.json"
ORGANISATION_FIELDS = {"id", "name", "short_name", "slug", "kind", "parent_id", "website"}


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


@pytest.fixture
def agencies(db):
    council = make_organisation(
        "Knowsley Council", short_name="Council", kind=OrganisationKind.SAFEGUARDING_PARTNER
    )
    police = make_organisation("Merseyside Police", kind=OrganisationKind.SAFEGUARDING_PARTNER)
    school = make_organisation(
        "Halewood Academy",
        kind=OrganisationKind.SCHOOL,
        parent=council,
        website="https://h.example",
    )
    closed = make_organisation("Closed Agency", is_active=False)
    return {"council": council, "police": police, "school": school, "closed": closed}


@pytest.fixture
def token(agencies):
    """(AgencyToken, raw) for the police."""
    return issue_token(agencies["police"], name="Case management system")


@pytest.fixture
def api_get(client, token):
    def get(path, **params):
        return client.get(path, params, headers=bearer(token[1]))

    return get


# Authentication -------------------------------------------------------------------------

PROTECTED = [
    ORGANISATIONS,
    f"{ORGANISATIONS}/1",
    "/api/v1/groups",
    "/api/v1/groups/strategic-forum",
]

BAD_HEADERS = {
    "no header": None,
    "empty header": "",
    "scheme only": "Bearer",
    "scheme and space": "Bearer ",
    "wrong scheme": "Token {raw}",
    "basic auth": "Basic dXNlcjpwYXNz",
    "token without scheme": "{raw}",
    "wrong token": "Bearer not-the-token-0123456789abcdefghijklmnopqrs",
    "token with extra text": "Bearer {raw} extra",
    "token with a different case": "Bearer {upper}",
    "very long token": "Bearer " + "x" * 10_000,
    "non-ascii token": "Bearer jeton-ünïcødé",
    "two schemes": "Bearer Bearer {raw}",
}


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("header", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
def test_a_request_without_a_usable_token_gets_401_json(client, token, path, header):
    _, raw = token
    headers = {}
    if header is not None:
        headers["authorization"] = header.format(raw=raw, upper=raw.upper())
    response = client.get(path, headers=headers)
    body = assert_json_error(response, 401)
    assert "token" in body["detail"].lower()


@pytest.mark.parametrize("path", PROTECTED)
def test_a_revoked_token_gets_401_json(client, token, path):
    agency_token, raw = token
    assert client.get(ORGANISATIONS, headers=bearer(raw)).status_code == 200
    agency_token.revoked_at = timezone.now()
    agency_token.save()
    assert_json_error(client.get(path, headers=bearer(raw)), 401)


def test_the_token_is_stored_only_as_a_hash(token):
    agency_token, raw = token
    stored = AgencyToken.objects.get(pk=agency_token.pk)
    assert raw not in (stored.key_hash, stored.name)
    assert stored.prefix == raw[:8]
    assert AgencyToken.find(raw) == stored


def test_a_scheme_in_lower_case_is_accepted(client, token):
    response = client.get(ORGANISATIONS, headers={"authorization": f"bearer {token[1]}"})
    assert response.status_code == 200


def test_each_agency_token_works_independently(client, agencies, token):
    _, police_raw = token
    council_token, council_raw = issue_token(agencies["council"])
    council_token.revoked_at = timezone.now()
    council_token.save()
    assert client.get(ORGANISATIONS, headers=bearer(police_raw)).status_code == 200
    assert client.get(ORGANISATIONS, headers=bearer(council_raw)).status_code == 401


def test_use_of_a_token_is_recorded(api_get, token):
    agency_token, _ = token
    assert agency_token.last_used_at is None
    before = timezone.now()
    assert api_get(ORGANISATIONS).status_code == 200
    agency_token.refresh_from_db()
    assert agency_token.last_used_at is not None
    assert before <= agency_token.last_used_at <= timezone.now()


def test_use_is_recorded_at_most_once_a_minute(api_get, token):
    agency_token, _ = token
    recent = timezone.now() - timedelta(seconds=30)
    AgencyToken.objects.filter(pk=agency_token.pk).update(last_used_at=recent)
    assert api_get(ORGANISATIONS).status_code == 200
    agency_token.refresh_from_db()
    assert agency_token.last_used_at == recent

    stale = timezone.now() - timedelta(minutes=5)
    AgencyToken.objects.filter(pk=agency_token.pk).update(last_used_at=stale)
    assert api_get(ORGANISATIONS).status_code == 200
    agency_token.refresh_from_db()
    assert agency_token.last_used_at > stale + timedelta(minutes=4)


def test_a_failed_request_does_not_record_use(client, token):
    agency_token, raw = token
    client.get(ORGANISATIONS, headers={"authorization": f"Bearer {raw}x"})
    agency_token.refresh_from_db()
    assert agency_token.last_used_at is None


# Listing and reading organisations ------------------------------------------------------


def test_the_list_is_every_active_organisation_by_name(api_get, agencies):
    response = api_get(ORGANISATIONS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 3
    assert [item["name"] for item in body["items"]] == [
        "Halewood Academy",
        "Knowsley Council",
        "Merseyside Police",
    ]
    school = body["items"][0]
    assert set(school) == ORGANISATION_FIELDS
    assert school == {
        "id": agencies["school"].pk,
        "name": "Halewood Academy",
        "short_name": "",
        "slug": "halewood-academy",
        "kind": "school",
        "parent_id": agencies["council"].pk,
        "website": "https://h.example",
    }


def test_the_list_is_paginated_by_limit_and_offset(api_get, agencies):
    everything = [item["id"] for item in api_get(ORGANISATIONS).json()["items"]]
    page = api_get(ORGANISATIONS, limit=2, offset=1).json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == everything[1:3]
    last = api_get(ORGANISATIONS, limit=2, offset=2).json()
    assert [item["id"] for item in last["items"]] == everything[2:]


def test_an_offset_past_the_end_is_an_empty_page(api_get, agencies):
    response = api_get(ORGANISATIONS, offset=1_000_000)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 3}


def test_the_list_filters_by_kind(api_get, agencies):
    body = api_get(ORGANISATIONS, kind="partner").json()
    assert body["count"] == 2
    assert {item["name"] for item in body["items"]} == {"Knowsley Council", "Merseyside Police"}
    assert api_get(ORGANISATIONS, kind="other").json() == {"items": [], "count": 0}


BAD_LIST_PARAMS = {
    "negative limit": {"limit": "-1"},
    "zero limit": {"limit": "0"},
    "limit not a number": {"limit": "abc"},
    "limit a decimal": {"limit": "1.5"},
    "negative offset": {"offset": "-1"},
    "offset not a number": {"offset": "abc"},
    "unknown kind": {"kind": "nonsense"},
    "kind in capitals": {"kind": "PARTNER"},
    "offset beyond 64 bits": {"offset": str(10**30)},
    "limit beyond 64 bits": {"limit": str(10**30)},
    "offset at 2**63": {"offset": str(2**63)},
}


@pytest.mark.parametrize("params", BAD_LIST_PARAMS.values(), ids=BAD_LIST_PARAMS.keys())
def test_bad_list_parameters_get_422_json(api_get, params):
    body = assert_json_error(api_get(ORGANISATIONS, **params), 422)
    assert body["errors"]


def test_one_organisation_by_id(api_get, agencies):
    council = agencies["council"]
    response = api_get(f"{ORGANISATIONS}/{council.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": council.pk,
        "name": "Knowsley Council",
        "short_name": "Council",
        "slug": "knowsley-council",
        "kind": "partner",
        "parent_id": None,
        "website": "",
    }


@pytest.mark.parametrize("organisation_id", ["0", "999999", "-1", str(2**31 - 1)])
def test_an_unknown_organisation_gets_404_json(api_get, agencies, organisation_id):
    body = assert_json_error(api_get(f"{ORGANISATIONS}/{organisation_id}"), 404)
    assert body == {"detail": "Not found"}


@pytest.mark.parametrize("organisation_id", [str(2**31), str(2**63), str(10**30)])
def test_an_id_beyond_any_record_gets_a_422_json_naming_the_limit(
    api_get, agencies, organisation_id
):
    body = assert_json_error(api_get(f"{ORGANISATIONS}/{organisation_id}"), 422)
    assert body["errors"][0]["loc"][-1] == "organisation_id"


def test_an_inactive_organisation_gets_404_json(api_get, agencies):
    assert_json_error(api_get(f"{ORGANISATIONS}/{agencies['closed'].pk}"), 404)


@pytest.mark.parametrize("organisation_id", ["council", "1.5", "%00"])
def test_an_organisation_id_that_is_not_a_number_gets_a_4xx_json(
    api_get, agencies, organisation_id
):
    """The API promises JSON errors, so a client never has to parse the site's HTML pages."""
    response = api_get(f"{ORGANISATIONS}/{organisation_id}")
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


def _make_organisations(count):
    parent = make_organisation("Parent Agency")
    for number in range(count - 2):
        make_organisation(f"Agency {number:03d}", parent=parent, website="https://a.example")


@pytest.mark.parametrize("count", [5, 50])
def test_listing_organisations_takes_a_fixed_number_of_queries(client, db, count):
    _, raw = issue_token()
    _make_organisations(count)
    # The first call records the token's use; measure a later one, and one more with a write.
    client.get(ORGANISATIONS, headers=bearer(raw))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ORGANISATIONS, headers=bearer(raw))
    assert response.json()["count"] == count
    assert len(response.json()["items"]) == count
    # The token lookup, the page and the count.
    assert len(queries) == 3, [query["sql"] for query in queries]


def test_the_number_of_queries_does_not_grow_with_the_organisations(client, db):
    _, raw = issue_token()
    _make_organisations(5)
    client.get(ORGANISATIONS, headers=bearer(raw))  # records the token's use
    with CaptureQueriesContext(connection) as small:
        assert client.get(ORGANISATIONS, headers=bearer(raw)).json()["count"] == 5
    for number in range(45):
        make_organisation(f"More {number:03d}", website="https://m.example")
    with CaptureQueriesContext(connection) as large:
        assert client.get(ORGANISATIONS, headers=bearer(raw)).json()["count"] == 50
    assert len(large) == len(small)


# The OpenAPI description ------------------------------------------------------------------


@pytest.fixture
def openapi(client, db):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _routes():
    """Every route the API serves, in OpenAPI's spelling ("/api/v1/organisations/{id}")."""
    patterns, _, _ = api.urls
    routes = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if pattern.name in {"openapi-json", "api-root"}:
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).rstrip("/")
        routes.add(f"/api/v1/{route}")
    return routes


def test_the_openapi_description_is_served_without_a_token(openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "Safeguarding partnership API"


def test_the_openapi_description_is_valid_openapi_3(openapi):
    # Raises jsonschema_rs.ValidationError against the OpenAPI 3.x meta-schema.
    schemathesis.openapi.from_dict(openapi).validate()


def test_the_validator_rejects_a_broken_description(openapi):
    broken = {**openapi, "paths": {"/x": {"get": {"responses": "not an object"}}}}
    with pytest.raises(Exception, match="not an object|object"):
        schemathesis.openapi.from_dict(broken).validate()


def test_the_openapi_description_declares_the_bearer_scheme_on_every_operation(openapi):
    schemes = openapi["components"]["securitySchemes"]
    bearer_schemes = [
        name
        for name, scheme in schemes.items()
        if scheme["type"] == "http" and scheme["scheme"].lower() == "bearer"
    ]
    assert bearer_schemes
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            names = {name for requirement in operation["security"] for name in requirement}
            assert names & set(bearer_schemes), f"{method.upper()} {path} is not secured"


def test_the_openapi_description_declares_every_path(openapi):
    assert {
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/groups",
        "/api/v1/groups/{slug}",
    } <= _routes()
    assert set(openapi["paths"]) == _routes()


def test_the_openapi_description_declares_the_errors_the_api_sends(openapi):
    """A client generated from the description must know about 401, 404 and 422 bodies."""
    missing = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            expected = {"200", "401"}
            if operation.get("parameters"):
                expected.add("422")
            if "{" in path:
                expected.add("404")
            undeclared = expected - set(operation["responses"])
            if undeclared:
                missing.append(f"{method.upper()} {path}: {sorted(undeclared)}")
    assert not missing, "Responses sent but not declared:\n" + "\n".join(missing)


def test_organisation_kinds_in_the_description_match_the_model(openapi):
    kinds = openapi["components"]["schemas"]["OrganisationKind"]["enum"]
    assert kinds == list(OrganisationKind.values)
    assert Organisation._meta.get_field("kind").choices == OrganisationKind.choices
