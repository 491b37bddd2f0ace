"""Scale data for the performance framework: at scale 1, over 1,000,000 data points.

Monthly returns for twenty years (April 2006 to March 2026, 240 periods) from up to 40 scale
organisations, each owning its share of about 4,200 monthly indicators: one return, one
version and a figure per indicator a month. Codes start with "SCALE-" and the periods are
fixed, so benchmark URLs are known in advance: the key-points report for March 2026 is
/performance/reports/monthly-2026-03/.
"""

import datetime as dt
import math
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from partnership.directory.models import Organisation

from .models import (
    DataReturn,
    Frequency,
    Indicator,
    IndicatorVersion,
    ReportingPeriod,
    ReturnStatus,
    ReturnVersion,
    Unit,
)
from .services import shift_months

PREFIX = "SCALE-"
FIRST = dt.date(2006, 4, 1)
MONTHS = 240
POINTS_AT_SCALE_1 = 1_000_000
BATCH = 10_000
UNITS = [Unit.COUNT, Unit.PERCENTAGE, Unit.RATE, Unit.DAYS]


def scale_performance(scale, rng) -> dict[str, int]:
    """Make the scale data (see the module docstring); returns what was made, by kind."""
    owners = list(Organisation.objects.filter(slug__startswith="scale-").order_by("pk")[:40])
    if not owners:
        owners = [Organisation.objects.create(name="Scale agency", slug="scale-agency")]
    indicator_count = max(1, math.ceil(POINTS_AT_SCALE_1 * scale / MONTHS))
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"{PREFIX}{n:05d}",
                name=f"Scale indicator {n}",
                unit=UNITS[n % len(UNITS)],
                polarity=("higher", "lower", "neutral")[n % 3],
                frequency=Frequency.MONTHLY,
                owner=owners[n % len(owners)],
                sort_order=1000 + n,
            )
            for n in range(indicator_count)
        ],
        batch_size=BATCH,
    )
    indicators = list(
        Indicator.objects.filter(code__startswith=PREFIX).values_list("pk", "owner_id", "unit")
    )
    IndicatorVersion.objects.bulk_create(
        [
            IndicatorVersion(
                indicator_id=pk,
                definition="A scale indicator.",
                target=Decimal(rng.randint(20, 80)),
                tolerance=Decimal(5),
            )
            for pk, _owner, _unit in indicators
        ],
        batch_size=BATCH,
    )
    periods = []
    for month in range(MONTHS):
        periods.append(
            ReportingPeriod.get_or_create_for(Frequency.MONTHLY, shift_months(FIRST, month))[0]
        )
    now = timezone.now()
    DataReturn.objects.bulk_create(
        [
            DataReturn(
                organisation=owner,
                period=period,
                status=ReturnStatus.VALIDATED,
                submitted_at=now,
                validated_at=now,
                version_count=1,
            )
            for period in periods
            for owner in owners
        ],
        batch_size=BATCH,
    )
    returns = {
        (org, period): pk
        for pk, org, period in DataReturn.objects.filter(
            period__in=periods, organisation__in=owners
        ).values_list("pk", "organisation_id", "period_id")
    }
    ReturnVersion.objects.bulk_create(
        [
            ReturnVersion(data_return_id=pk, number=1, created_by_label="Scale data", source="api")
            for pk in returns.values()
        ],
        batch_size=BATCH,
    )
    versions = _versions_by_return()
    # The figures: a random walk per indicator, inserted in large batches of plain rows
    # (building a million model instances is most of the time bulk_create would take).
    sql = (
        "INSERT INTO performance_datapoint (version_id, data_return_id, period_id, indicator_id,"
        " numerator, denominator, value, is_current) VALUES (%s, %s, %s, %s, NULL, NULL, %s, %s)"
    )
    points = 0
    batch = []
    levels = {pk: rng.uniform(10, 90) for pk, _owner, _unit in indicators}
    uniform = rng.uniform
    with connection.cursor() as cursor:
        for period in periods:
            for pk, owner_id, unit in indicators:
                level = min(99.0, max(1.0, levels[pk] + uniform(-4, 4)))
                levels[pk] = level
                data_return = returns[(owner_id, period.pk)]
                # A count is a whole number, as a return would be refused otherwise.
                value = f"{level:.0f}" if unit == Unit.COUNT else f"{level:.1f}"
                batch.append((versions[data_return], data_return, period.pk, pk, value, True))
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    points += len(batch)
                    batch = []
        if batch:
            cursor.executemany(sql, batch)
            points += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE performance_datapoint")
    return {
        "indicators": len(indicators),
        "reporting periods": len(periods),
        "data returns": len(returns),
        "data points": points,
    }


def _versions_by_return() -> dict[int, int]:
    return dict(
        ReturnVersion.objects.filter(created_by_label="Scale data").values_list(
            "data_return_id", "pk"
        )
    )
