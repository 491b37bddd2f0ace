"""Fuzzing across the site: the API against its OpenAPI description, and forms with odd input.

The promise tested: whatever arrives, nobody gets a server error; an invalid form comes back
(200) with the GOV.UK error summary and nothing is saved.
"""

import secrets
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.demo import knowsley
from partnership.directory.models import AgencyToken, Organisation, OrganisationKind
from partnership.tests_support import bearer
from partnership.trail.forms import TrailFilterForm
from partnership.trail.models import Action, AuditEntry

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Text a person, a browser or an attacker might send: anything at all, plus the awkward cases.
awkward_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(["", " ", "   \t\n ", "\x00", "a\x00b", "\u200b", "\ufeff", "🙂" * 3]),
    st.sampled_from(["x" * 201, "y" * 5000, "é" * 1000, "<script>alert(1)</script>"]),
    st.sampled_from(["' OR 1=1 --", "%00", "../../etc/passwd", "{{ 7*7 }}", "${7*7}"]),
    st.integers().map(str),
)


def assert_error_summary(response):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert "<title>Error:" in page


# The API against its own OpenAPI description ----------------------------------------------


# Loaded once, at collection: fetching /api/v1/openapi.json needs no database.
WSGI_APP = get_wsgi_application()
API_SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGI_APP)
# Issued in the test database by the `api_token` fixture (AgencyToken.issue accepts the raw).
RAW_TOKEN = f"schemathesis-{secrets.token_urlsafe(24)}"


@API_SCHEMA.auth()
class AgencyBearer:
    """Schemathesis's auth provider: it sends the token, and knows it is a real one."""

    def get(self, case, ctx):
        return RAW_TOKEN

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), **bearer(data)}


@pytest.fixture
def api_token(db):
    """A real token, for the police, in a partnership with its organisations and groups.

    The WSGI app runs in this thread, inside the test's transaction. Django's test client
    stops request_started/finished from closing the connection; a bare WSGI handler does not,
    so do the same here or the first request would end the test's transaction.
    """
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    _, raw = AgencyToken.issue(
        organisation=organisations["Merseyside Police"], name="Schemathesis", raw=RAW_TOKEN
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield raw
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@API_SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_to_its_openapi_description(case, api_token):
    """No 5xx; every status and body is one the description declares.

    Every check runs, among them: no server error, status codes and content types declared,
    bodies matching their schemas, and the operation refusing a request without the token.
    """
    assert api_token == RAW_TOKEN
    case.call_and_validate()


# Signing in ----------------------------------------------------------------------------------

emails = st.one_of(
    awkward_text,
    st.emails(),
    st.sampled_from(
        ["business.manager@kscp.example.org", "BUSINESS.MANAGER@KSCP.EXAMPLE.ORG", "a@b", "@", "a@"]
    ),
)


@pytest.fixture
def no_lockouts(settings):
    """django-axes off: the fuzzer repeats (and shrinks to) the same email many times.

    With lock-outs on, the sixth failure for one email from 127.0.0.1 gets the 429 lock-out
    page, not the form; the lock-out is a separate behaviour, tested with axes on below.
    """
    settings.AXES_ENABLED = False


@FUZZ
@given(email=emails, password=awkward_text)
def test_sign_in_rejects_anything_but_a_real_account(
    client, personas, no_lockouts, email, password
):
    sign_ins = AuditEntry.objects.filter(action=Action.SIGN_IN)
    before = sign_ins.count()
    response = client.post("/account/sign-in/", {"email": email, "password": password})
    assert_error_summary(response)
    assert "_auth_user_id" not in client.session
    assert sign_ins.count() == before


@FUZZ
@given(email=emails, password=awkward_text)
def test_sign_in_with_lockouts_on_never_errors(client, personas, email, password):
    response = client.post("/account/sign-in/", {"email": email, "password": password})
    if response.status_code == 429:
        assert "locked" in response.content.decode().lower()
    else:
        assert_error_summary(response)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["email", "password", "next", "csrfmiddlewaretoken", "other"]),
        awkward_text,
        min_size=1,  # an empty POST is treated as a first visit: the blank form, no errors
    )
)
def test_sign_in_with_missing_or_extra_fields_never_errors(client, personas, no_lockouts, fields):
    response = client.post("/account/sign-in/", fields)
    assert_error_summary(response)


# Adding an organisation ----------------------------------------------------------------------


def organisation_fields():
    parent_ids = st.sampled_from(
        list(Organisation.objects.values_list("pk", flat=True).order_by("pk")[:5]) or [1]
    ).map(str)
    return st.fixed_dictionaries(
        {
            "name": awkward_text,
            "short_name": awkward_text,
            "kind": st.one_of(st.sampled_from(OrganisationKind.values), awkward_text),
            "parent": st.one_of(st.just(""), parent_ids, awkward_text),
            "description": awkward_text,
            "website": st.one_of(
                st.just(""),
                st.sampled_from(["https://example.org", "http://x.example/a?b=c", "ftp://x.y"]),
                awkward_text,
            ),
        }
    )


@pytest.fixture
def business_unit(client_as):
    return client_as("business_unit")


@FUZZ
@given(data=st.data())
def test_the_organisation_form_never_errors_and_saves_only_valid_input(business_unit, data):
    fields = data.draw(organisation_fields())
    before = Organisation.objects.count()
    audit_before = AuditEntry.objects.filter(object_type="directory.organisation").count()
    response = business_unit.post("/directory/new/", fields)
    if response.status_code == 302:
        created = Organisation.objects.order_by("-pk").first()
        assert Organisation.objects.count() == before + 1
        assert response["Location"] == created.get_absolute_url()
        assert created.name == " ".join(fields["name"].split())
        assert created.kind == fields["kind"]
        audit = AuditEntry.objects.filter(object_type="directory.organisation")
        assert audit.count() == audit_before + 1
    else:
        assert_error_summary(response)
        assert Organisation.objects.count() == before
        assert AuditEntry.objects.filter(object_type="directory.organisation").count() == (
            audit_before
        )


@FUZZ
@given(name=awkward_text)
def test_an_organisation_name_alone_is_never_enough(business_unit, name):
    """Without a kind the form is always invalid, whatever the name."""
    before = Organisation.objects.count()
    response = business_unit.post("/directory/new/", {"name": name})
    assert_error_summary(response)
    assert "Select the kind of organisation" in response.content.decode()
    assert Organisation.objects.count() == before


# Filtering the audit trail -------------------------------------------------------------------

TRAIL_KEYS = [
    "actor",
    "action",
    "object_type",
    "object_id",
    "since_day",
    "since_month",
    "since_year",
    "until_day",
    "until_month",
    "until_year",
    "page",
    "unknown",
]

date_parts = st.one_of(
    st.integers(min_value=-5, max_value=10_000).map(str),
    st.sampled_from(["", "0", "00", "31", "12", "0001", "9999", "٣", "²", "1e3", " 7 "]),
    awkward_text,
)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(TRAIL_KEYS),
        st.one_of(date_parts, awkward_text, st.lists(awkward_text, min_size=1, max_size=3)),
    )
)
def test_the_audit_trail_filters_never_error(business_unit, params):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    response = business_unit.get("/audit/", query)
    assert response.status_code == 200, response.status_code
    form = TrailFilterForm(query or None)
    page = response.content.decode()
    if form.is_bound and not form.is_valid():
        assert_error_summary(response)
    else:
        assert "govuk-error-summary" not in page


@FUZZ
@given(
    when=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    which=st.sampled_from(["since", "until"]),
)
def test_any_real_date_is_a_valid_filter(business_unit, when, which):
    params = {
        f"{which}_day": when.day,
        f"{which}_month": when.month,
        f"{which}_year": f"{when.year:04d}",
    }
    response = business_unit.get("/audit/", params)
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


@pytest.mark.parametrize("which", ["since", "until"])
@pytest.mark.parametrize("when", [date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)])
def test_dates_outside_the_supported_years_get_a_clear_error(business_unit, which, when):
    params = {
        f"{which}_day": when.day,
        f"{which}_month": when.month,
        f"{which}_year": f"{when.year:04d}",
    }
    response = business_unit.get("/audit/", params)
    assert response.status_code == 200
    assert "must be between 1900 and 2200" in response.content.decode()
