from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.performance import services
from partnership.performance.models import Indicator, Polarity, Unit

from . import factories as f

pytestmark = pytest.mark.django_db


def test_snapshot_gives_the_latest_counted_value_with_the_one_before_and_rag():
    owner = f.organisation()
    icpc = f.indicator(
        "ICPC15", owner, unit=Unit.PERCENTAGE, polarity=Polarity.HIGHER, target=75, tolerance=10
    )
    f.submit(owner, f.year(2013), {icpc: 27})
    f.submit(owner, f.year(2014), {icpc: "68.4"})
    # A draft for a later year does not count.
    draft = services.get_return(owner, f.year(2015))
    services.save_return(
        draft, [services.CheckedRow(icpc, None, None, Decimal("99"))], actor=f.SETUP, submit=False
    )

    snapshot = services.indicator_snapshots(Indicator.objects.all())[icpc.pk]

    assert snapshot.period_label == "2014/15"
    assert snapshot.value == Decimal("68.4")
    assert snapshot.display == "68.4%"
    assert snapshot.previous_display == "27%"
    assert snapshot.target_display == "75%"
    assert (snapshot.rag, snapshot.rag_label) == ("amber", "Amber")


def test_an_indicator_without_data_has_an_empty_snapshot():
    ind = f.indicator("NONE", f.organisation())
    snapshot = services.indicator_snapshots([ind])[ind.pk]
    assert snapshot.value is None and snapshot.rag is None and snapshot.display == "No data"


def _count_queries(indicators) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.indicator_snapshots(Indicator.objects.filter(pk__in=[i.pk for i in indicators]))
    return len(queries)


def test_snapshots_cost_the_same_number_of_queries_for_more_indicators_and_data():
    owner = f.organisation()
    few = [f.indicator("A1", owner)]
    f.submit(owner, f.year(2023), {few[0]: 1})
    small = _count_queries(few)
    many = few + [f.indicator(f"B{n}", owner) for n in range(8)]
    for first in range(2015, 2023):
        f.submit(owner, f.year(first), dict.fromkeys(many, first))
    assert _count_queries(many) == small
