"""Small builders for the performance tests."""

import datetime as dt
from decimal import Decimal

from partnership.directory.models import Organisation
from partnership.performance import services
from partnership.performance.models import (
    Frequency,
    Indicator,
    IndicatorVersion,
    Polarity,
    ReportingPeriod,
    Unit,
)
from partnership.trail.actors import Actor

# Figures a test starts from, saved as a setup job (tests about who sent them pass an actor).
SETUP = Actor.system("test setup")


def organisation(name="Knowsley Housing Trust"):
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return org


def indicator(
    code,
    owner,
    *,
    unit=Unit.COUNT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.YEARLY,
    target=None,
    tolerance="0",
    priority=None,
    name=None,
    **version,
):
    ind = Indicator.objects.create(
        code=code,
        name=name or f"Indicator {code}",
        unit=unit,
        polarity=polarity,
        frequency=frequency,
        owner=owner,
        priority=priority,
    )
    IndicatorVersion.objects.create(
        indicator=ind,
        definition=f"The definition of {code}",
        target=None if target is None else Decimal(str(target)),
        tolerance=Decimal(str(tolerance)),
        **version,
    )
    return ind


def year(first: int) -> ReportingPeriod:
    return ReportingPeriod.get_or_create_for(Frequency.YEARLY, dt.date(first, 4, 1))[0]


def submit(owner, period, values: dict, actor: Actor = SETUP, reason=""):
    """Save and submit figures {indicator: value} for the owner's return in a period."""
    data_return = services.get_return(owner, period)
    rows = [
        services.CheckedRow(indicator=i, numerator=None, denominator=None, value=Decimal(str(v)))
        for i, v in values.items()
    ]
    services.save_return(data_return, rows, actor=actor, submit=True, reason=reason)
    return data_return
