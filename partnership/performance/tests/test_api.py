"""Returns through the API: atomic batches, row-by-row errors, idempotency keys."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from partnership.performance.models import (
    DataPoint,
    DataReturn,
    Frequency,
    ReportingPeriod,
    ReturnVersion,
    Unit,
)
from partnership.tests_support import bearer, issue_token
from partnership.trail.models import AuditEntry

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    owner = f.organisation()
    f.indicator("DA03", owner)
    f.indicator("PC1", owner, unit=Unit.PERCENTAGE)
    period = f.year(2024)
    _token, raw = issue_token(owner)
    return owner, period, raw


def _post(client, period, raw, body, key=""):
    headers = bearer(raw)
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        f"/api/v1/performance/periods/{period.pk}/return",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


GOOD = {
    "figures": [{"code": "DA03", "value": 46}, {"code": "PC1", "numerator": 3, "denominator": 4}]
}


def test_a_good_batch_is_saved_and_a_retry_with_the_same_key_makes_no_duplicate(client, setup):
    owner, period, raw = setup
    first = _post(client, period, raw, GOOD, key="batch-1")
    assert first.status_code == 201
    assert first.json()["status"] == "submitted"
    assert {x["code"]: x["value"] for x in first.json()["figures"]} == {"DA03": 46, "PC1": 75}
    again = _post(client, period, raw, GOOD, key="batch-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert ReturnVersion.objects.filter(data_return__organisation=owner).count() == 1
    assert DataPoint.objects.count() == 2


def test_the_same_key_with_a_different_body_is_a_conflict(client, setup):
    _owner, period, raw = setup
    assert _post(client, period, raw, GOOD, key="k").status_code == 201
    other = {"figures": [{"code": "DA03", "value": 47}], "reason": "Corrected"}
    response = _post(client, period, raw, other, key="k")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert ReturnVersion.objects.count() == 1


def test_a_bad_batch_saves_nothing_and_reports_each_row_and_column(client, setup):
    _owner, period, raw = setup
    body = {
        "figures": [
            {"code": "DA03", "value": 1},
            {"code": "NOPE", "value": 1},
            {"code": "PC1", "numerator": 5, "denominator": 4},
            {"code": "DA03", "value": -2},
        ]
    }
    response = _post(client, period, raw, body, key="bad")
    assert response.status_code == 422
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert errors == {(2, "code"), (3, "numerator"), (4, "code"), (4, "value")}
    assert not ReturnVersion.objects.exists()


def test_a_correction_needs_a_reason_and_keeps_the_old_version(client, setup):
    owner, period, raw = setup
    _post(client, period, raw, GOOD)
    no_reason = _post(client, period, raw, {"figures": [{"code": "DA03", "value": 50}]})
    assert no_reason.status_code == 409
    fixed = _post(
        client, period, raw, {"figures": [{"code": "DA03", "value": 50}], "reason": "Recount"}
    )
    assert fixed.status_code == 201 and fixed.json()["version"] == 2
    versions = list(ReturnVersion.objects.order_by("number"))
    assert [(v.number, v.is_current, v.reason) for v in versions] == [
        (1, False, "First version"),
        (2, True, "Recount"),
    ]
    # The version says which token sent it, and for whom (the fixture's token is "Tests").
    token = owner.api_tokens.get()
    assert versions[1].created_by_label == (
        f"API token Tests ({token.prefix}…), Knowsley Housing Trust"
    )


def test_an_agency_reads_only_its_own_return(client, setup):
    owner, period, raw = setup
    _post(client, period, raw, GOOD)
    _other, other_raw = issue_token(f.organisation("Another Agency"))
    mine = client.get(f"/api/v1/performance/periods/{period.pk}/return", headers=bearer(raw))
    theirs = client.get(
        f"/api/v1/performance/periods/{period.pk}/return", headers=bearer(other_raw)
    )
    assert len(mine.json()["figures"]) == 2
    assert theirs.json()["figures"] == [] and theirs.json()["organisation"] == "Another Agency"


def test_indicators_and_periods_are_listed(client, setup):
    _owner, period, raw = setup
    codes = [
        i["code"]
        for i in client.get("/api/v1/performance/indicators", headers=bearer(raw)).json()["items"]
    ]
    assert codes == ["DA03", "PC1"]
    periods = client.get("/api/v1/performance/periods", headers=bearer(raw)).json()["items"]
    assert periods[0]["label"] == "2024/25"


def test_a_count_of_17_point_5_is_refused_through_the_api_and_nothing_is_saved(client, setup):
    _owner, period, raw = setup
    response = _post(client, period, raw, {"figures": [{"code": "DA03", "value": 17.5}]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 1,
            "column": "value",
            "message": "DA03 is a count, so it must be a whole number, not 17.5",
        }
    ]
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()


def test_a_refused_api_return_creates_no_return_row(client, client_as, personas):
    housing = personas["data_submitter"].organisation
    f.indicator("DA03", housing, frequency=Frequency.QUARTERLY)
    # This quarter (financial quarters start in April, July, October and January): its due
    # date, 20 working days after it ends, is still to come, so nothing is late yet.
    today = timezone.localdate()
    quarter, _ = ReportingPeriod.get_or_create_for(
        Frequency.QUARTERLY, dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    )
    _token, raw = issue_token(housing)
    assert DataReturn.objects.count() == 0
    refused = _post(client, quarter, raw, {"figures": [{"code": "NOPE", "value": 3}]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "The figures have errors: nothing was saved"
    assert DataReturn.objects.count() == 0  # was 1: an empty "not started" return
    # No empty return in Dana Singh's list of returns...
    returns = client_as("data_submitter").get("/performance/returns/").content.decode()
    assert "No returns." in returns
    # ...and the completeness grid still says the housing trust has not started the quarter.
    grid = client_as("business_unit").get("/performance/completeness/", {"frequency": "quarterly"})
    row = re.search(r"Knowsley Housing Trust</td>(.*?)</tr>", grid.content.decode(), re.S).group(1)
    assert "Not started" in row
    assert "/performance/returns/" not in row  # no return to link to
    # Its GET answers as before: not started, no figures.
    read = client.get(f"/api/v1/performance/periods/{quarter.pk}/return", headers=bearer(raw))
    assert (read.json()["status"], read.json()["figures"]) == ("not_started", [])


def test_an_api_return_and_its_reading_are_recorded_against_the_token_and_its_agency(
    client, client_as, setup
):
    owner, period, raw = setup
    token = owner.api_tokens.get()
    assert _post(client, period, raw, GOOD, key="batch-1").status_code == 201
    client.get(f"/api/v1/performance/periods/{period.pk}/return", headers=bearer(raw))
    # Two entries on the return: version 1 (the POST) and the reading (the GET).
    entries = list(AuditEntry.objects.filter(object_type="performance.datareturn").order_by("id"))
    assert [e.summary for e in entries] == [
        "Version 1 of the 2024/25 return (api, 2 figures)",
        "Viewed the 2024/25 return",
    ]
    for entry in entries:
        assert entry.actor_kind == "token"
        assert entry.actor is None  # no person: the agency's system sent it
        assert entry.actor_token == token
        assert entry.actor_organisation == owner
        assert entry.actor_label == f"API token Tests ({token.prefix}…), Knowsley Housing Trust"
    # The trail page names the token's agency and says it was the API, not "Anonymous".
    trail = client_as("business_unit").get("/audit/", {"actor_kind": "token"}).content.decode()
    assert "Version 1 of the 2024/25 return" in trail
    assert "Knowsley Housing Trust" in trail and "Agency API token" in trail
    assert "Anonymous" not in trail
