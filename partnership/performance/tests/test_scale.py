import random

import pytest

from partnership.performance import reports
from partnership.performance.models import DataPoint, ReportingPeriod, Unit
from partnership.performance.scale import scale_performance

pytestmark = pytest.mark.django_db


def test_scale_data_has_a_known_report_period_and_the_points_it_claims():
    counts = scale_performance(0.002, random.Random(1))
    assert counts["data points"] == DataPoint.objects.count() == counts["indicators"] * 240
    period = ReportingPeriod.from_slug("monthly-2026-03")
    report = reports.build_report(period, charts=False)
    assert report.reporting_count == counts["indicators"]


def test_scale_data_counts_are_whole_numbers():
    scale_performance(0.002, random.Random(1))
    counts = DataPoint.objects.filter(indicator__unit=Unit.COUNT).values_list("value", flat=True)
    assert counts  # a quarter of the indicators are counts
    assert all(value == int(value) for value in counts)
