"""The business unit manages the indicator library, its definitions, the settings and the
chasers: each change through a page, with clear errors that save nothing, on the audit trail."""

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from partnership.governance.models import Priority
from partnership.lib.working_days import add_working_days
from partnership.performance import reports, services
from partnership.performance.models import (
    ChaserRule,
    Frequency,
    Indicator,
    IndicatorVersion,
    PerformanceSettings,
    ReportingPeriod,
)
from partnership.trail.models import Action, AuditEntry

from . import factories

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


def error_summary(response) -> dict[str, str]:
    """The error summary's links: {"#id_code": "The code DA01 is already used ...", ...}."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "<title>Error:" in page
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert match, "no error summary on the page"
    return {
        anchor: html.unescape(re.sub(r"\s+", " ", text)).strip()
        for anchor, text in re.findall(r'<a href="(#[\w-]+)">(.*?)</a>', match.group(1), re.S)
    }


def success_banner(response) -> str:
    page = response.content.decode()
    match = re.search(r"govuk-notification-banner--success.*?</div>\s*</div>", page, re.S)
    assert match, "no success banner"
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(0)))


def date_fields(name, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def kht():
    return factories.organisation("Knowsley Housing Trust")


def new_indicator(owner, /, **changes) -> dict:
    priority, _ = Priority.objects.get_or_create(
        slug="domestic-abuse", defaults={"name": "Domestic abuse", "thematic_lead": owner}
    )
    data = {
        "code": "DA09",
        "name": "Tenancies saved after a domestic abuse referral",
        "unit": "percentage",
        "polarity": "higher",
        "frequency": "yearly",
        "owner": owner.pk,
        "priority": priority.pk,
        "definition": "Tenancies kept by the victim a year after a domestic abuse referral.",
        "numerator": "Tenancies kept",
        "denominator": "Referrals a year before",
        "target": "75",
        "tolerance": "5",
        "min_value": "",
        "max_value": "",
        "source": "Housing trust safeguarding log",
        "reason": "Agreed by the board",
        **date_fields("valid_from", dt.date(2024, 4, 1)),
        **date_fields("valid_to", None),
    }
    data.update(changes)
    return data


def definition(indicator, valid_from, **changes) -> dict:
    current = indicator.versions.order_by("-number").first()
    data = {
        "definition": current.definition,
        "numerator": current.numerator,
        "denominator": current.denominator,
        "target": "" if current.target is None else str(current.target),
        "tolerance": str(current.tolerance),
        "min_value": "",
        "max_value": "",
        "source": current.source,
        "reason": "The board raised the target",
        **date_fields("valid_from", valid_from),
        **date_fields("valid_to", None),
    }
    data.update(changes)
    return data


def counts():
    # A refused request is itself on the trail ("Was refused access (403)"); it changes nothing.
    return (
        Indicator.objects.count(),
        IndicatorVersion.objects.count(),
        AuditEntry.objects.exclude(action=Action.REFUSED).count(),
    )


# Adding an indicator ----------------------------------------------------------------------


def test_an_added_indicator_is_in_the_library_and_the_owners_next_template(
    client_as, personas, kht
):
    client = client_as("business_unit")
    page = client.get("/performance/indicators/")
    assert 'href="/performance/indicators/add/"' in page.content.decode()

    response = client.post("/performance/indicators/add/", new_indicator(kht))
    assert response.status_code == 302
    assert response["Location"] == "/performance/indicators/DA09/"
    shown = client.get(response["Location"])
    assert "DA09 Tenancies saved after a domestic abuse referral has been added" in (
        success_banner(shown)
    )
    text = shown.content.decode()
    assert "Tenancies kept by the victim a year after" in text
    assert "75%" in text  # the target, in the unit

    library = client.get("/performance/indicators/").content.decode()
    assert 'href="/performance/indicators/DA09/"' in library
    assert "Tenancies saved after a domestic abuse referral" in library

    version = IndicatorVersion.objects.get(indicator__code="DA09")
    assert (version.number, version.target, version.tolerance) == (1, Decimal("75"), 5)
    assert version.valid_from == dt.date(2024, 4, 1) and version.valid_to is None
    assert version.created_by == personas["business_unit"]

    # The owner's next yearly return: the template has a row for the new indicator.
    period = ReportingPeriod.get_or_create_for(Frequency.YEARLY, dt.date(2026, 4, 1))[0]
    data_return = services.get_return(kht, period)
    download = client.get(f"/performance/returns/{data_return.pk}/template.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "DA09" in rows
    assert rows["DA09"][2] == "Tenancies kept by the victim a year after a domestic abuse referral."


def test_adding_is_on_the_audit_trail(client_as, personas, kht):
    client_as("business_unit").post("/performance/indicators/add/", new_indicator(kht))
    indicator = Indicator.objects.get(code="DA09")
    entry = AuditEntry.objects.get(object_type="performance.indicator", object_id=str(indicator.pk))
    assert entry.action == "create"
    assert entry.actor == personas["business_unit"]
    assert (
        entry.summary == "Added the indicator DA09 Tenancies saved after a domestic abuse referral"
    )
    assert entry.changes["version"]["target"] == "75.00"
    assert entry.changes["owner"] == kht.pk


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"code": "da01"}, "#id_code", "The code da01 is already used by DA01 Indicator DA01"),
        ({"code": "DA 9"}, "#id_code", "The code can only have letters, numbers, hyphens"),
        ({"code": ""}, "#id_code", "Enter the indicator's code"),
        (
            {"target": "120"},
            "#id_target",
            "The target (120) is above the highest allowed value, 100",
        ),
        ({"target": "-1"}, "#id_target", "The target (-1) is below the lowest allowed value, 0"),
        (
            {"min_value": "10", "max_value": "50", "target": "60"},
            "#id_target",
            "The target (60) is above the highest allowed value, 50",
        ),
        (
            {"min_value": "50", "max_value": "10"},
            "#id_max_value",
            "The highest allowed value (10) is below the lowest (50)",
        ),
        (
            date_fields("valid_to", dt.date(2024, 3, 31)),
            "#id_valid_to_day",
            "The date it stops being used (31 March 2024) must be on or after the date it"
            " starts (1 April 2024)",
        ),
        (date_fields("valid_from", None), "#id_valid_from_day", "Enter the date the definition"),
        ({"target": "lots"}, "#id_target", "Target must be a number"),
        ({"owner": ""}, "#id_owner", "Choose the organisation that sends the figure"),
        ({"definition": ""}, "#id_definition", "Enter the definition"),
    ],
)
def test_bad_input_shows_the_error_and_saves_nothing(client_as, kht, changes, anchor, message):
    factories.indicator("DA01", kht)
    before = counts()
    response = client_as("business_unit").post(
        "/performance/indicators/add/", new_indicator(kht, **changes)
    )
    errors = error_summary(response)
    assert anchor in errors, errors
    assert errors[anchor].startswith(message), errors
    assert counts() == before


# Changing the definition ------------------------------------------------------------------


def test_a_new_definition_is_a_new_version_and_earlier_reports_keep_the_old_target(
    client_as, personas, kht
):
    indicator = factories.indicator(
        "DA02", kht, target=50, tolerance=5, valid_from=dt.date(2020, 4, 1)
    )
    earlier, later = factories.year(2023), factories.year(2025)
    factories.submit(kht, earlier, {indicator: 48})
    client = client_as("business_unit")

    page = client.get("/performance/indicators/DA02/").content.decode()
    assert 'href="/performance/indicators/DA02/definition/"' in page
    form = client.get("/performance/indicators/DA02/definition/").content.decode()
    assert "The definition of DA02" in form  # starts from the current definition

    response = client.post(
        "/performance/indicators/DA02/definition/",
        definition(indicator, dt.date(2025, 4, 1), target="60", tolerance="2"),
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "Version 2 of the definition of DA02 has been added, in use from 1 April 2025" in (
        success_banner(shown)
    )

    old, new = indicator.versions.order_by("number")
    assert (old.target, old.valid_from, old.valid_to) == (
        Decimal("50"),
        dt.date(2020, 4, 1),
        dt.date(2025, 3, 31),
    )
    assert (new.number, new.target, new.valid_from, new.valid_to) == (
        2,
        Decimal("60"),
        dt.date(2025, 4, 1),
        None,
    )
    assert new.created_by == personas["business_unit"]

    # Both versions are shown, and the history says who added each and when.
    page = client.get("/performance/indicators/DA02/").content.decode()
    assert "Version 2: in use from 1 April 2025" in page
    assert "Version 1: in use from 1 April 2020 to 31 March 2025" in page
    history = client.get("/performance/indicators/DA02/definition/").content.decode()
    assert personas["business_unit"].full_name in history
    assert "1 Apr 2020 to 31 Mar 2025" in history and "1 Apr 2025 to now" in history

    # The report for 2023/24 still rates 48 against the old target (amber: within 5 of 50).
    row = reports.build_report(earlier, charts=False).rows[0]
    assert (row.target, row.rag) == (Decimal("50"), "amber")
    report = client.get(f"/performance/reports/{earlier.slug}/").content.decode()
    assert "Amber" in report
    # The report for 2025/26 uses the new one: 48 is red against 60 with a tolerance of 2.
    factories.submit(kht, later, {indicator: 48})
    row = reports.build_report(later, charts=False).rows[0]
    assert (row.target, row.rag) == (Decimal("60"), "red")

    entry = AuditEntry.objects.get(object_type="performance.indicatorversion")
    assert entry.summary == (
        "New definition of DA02 (version 2), in use from 1 April 2025; version 1 closed on"
        " 31 March 2025"
    )
    assert entry.changes["previous"]["target"] == ["50.00", "60.00"]


@pytest.mark.parametrize(
    ("valid_from", "changes", "anchor", "message"),
    [
        (
            dt.date(2020, 4, 1),
            {},
            "#id_valid_from_day",
            "The new definition must start after the current one (version 1, in use from"
            " 1 April 2020)",
        ),
        (
            dt.date(2019, 4, 1),
            {},
            "#id_valid_from_day",
            "The new definition must start after the current one",
        ),
        (
            dt.date(2023, 10, 1),
            {},
            "#id_valid_from_day",
            "Figures for 2023/24 have already been sent under the current definition: start"
            " the new one after 31 March 2024",
        ),
        (dt.date(2025, 4, 1), {"target": "-5"}, "#id_target", "The target (-5) is below"),
        (
            dt.date(2025, 4, 1),
            date_fields("valid_to", dt.date(2025, 1, 1)),
            "#id_valid_to_day",
            "The date it stops being used (1 January 2025) must be on or after",
        ),
    ],
)
def test_a_bad_new_definition_saves_nothing(client_as, kht, valid_from, changes, anchor, message):
    indicator = factories.indicator("DA03", kht, target=50, valid_from=dt.date(2020, 4, 1))
    factories.submit(kht, factories.year(2023), {indicator: 48})
    before = counts()
    response = client_as("business_unit").post(
        "/performance/indicators/DA03/definition/", definition(indicator, valid_from, **changes)
    )
    errors = error_summary(response)
    assert errors[anchor].startswith(message), errors
    assert counts() == before
    assert indicator.versions.get().valid_to is None


def test_changing_the_indicator_itself_is_a_plain_edit(client_as, personas, kht):
    indicator = factories.indicator("DA04", kht, target=50)
    factories.submit(kht, factories.year(2023), {indicator: 48})
    police = factories.organisation("Merseyside Police")
    client = client_as("business_unit")
    page = client.get("/performance/indicators/DA04/change/").content.decode()
    assert "so its unit (count), polarity (higher is better) and frequency (yearly) stay" in page
    assert 'name="unit"' not in page
    response = client.post(
        "/performance/indicators/DA04/change/",
        {
            "name": "Domestic abuse incidents",
            "key_point_subject": "",
            "owner": police.pk,
            "priority": "",
            "sort_order": "3",
            "unit": "percentage",  # not on the form once figures are in: ignored
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.owner, indicator.unit) == (
        "Domestic abuse incidents",
        police,
        "count",
    )
    assert indicator.versions.count() == 1
    entry = AuditEntry.objects.get(object_type="performance.indicator", action="update")
    assert entry.changes["name"] == ["Indicator DA04", "Domestic abuse incidents"]
    assert entry.changes["owner"] == [kht.pk, police.pk]


# Settings and chasers ---------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_new_number_of_working_days_recomputes_the_due_dates_not_yet_passed(client_as):
    settings = PerformanceSettings.load()
    past = ReportingPeriod.get_or_create_for(Frequency.QUARTERLY, dt.date(2026, 7, 1))[0]
    open_ = ReportingPeriod.get_or_create_for(Frequency.QUARTERLY, dt.date(2026, 10, 1))[0]
    future = ReportingPeriod.get_or_create_for(Frequency.QUARTERLY, dt.date(2027, 1, 1))[0]
    assert open_.due_on == add_working_days(dt.date(2026, 12, 31), settings.due_working_days)
    assert open_.due_on >= dt.date(2026, 11, 23) > past.due_on
    past_due = past.due_on
    client = client_as("business_unit")
    page = client.get("/performance/settings/").content.decode()
    assert "Q3 2026/27" in page and f"{open_.due_on:%-d %B %Y}" in page
    assert "Q2 2026/27" not in page  # already past its due date

    response = client.post(
        "/performance/settings/", {"due_working_days": "40", "key_point_threshold": "15"}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "The performance settings have been saved; 2 due dates worked out again" in (
        success_banner(shown)
    )
    for period in (past, open_, future):
        period.refresh_from_db()
    assert open_.due_on == add_working_days(dt.date(2026, 12, 31), 40)
    assert future.due_on == add_working_days(dt.date(2027, 3, 31), 40)
    assert past.due_on == past_due
    assert f"{open_.due_on:%-d %B %Y}" in shown.content.decode()
    settings.refresh_from_db()
    assert (settings.due_working_days, settings.key_point_threshold) == (40, Decimal("15"))
    # A period made from now on follows the setting too.
    new = ReportingPeriod.get_or_create_for(Frequency.MONTHLY, dt.date(2026, 11, 1))[0]
    assert new.due_on == add_working_days(dt.date(2026, 11, 30), 40)

    entry = AuditEntry.objects.get(object_type="performance.performancesettings")
    assert entry.changes["due_working_days"] == [20, 40]
    assert entry.changes["due_dates"]["Q3 2026/27"][1] == f"{open_.due_on:%Y-%m-%d}"


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"due_working_days": "0", "key_point_threshold": "10"}, "#id_due_working_days",
         "Returns must be due at least 1 working day after the period ends"),
        ({"due_working_days": "121", "key_point_threshold": "10"}, "#id_due_working_days",
         "Returns must be due within 120 working days of the period's end"),
        ({"due_working_days": "ten", "key_point_threshold": "10"}, "#id_due_working_days",
         "The number of working days must be a whole number"),
        ({"due_working_days": "20", "key_point_threshold": "-1"}, "#id_key_point_threshold",
         "The key-point threshold cannot be negative"),
        ({"due_working_days": "20", "key_point_threshold": ""}, "#id_key_point_threshold",
         "Enter the key-point threshold"),
    ],
)  # fmt: skip
def test_bad_settings_save_nothing(client_as, data, anchor, message):
    PerformanceSettings.load()
    period = ReportingPeriod.get_or_create_for(Frequency.YEARLY, dt.date(2099, 4, 1))[0]
    before = AuditEntry.objects.count()
    response = client_as("business_unit").post("/performance/settings/", data)
    assert error_summary(response)[anchor] == message
    settings = PerformanceSettings.load()
    assert (settings.due_working_days, settings.key_point_threshold) == (20, Decimal("10"))
    period.refresh_from_db()
    assert period.due_on == add_working_days(period.end, 20)
    assert AuditEntry.objects.count() == before


def test_adding_and_removing_chasers(client_as, personas):
    ChaserRule.objects.create(days_from_due=0)
    client = client_as("business_unit")
    response = client.post("/performance/settings/chasers/", {"when": "before", "days": "5"})
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "Chaser added: 5 days before the due date" in success_banner(shown)
    client.post("/performance/settings/chasers/", {"when": "after", "days": "3"})
    page = client.get("/performance/settings/").content.decode()
    for text in ("5 days before the due date", "On the due date", "3 days after the due date"):
        assert text in page
    assert list(
        ChaserRule.objects.filter(is_active=True).values_list("days_from_due", flat=True)
    ) == [-5, 0, 3]

    rule = ChaserRule.objects.get(days_from_due=3)
    response = client.post(f"/performance/settings/chasers/{rule.pk}/remove/")
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "Chaser removed: 3 days after the due date" in success_banner(shown)
    assert "the chaser 3 days after the due date" not in shown.content.decode()
    assert "the chaser 5 days before the due date" in shown.content.decode()
    rule.refresh_from_db()
    assert rule.is_active is False  # kept, with the record of the chasers it sent

    # Added again: the same rule comes back.
    client.post("/performance/settings/chasers/", {"when": "after", "days": "3"})
    rule.refresh_from_db()
    assert rule.is_active is True
    assert ChaserRule.objects.count() == 3
    actions = list(
        AuditEntry.objects.filter(object_type="performance.chaserrule")
        .order_by("id")
        .values_list("action", "summary")
    )
    assert actions == [
        ("create", "Added a chaser 5 days before the due date"),
        ("create", "Added a chaser 3 days after the due date"),
        ("delete", "Removed the chaser 3 days after the due date"),
        ("create", "Added a chaser 3 days after the due date"),
    ]


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"when": "on", "days": ""}, "#id_days", "There is already a chaser on the due date"),
        ({"when": "before", "days": "5"}, "#id_days",
         "There is already a chaser 5 days before the due date"),
        ({"when": "after", "days": ""}, "#id_days", "Enter how many days after the due date"),
        ({"when": "after", "days": "0"}, "#id_days",
         "The number of days after must be between 1 and 90"),
        ({"when": "before", "days": "x"}, "#id_days", "The number of days must be a whole number"),
        ({"days": "3"}, "#id_when", "Choose when the chaser is sent"),
    ],
)  # fmt: skip
def test_bad_chasers_save_nothing(client_as, data, anchor, message):
    ChaserRule.objects.create(days_from_due=0)
    ChaserRule.objects.create(days_from_due=-5)
    before = (ChaserRule.objects.filter(is_active=True).count(), AuditEntry.objects.count())
    response = client_as("business_unit").post("/performance/settings/chasers/", data)
    assert error_summary(response)[anchor] == message
    assert (ChaserRule.objects.filter(is_active=True).count(), AuditEntry.objects.count()) == (
        before
    )


# Only the business unit -------------------------------------------------------------------

PAGES = [
    ("get", "/performance/indicators/add/"),
    ("post", "/performance/indicators/add/"),
    ("get", "/performance/indicators/DA05/change/"),
    ("post", "/performance/indicators/DA05/definition/"),
    ("get", "/performance/settings/"),
    ("post", "/performance/settings/"),
    ("post", "/performance/settings/chasers/"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_only_the_business_unit_may_manage_the_library(client_as, kht, method, path):
    factories.indicator("DA05", kht, target=50)
    before = (counts(), PerformanceSettings.load().due_working_days, ChaserRule.objects.count())
    data = {"due_working_days": "5", "key_point_threshold": "1", "when": "on"}
    for key in ("independent_chair", "partner_lead", "group_member", "data_submitter"):
        response = getattr(client_as(key), method)(path, data)
        assert response.status_code == 403, key
    anonymous = getattr(client_as(None), method)(path, data)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    after = (counts(), PerformanceSettings.load().due_working_days, ChaserRule.objects.count())
    assert after == before


def test_the_links_are_only_for_the_business_unit(client_as, kht):
    factories.indicator("DA06", kht)
    for key, shown in (("business_unit", True), ("partner_lead", False), ("data_submitter", False)):
        client = client_as(key)
        library = client.get("/performance/indicators/").content.decode()
        detail = client.get("/performance/indicators/DA06/").content.decode()
        index = client.get("/performance/").content.decode()
        assert ("Add an indicator" in library) is shown, key
        assert ("Change the definition" in detail) is shown, key
        assert ("Settings and chasers" in index) is shown, key
