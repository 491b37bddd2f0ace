"""The key-points report for a period, the priority dashboards and completeness.

Each is a fixed number of queries whatever the size of the data (invariant 6): the period's
indicators come a page at a time; their values for this period, the previous one and the same
period last year come in one query; the trend for the page's indicators in another.

Charts are drawn server-side with matplotlib (ADR 0007) as SVG, so the same chart goes in the
page and in the PDF, with no JavaScript, and each has a data table beside it. A chart is
cached by the numbers it draws, so a new version of the data draws a new chart.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone

from . import services
from .models import (
    Frequency,
    Indicator,
    PerformanceSettings,
    ReportComment,
    ReportingPeriod,
)

TREND_LENGTH = {Frequency.YEARLY: 8, Frequency.QUARTERLY: 8, Frequency.MONTHLY: 13}
PER_PAGE = 20
KEY_POINTS_SHOWN = 25
RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", None: "#505a5f"}


@dataclass
class Row:
    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    target: Decimal | None
    tolerance: Decimal
    rag: str | None
    trend: list[tuple[str, Decimal | None]]
    previous_label: str
    last_year_label: str
    chart: str = ""
    key_point: str = ""  # the notable change on the previous period, if there is one

    @property
    def display(self) -> str:
        return self.indicator.format(self.value)

    @property
    def previous_display(self) -> str:
        return self.indicator.format(self.previous)

    @property
    def last_year_display(self) -> str:
        return self.indicator.format(self.last_year)

    @property
    def target_display(self) -> str:
        return self.indicator.format(self.target) if self.target is not None else "No target"

    @property
    def change(self):
        return services.change_between(self.value, self.previous, self.indicator.unit)

    @property
    def change_on_last_year(self):
        return services.change_between(self.value, self.last_year, self.indicator.unit)

    @property
    def rag_label(self) -> str:
        return services.RAG_LABELS[self.rag]

    @property
    def chart_text(self) -> str:
        """The chart's text alternative."""
        known = [(label, value) for label, value in self.trend if value is not None]
        if not known:
            return f"No figures yet for {self.indicator.name}."
        first, last = known[0], known[-1]
        return (
            f"Line chart of {self.indicator.name}, {first[0]} to {last[0]}: from"
            f" {self.indicator.format(first[1])} to {self.indicator.format(last[1])}."
        )


@dataclass
class KeyPointsReport:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    last_year: ReportingPeriod | None
    rows: list[Row]
    page: object
    key_points: list[str]
    more_key_points: int
    comments: list = field(default_factory=list)
    indicator_count: int = 0
    reporting_count: int = 0


def trend_periods(period, periods) -> list[ReportingPeriod]:
    """The periods a trend chart shows, oldest first, ending with `period`."""
    result = []
    start = period.start
    for _ in range(TREND_LENGTH[period.frequency]):
        found = periods.get((period.frequency, start))
        if found is not None:
            result.append(found)
        start = services.previous_start(period.frequency, start)
    return list(reversed(result))


def build_report(
    period, *, page_number=1, priority=None, charts=True, per_page=PER_PAGE
) -> KeyPointsReport:
    """The key-points report for a period: one page of indicators, every key point.

    The PDF and the spreadsheet take every indicator (`per_page=None`): a paper for the
    board leaves none out."""
    periods = services.periods_by_key()
    previous = periods.get((period.frequency, services.previous_start(period)))
    last_year = periods.get(
        (period.frequency, dt.date(period.start.year - 1, period.start.month, 1))
    )
    indicators = Indicator.objects.filter(frequency=period.frequency).select_related(
        "owner", "priority"
    )
    if priority is not None:
        indicators = indicators.filter(priority=priority)
    # The period, the previous one and last year's, for every indicator (for the key points).
    compare_ids = [p.pk for p in (period, previous, last_year) if p]
    values: dict[tuple[int, int], Decimal] = {}
    for indicator_id, period_id, value in (
        services.counted_points()
        .filter(period_id__in=compare_ids, indicator__in=indicators)
        .values_list("indicator_id", "period_id", "value")
    ):
        values[(indicator_id, period_id)] = value
    settings = PerformanceSettings.load()
    if per_page is None:
        per_page = max(1, indicators.count())
    paginator = Paginator(indicators.prefetch_related("versions"), per_page)
    page = paginator.get_page(page_number)
    page_indicators = list(page.object_list)
    trend = trend_periods(period, periods)
    trend_values = {
        (indicator_id, period_id): value
        for indicator_id, period_id, value in services.counted_points()
        .filter(
            indicator_id__in=[i.pk for i in page_indicators], period_id__in=[p.pk for p in trend]
        )
        .values_list("indicator_id", "period_id", "value")
    }
    rows = []
    for indicator in page_indicators:
        version = indicator.version_on(period.end)
        value = values.get((indicator.pk, period.pk))
        target = version.target if version else None
        tolerance = version.tolerance if version else Decimal("0")
        row = Row(
            indicator=indicator,
            value=value,
            previous=values.get((indicator.pk, previous.pk)) if previous else None,
            last_year=values.get((indicator.pk, last_year.pk)) if last_year else None,
            target=target,
            tolerance=tolerance,
            rag=services.rag(value, target, tolerance, indicator.polarity),
            trend=[(p.label, trend_values.get((indicator.pk, p.pk))) for p in trend],
            previous_label=previous.label if previous else "",
            last_year_label=last_year.label if last_year else "",
        )
        if charts:
            row.chart = trend_chart(row)
        if previous is not None:
            row.key_point = (
                services.key_point(
                    indicator,
                    row.value,
                    row.previous,
                    period.label,
                    previous.label,
                    settings.key_point_threshold,
                )
                or ""
            )
        rows.append(row)
    key_points = _key_points(period, previous, indicators, values, settings.key_point_threshold)
    comments = list(ReportComment.objects.filter(period=period).select_related("indicator"))
    return KeyPointsReport(
        period=period,
        previous=previous,
        last_year=last_year,
        rows=rows,
        page=page,
        key_points=key_points[:KEY_POINTS_SHOWN],
        more_key_points=max(0, len(key_points) - KEY_POINTS_SHOWN),
        comments=comments,
        indicator_count=paginator.count,
        reporting_count=len({i for (i, p) in values if p == period.pk}),
    )


def _key_points(period, previous, indicators, values, threshold) -> list[str]:
    """Sentences for the notable changes on the previous period, largest first."""
    if previous is None:
        return []
    changed = {i for (i, p) in values if p == period.pk} & {
        i for (i, p) in values if p == previous.pk
    }
    if not changed:
        return []
    found = []
    # The indicators with a change: few columns, so this stays cheap for a large library.
    for indicator in (
        indicators.select_related(None)
        .filter(pk__in=changed)
        .only("pk", "name", "key_point_subject", "unit", "sort_order", "code")
    ):
        value, before = values[(indicator.pk, period.pk)], values[(indicator.pk, previous.pk)]
        sentence = services.key_point(
            indicator, value, before, period.label, previous.label, threshold
        )
        if sentence:
            change = services.change_between(value, before, indicator.unit)
            found.append((indicator.sort_order, indicator.code, sentence, change.size))
    found.sort(key=lambda item: (item[0], item[1]))
    return [sentence for *_ignored, sentence, _size in found]


# --- Charts --------------------------------------------------------------------------------


def trend_chart(row: Row) -> str:
    """An SVG line chart of the trend, cached by what it draws."""
    points = [(label, value) for label, value in row.trend]
    key = (
        "performance-chart:"
        + hashlib.sha256(
            repr((row.indicator.unit, row.target, row.rag, points)).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _draw(row, points)
        cache.set(key, svg, 60 * 60 * 24)
    return svg


def _draw(row: Row, points) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "partnership"
    figure = Figure(figsize=(5.2, 2.4), dpi=96)
    axes = figure.subplots()
    labels = [label for label, _value in points]
    ys = [float(value) if value is not None else float("nan") for _label, value in points]
    axes.plot(range(len(labels)), ys, marker="o", color="#1d70b8", linewidth=2)
    if row.target is not None:
        axes.axhline(float(row.target), color="#505a5f", linestyle="--", linewidth=1)
        axes.annotate(
            "Target",
            xy=(0, float(row.target)),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize=8,
            color="#505a5f",
        )
    axes.set_xticks(range(len(labels)))
    axes.set_xticklabels(labels, fontsize=8, rotation=30, ha="right")
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylim(bottom=0)
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    # Inline in the page: drop the XML prologue; the figure's text alternative is in the page.
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


# --- Dashboards and completeness -----------------------------------------------------------


def dashboard(priority, user):
    """The priority's indicators with their latest figures, those `user` may see."""
    indicators = priority.indicators.all() & Indicator.objects.figures_visible_to(user)
    snapshots = services.indicator_snapshots(indicators)
    return sorted(snapshots.values(), key=lambda s: (s.indicator.frequency, s.indicator.sort_order))


@dataclass
class CompletenessRow:
    organisation: object
    cells: list


def completeness(frequency: str, periods_shown: int = 6, today=None, page_number=1, until=None):
    """A grid of organisations (those who own indicators) by the latest periods (those
    started by `until`, when given, for an earlier year)."""
    from django.db.models import Exists, OuterRef

    from partnership.directory.models import Organisation

    from .models import DataReturn

    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.filter(
            frequency=frequency, start__lte=min(today, until) if until else today
        ).order_by("-start")[:periods_shown]
    )
    periods.reverse()
    owners = Organisation.objects.filter(
        Exists(Indicator.objects.filter(owner=OuterRef("pk"), frequency=frequency))
    ).order_by("name")
    paginator = Paginator(owners, 25)
    page = paginator.get_page(page_number)
    returns = {
        (r.organisation_id, r.period_id): r
        for r in DataReturn.objects.filter(
            period__in=periods, organisation__in=list(page.object_list)
        ).select_related("period")
    }
    rows = []
    for organisation in page.object_list:
        cells = []
        for period in periods:
            data_return = returns.get((organisation.pk, period.pk))
            cells.append((period, data_return, cell_status(data_return, period, today)))
        rows.append(CompletenessRow(organisation, cells))
    return periods, rows, page


def cell_status(data_return, period, today) -> tuple[str, str]:
    """(label, tag colour) for a return at a glance."""
    if data_return is None or data_return.status in ("not_started", "draft", "late"):
        if period.due_on < today:
            return "Late", "red"
        if data_return is not None and data_return.status == "draft":
            return "Draft", "yellow"
        return "Not started", "grey"
    if data_return.status == "validated":
        return "Validated", "green"
    if data_return.submitted_late:
        return "Submitted late", "orange"
    return "Submitted", "blue"
