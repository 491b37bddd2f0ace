"""Figures for the needs analysis summary and the training reports, with CSV and XLSX.

Every figure is a database aggregate grouped by one key (course, agency, learning theme,
month or year), so a report costs the same handful of queries whether a partnership has
delivered ten sessions or ten thousand.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from partnership.directory.models import Organisation, OrganisationKind
from partnership.outputs.spreadsheets import csv_bytes, new_workbook, workbook_bytes

from .models import (
    Attendance,
    Booking,
    BookingStatus,
    Evaluation,
    ImpactResponse,
    Level,
    NeedsLine,
    NeedsSurvey,
    Respondent,
    Session,
    SessionStatus,
    plan_year_label,
    plan_year_of,
)

# Needs analysis ----------------------------------------------------------------------------


@dataclass
class NeedsRow:
    theme: object
    level: str
    staff: int
    agencies: int

    @property
    def level_label(self) -> str:
        return Level(self.level).label


@dataclass
class NeedsSummary:
    rows: list[NeedsRow]
    responses: int
    submitted: int
    agencies: int  # agencies asked: the partners, relevant agencies and schools

    @property
    def staff(self) -> int:
        return sum(row.staff for row in self.rows)

    @property
    def response_rate(self) -> float | None:
        return self.submitted / self.agencies if self.agencies else None


def needs_summary(survey: NeedsSurvey) -> NeedsSummary:
    """Staff needing each theme at each level, across the agencies that answered."""
    from partnership.reviews.models import LearningTheme

    totals = (
        NeedsLine.objects.filter(response__survey=survey)
        .values("theme", "level")
        .annotate(staff=Sum("staff"), agencies=Count("response", distinct=True))
        .order_by("theme", "level")
    )
    totals = list(totals)
    themes = LearningTheme.objects.in_bulk({row["theme"] for row in totals})
    rows = [
        NeedsRow(themes[row["theme"]], row["level"], row["staff"], row["agencies"])
        for row in totals
    ]
    rows.sort(key=lambda row: (-row.staff, row.theme.name, row.level))
    responses = survey.responses.aggregate(
        started=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    agencies = Organisation.objects.active().exclude(kind=OrganisationKind.OTHER).count()
    return NeedsSummary(rows, responses["started"], responses["submitted"], agencies)


# Training report ---------------------------------------------------------------------------

GROUPINGS = {
    # key: (label, session key, booking key prefix ("session__" added for bookings))
    "course": "Course",
    "agency": "Agency",
    "theme": "Learning theme",
    "month": "Month",
    "year": "Year",
}


@dataclass
class ReportRow:
    key: object
    label: str
    sessions: int | None = None
    places_offered: int | None = None
    places_filled: int = 0
    attended: int = 0
    no_shows: int = 0
    late_cancellations: int = 0
    evaluations: int = 0
    evaluation_score: float | None = None
    confidence_before: float | None = None
    confidence_after: float | None = None
    impact_responses: int = 0
    manager_responses: int = 0
    impact_score: float | None = None
    _weights: dict = field(default_factory=dict, repr=False)

    @property
    def recorded(self) -> int:
        return self.attended + self.no_shows + self.late_cancellations

    @property
    def fill_rate(self) -> float | None:
        if self.places_offered:
            return self.places_filled / self.places_offered
        return None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.recorded if self.recorded else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.recorded if self.recorded else None

    @property
    def evaluation_rate(self) -> float | None:
        return self.evaluations / self.attended if self.attended else None

    @property
    def impact_rate(self) -> float | None:
        return self.impact_responses / self.attended if self.attended else None


@dataclass
class Report:
    group: str
    start: dt.date | None
    end: dt.date | None
    rows: list[ReportRow]
    total: ReportRow

    @property
    def group_label(self) -> str:
        return GROUPINGS[self.group]


def _keys(group: str, prefix: str):
    """The values() to group by, for a query whose session is at `prefix`."""
    if group == "course":
        return [f"{prefix}course_id", f"{prefix}course__title"]
    if group == "theme":
        return [f"{prefix}course__themes__id", f"{prefix}course__themes__name"]
    if group in ("month", "year"):
        return ["period"]
    return []


def _annotate_period(queryset, group: str, prefix: str):
    if group in ("month", "year"):
        return queryset.annotate(
            period=TruncMonth(f"{prefix}starts_at", tzinfo=timezone.get_current_timezone())
        )
    return queryset


def _key_of(values: dict, group: str, prefix: str):
    if group == "course":
        return values[f"{prefix}course_id"], values[f"{prefix}course__title"]
    if group == "theme":
        theme_id = values[f"{prefix}course__themes__id"]
        return theme_id, values[f"{prefix}course__themes__name"] or "No theme"
    if group == "agency":
        organisation_id = values["organisation_id"]
        return organisation_id, values["organisation__name"] or "Organisations not in the directory"
    if group in ("month", "year"):
        period = values["period"]
        if period is None:
            return None, "Unknown"
        if isinstance(period, dt.datetime):
            period = timezone.localtime(period) if timezone.is_aware(period) else period
            period = period.date()
        if group == "year":
            year = plan_year_of(period)
            return year, plan_year_label(year)
        return period, f"{period:%B %Y}"
    return None, "All training"


def training_report(*, group: str = "course", start=None, end=None) -> Report:
    """Places offered and filled, attendance, no-shows, evaluation and impact, by `group`."""
    if group not in GROUPINGS:
        group = "course"
    sessions = Session.objects.filter(status=SessionStatus.SCHEDULED)
    if start:
        sessions = sessions.filter(starts_at__date__gte=start)
    if end:
        sessions = sessions.filter(starts_at__date__lte=end)
    session_ids = sessions.values("pk")

    rows: dict = {}

    def row_for(key, label) -> ReportRow:
        if key not in rows:
            rows[key] = ReportRow(key=key, label=label)
        return rows[key]

    total = ReportRow(key=None, label="Total")

    # Places offered (not by agency: places belong to sessions, not to agencies).
    if group != "agency":
        keys = _keys(group, "")
        query = (
            _annotate_period(sessions, group, "")
            .values(*keys)
            .annotate(count=Count("pk", distinct=True), places=Sum("capacity"))
            .order_by()
        )
        for values in query:
            row = row_for(*_key_of(values, group, ""))
            row.sessions = (row.sessions or 0) + values["count"]
            row.places_offered = (row.places_offered or 0) + (values["places"] or 0)
    totals = sessions.aggregate(count=Count("pk"), places=Sum("capacity"))
    total.sessions, total.places_offered = totals["count"], totals["places"] or 0

    booking_counts = {
        "filled": Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
        "attended": Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
        "no_shows": Count("pk", filter=Q(attendance=Attendance.NO_SHOW)),
        "late": Count("pk", filter=Q(attendance=Attendance.LATE_CANCELLATION)),
    }
    bookings = Booking.objects.filter(session__in=session_ids)
    keys = (
        ["organisation_id", "organisation__name"]
        if group == "agency"
        else _keys(group, "session__")
    )
    query = (
        _annotate_period(bookings, group, "session__")
        .values(*keys)
        .annotate(**booking_counts)
        .order_by()
    )
    for values in query:
        row = row_for(*_key_of(values, group, "session__"))
        row.places_filled += values["filled"]
        row.attended += values["attended"]
        row.no_shows += values["no_shows"]
        row.late_cancellations += values["late"]
    totals = bookings.aggregate(**booking_counts)
    total.places_filled, total.attended = totals["filled"], totals["attended"]
    total.no_shows, total.late_cancellations = totals["no_shows"], totals["late"]

    evaluation_figures = {
        "count": Count("pk"),
        "overall": Avg("overall"),
        "before": Avg("confidence_before"),
        "after": Avg("confidence_after"),
    }
    evaluations = Evaluation.objects.filter(booking__session__in=session_ids)
    prefix = "booking__session__"
    keys = (
        ["booking__organisation_id", "booking__organisation__name"]
        if group == "agency"
        else _keys(group, prefix)
    )
    query = (
        _annotate_period(evaluations, group, prefix)
        .values(*keys)
        .annotate(**evaluation_figures)
        .order_by()
    )
    for values in query:
        if group == "agency":
            values = {
                "organisation_id": values["booking__organisation_id"],
                "organisation__name": values["booking__organisation__name"],
                **values,
            }
        row = row_for(*_key_of(values, group, prefix))
        _add_average(row, "evaluation_score", values["overall"], values["count"])
        _add_average(row, "confidence_before", values["before"], values["count"])
        _add_average(row, "confidence_after", values["after"], values["count"])
        row.evaluations += values["count"]
    totals = evaluations.aggregate(**evaluation_figures)
    total.evaluations, total.evaluation_score = totals["count"], totals["overall"]
    total.confidence_before, total.confidence_after = totals["before"], totals["after"]

    impact_figures = {
        "attendees": Count("pk", filter=Q(respondent=Respondent.ATTENDEE)),
        "managers": Count("pk", filter=Q(respondent=Respondent.MANAGER)),
        "score": Avg("impact"),
    }
    impacts = ImpactResponse.objects.filter(booking__session__in=session_ids)
    query = (
        _annotate_period(impacts, group, prefix).values(*keys).annotate(**impact_figures).order_by()
    )
    for values in query:
        if group == "agency":
            values = {
                "organisation_id": values["booking__organisation_id"],
                "organisation__name": values["booking__organisation__name"],
                **values,
            }
        row = row_for(*_key_of(values, group, prefix))
        _add_average(row, "impact_score", values["score"], values["attendees"] + values["managers"])
        row.impact_responses += values["attendees"]
        row.manager_responses += values["managers"]
    totals = impacts.aggregate(**impact_figures)
    total.impact_responses, total.manager_responses = totals["attendees"], totals["managers"]
    total.impact_score = totals["score"]

    ordered = sorted(rows.values(), key=lambda row: _sort_key(row, group))
    return Report(group=group, start=start, end=end, rows=ordered, total=total)


def _add_average(row: ReportRow, name: str, average, count: int) -> None:
    """Fold one group's average into the row's (months add up into a year's row)."""
    if average is None or not count:
        return
    total, weight = row._weights.get(name, (0.0, 0))
    total, weight = total + float(average) * count, weight + count
    row._weights[name] = (total, weight)
    setattr(row, name, total / weight)


def _sort_key(row: ReportRow, group: str):
    if group in ("month", "year"):
        return (row.key is None, str(row.key))  # dates and years sort as text too
    return (row.key is None, row.label.lower())


# Exports -----------------------------------------------------------------------------------

COLUMNS = [
    ("Sessions", "sessions", "count"),
    ("Places offered", "places_offered", "count"),
    ("Places filled", "places_filled", "count"),
    ("Fill rate", "fill_rate", "percent"),
    ("Attended", "attended", "count"),
    ("Did not attend", "no_shows", "count"),
    ("Late cancellations", "late_cancellations", "count"),
    ("Attendance rate", "attendance_rate", "percent"),
    ("No-show rate", "no_show_rate", "percent"),
    ("Evaluations", "evaluations", "count"),
    ("Evaluation response rate", "evaluation_rate", "percent"),
    ("Average evaluation (1 to 5)", "evaluation_score", "score"),
    ("Confidence before (1 to 5)", "confidence_before", "score"),
    ("Confidence after (1 to 5)", "confidence_after", "score"),
    ("Impact follow-ups (attendees)", "impact_responses", "count"),
    ("Impact follow-ups (managers)", "manager_responses", "count"),
    ("Impact response rate", "impact_rate", "percent"),
    ("Average impact (1 to 5)", "impact_score", "score"),
]


def format_figure(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "percent":
        return f"{value:.0%}"
    if kind == "score":
        return f"{value:.1f}"
    return f"{value:,}"


def _raw(value, kind):
    if value is None:
        return ""
    if kind == "percent":
        return round(value, 4)
    if kind == "score":
        return round(value, 2)
    return value


def report_csv(report: Report) -> bytes:
    return csv_bytes(
        [
            [report.group_label, *(title for title, _, _ in COLUMNS)],
            *(
                [row.label, *(_raw(getattr(row, name), kind) for _, name, kind in COLUMNS)]
                for row in [*report.rows, report.total]
            ),
        ]
    )


def report_xlsx(report: Report) -> bytes:
    from openpyxl.styles import Font

    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = f"By {report.group_label.lower()}"[:31]
    period = "all dates"
    if report.start or report.end:
        since = f"{report.start:%-d %B %Y}" if report.start else "the start"
        until = f"{report.end:%-d %B %Y}" if report.end else "now"
        period = f"{since} to {until}"
    sheet.append([f"Training report by {report.group_label.lower()}: {period}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([report.group_label, *(title for title, _, _ in COLUMNS)])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in [*report.rows, report.total]:
        sheet.append([row.label, *(_raw(getattr(row, name), kind) for _, name, kind in COLUMNS)])
        for index, (_, _, kind) in enumerate(COLUMNS, start=2):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.number_format = {"percent": "0%", "score": "0.0"}.get(kind, "#,##0")
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    sheet.freeze_panes = "B4"
    return workbook_bytes(workbook)


def agency_breakdown(session: Session) -> list[tuple[str, int, int]]:
    """Per agency on one session: (name, booked, attended)."""
    counts = defaultdict(lambda: [0, 0])
    query = (
        session.bookings.filter(status=BookingStatus.CONFIRMED)
        .values("organisation__name", "organisation_other")
        .annotate(
            booked=Count("pk"), attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED))
        )
    )
    for values in query:
        name = values["organisation__name"] or values["organisation_other"] or "Not given"
        counts[name][0] += values["booked"]
        counts[name][1] += values["attended"]
    return sorted(((name, b, a) for name, (b, a) in counts.items()), key=lambda item: -item[1])
