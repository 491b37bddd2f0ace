"""The retention schedule: dates worked by hand, the registry, and the business unit's
settings page."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps

from partnership.lib.retention import add_months, period_text, retention_cutoff
from partnership.records import services
from partnership.records.models import RetentionSetting
from partnership.records.registry import periods, record_kinds
from partnership.trail.models import AuditEntry

from .factories import at, booking_on, session_on


def test_six_years_after_10_march_2020_is_10_march_2026():
    assert add_months(dt.date(2020, 3, 10), 72) == dt.date(2026, 3, 10)


def test_a_month_after_31_january_is_the_last_day_of_february():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)  # a leap year


def test_the_cutoff_is_the_latest_trigger_due_by_today():
    # On 10 March 2026 a 6-year record from 10 March 2020 is due, one from the 11th is not.
    assert retention_cutoff(dt.date(2026, 3, 10), 72) == dt.date(2020, 3, 10)
    # On 28 February 2021 (the month's last day) a 6-month record from 31 August 2020 is due:
    # 31 August + 6 months is 28 February.
    assert retention_cutoff(dt.date(2021, 2, 28), 6) == dt.date(2020, 8, 31)


def test_periods_read_as_words():
    assert period_text(72) == "6 years"
    assert period_text(18) == "1 year 6 months"
    assert period_text(1) == "1 month"
    assert period_text(None) == "permanently"


# Every model that holds personal or case data has a place on the schedule (the brief's list).
EXPECTED_MODELS = {
    "accounts.User",
    "directory.Person",
    "governance.Meeting",
    "governance.Paper",
    "governance.Attendance",
    "governance.InterestDeclaration",
    "governance.ItemDeclaration",
    "governance.Membership",
    "governance.Action",
    "governance.AttendanceLetter",
    "audit.AuditEntry",
    "reviews.Review",
    "reviews.ReviewDocument",
    "reviews.Incident",
    "reviews.EvidenceFile",
    "reviews.ActionItem",
    "training.Booking",
    "training.Evaluation",
    "training.ImpactResponse",
    "training.Learner",
    "training.Session",
    "performance.DataReturn",
    "performance.ReportComment",
    "plans.Plan",
    "plans.ProgressUpdate",
}


def test_every_kind_of_personal_or_case_record_is_on_the_schedule():
    models = {kind.model for kind in record_kinds()}
    assert models >= EXPECTED_MODELS
    for kind in record_kinds():
        apps.get_model(kind.model)  # each names a real model
        assert kind.part_of or not kind.disposable or kind.trigger, kind.key
        assert kind.source or kind.part_of, f"{kind.key} says where its default comes from"


def test_a_part_names_a_kind_with_a_clock_of_its_own():
    keys = {kind.key: kind for kind in record_kinds()}
    for kind in record_kinds():
        if kind.part_of:
            assert not keys[kind.part_of].part_of


def test_the_dependent_modules_come_first_in_the_order_of_destruction():
    order = [kind.key for kind in record_kinds()]
    assert order.index("training.booking") < order.index("training.session")
    assert order.index("governance.membership") < order.index("directory.person")
    assert order.index("directory.person") < order.index("accounts.user")


def test_the_schedule_lists_each_kind_with_its_default_and_source(client_as):
    page = client_as("business_unit").get("/records/schedule/").content.decode()
    assert "Training booking (with its evaluation, impact follow-up and certificate)" in page
    assert "6 years" in page
    assert "The day of the session" in page
    assert "Kept and destroyed with its case review" in page  # a review's documents
    assert "Never destroyed" in page  # the audit trail
    assert "To confirm" in page


def test_the_business_unit_changes_a_period_and_it_is_on_the_trail(client_as, personas):
    client = client_as("business_unit")
    response = client.post(
        "/records/schedule/training.booking/",
        {"years": "7", "months": "0", "note": "Agreed by the partnership, May 2026"},
    )
    assert response.status_code == 302
    assert periods()["training.booking"].months == 84
    entry = AuditEntry.objects.filter(object_type="records.retentionsetting").first()
    assert entry.changes == {"period": ["6 years", "7 years"]}
    assert entry.actor == personas["business_unit"]
    page = client.get("/records/schedule/").content.decode()
    assert "7 years (default 6 years)" in page


def test_a_period_of_nothing_is_refused_with_a_clear_error(client_as):
    response = client_as("business_unit").post(
        "/records/schedule/training.booking/", {"years": "0", "months": "0"}
    )
    assert response.status_code == 200
    assert "Enter how long to keep these records, or keep them permanently" in (
        response.content.decode()
    )
    assert not RetentionSetting.objects.exists()


def test_a_kind_kept_with_another_has_no_period_of_its_own_to_change(client_as):
    assert (
        client_as("business_unit").get("/records/schedule/reviews.reviewdocument/").status_code
        == 404
    )
    assert client_as("business_unit").get("/records/schedule/no.such/").status_code == 404


@pytest.mark.django_db
def test_a_longer_period_keeps_a_record_that_would_have_been_due(bu):
    session = session_on(2020, 3, 10)
    booking_on(session)
    services.retention_set(kind=_kind("training.booking"), months=84, note="", actor=bu)
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        run = services.disposal_run_propose(actor=bu)
    assert not run.items.filter(kind="training.booking").exists()


@pytest.mark.django_db
def test_a_kind_kept_permanently_is_never_proposed(bu):
    booking_on(session_on(2000, 1, 5))
    services.retention_set(kind=_kind("training.booking"), months=None, note="", actor=bu)
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        run = services.disposal_run_propose(actor=bu)
    assert not run.items.filter(kind="training.booking").exists()


def _kind(key):
    from partnership.records.registry import kind_for

    return kind_for(key)
