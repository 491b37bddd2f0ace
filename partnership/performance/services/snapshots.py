"""The latest counted value of each indicator, with the one before, its target and RAG."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from ..models import (
    COUNTED_STATUSES,
    DataPoint,
    Indicator,
    IndicatorVersion,
    ReportingPeriod,
)
from .changes import Change, change_between
from .periods import periods_by_key, previous_start
from .ratings import RAG_LABELS, rag


@dataclass
class Snapshot:
    indicator: Indicator
    period: ReportingPeriod | None = None
    value: Decimal | None = None
    previous_period: ReportingPeriod | None = None
    previous_value: Decimal | None = None
    target: Decimal | None = None
    tolerance: Decimal = Decimal("0")
    rag: str | None = None

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else ""

    @property
    def display(self) -> str:
        return self.indicator.format(self.value)

    @property
    def previous_display(self) -> str:
        return self.indicator.format(self.previous_value) if self.previous_value is not None else ""

    @property
    def previous_label(self) -> str:
        return self.previous_period.label if self.previous_period else ""

    @property
    def target_display(self) -> str:
        return self.indicator.format(self.target) if self.target is not None else ""

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def change(self) -> Change | None:
        return change_between(self.value, self.previous_value, self.indicator.unit)


def counted_points():
    """Data points that count: the current version of a submitted or validated return."""
    return DataPoint.objects.filter(is_current=True, data_return__status__in=COUNTED_STATUSES)


def _with_versions(indicators) -> list[Indicator]:
    if hasattr(indicators, "prefetch_related"):
        return list(indicators.select_related("owner", "priority").prefetch_related("versions"))
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    versions = defaultdict(list)
    for version in IndicatorVersion.objects.filter(indicator_id__in=ids):
        versions[version.indicator_id].append(version)
    for indicator in indicators:
        indicator._prefetched_objects_cache = {"versions": _Listing(versions[indicator.pk])}
    return indicators


class _Listing(list):
    """Enough of a queryset for `indicator.versions.all()` on a prefetched list."""

    def all(self):
        return self

    def _clone(self):
        return self


def indicator_snapshots(indicators) -> dict[int, Snapshot]:
    """The latest counted value of each indicator, with the one before, its target and RAG.

    Five queries whatever the number of indicators or data points: the indicators with
    their versions (two, or one when a list is given), the latest period of each, the
    periods, and the values.
    """
    indicators = _with_versions(indicators)
    ids = [i.pk for i in indicators]
    if not ids:
        return {}
    latest = dict(
        counted_points()
        .filter(indicator_id__in=ids)
        .values("indicator_id")
        .annotate(latest=Max("period__start"))
        .values_list("indicator_id", "latest")
    )
    periods = periods_by_key()
    wanted: dict[int, tuple[ReportingPeriod | None, ReportingPeriod | None]] = {}
    period_ids = set()
    for indicator in indicators:
        start = latest.get(indicator.pk)
        if start is None:
            continue
        period = periods.get((indicator.frequency, start))
        before = periods.get((indicator.frequency, previous_start(indicator.frequency, start)))
        wanted[indicator.pk] = (period, before)
        period_ids.update(p.pk for p in (period, before) if p)
    values = {
        (point["indicator_id"], point["period_id"]): point["value"]
        for point in counted_points()
        .filter(indicator_id__in=list(wanted), period_id__in=period_ids)
        .values("indicator_id", "period_id", "value")
    }
    snapshots = {}
    for indicator in indicators:
        period, before = wanted.get(indicator.pk, (None, None))
        snapshot = Snapshot(indicator=indicator, period=period, previous_period=before)
        if period:
            snapshot.value = values.get((indicator.pk, period.pk))
        if before:
            snapshot.previous_value = values.get((indicator.pk, before.pk))
        version = indicator.version_on(period.end if period else timezone.localdate())
        if version is not None:
            snapshot.target, snapshot.tolerance = version.target, version.tolerance
        snapshot.rag = rag(snapshot.value, snapshot.target, snapshot.tolerance, indicator.polarity)
        snapshots[indicator.pk] = snapshot
    return snapshots
