"""Who may reach each performance URL (see partnership/accounts/tests/matrix_support.py)."""

import datetime as dt

from partnership.accounts.tests.matrix_support import (
    ANONYMOUS,
    EVERYONE,
    SIGN_IN,
    STAFF,
    everyone,
    only,
)
from partnership.directory.models import Organisation
from partnership.governance.models import Priority
from partnership.performance import services
from partnership.performance.models import (
    ChaserRule,
    Frequency,
    Indicator,
    IndicatorVersion,
    ReportingPeriod,
)

TEAM = ["business_unit"]
AGENCIES = ["business_unit", "partner_lead", "group_member", "data_submitter"]
COMPLETENESS = ["business_unit", "independent_chair"]
REPORT_READERS = ["business_unit", "independent_chair", "partner_lead"]
THEMATIC = ["business_unit", "independent_chair", "partner_lead"]  # police lead exploitation


def _period():
    return ReportingPeriod.get_or_create_for(Frequency.YEARLY, dt.date(2024, 4, 1))[0]


def _indicator(personas):
    owner = personas["data_submitter"].organisation
    indicator, created = Indicator.objects.get_or_create(
        code="MATRIX1", defaults={"name": "Matrix indicator", "owner": owner}
    )
    if created:
        IndicatorVersion.objects.create(indicator=indicator, definition="A count.")
    return indicator


def an_indicator(personas):
    return {"code": _indicator(personas).code}


def a_period(personas):
    _indicator(personas)
    return {"slug": _period().slug}


def kht_return(personas):
    _indicator(personas)
    return {"pk": services.get_return(personas["data_submitter"].organisation, _period()).pk}


def a_chaser(personas):
    return {"pk": ChaserRule.objects.get_or_create(days_from_due=-5)[0].pk}


def exploitation(personas):
    police = Organisation.objects.get(name="Merseyside Police")
    priority, _ = Priority.objects.get_or_create(
        slug="child-exploitation",
        defaults={"name": "Child exploitation", "thematic_lead": police},
    )
    return {"slug": priority.slug}


def _own_return(code=200):
    """The business unit and the housing trust's submitter; everyone else is not shown it."""
    return {
        key: SIGN_IN
        if key == ANONYMOUS
        else (code if key in ("business_unit", "data_submitter") else 404)
        for key in EVERYONE
    }


ROWS = {
    "performance:index": ("get", {}, only(STAFF)),
    "performance:indicators": ("get", {}, only(STAFF)),
    "performance:indicator": ("get", an_indicator, only(STAFF)),
    "performance:indicator-add": ("get", {}, only(TEAM)),
    "performance:indicator-change": ("get", an_indicator, only(TEAM)),
    "performance:indicator-version": ("get", an_indicator, only(TEAM)),
    "performance:settings": ("get", {}, only(TEAM)),
    # An empty form: the business unit gets the page again with its errors.
    "performance:chaser-add": ("post", {}, only(TEAM)),
    "performance:chaser-remove": ("post", a_chaser, only(TEAM, code=302)),
    "performance:returns": ("get", {}, only(AGENCIES)),
    "performance:return": ("get", kht_return, _own_return()),
    "performance:return-edit": ("get", kht_return, _own_return()),
    "performance:return-upload": ("get", kht_return, _own_return()),
    "performance:return-template": ("get", kht_return, _own_return()),
    "performance:return-validate": (
        "post",
        kht_return,
        {**_own_return(302), "data_submitter": 403},
    ),
    "performance:completeness": ("get", {}, only(COMPLETENESS)),
    "performance:reports": ("get", {}, only(REPORT_READERS)),
    "performance:report": ("get", a_period, only(REPORT_READERS)),
    "performance:report-pdf": ("get", a_period, only(REPORT_READERS)),
    "performance:report-xlsx": ("get", a_period, only(REPORT_READERS)),
    "performance:report-comment": ("post", a_period, only(TEAM, code=302)),
    "performance:report-attach": ("post", a_period, only(TEAM, code=302)),
    "performance:dashboards": ("get", {}, only(STAFF)),
    "performance:dashboard": ("get", exploitation, only(THEMATIC)),
    # The API takes agency tokens, never a session.
    "api:list_indicators": ("get", {}, everyone(401)),
    "api:list_periods": ("get", {}, everyone(401)),
    "api:get_return": ("get", {"period_id": 1}, everyone(401)),
    "api:submit_return": ("post", {"period_id": 1}, everyone(401)),
}
